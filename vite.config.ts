/// <reference types="vitest/config" />
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

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

/**
 * DuckDB-WASM's worker scripts start faster: Emscripten's dynamic-linking start-up (`updateGOT`) made a
 * WebAssembly.Global, and for every exported function a table slot (`addFunction`), for each of the engine's 75,000
 * exports, in case a side module (an extension) imports it later: ~200 ms of the worker's start on this machine,
 * between compiling the engine and opening the database (test/bench: fully interactive 1.9 s instead of 2.1 s at
 * 100,000 reports). Patched, it fills in only the entries some module imports: the engine's own 268, created when it
 * is instantiated. The dashboard never loads an extension (client/src/db/duckdb.ts turns extension loading and all
 * outside access off, for good), which this needs: a side module's GOT entry for a symbol that both it and the engine
 * export would now take the side module's copy, where the engine's used to win. Dev mode (`vite`) serves the workers
 * unpatched. Emitted under a hash of the patched text; the build fails when the code to patch is not found exactly
 * once (a new DuckDB-WASM: check the patch still applies) or a worker was not patched.
 */
const GOT_EAGER = 'GOT[r]||(GOT[r]=new WebAssembly.Global({value:"i32",mutable:!0})),(t||GOT[r].value==0)&&';
const GOT_LAZY = 'GOT[r]&&(t||GOT[r].value==0)&&';
export function patchDuckdbWorker(source: string, name: string): string {
  const found = source.split(GOT_EAGER).length - 1;
  if (found !== 1) throw new Error(`${name}: Emscripten's updateGOT found ${found} times, not once: check the start-up patch (vite.config.ts)`);
  return source.replace(GOT_EAGER, GOT_LAZY);
}

/** The DuckDB-WASM worker scripts client/src/db/duckdb.ts imports (`?url`). */
const DUCKDB_WORKERS = ['duckdb-browser-eh.worker.js', 'duckdb-browser-mvp.worker.js'];

function duckdbWorkerStartup(): Plugin {
  const worker = /@duckdb\/duckdb-wasm\/dist\/(duckdb-browser-(?:eh|mvp)\.worker\.js)\?url$/;
  const patched = new Set<string>();
  return {
    name: 'duckdb-worker-startup',
    apply: 'build',
    enforce: 'pre',
    buildStart() {
      patched.clear();
    },
    async load(id) {
      const m = worker.exec(id);
      if (!m) return null;
      const file = id.slice(0, -'?url'.length);
      const source = patchDuckdbWorker(await readFile(file, 'utf8'), basename(file));
      const ref = this.emitFile({ type: 'asset', name: m[1], originalFileName: file, source });
      patched.add(m[1]!);
      return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
    },
    generateBundle() {
      const missed = DUCKDB_WORKERS.filter((w) => !patched.has(w));
      if (missed.length) this.error(`DuckDB-WASM workers built without the start-up patch: ${missed.join(', ')} (is the import in client/src/db/duckdb.ts still \`…worker.js?url\`?)`);
    },
  };
}

export default defineConfig({
  root: 'client',
  plugins: [react(), duckdbWorkerStartup(), precompress()],
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
