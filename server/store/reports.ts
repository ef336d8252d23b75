/** Reading and removing single reports (the browser does its own SQL over the published tables for everything else). */
import type { Extraction, ReportKind } from '../schema.ts';
import { cachedCatalog, versionKey, type Version } from './catalog.ts';
import type { DB } from './db.ts';
import { refreshStatus } from './ingest.ts';
import { REPORT_TABLES } from './migrate.ts';
import { sourceFiles, type SourceRef } from './source-files.ts';

/** Whether a report is the latest version of its department/year/kind. */
export type ReportStatus = 'current' | 'superseded';

/** One version of a report, as listed in its history. */
export interface ReportVersion {
  id: string;
  /** The uploaded file's name (display only). */
  source: string;
  status: ReportStatus;
  ingested_at: string;
  title: string | null;
  department: string | null;
  year: number | null;
  kind: ReportKind;
  score: number | null;
  grade: string | null;
}

/** One report in full: its extraction (with normalised text and spans), status and every version. */
export interface ReportDetail extends ReportVersion {
  format: string;
  size_bytes: number;
  review_state: string;
  extraction: Extraction;
  /** Every version for the same department/year/kind, newest first (just this one when those are unknown). */
  history: ReportVersion[];
}

const VERSION_COLUMNS = 'r.id, r.source, r.status, r.ingested_at, r.title, r.department, r.year, r.kind, r.score, r.grade';

/** The report with this id, or null. */
export async function getReport(db: DB, id: string): Promise<ReportDetail | null> {
  // Both at once, on two of the store's reading connections.
  const [[row], history] = await Promise.all([
    db.query<Omit<ReportDetail, 'extraction' | 'history'> & SourceRef>(
      `SELECT ${VERSION_COLUMNS}, r.format, r.review_state, s.size_bytes, s.pack, s.pack_offset, s.extraction_size
       FROM reports r JOIN sources s ON s.id = r.id WHERE r.id = ?`,
      [id],
    ),
    getHistory(db, id),
  ]);
  if (!row) return null;
  const { pack, pack_offset, extraction_size, ...fields } = row;
  const extraction = await sourceFiles(db).readExtraction({ ...fields, pack, pack_offset, extraction_size });
  return { ...fields, extraction, history: history ?? [] };
}

/** Every version of the report's department/year/kind, newest first; null when the id is unknown. */
export async function getHistory(db: DB, id: string): Promise<ReportVersion[] | null> {
  const rows = await db.query<ReportVersion>(
    `SELECT ${VERSION_COLUMNS} FROM reports r, (SELECT * FROM reports WHERE id = ?) me
     WHERE r.id = me.id
        OR (r.department = me.department AND r.year = me.year AND r.kind = me.kind)
     ORDER BY r.seq DESC`,
    [id],
  );
  return rows.length > 0 ? rows : null;
}

/**
 * Deletes a report with its rows and, once that has committed, its files; an older version of it becomes current
 * again. False when unknown.
 */
export async function removeReport(db: DB, id: string): Promise<boolean> {
  const removed = await db.transaction(async (tx) => {
    const [row] = await tx.query<SourceRef & { department: string | null; year: number | null; kind: string }>(
      `SELECT r.id, r.department, r.year, r.kind, s.pack, s.pack_offset, s.size_bytes, s.extraction_size
       FROM reports r JOIN sources s ON s.id = r.id WHERE r.id = ?`,
      [id],
    );
    if (!row) return null;
    for (const table of REPORT_TABLES) {
      await tx.query(`DELETE FROM ${table} WHERE ${table === 'sources' || table === 'reports' ? 'id' : 'report_id'} = ?`, [id]);
    }
    await refreshStatus(tx, [row.department]);
    const catalog = cachedCatalog(db);
    const key = versionKey(row);
    let next: Version | undefined;
    if (catalog && key !== null && catalog.latest.get(key)?.id === id) {
      [next] = await tx.query<Version>(
        'SELECT id, seq FROM reports WHERE department = ? AND year = ? AND kind = ? ORDER BY seq DESC LIMIT 1',
        [row.department, row.year, row.kind],
      );
    }
    tx.onCommit(() => {
      catalog?.ids.delete(id);
      if (catalog && key !== null && catalog.latest.get(key)?.id === id) {
        if (next) catalog.latest.set(key, next);
        else catalog.latest.delete(key);
      }
    });
    return row;
  });
  if (!removed) return false;
  await sourceFiles(db).erase(removed);
  return true;
}
