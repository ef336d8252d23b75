/**
 * The build's patch of DuckDB-WASM's worker start-up (vite.config.ts, `patchDuckdbWorker`): it applies to the installed
 * workers, changes only Emscripten's GOT fill, and refuses code it does not recognise. The patched workers run every
 * end-to-end test (test/e2e), which load the built client.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { patchDuckdbWorker } from '../vite.config.ts';

const require = createRequire(import.meta.url);
const worker = (name: string) => readFileSync(require.resolve(`@duckdb/duckdb-wasm/dist/${name}`), 'utf8');

describe('DuckDB-WASM worker start-up patch', () => {
  it.each(['duckdb-browser-eh.worker.js', 'duckdb-browser-mvp.worker.js'])('fills in only the GOT entries a module imports in %s', (name) => {
    const source = worker(name);
    const patched = patchDuckdbWorker(source, name);
    expect(patched).not.toBe(source);
    // One expression changes: an export gets a GOT entry filled in only when one exists (was: made for every export).
    const eager = 'GOT[r]||(GOT[r]=new WebAssembly.Global({value:"i32",mutable:!0})),(t||GOT[r].value==0)&&';
    const lazy = 'GOT[r]&&(t||GOT[r].value==0)&&';
    const at = source.indexOf(eager);
    expect(patched).toBe(source.slice(0, at) + lazy + source.slice(at + eager.length));
    // The GOT entries imports ask for are still made on demand and filled in after every module load.
    expect(patched).toContain('GOTHandler={get(e,t){var r=GOT[t];return r||(r=GOT[t]=new WebAssembly.Global(');
    expect(patched).toMatch(/postInstantiation\(module,instance\)\{[^}]*flags\.allowUndefined\|\|reportUndefinedSymbols\(\)/);
  });

  it('refuses a worker whose start-up code it does not recognise (a new DuckDB-WASM)', () => {
    expect(() => patchDuckdbWorker('var GOT={};', 'x.js')).toThrow(/x\.js: Emscripten's updateGOT found 0 times/);
    const source = worker('duckdb-browser-eh.worker.js');
    const twice = source + source.slice(source.indexOf('GOT[r]||(GOT[r]=new'), source.indexOf('GOT[r]||(GOT[r]=new') + 200);
    expect(() => patchDuckdbWorker(twice, 'eh')).toThrow(/found 2 times/);
  });
});
