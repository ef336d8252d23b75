/**
 * Build-time changes to DuckDB-WASM that make the dashboard's engine start sooner (vite.config.ts applies them with
 * `duckdbEngine()`; `npm run dev` serves DuckDB-WASM as installed).
 *
 * - **Exports**: the engine (a dynamically linkable Emscripten main module) exports 75,000 symbols — every C++
 *   function and data address — so that extensions (side modules) can link against it. The dashboard never loads an
 *   extension (client/src/db/duckdb.ts turns extension loading and all outside access off for good), and the worker
 *   script calls only the few hundred it names. Every export costs at page load: its name is downloaded, decoded and
 *   validated with the module, instantiation makes a JS function for it, and Emscripten's start-up walks the export
 *   list five times (relocating, merging, dyncalls, signature conversions, GOT). Dropping the unused ones makes the
 *   34 MB engine 27 MB and the page ready ~0.5 s sooner on this machine (A/B cold loads at 100,000 reports: fully
 *   interactive 1.57–1.93 s instead of 2.08–2.97 s). `stripEngineExports` rewrites only the export section; code,
 *   tables and every other section stay byte for byte.
 * - **GOT**: Emscripten's `updateGOT` made a WebAssembly.Global, and for each exported function a table slot, for every
 *   export in case a side module imports it later; patched, it fills in only the entries some module imports (the
 *   engine's own 268, made when it is instantiated). Without extensions nothing else ever asks: a side module's GOT
 *   entry for a symbol both it and the engine export would now take the side module's copy, where the engine's won.
 *
 * Both fail the build rather than ship an engine they do not understand (a new DuckDB-WASM: check them again).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Plugin } from 'vite';

const GOT_EAGER = 'GOT[r]||(GOT[r]=new WebAssembly.Global({value:"i32",mutable:!0})),(t||GOT[r].value==0)&&';
const GOT_LAZY = 'GOT[r]&&(t||GOT[r].value==0)&&';

/** The worker script with Emscripten's `updateGOT` filling in only the GOT entries that exist. */
export function patchDuckdbWorker(source: string, name: string): string {
  const found = source.split(GOT_EAGER).length - 1;
  if (found !== 1) throw new Error(`${name}: Emscripten's updateGOT found ${found} times, not once: check the start-up patch (client/build/duckdb-engine.ts)`);
  return source.replace(GOT_EAGER, GOT_LAZY);
}

/** Reads WebAssembly's unsigned LEB128 at `at`: the value and the offset after it. */
function uleb(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (at >= bytes.length) throw new Error('truncated LEB128');
    const b = bytes[at++]!;
    value += (b & 0x7f) * scale;
    if (!(b & 0x80)) return [value, at];
    scale *= 128;
  }
}

function encodeUleb(value: number): Uint8Array {
  const out: number[] = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value) b |= 0x80;
    out.push(b);
  } while (value);
  return Uint8Array.from(out);
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads a WebAssembly name (length-prefixed UTF-8). */
function readName(bytes: Uint8Array, at: number): [string, number] {
  const [length, start] = uleb(bytes, at);
  if (start + length > bytes.length) throw new Error('truncated name');
  return [decoder.decode(bytes.subarray(start, start + length)), start + length];
}

/** Skips a value type: one byte, or a typed reference (0x63/0x64) with its heap type. */
function skipValType(bytes: Uint8Array, at: number): number {
  const t = bytes[at]!;
  return t === 0x63 || t === 0x64 ? skipSleb(bytes, at + 1) : at + 1;
}

function skipSleb(bytes: Uint8Array, at: number): number {
  while (bytes[at]! & 0x80) at++;
  return at + 1;
}

/** Skips table or memory limits: flags, minimum, maximum when flagged, page size when flagged. */
function skipLimits(bytes: Uint8Array, at: number): number {
  const flags = bytes[at]!;
  let p = uleb(bytes, at + 1)[1];
  if (flags & 0x01) p = uleb(bytes, p)[1];
  if (flags & 0x08) p = uleb(bytes, p)[1];
  return p;
}

/** A section of a module: its id, and where it starts, its contents start and it ends. */
export interface Section { id: number; start: number; body: number; end: number }

/** The module's sections, in order. */
export function sections(bytes: Uint8Array): Section[] {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (bytes.length < 8 || magic.some((b, i) => bytes[i] !== b)) throw new Error('not a WebAssembly 1.0 module');
  const out: Section[] = [];
  for (let at = 8; at < bytes.length;) {
    const [size, body] = uleb(bytes, at + 1);
    if (body + size > bytes.length) throw new Error(`section ${bytes[at]} runs past the end of the module`);
    out.push({ id: bytes[at]!, start: at, body, end: body + size });
    at = body + size;
  }
  return out;
}

/** The names of the module's imports from Emscripten's GOT (`GOT.mem`, `GOT.func`): symbols it links against itself. */
function gotImports(bytes: Uint8Array, section: Section): Set<string> {
  const names = new Set<string>();
  let [count, at] = uleb(bytes, section.body);
  for (; count > 0; count--) {
    let module: string;
    let name: string;
    [module, at] = readName(bytes, at);
    [name, at] = readName(bytes, at);
    const kind = bytes[at++];
    if (kind === 0x00) at = uleb(bytes, at)[1];
    else if (kind === 0x01) at = skipLimits(bytes, skipValType(bytes, at));
    else if (kind === 0x02) at = skipLimits(bytes, at);
    else if (kind === 0x03) at = skipValType(bytes, at) + 1;
    else if (kind === 0x04) at = uleb(bytes, at + 1)[1];
    else throw new Error(`import ${module}.${name}: unknown kind ${kind}`);
    if (module === 'GOT.mem' || module === 'GOT.func') names.add(name);
  }
  if (at !== section.end) throw new Error('the import section does not end where it says');
  return names;
}

export interface StrippedEngine { bytes: Uint8Array<ArrayBuffer>; exports: number; kept: number; keptNames: string[] }

/**
 * The engine with only the exports something can use: those the worker scripts name (`scripts`: Emscripten calls C
 * functions as `Module._name`, DuckDB-WASM's bindings by name through `ccall`), the runtime's and compiler's own
 * (`__…`, `dynCall_…`), and the symbols the engine imports from its own GOT (after instantiating it, Emscripten fills
 * those in from its exports or from JS). Only the export section changes.
 */
export function stripEngineExports(wasm: Uint8Array, scripts: readonly string[]): StrippedEngine {
  const all = sections(wasm);
  const imports = all.find((s) => s.id === 2);
  const exportSection = all.find((s) => s.id === 7);
  if (!exportSection) throw new Error('the module has no export section');
  const got = imports ? gotImports(wasm, imports) : new Set<string>();
  const named = new Set(scripts.flatMap((s) => s.split(/[^A-Za-z0-9_$]+/)));
  const used = (name: string) => named.has(name) || named.has(`_${name}`) || name.startsWith('__') || name.startsWith('dynCall_') || got.has(name);

  let [count, at] = uleb(wasm, exportSection.body);
  const exports = count;
  const keptEntries: Uint8Array[] = [];
  const keptNames: string[] = [];
  for (; count > 0; count--) {
    const start = at;
    let name: string;
    [name, at] = readName(wasm, at);
    at = uleb(wasm, at + 1)[1]; // kind, index
    if (used(name)) {
      keptEntries.push(wasm.subarray(start, at));
      keptNames.push(name);
    }
  }
  if (at !== exportSection.end) throw new Error('the export section does not end where it says');

  const body = Buffer.concat([encodeUleb(keptEntries.length), ...keptEntries]);
  const joined = Buffer.concat([
    wasm.subarray(0, exportSection.start),
    Uint8Array.of(7), encodeUleb(body.length), body,
    wasm.subarray(exportSection.end),
  ]);
  const bytes = new Uint8Array(joined.buffer, joined.byteOffset, joined.length);
  return { bytes, exports, kept: keptEntries.length, keptNames };
}

/** The DuckDB-WASM files client/src/db/duckdb.ts imports (`?url`), which the build must have changed. */
export const DUCKDB_WORKERS = ['duckdb-browser-eh.worker.js', 'duckdb-browser-mvp.worker.js'];
const ENGINES = ['duckdb-eh.wasm', 'duckdb-mvp.wasm'];

/** Vite plugin (build only): emits DuckDB-WASM's workers patched and its engines stripped, under hashes of the result. */
export function duckdbEngine(): Plugin {
  const file = /@duckdb\/duckdb-wasm\/dist\/(duckdb-browser-(?:eh|mvp)\.worker\.js|duckdb-(?:eh|mvp)\.wasm)\?url$/;
  const done = new Set<string>();
  return {
    name: 'duckdb-engine',
    apply: 'build',
    enforce: 'pre',
    buildStart() {
      done.clear();
    },
    async load(id) {
      const m = file.exec(id);
      if (!m) return null;
      const name = m[1]!;
      const path = id.slice(0, -'?url'.length);
      let source: string | Uint8Array;
      if (name.endsWith('.js')) {
        source = patchDuckdbWorker(await readFile(path, 'utf8'), name);
      } else {
        // Every worker's names count: whichever bundle the browser picks, its worker finds what it calls.
        const dir = path.slice(0, -name.length);
        const scripts = await Promise.all(DUCKDB_WORKERS.map((w) => readFile(dir + w, 'utf8')));
        const stripped = stripEngineExports(await readFile(path), scripts);
        if (!stripped.keptNames.includes('duckdb_web_open')) throw new Error(`${name}: stripping its exports dropped duckdb_web_open: check client/build/duckdb-engine.ts`);
        source = stripped.bytes;
      }
      const ref = this.emitFile({ type: 'asset', name, originalFileName: path, source });
      done.add(basename(name));
      return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
    },
    generateBundle() {
      const missed = [...DUCKDB_WORKERS, ...ENGINES].filter((w) => !done.has(w));
      if (missed.length) this.error(`DuckDB-WASM files built unchanged: ${missed.join(', ')} (are the imports in client/src/db/duckdb.ts still \`…?url\`?)`);
    },
  };
}
