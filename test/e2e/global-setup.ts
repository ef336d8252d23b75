/** Vitest global setup: builds the client once before any test file runs (never concurrently from two workers). */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** Runs `vite build` unless dist/client is newer than every input of the build (keeps repeated runs cheap). */
export function buildClientIfStale(): void {
  const index = join(ROOT, 'dist/client/index.html');
  const inputs = ['client', 'vite.config.ts', 'server/tables.ts', 'data/taxonomy.json', 'package.json'].map((p) => join(ROOT, p));
  if (existsSync(index) && statSync(index).mtimeMs > Math.max(...inputs.map(newestMtime))) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    // Vitest sets NODE_ENV=test, which would make vite bundle React's development build: test what users get.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
}

/** Vitest entry point. */
export default function setup(): void {
  buildClientIfStale();
}
