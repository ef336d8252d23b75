/**
 * Re-runs the extractor over every stored source (the original bytes are kept for this), replacing each report's rows
 * while keeping its id, ingestion order and time. A file the new extractor fails on keeps its previous rows.
 */
import { Extraction } from '../schema.ts';
import type { DB } from './db.ts';
import type { ExtractPool } from './extract-pool.ts';
import type { FileError } from './file-error.ts';
import { appendAll, marks, refreshStatus } from './ingest.ts';
import { REPORT_TABLES } from './migrate.ts';
import { reconcileOverrides } from './overrides.ts';
import { toRows } from './rows.ts';

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
  const all = await db.query<{ id: string; seq: number; ingested_at: string; name: string }>(
    'SELECT r.id, r.seq, r.ingested_at, s.name FROM reports r JOIN sources s ON s.id = r.id ORDER BY r.seq',
  );
  onStart?.(all.length);
  const results: ReextractResult[] = [];
  for (let i = 0; i < all.length; i += CHUNK) {
    const chunk = all.slice(i, i + CHUNK);
    const blobs = new Map(
      (await db.query<{ id: string; bytes: Uint8Array }>(
        `SELECT id, bytes FROM sources WHERE id IN (${marks(chunk.length)})`,
        chunk.map((r) => r.id),
      )).map((r) => [r.id, r.bytes]),
    );
    const outcomes = await Promise.all(chunk.map((r) => pool.extract(r.name, blobs.get(r.id)!)));
    const extracted = new Map<string, Extraction>();
    const fresh = chunk.flatMap((r, k) => {
      const outcome = outcomes[k]!;
      if (!outcome.ok) return [];
      const extraction: Extraction = { ...outcome.extraction, report: { ...outcome.extraction.report, id: r.id, source: r.name } };
      extracted.set(r.id, extraction);
      return [toRows({ id: r.id, name: r.name, bytes: blobs.get(r.id)!, extraction }, r.seq, new Date(r.ingested_at))];
    });
    const ids = chunk.filter((_, k) => outcomes[k]!.ok).map((r) => r.id);
    if (ids.length > 0) {
      await db.transaction(async (tx) => {
        for (const table of REPORT_TABLES) {
          const key = table === 'sources' || table === 'reports' ? 'id' : 'report_id';
          await tx.query(`DELETE FROM ${table} WHERE ${key} IN (${marks(ids.length)})`, ids);
        }
        await appendAll(tx, fresh);
        // Departments may differ under the new extractor, so every group's latest version is recomputed.
        await refreshStatus(tx, null);
        // Corrections stay with their report; those whose extracted value changed become stale.
        await reconcileOverrides(tx, [...extracted].map(([id, extraction]) => ({ id, extraction })));
      });
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
