/**
 * The one DuckDB-WASM instance of the app: created lazily behind one load promise, bundles served by our own server
 * (Vite `?url` imports, never a CDN), published tables loaded once per data version, `query(sql, params)` → rows.
 * Nothing is ever fetched from the internet: extension auto-install/auto-load are off. Each table arrives as a
 * one-table DuckDB database file (server/store/dashboard-files.ts, compressed by HTTP), attached read-only from memory
 * and named by a view: nothing is decoded in JS or converted in the engine.
 */
import type * as duckdb from '@duckdb/duckdb-wasm';
import type { inferRouterOutputs } from '@trpc/server';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import engineWorker from './engine-worker.ts?worker&url';
import type { AppRouter } from '../../../server/router.ts';
import { DASHBOARD_TABLES, dashboardColumns, type DashboardTableDef } from '../../../server/tables.ts';
import { rowsOf, type Row } from './rows.ts';
import { literal, quoteIdent, type SqlParam } from './sql.ts';

const BUNDLES: duckdb.DuckDBBundles = {
  mvp: { mainModule: mvpWasm, mainWorker: mvpWorker },
  eh: { mainModule: ehWasm, mainWorker: ehWorker },
};

/** The data version and its tables, as `dataset.manifest` returns them. */
export type Manifest = inferRouterOutputs<AppRouter>['dataset']['manifest'];

export type { Row } from './rows.ts';

interface Engine {
  db: duckdb.AsyncDuckDB;
  conn: duckdb.AsyncDuckDBConnection;
}

let dbPromise: Promise<Engine> | null = null;
/** The engine once open: a query can then be sent at once, in the caller's task (`sendNow`). */
let engine: Engine | null = null;
/** Table loads queued or running; queries wait for them. */
let swapsPending = 0;
let loaded: { version: string; promise: Promise<void> } | null = null;
/** The last load: versions swap their tables in the order they were asked for, never interleaved. */
let swapped: Promise<unknown> = Promise.resolve();
/** The manifest whose tables are in the database. */
let current: Manifest | null = null;
/** Lazy tables loaded (or loading) for the current version. */
const lazyLoads = new Map<string, Promise<void>>();
/** Prepared statements by SQL text (a query costs one message to the worker instead of three). */
const statements = new Map<string, Promise<duckdb.AsyncPreparedStatement>>();
/** The statements of `statements` whose preparation has finished. */
const prepared = new Map<string, duckdb.AsyncPreparedStatement>();
const MAX_STATEMENTS = 64;
/**
 * Table loads run one after another, and no query starts while one runs (a query sees whole tables). Queries are not
 * queued here: the worker runs them in the order they were sent, the next one while the page draws the last.
 */
let swaps: Promise<unknown> = Promise.resolve();

let go: () => void = () => undefined;
/** Resolves when the engine may start: compiling it and downloading the tables would slow the first chart down. */
const mayStart = new Promise<void>((resolve) => { go = resolve; });

/**
 * Lets the engine and the tables start loading: called once the first chart is drawn (from first-view.json), when a
 * query needs the engine, or after a while on pages with nothing to draw. Calling it again does nothing.
 */
export function startEngine(): void {
  go();
}

/** Starts (once, after `startEngine`) and returns the database with its connection. */
export function initDB(): Promise<Engine> {
  dbPromise ??= (async () => {
    await mayStart;
    // In its own chunk: the page and its first charts render while the engine downloads and compiles.
    const { AsyncDuckDB, VoidLogger, selectBundle } = await import('@duckdb/duckdb-wasm');
    const bundle = await selectBundle(BUNDLES);
    // Through the shim that streams the engine straight into the compiler (engine-worker.ts).
    const worker = new Worker(`${engineWorker}?engine=${encodeURIComponent(new URL(bundle.mainWorker!, location.href).href)}`);
    const db = new AsyncDuckDB(new VoidLogger(), worker);
    await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
    performance.mark('engine:compiled');
    await db.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true, castTimestampToDate: true } });
    const conn = await db.connect();
    // Never let DuckDB reach extensions.duckdb.org: the bureau's network is offline (a missing extension must fail).
    // Nor anything outside the tables it is given (files, URLs, extensions; DuckDB refuses to turn it back on): only
    // the table files this module registers under DATASET_DIR. The build's changes to the engine and its worker
    // (client/build/duckdb-engine.ts) hold only while no extension is ever loaded.
    await conn.query(`SET autoinstall_known_extensions = false; SET autoload_known_extensions = false;
      SET allowed_directories = ['${DATASET_DIR}']; SET enable_external_access = false`);
    performance.mark('engine:ready');
    engine = { db, conn };
    return engine;
  })();
  dbPromise.catch(() => { dbPromise = null; });
  return dbPromise;
}

/** Fetches one dashboard table's database file (null when it has no rows). */
async function fetchTable(manifest: Manifest, def: DashboardTableDef): Promise<Uint8Array | null> {
  const file = manifest.dashboard.tables.find((t) => t.name === def.name);
  if (!file || file.rows === 0) return null;
  // One full GET: the URL names an immutable version, so the browser's cache (ETag) serves repeats.
  const res = await fetch(file.url);
  if (!res.ok) throw new Error(`${file.url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The engine's directory of table files: the only one it may read (`allowed_directories`). */
const DATASET_DIR = '/dataset/';

/** Where a table's rows are: its file, attached as `alias`, until they are copied into the engine's memory as `table`. */
interface Placement {
  n: number;
  file?: { path: string; alias: string };
  table?: string;
  /** A former version's lazy table: not copied any further, freed when the table is loaded again. */
  stale?: boolean;
}
/** Each loaded table's rows, by table name. */
const placed = new Map<string, Placement>();
/** Table files registered so far (each placement is named apart from the ones before it). */
let registered = 0;

/**
 * Puts one dashboard table in place, as a view of the same name: over its database file, attached read-only from the
 * engine's memory; with no file (no rows), over no rows with the contract's columns. Attaching reads no rows, so the
 * table is there at once; once the page and the engine are idle its rows are copied into the engine's memory
 * (`copyWhenIdle`). The rows it replaces are freed.
 */
async function loadTable(engine: Engine, def: DashboardTableDef, bytes: Uint8Array | null): Promise<void> {
  const { db, conn } = engine;
  const name = quoteIdent(def.name);
  const before = placed.get(def.name);
  if (!bytes) {
    const columns = dashboardColumns(def).map(([c, t]) => `CAST(NULL AS ${t}) AS ${quoteIdent(c)}`);
    await conn.query(`CREATE OR REPLACE VIEW ${name} AS SELECT ${columns.join(', ')} WHERE false`);
    placed.delete(def.name);
  } else {
    const n = ++registered;
    const file = { path: `${DATASET_DIR}${n}/${def.name}.duckdb`, alias: `${def.name}_file_${n}` };
    const placement: Placement = { n, file };
    try {
      await db.registerFileBuffer(file.path, bytes);
      await conn.query(`ATTACH ${literal(file.path)} AS ${quoteIdent(file.alias)} (READ_ONLY);
        CREATE OR REPLACE VIEW ${name} AS SELECT * FROM ${quoteIdent(file.alias)}.${name}`);
    } catch (e) {
      // The table stays as it was (a file the engine cannot read, say): let go of what this load registered.
      await free(engine, placement);
      throw e;
    }
    placed.set(def.name, placement);
    void copyWhenIdle(engine, def.name, placement);
  }
  if (before) await free(engine, before);
  performance.mark(`dataset:loaded:${def.name}`);
}

/** Rows copied per step from a table's file into memory: a query sent meanwhile waits for one step at most. */
const COPY_ROWS = 10_000;

/**
 * Copies a table's rows from its attached file into the engine's memory, COPY_ROWS in file order at a time whenever
 * the page and the engine are idle, then points the view at the copy and lets the file go: the views' queries ran a
 * fifth slower on the attached file (test/bench). Queries go between the steps, on the file; a step waits for the
 * queries sent before it, and one sent during a step waits for it (~20 ms at 100,000 reports). Given up, the copy
 * dropped, when the table is replaced meanwhile or a step fails: the table then stays on its file.
 */
async function copyWhenIdle(engine: Engine, name: string, placement: Placement): Promise<void> {
  const file = placement.file!;
  const source = `${quoteIdent(file.alias)}.${quoteIdent(name)}`;
  const table = quoteIdent(`${name}_${placement.n}`);
  const conn = engine.conn;
  const step = (fn: () => Promise<unknown>) => swapping(async () => {
    if (placed.get(name) !== placement || placement.stale) throw new Error('replaced');
    await fn();
  });
  try {
    let rows = 0;
    await whenIdle();
    await step(async () => {
      rows = Number((await conn.query(`SELECT count(*)::INTEGER AS n FROM ${source}`)).get(0)!.n);
      await conn.query(`CREATE TABLE ${table} AS FROM ${source} LIMIT 0`);
    });
    for (let from = 0; from < rows; from += COPY_ROWS) {
      await whenIdle();
      await step(() => conn.query(`INSERT INTO ${table} FROM ${source} WHERE rowid >= ${from} AND rowid < ${from + COPY_ROWS} ORDER BY rowid`));
    }
    await step(async () => {
      await conn.query(`CREATE OR REPLACE VIEW ${quoteIdent(name)} AS FROM ${table}`);
      placement.table = `${name}_${placement.n}`;
      placement.file = undefined;
      // Statements prepared over the view of the file.
      await closeStatements();
      await free(engine, { n: placement.n, file });
    });
    performance.mark(`dataset:in-memory:${name}`);
  } catch {
    if (!placement.table) await swapping(() => conn.query(`DROP TABLE IF EXISTS ${table}`)).catch(() => undefined);
  }
}

/**
 * Frees a table's former rows: drops its copy, or detaches and drops its file. Each part is tried on its own, and a
 * failure is only logged: the table in use is already the new one.
 */
async function free({ db, conn }: Engine, placement: Placement): Promise<void> {
  const attempt = (what: string, fn: () => Promise<unknown>) => fn().catch((e: unknown) => console.warn(`${what}:`, e));
  if (placement.table) await attempt('dropping a replaced table', () => conn.query(`DROP TABLE IF EXISTS ${quoteIdent(placement.table!)}`));
  if (placement.file) {
    const { alias, path } = placement.file;
    await attempt('detaching a replaced table file', () => conn.query(`DETACH DATABASE IF EXISTS ${quoteIdent(alias)}`));
    await attempt('dropping a replaced table file', () => db.dropFile(path));
  }
}

/** Loads the fetched files in order. */
async function swapIn(engine: Engine, defs: readonly DashboardTableDef[], bytes: readonly (Uint8Array | null)[]): Promise<void> {
  for (const [i, def] of defs.entries()) await loadTable(engine, def, bytes[i] ?? null);
}

/** Loads the manifest's tables (once per version) into DuckDB; tables missing from it are created empty. */
export function loadDataset(manifest: Manifest): Promise<void> {
  if (loaded?.version === manifest.version) return loaded.promise;
  const previous = swapped;
  const promise = (async () => {
    const eager = DASHBOARD_TABLES.filter((t) => !t.lazy);
    // Download every table while the engine downloads and compiles, then swap them in one after another, so the
    // charts see the old version until the new one is complete.
    await mayStart;
    const fetched = Promise.all(eager.map((def) => fetchTable(manifest, def)))
      .finally(() => performance.mark('dataset:fetched'));
    const [engine, files] = await Promise.all([initDB(), fetched]);
    await previous.catch(() => undefined);
    await swapping(async () => {
      await swapIn(engine, eager, files);
      // The former version's lazy tables stay as they are (a query sent before this swap may still name one) until a
      // query names them again, and are not copied any further.
      for (const { def } of LAZY) {
        const old = placed.get(def.name);
        if (old) old.stale = true;
      }
      // Statements prepared against the old tables; queries wait for this section before taking one.
      await closeStatements();
    });
    performance.mark('dataset:loaded');
    current = manifest;
    lazyLoads.clear();
    lazyLoaded.clear();
  })();
  swapped = promise;
  loaded = { version: manifest.version, promise };
  promise.catch(() => { if (loaded?.promise === promise) loaded = null; });
  return promise;
}

/** Whether `manifest`'s tables are in the database (a query on them can be sent without waiting). */
export function datasetLoaded(manifest: Manifest): boolean {
  return current?.version === manifest.version;
}

/** Lazy tables loaded for the current version. */
const lazyLoaded = new Set<string>();

/** The tables loaded when a query names them, with the pattern that finds the name. */
const LAZY = DASHBOARD_TABLES.filter((t) => t.lazy).map((def) => ({ def, named: new RegExp(`\\b${def.name}\\b`) }));

/** `sql` without the text of its string literals: a filter value (e.g. a province typed into the URL) names no table. */
function names(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, "''");
}

/** Loads the lazy tables `sql` names, once per version (e.g. `report_ids` when a view lists reports to open). */
function loadLazyTables(sql: string, engine: Engine): Promise<unknown> {
  const manifest = current;
  if (!manifest) return Promise.resolve();
  const text = names(sql);
  return Promise.all(LAZY.filter((t) => t.named.test(text)).map(({ def }) => {
    let load = lazyLoads.get(def.name);
    if (!load) {
      // Swapped in only while its version is the current one: a slow download must not replace a newer version's table.
      load = fetchTable(manifest, def).then((bytes) => swapping(async () => { if (current === manifest) await swapIn(engine, [def], [bytes]); }));
      lazyLoads.set(def.name, load);
      void load.then(() => { if (current === manifest) lazyLoaded.add(def.name); }, () => undefined);
      load.catch(() => lazyLoads.delete(def.name));
    }
    return load;
  }));
}

/**
 * Loads lazy tables a view is likely to name soon (the issues view: the issues behind its sums, for a county's heatmap
 * or the sentences) once `manifest`'s tables are in and the engine is idle, so their first use does not wait for the
 * download. A query sent meanwhile waits for the load at most. A version the page does not load within a minute is
 * given up.
 */
export async function preloadTables(manifest: Manifest, tables: readonly string[]): Promise<void> {
  for (const until = performance.now() + 60_000; performance.now() < until;) {
    await whenIdle();
    if (engine && datasetLoaded(manifest)) return void (await loadLazyTables(tables.join(' '), engine).catch(() => undefined));
  }
}

/** Resolves when the page and the engine are both idle (checked on the page's idle callbacks). */
export function whenIdle(): Promise<void> {
  return new Promise((resolve) => {
    const later = (fn: () => void) => ('requestIdleCallback' in window ? requestIdleCallback(fn, { timeout: 1000 }) : setTimeout(fn, 100));
    const check = () => (engineIdle() ? resolve() : later(check));
    later(check);
  });
}

/** Queries sent to the engine and not yet answered. */
const running = new Set<Promise<unknown>>();

/** Whether the engine has nothing to do: no query running, no table being loaded. */
export function engineIdle(): boolean {
  return running.size === 0 && swapsPending === 0;
}

/** Settles when every query sent so far is answered. */
function drained(): Promise<unknown> {
  return Promise.allSettled([...running]);
}

/** Runs `fn` after the table loads before it and once the queries already sent are answered. */
function swapping<T>(fn: () => Promise<T>): Promise<T> {
  swapsPending++;
  const run = swaps.then(drained).then(fn).finally(() => swapsPending--);
  swaps = run.catch(() => undefined);
  return run;
}

async function closeStatements(): Promise<void> {
  const all = [...statements.values()];
  statements.clear();
  prepared.clear();
  for (const s of all) await s.then((stmt) => stmt.close(), () => undefined);
}

/**
 * Runs `sql` with its `?` parameters bound and returns plain rows (BigInt and decimals as numbers). Each call marks
 * `duckdb:start` and ends in a `duckdb:<label>` performance measure from when it was sent to the engine (so waiting
 * behind the queries sent before it counts), with its SQL and parameters: DevTools' timeline, and the bench counts
 * queries in flight and reads their times from them.
 */
export async function query<T extends Row = Row>(sql: string, params: SqlParam[] = [], label = 'query'): Promise<T[]> {
  performance.mark('duckdb:start');
  const sent = { at: performance.now() };
  try {
    // Sent in the caller's task when nothing stands in the way (a filter change sends its queries before the page
    // re-renders: test/bench), else once the engine, the tables and the statement are ready.
    const table = await (sendNow(sql, params) ?? sendLater(sql, params, sent));
    return rowsOf(table) as T[];
  } finally {
    performance.measure(`duckdb:${label}`, { start: sent.at, detail: { sql, params } });
  }
}

/**
 * The answer to `sql`, sent now, or null when the engine, a table or the prepared statement is not ready yet. A query
 * without parameters is sent as it is, in one message: the views' queries carry their filter values in the text
 * (sql.ts, `filterClause`), so preparing each would cost a second round trip for one run.
 */
function sendNow(sql: string, params: SqlParam[]) {
  if (!engine || swapsPending > 0) return null;
  const unloaded = LAZY.filter((t) => !lazyLoaded.has(t.def.name));
  if (unloaded.length) {
    const text = names(sql);
    if (unloaded.some((t) => t.named.test(text))) return null;
  }
  if (params.length === 0) return track(engine.conn.query(sql));
  const stmt = prepared.get(sql);
  return stmt ? track(stmt.query(...params)) : null;
}

async function sendLater(sql: string, params: SqlParam[], sent: { at: number }) {
  const started = await initDB();
  await loadLazyTables(sql, started);
  const { conn } = started;
  await swaps;
  sent.at = performance.now();
  if (params.length === 0) return track(conn.query(sql));
  const stmt = statements.get(sql) ?? prepare(conn, sql);
  return track(stmt.then((s) => s.query(...params)));
}

/** Prepares `sql` once (the oldest statement makes room past MAX_STATEMENTS). */
function prepare(conn: duckdb.AsyncDuckDBConnection, sql: string): Promise<duckdb.AsyncPreparedStatement> {
  if (statements.size >= MAX_STATEMENTS) {
    const [oldest, first] = statements.entries().next().value!;
    statements.delete(oldest);
    prepared.delete(oldest);
    // A query sent before may still be using it.
    void drained().then(() => first).then((s) => s.close(), () => undefined);
  }
  const stmt = conn.prepare(sql);
  statements.set(sql, stmt);
  stmt.then((s) => { if (statements.get(sql) === stmt) prepared.set(sql, s); }, () => statements.delete(sql));
  return stmt;
}

/** Counts `answer` as running until it settles (table loads wait for the queries already sent). */
function track<T>(answer: Promise<T>): Promise<T> {
  running.add(answer);
  void answer.finally(() => running.delete(answer)).catch(() => undefined);
  return answer;
}
