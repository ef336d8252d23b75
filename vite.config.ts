/// <reference types="vitest/config" />
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { duckdbEngine } from './client/build/duckdb-engine.ts';

/**
 * Writes .br and .gz siblings of the built assets, which the server (sirv) sends to browsers that accept them: the
 * DuckDB .wasm files shrink from 34–39 MB to ~6–8 MB. Browsers send `br` only over HTTPS, so plain-HTTP intranet
 * servers use the .gz. Brotli quality 6: quality 11 takes minutes per .wasm for 2% less.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir.startsWith('/') ? config.build.outDir : join(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = (await readdir(outDir, { recursive: true }))
        .filter((f) => /\.(wasm|js|css|html|svg|json)$/.test(f))
        .map((f) => join(outDir, f));
      await Promise.all(files.map(async (file) => {
        const bytes = await readFile(file);
        if (bytes.length < 1024) return;
        const [br, gz] = await Promise.all([
          promisify(brotliCompress)(bytes, {
            params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
          }),
          promisify(gzip)(bytes, { level: 9 }),
        ]);
        await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
      }));
    },
  };
}

export default defineConfig({
  root: 'client',
  plugins: [react(), duckdbEngine(), precompress()],
  build: { outDir: '../dist/client', emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  server: { proxy: { '/trpc': 'http://127.0.0.1:3000', '/data': 'http://127.0.0.1:3000' } },
  test: {
    root: '.',
    include: ['test/**/*.test.ts'],
    // Builds dist/client once (when stale) for the end-to-end tests, before any worker starts.
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
