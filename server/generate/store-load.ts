/**
 * Loads a generated corpus into a DuckDB store through the store's own ingest path (content-addressed sources, grouped
 * transactions, status refresh) and publishes it. By default the records come from the generator's gold labels, not
 * from extraction (an "extraction pool" that answers from them), so 100,000 reports load in minutes; with
 * `extract: true` the store's real worker pool extracts every file instead.
 */
import { createHash } from 'node:crypto';
import { MAX_FILE_BYTES } from '../extract/read-document.ts';
import type { ExtractOutcome, ExtractPool } from '../store/extract-pool.ts';
import { ingest, type IngestResult, type IngestSource } from '../store/ingest.ts';
import { publish, type Manifest } from '../store/publish.ts';
import { openStore } from '../store/store.ts';
import type { GeneratedReport } from './corpus.ts';
import { toExtraction } from './to-extraction.ts';

/** What loading a corpus did. */
export interface StoreLoadResult {
  added: number;
  duplicates: number;
  failed: IngestResult[];
  manifest: Manifest;
}

/** One report to load, generated when the ingest reaches it (its bytes are never all in memory at once). */
export interface GeneratedSource {
  /** The report's file name (stored as the report's source, with phone-like digit runs masked like any file name). */
  name: string;
  generate(): Promise<{ report: GeneratedReport; bytes: Uint8Array }>;
}

/**
 * Ingests `sources` into the store in `dataDir` and publishes. `onResult` sees every file's outcome in input order.
 */
export async function loadIntoStore(
  dataDir: string,
  sources: readonly GeneratedSource[],
  opts: { extract?: boolean; workers?: number; onResult?: (r: IngestResult, index: number) => void } = {},
): Promise<StoreLoadResult> {
  const store = await openStore(dataDir, { workers: opts.workers });
  try {
    // Generated records waiting for their file to reach the pool, by report id (the sha256 of the bytes), not by name:
    // ingest() hands the pool the display name, in which phone-like digit runs are masked ("000371_821cd19322795429.txt"
    // becomes "000371_821cd＊＊＊＊＊＊＊＊＊＊＊.txt"), so a name may match no record or another file's.
    const pending = new Map<string, GeneratedReport>();
    const ingestSources: IngestSource[] = sources.map((s) => ({
      name: s.name,
      read: async () => {
        const { report, bytes } = await s.generate();
        if (!opts.extract) pending.set(reportId(bytes), report);
        return bytes;
      },
    }));
    let results: IngestResult[];
    if (opts.extract) {
      results = (await store.ingest(ingestSources, { maxBytes: MAX_FILE_BYTES, onResult: opts.onResult })).results;
    } else {
      const pool = truthPool(pending, opts.workers ?? 4);
      results = (await ingest(store.db, pool, ingestSources, { maxBytes: MAX_FILE_BYTES, onResult: opts.onResult })).results;
    }
    const manifest = opts.extract ? store.manifest() : await publish(store.db, store.publishedDir);
    return {
      added: results.filter((r) => r.ok && r.status !== 'duplicate').length,
      duplicates: results.filter((r) => r.status === 'duplicate').length,
      failed: results.filter((r) => !r.ok),
      manifest,
    };
  } finally {
    await store.close();
  }
}

/** An ExtractPool that answers with the generated records of each file (found by its id) instead of extracting it. */
function truthPool(pending: Map<string, GeneratedReport>, size: number): ExtractPool {
  return {
    size,
    async extract(name: string, bytes: Uint8Array): Promise<ExtractOutcome> {
      const id = reportId(bytes);
      const report = pending.get(id);
      pending.delete(id);
      if (!report) {
        return { ok: false, error: { code: 'INTERNAL', message: `no generated record for ${name}`, message_zh: `没有 ${name} 的生成记录` } };
      }
      return { ok: true, extraction: toExtraction(report, id) };
    },
    async close() {},
  };
}

/** A report's id as the store computes it: the sha256 of the file's bytes. */
function reportId(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
