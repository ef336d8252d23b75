/**
 * Re-runs the extractor over every stored source (the original files are kept for this), replacing each report's rows
 * while keeping its id, ingestion order and time. A file the new extractor fails on (or whose original is missing or
 * damaged) keeps its previous rows.
 */
import { Extraction } from '../schema.ts';
import { forgetCatalog } from './catalog.ts';
import type { DB } from './db.ts';
import type { ExtractPool } from './extract-pool.ts';
import { toFileError, type FileError } from './file-error.ts';
import { appendAll, marks, refreshStatus } from './ingest.ts';
import { REPORT_TABLES } from './migrate.ts';
import { reconcileOverrides } from './overrides.ts';
import { gzipExtraction, stamp, toRows, type ReportRows } from './rows.ts';
import { sourceFiles, type SourceRef } from './source-files.ts';

/** The result of re-extracting one stored report. */
export interface ReextractResult {
  id: string;
  name: string;
  ok: boolean;
  error?: FileError;
}

const CHUNK = 64;

/** Re-extracts every stored report, calling `onResult` per report; returns the results in ingestion order. */
export async function reextractAll(
  db: DB,
  pool: ExtractPool,
  onStart?: (total: number) => void,
  onResult?: (r: ReextractResult) => void,
): Promise<ReextractResult[]> {
  const files = sourceFiles(db);
  const all = await db.query<SourceRef & { seq: number; ingested_at: string; name: string }>(
    `SELECT r.id, r.seq, r.ingested_at, s.name, s.pack, s.pack_offset, s.size_bytes, s.extraction_size
     FROM reports r JOIN sources s ON s.id = r.id ORDER BY r.seq`,
  );
  onStart?.(all.length);
  const results: ReextractResult[] = [];
  for (let i = 0; i < all.length; i += CHUNK) {
    const chunk = all.slice(i, i + CHUNK);
    // Each original read back and extracted again, its files appended anew (the old copy is erased once replaced).
    const outcomes = await Promise.all(chunk.map(async (r): Promise<Redone> => {
      try {
        const bytes = await files.read(r);
        const outcome = await pool.extract(r.name, bytes);
        if (!outcome.ok) return outcome;
        const extraction: Extraction = { ...outcome.extraction, report: { ...outcome.extraction.report, id: r.id, source: r.name } };
        const gz = gzipExtraction(extraction);
        const { pack, offset, written } = files.save(bytes, gz);
        await written;
        const rows = toRows(r.id, r.name, extraction, { pack, offset, size: bytes.length, extractionSize: gz.length });
        return { ok: true, id: r.id, extraction, rows: stamp(rows, r.seq, new Date(r.ingested_at), 'current'), pack, old: r };
      } catch (e) {
        return { ok: false, error: toFileError(e) };
      }
    }));
    const done = outcomes.filter((o) => o.ok);
    if (done.length > 0) {
      const ids = done.map((d) => d.id);
      await files.durable(done.map((d) => d.pack));
      await db.transaction(async (tx) => {
        for (const table of REPORT_TABLES) {
          const key = table === 'sources' || table === 'reports' ? 'id' : 'report_id';
          await tx.query(`DELETE FROM ${table} WHERE ${key} IN (${marks(ids.length)})`, ids);
        }
        await appendAll(tx, done.map((d) => d.rows));
        // Departments may differ under the new extractor, so every group's latest version is recomputed.
        await refreshStatus(tx, null);
        // Corrections stay with their report; those whose extracted value changed become stale.
        await reconcileOverrides(tx, done);
        // Too broad a change to follow: the ingest writer reads the reports afresh.
        tx.onCommit(() => forgetCatalog(db));
      });
      // The replaced copies of the files: nothing points to them any more.
      await Promise.all(done.map((d) => files.erase(d.old)));
    }
    for (const [k, r] of chunk.entries()) {
      const outcome = outcomes[k]!;
      const result: ReextractResult = outcome.ok ? { id: r.id, name: r.name, ok: true } : { id: r.id, name: r.name, ok: false, error: outcome.error };
      results.push(result);
      onResult?.(result);
    }
  }
  return results;
}

/** One report extracted again (its new rows, and where its files were), or why it failed. */
type Redone =
  | { ok: true; id: string; extraction: Extraction; rows: ReportRows; pack: string; old: SourceRef }
  | { ok: false; error: FileError };
