/**
 * The bench's inputs, cached under test-results/bench-cache/ by seed and a hash of the generator's source (a changed
 * generator makes new ones): report folders of one format, and a store loaded by `npm run generate -- --store`.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { FileFormat } from '../../server/generate/corpus.ts';
import { ROOT } from '../e2e/helpers.ts';

/** Where cached corpora and stores live. */
export const CACHE = join(ROOT, 'test-results', 'bench-cache');

/**
 * A hash of everything that decides what the generator writes: report files (`corpus`) or a store's rows (`store`,
 * which also depends on how store-load.ts writes them).
 */
async function generatorKey(what: 'corpus' | 'store'): Promise<string> {
  const hash = createHash('sha256');
  const dir = join(ROOT, 'server/generate');
  for (const name of (await readdir(dir)).sort()) {
    if (what === 'corpus' && name === 'store-load.ts') continue;
    hash.update(name).update(await readFile(join(dir, name)));
  }
  hash.update(await readFile(join(ROOT, 'server/schema.ts')));
  return hash.digest('hex').slice(0, 12);
}

/** Runs a TypeScript entry with node itself; rejects on a non-zero exit. */
export function runTs(script: string, args: readonly string[], opts: { quiet?: boolean; okCodes?: number[] } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], {
      cwd: ROOT,
      stdio: ['ignore', opts.quiet ? 'ignore' : 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => ((opts.okCodes ?? [0]).includes(code ?? -1) ? resolve() : reject(new Error(`${script} exited with ${code}`))));
  });
}

/**
 * A folder of the first `count` reports of `seed`, every one in `format` (generated once, in one process per core).
 * Report i is the same whatever the count, so smaller corpora are prefixes of larger ones.
 */
export async function corpusDir(seed: string, format: FileFormat, count: number, log: (m: string) => void): Promise<string> {
  const dir = join(CACHE, `corpus-${format}-${count}-${seed}-${await generatorKey('corpus')}`);
  if (existsSync(dir)) return dir;
  const tmp = `${dir}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const t0 = performance.now();
  const parts = Math.max(1, availableParallelism());
  await Promise.all(Array.from({ length: parts }, (_, p) =>
    runTs('test/bench/gen-part.ts', [seed, format, String(p), String(count), String(parts), tmp])));
  await rename(tmp, dir);
  log(`generated ${count} .${format} reports in ${((performance.now() - t0) / 1000).toFixed(0)} s → ${dir}`);
  return dir;
}

/** A store holding `count` generated reports of `seed` (records from the generator), loaded once. */
export async function storeDir(seed: string, count: number, log: (m: string) => void): Promise<string> {
  const dir = join(CACHE, `store-${count}-${seed}-${await generatorKey('store')}`);
  if (existsSync(join(dir, 'store.duckdb'))) return dir;
  const tmp = `${dir}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  const t0 = performance.now();
  // Every generated report loads (a failure exits with 1 and fails the bench).
  await runTs('server/cli/generate.ts', ['--reports', String(count), '--seed', seed, '--store', tmp], { quiet: true });
  if (!existsSync(join(tmp, 'store.duckdb'))) throw new Error(`generate wrote no store in ${tmp}`);
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  log(`loaded a store of ${count} generated reports in ${((performance.now() - t0) / 1000).toFixed(0)} s → ${dir}`);
  return dir;
}
