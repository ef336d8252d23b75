/**
 * The one DuckDB-WASM instance of the app: created lazily behind one load promise, bundles served by our own server
 * (Vite `?url` imports, never a CDN), published tables loaded once per data version, `query(sql, params)` → rows.
 * Nothing is ever fetched from the internet: extension auto-install/auto-load are off, and Parquet is decoded by
 * `parquet.ts` (DuckDB-WASM 1.32 ships without the parquet extension).
 */
import type * as duckdb from '@duckdb/duckdb-wasm';
import type { inferRouterOutputs } from '@trpc/server';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import type { AppRouter } from '../../../server/router.ts';
import { PUBLISHED_TABLES } from '../../../server/tables.ts';
import { quoteIdent, type SqlParam } from './sql.ts';

const BUNDLES: duckdb.DuckDBBundles = {
  mvp: { mainModule: mvpWasm, mainWorker: mvpWorker },
  eh: { mainModule: ehWasm, mainWorker: ehWorker },
};

/** The data version and its Parquet tables, as `dataset.manifest` returns them. */
export type Manifest = inferRouterOutputs<AppRouter>['dataset']['manifest'];

/** One result row with plain JS values (numbers, strings, booleans, null). */
export type Row = Record<string, unknown>;

let dbPromise: Promise<{ db: duckdb.AsyncDuckDB; conn: duckdb.AsyncDuckDBConnection }> | null = null;
let loaded: { version: string; promise: Promise<void> } | null = null;
/** The last load: versions swap their tables in the order they were asked for, never interleaved. */
let swapped: Promise<unknown> = Promise.resolve();

/** Starts (once) and returns the database with its connection. */
export function initDB(): Promise<{ db: duckdb.AsyncDuckDB; conn: duckdb.AsyncDuckDBConnection }> {
  dbPromise ??= (async () => {
    // Loaded on first use, in its own chunk: the page and its filters render while the engine starts.
    const { AsyncDuckDB, VoidLogger, selectBundle } = await import('@duckdb/duckdb-wasm');
    const bundle = await selectBundle(BUNDLES);
    const worker = new Worker(bundle.mainWorker!);
    const db = new AsyncDuckDB(new VoidLogger(), worker);
    await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
    await db.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true, castTimestampToDate: true } });
    const conn = await db.connect();
    // Never let DuckDB reach extensions.duckdb.org: the bureau's network is offline (a missing extension must fail).
    await conn.query('SET autoinstall_known_extensions = false');
    await conn.query('SET autoload_known_extensions = false');
    return { db, conn };
  })();
  dbPromise.catch(() => { dbPromise = null; });
  return dbPromise;
}

/** Loads the manifest's tables (once per version) into DuckDB; tables missing from it are created empty. */
export function loadDataset(manifest: Manifest): Promise<void> {
  if (loaded?.version === manifest.version) return loaded.promise;
  const previous = swapped;
  const promise = (async () => {
    const [{ conn }, { parquetToArrow }] = await Promise.all([initDB(), import('./parquet.ts')]);
    // Fetch and decode every table first (in parallel), then swap them in one after another, so the charts see the
    // old version until the new one is complete.
    const decoded = await Promise.all(PUBLISHED_TABLES.map(async (def) => {
      const table = manifest.tables.find((t) => t.name === def.name);
      if (!table || table.rows === 0) return null;
      // One full GET: the URL names an immutable version, so the browser's cache (ETag) serves repeats.
      const res = await fetch(table.url);
      if (!res.ok) throw new Error(`${table.url}: HTTP ${res.status}`);
      return parquetToArrow(await res.arrayBuffer(), def);
    }));
    await previous.catch(() => undefined);
    for (const [i, def] of PUBLISHED_TABLES.entries()) {
      const cols = def.columns.map(([c, type]) => `${quoteIdent(c)} ${type}`).join(', ');
      // Created from the contract, so a table with no rows still has every column the SQL expects.
      await conn.query(`CREATE OR REPLACE TABLE ${quoteIdent(def.name)} (${cols})`);
      const data = decoded[i];
      if (data && data.numRows > 0) await conn.insertArrowTable(data, { name: def.name, create: false });
    }
  })();
  swapped = promise;
  loaded = { version: manifest.version, promise };
  promise.catch(() => { if (loaded?.promise === promise) loaded = null; });
  return promise;
}

/** Runs `sql` with its `?` parameters bound and returns plain rows (BigInt and decimals as numbers). */
export async function query<T extends Row = Row>(sql: string, params: SqlParam[] = []): Promise<T[]> {
  const { conn } = await initDB();
  const stmt = await conn.prepare(sql);
  try {
    const table = await stmt.query(...params);
    return table.toArray().map((row) => plainRow(row.toJSON()) as T);
  } finally {
    await stmt.close();
  }
}

function plainRow(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'bigint' ? Number(v) : v;
  return out;
}
