/**
 * The store: an embedded DuckDB file in the data directory, the reports' files beside it (source-files.ts) and the
 * published Parquet versions, with the one writer path every change goes through (ingest, remove), each change
 * followed by a publish.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCatalog } from './catalog.ts';
import { openDB, type DB } from './db.ts';
import { createExtractPool, type ExtractPool } from './extract-pool.ts';
import { ingest, type IngestReport, type IngestResult, type IngestSource } from './ingest.ts';
import { migrate } from './migrate.ts';
import { publish, type Manifest } from './publish.ts';
import { reextractAll, type ReextractResult } from './reextract.ts';
import { getHistory, getReport, removeReport } from './reports.ts';
import { referencedPacks, sourceFiles } from './source-files.ts';

/** An open store. */
export interface Store {
  readonly dataDir: string;
  /** Where the published versions live: `<publishedDir>/<version>/<table>.parquet`. */
  readonly publishedDir: string;
  readonly db: DB;
  /** The manifest of the version being served. */
  manifest(): Manifest;
  /** Ingests a batch and publishes if anything was added. */
  ingest(
    sources: readonly IngestSource[],
    opts: { maxBytes: number; onResult?: (r: IngestResult, i: number) => void },
  ): Promise<IngestReport & { publishMs: number }>;
  /** Re-extracts every stored report with the current extractor, then publishes. */
  reextract(onStart?: (total: number) => void, onResult?: (r: ReextractResult) => void): Promise<ReextractResult[]>;
  /** Publishes again after a change made directly through `db` (review corrections); resolves with the new manifest. */
  republish(): Promise<Manifest>;
  /** Removes a report and publishes; false when the id is unknown. */
  remove(id: string): Promise<boolean>;
  get: (id: string) => ReturnType<typeof getReport>;
  history: (id: string) => ReturnType<typeof getHistory>;
  close(): Promise<void>;
}

/** Thrown when another process (a running server, an ingest) has the store open. */
export class StoreLockedError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `存储正被另一个进程使用（服务器或导入正在运行） / The store in ${dataDir} is in use by another process ` +
        '(a running server or ingest); stop it, or upload through the running server',
    );
  }
}

/** The database file inside the data directory (DuckDB keeps its write-ahead log beside it, `store.duckdb.wal`). */
export const STORE_FILE = 'store.duckdb';
/** The stored reports' original files and extractions, inside the data directory (source-files.ts). */
export const FILES_DIR = 'sources';

/** Opens the store's database file as it is (no migration, no publish); StoreLockedError if another process has it. */
export async function openStoreDB(dataDir: string): Promise<DB> {
  try {
    return await openDB(join(dataDir, STORE_FILE), { filesDir: join(dataDir, FILES_DIR) });
  } catch (e) {
    if (/lock/i.test((e as Error).message)) throw new StoreLockedError(dataDir);
    throw e;
  }
}

/** How the store extracts files (every setting has a default: see ExtractPoolOptions). */
export interface StoreOptions {
  /** Extraction worker processes (default: one per core, at most 8). */
  workers?: number;
  /** Per-file extraction time limit. */
  timeoutMs?: number;
  /** Heap limit of each extraction worker. */
  memoryMb?: number;
}

/** Opens (creating if needed) the store in `dataDir`. */
export async function openStore(dataDir: string, { workers, timeoutMs, memoryMb }: StoreOptions = {}): Promise<Store> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const publishedDir = join(dataDir, 'published');
  const db = await openStoreDB(dataDir);
  let current: Manifest;
  try {
    await migrate(db);
    // What the ingest writer keeps in memory about the stored reports (catalog.ts), loaded once here.
    await loadCatalog(db);
    // Packs of ingests a crash interrupted before their commit, or emptied by removals: nothing points to them.
    await sourceFiles(db).collectGarbage(await referencedPacks(db));
    // Always republished on open: a new program version may publish other columns, and a crash may have come between
    // a commit and its publish. Unchanged data gives the same version, so browsers keep their cached files.
    current = await publish(db, publishedDir);
  } catch (e) {
    await db.close();
    throw e;
  }

  let pool: ExtractPool | null = null;

  // Publishes run one at a time; a request made while one is queued joins it.
  let running: Promise<unknown> = Promise.resolve();
  let queued: Promise<Manifest> | null = null;
  const republish = (): Promise<Manifest> => {
    if (queued) return queued;
    const next = running.then(async () => {
      queued = null;
      current = await publish(db, publishedDir);
      return current;
    });
    queued = next;
    running = next.catch(() => undefined);
    return next;
  };

  return {
    dataDir,
    publishedDir,
    db,
    manifest: () => current,
    republish,
    async ingest(sources, opts) {
      pool ??= createExtractPool({ size: workers, timeoutMs, memoryMb });
      const report = await ingest(db, pool, sources, opts);
      const t0 = performance.now();
      if (report.results.some((r) => r.ok && r.status !== 'duplicate')) await republish();
      return { ...report, publishMs: performance.now() - t0 };
    },
    async reextract(onStart, onResult) {
      pool ??= createExtractPool({ size: workers, timeoutMs, memoryMb });
      const results = await reextractAll(db, pool, onStart, onResult);
      await republish();
      return results;
    },
    async remove(id) {
      const removed = await removeReport(db, id);
      if (removed) await republish();
      return removed;
    },
    get: (id) => getReport(db, id),
    history: (id) => getHistory(db, id),
    async close() {
      await running;
      await pool?.close();
      await db.close();
    },
  };
}
