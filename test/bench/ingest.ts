/** Ingest throughput: a generated folder through the store's real path (worker pool, grouped writes, publish). */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_FILE_BYTES } from '../../server/extract/read-document.ts';
import { fileSource } from '../../server/store/files.ts';
import { FILES_DIR, openStore, STORE_FILE } from '../../server/store/store.ts';

/** What one ingest run measured. */
export interface IngestRun {
  format: string;
  reports: number;
  failed: number;
  /** Bytes of the input files. */
  bytes: number;
  workers: number;
  /** Reading, extraction and writing (publish excluded). */
  ingestMs: number;
  /** Time inside the store's write transactions. */
  writeMs: number;
  publishMs: number;
  reportsPerS: number;
  mbPerS: number;
  /** writeMs / ingestMs. */
  writeShare: number;
  /** The DuckDB file (and its WAL) and the pack files of originals and extractions, after closing. */
  storeBytes: number;
  /** Sum of the published files of the current version. */
  publishedBytes: number;
}

/**
 * Ingests the first `count` files of `dir` (sorted) into a new store with one worker per core; the store stays in
 * `keepDir` when given (the browser bench reuses it), else it is removed.
 */
export async function benchIngest(dir: string, count: number, format: string, keepDir?: string): Promise<IngestRun> {
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort().slice(0, count);
  if (names.length < count) throw new Error(`${dir} has ${names.length} files, ${count} wanted`);
  let bytes = 0;
  for (const n of names) bytes += (await stat(join(dir, n))).size;
  const dataDir = keepDir ?? (await mkdtemp(join(tmpdir(), 'bench-ingest-')));
  await rm(dataDir, { recursive: true, force: true });
  const workers = availableParallelism();
  const store = await openStore(dataDir, { workers });
  let run: IngestRun;
  try {
    const t0 = performance.now();
    const report = await store.ingest(names.map((n) => fileSource(join(dir, n))), { maxBytes: MAX_FILE_BYTES });
    const totalMs = performance.now() - t0;
    const ingestMs = totalMs - report.publishMs;
    const failed = report.results.filter((r) => !r.ok).length;
    const publishedBytes = store.manifest().tables.reduce((s, t) => s + t.bytes, 0);
    run = {
      format, reports: names.length, failed, bytes, workers, ingestMs, writeMs: report.writeMs, publishMs: report.publishMs,
      reportsPerS: names.length / (ingestMs / 1000),
      mbPerS: bytes / 2 ** 20 / (ingestMs / 1000),
      writeShare: report.writeMs / ingestMs,
      storeBytes: 0,
      publishedBytes,
    };
  } finally {
    await store.close();
  }
  run.storeBytes = await storeBytes(dataDir);
  if (!keepDir) await rm(dataDir, { recursive: true, force: true });
  return run;
}

/** Bytes of a store on disk: the DuckDB file, its WAL and the pack files. */
export async function storeBytes(dataDir: string): Promise<number> {
  let bytes = 0;
  for (const f of [STORE_FILE, `${STORE_FILE}.wal`]) bytes += await stat(join(dataDir, f)).then((s) => s.size, () => 0);
  const packs = await readdir(join(dataDir, FILES_DIR)).catch(() => [] as string[]);
  for (const f of packs) bytes += await stat(join(dataDir, FILES_DIR, f)).then((s) => s.size, () => 0);
  return bytes;
}
