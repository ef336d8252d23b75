/**
 * The build's changes to DuckDB-WASM (client/build/duckdb-engine.ts): the worker start-up patch applies to the installed
 * workers, changes only Emscripten's GOT fill, and refuses code it does not recognise; stripping the engine's exports
 * keeps every export its workers can call and changes nothing but the export section. The built engine and workers
 * run every end-to-end test (test/e2e), which load the built client.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { patchDuckdbWorker, sections, stripEngineExports } from '../client/build/duckdb-engine.ts';

const require = createRequire(import.meta.url);
const worker = (name: string) => readFileSync(require.resolve(`@duckdb/duckdb-wasm/dist/${name}`), 'utf8');
const engine = (name: string): Uint8Array<ArrayBuffer> => new Uint8Array(readFileSync(require.resolve(`@duckdb/duckdb-wasm/dist/${name}`)));

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

/** Unsigned LEB128, for hand-made modules. */
const leb = (n: number): number[] => {
  const out: number[] = [];
  do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n);
  return out;
};
const name = (s: string): number[] => [...leb(Buffer.byteLength(s)), ...Buffer.from(s)];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];

/**
 * A small dynamically linked module in the engine's shape: it imports a function and, from its own GOT, the address
 * of one of its exports; it exports functions the script names, ones it does not, and runtime ones; a custom section
 * follows the code.
 */
function handMadeModule(): Uint8Array<ArrayBuffer> {
  const exports: Array<[string, number]> = [['answer', 1], ['unused_helper', 2], ['linked', 1], ['__runtime_thing', 2], ['dynCall_i', 1], ['_ZN6duckdb7mangledEv', 2]];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 0x00, 0x01, 0x7f]), // one type: () -> i32
    ...section(2, [2, ...name('GOT.func'), ...name('linked'), 0x03, 0x7f, 0x01, ...name('env'), ...name('host'), 0x00, 0x00]),
    ...section(3, [2, 0x00, 0x00]),
    ...section(7, [exports.length, ...exports.flatMap(([n, i]) => [...name(n), 0x00, i])]),
    ...section(10, [2, 4, 0x00, 0x41, 42, 0x0b, 4, 0x00, 0x41, 7, 0x0b]), // 42 and 7
    ...section(0, [...name('tail'), 1, 2, 3]),
  ]);
}

describe('DuckDB-WASM engine exports', () => {
  it('keeps the exports a script names, the runtime\'s and the GOT\'s, and the module still runs', async () => {
    const wasm = handMadeModule();
    const out = stripEngineExports(wasm, ['var r = Module._answer();']);
    expect(out.exports).toBe(6);
    expect(out.keptNames).toEqual(['answer', 'linked', '__runtime_thing', 'dynCall_i']);
    const { instance } = await WebAssembly.instantiate(out.bytes, {
      'GOT.func': { linked: new WebAssembly.Global({ value: 'i32', mutable: true }, 0) },
      env: { host: () => 0 },
    });
    expect(Object.keys(instance.exports)).toEqual(['answer', 'linked', '__runtime_thing', 'dynCall_i']);
    expect((instance.exports.answer as () => number)()).toBe(42);
    expect((instance.exports.__runtime_thing as () => number)()).toBe(7);
    // Everything after the export section (code, the custom section) is unchanged.
    const tail = wasm.slice(wasm.length - 22);
    expect(out.bytes.slice(out.bytes.length - 22)).toEqual(tail);
  });

  it('refuses what it cannot rewrite safely', () => {
    expect(() => stripEngineExports(Uint8Array.from(Buffer.from('not wasm')), [])).toThrow(/not a WebAssembly 1.0 module/);
    const wasm = handMadeModule();
    expect(() => stripEngineExports(wasm.slice(0, 40), [])).toThrow(/runs past the end|truncated/);
  });

  it.each([['duckdb-eh.wasm'], ['duckdb-mvp.wasm']])('%s keeps every export the workers call and changes nothing else', (file) => {
    const scripts = ['duckdb-browser-eh.worker.js', 'duckdb-browser-mvp.worker.js'].map(worker);
    const wasm = engine(file);
    const out = stripEngineExports(wasm, scripts);
    expect(out.exports).toBeGreaterThan(50_000);
    expect(out.kept).toBeLessThan(2_000);
    expect(out.bytes.length).toBeLessThan(wasm.length * 0.85);
    // Every export a worker names is kept: DuckDB-WASM's bindings call the C API by name (`ccall('duckdb_web_…')`),
    // Emscripten's code calls `_malloc`, `_free`, … Every other export goes.
    const named = new Set(scripts.flatMap((s) => s.match(/[A-Za-z_$][\w$]*/g) ?? []));
    const before = WebAssembly.Module.exports(new WebAssembly.Module(wasm)).map((e) => e.name);
    const after = WebAssembly.Module.exports(new WebAssembly.Module(out.bytes)).map((e) => e.name);
    expect(after).toEqual(out.keptNames);
    const wanted = before.filter((n) => named.has(n) || named.has(`_${n}`));
    expect(wanted.filter((n) => n.startsWith('duckdb_web_')).length).toBeGreaterThan(30);
    expect(after).toEqual(expect.arrayContaining([...wanted, 'malloc', 'free', '__wasm_call_ctors']));
    const got = new Set(WebAssembly.Module.imports(new WebAssembly.Module(wasm)).filter((i) => i.module.startsWith('GOT')).map((i) => i.name));
    expect(after.filter((n) => !wanted.includes(n) && !n.startsWith('__') && !n.startsWith('dynCall_') && !got.has(n))).toEqual([]);
    // Every other section is the same, byte for byte.
    const others = (bytes: Uint8Array) => sections(bytes).filter((s) => s.id !== 7).map((s) => Buffer.from(bytes.subarray(s.start, s.end)));
    const [was, is] = [others(wasm), others(out.bytes)];
    expect(is.length).toBe(was.length);
    expect(is.every((s, i) => s.equals(was[i]!))).toBe(true);
    expect(WebAssembly.validate(out.bytes)).toBe(true);
  });
});
