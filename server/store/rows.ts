/** Turns one extraction into the store's rows, one array per table, cells in each table's column order. */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Extraction } from '../schema.ts';
import type { Cell } from './db.ts';

/** Everything the writer needs to know about one file that extracted cleanly and whose files are being saved. */
export interface Extracted {
  id: string;
  /** Display name only (sanitised); never used as a path. */
  name: string;
  extraction: Extraction;
  /** Its rows (`toRows`), built before the writer's turn: the writer only `stamp`s them. */
  rows: ReportRows;
}

/**
 * The whole extraction as the store keeps it (source-files.ts): gzip'd JSON, ~2 KB for a typical report (~5 KB raw).
 * Level 1: half the time of the default level (~60 µs a report, on the ingest's main thread) for a few % more bytes.
 */
export function gzipExtraction(x: Extraction): Uint8Array {
  return gzipExtractionJson(JSON.stringify(x));
}

/** `gzipExtraction` of an extraction already serialised (stores from before the pack files keep the JSON text). */
export function gzipExtractionJson(json: string): Uint8Array {
  return gzipSync(json, { level: 1 });
}

/** An extraction as stored by `gzipExtraction`. */
export function gunzipExtraction(gz: Uint8Array): Extraction {
  return JSON.parse(gunzipSync(gz).toString('utf8')) as Extraction;
}

/** Rows for every report table, keyed by table name. */
export type ReportRows = Record<'sources' | 'reports' | 'projects' | 'indicators' | 'issues' | 'flags', Cell[][]>;

/** Where a report's files are (source-files.ts): the original (`size` bytes) at `offset` of `pack`, then the extraction. */
export interface Stored {
  pack: string;
  offset: number;
  size: number;
  extractionSize: number;
}

/**
 * All the rows of one report, but for what only the writer decides (`stamp`): built on the reading side, the writer has
 * enough to do.
 */
export function toRows(id: string, name: string, x: Extraction, { pack, offset, size, extractionSize }: Stored): ReportRows {
  const r = x.report;
  // Every new version starts unreviewed; corrections and review marks live in their own tables (overrides.ts).
  const lowConfidence = Object.values(r.confidence).filter((c) => c === 'low').length;
  return {
    sources: [[id, name, r.format, size, pack, offset, extractionSize, x.schema_version, null]],
    reports: [[
      id, null, null, 'unreviewed', null, name, r.format, r.title, r.department, r.supervisor, r.department_kind,
      r.province, r.city, r.county, r.admin_code, r.year, r.kind, r.budget_wan, r.funds_received_wan, r.spent_wan,
      r.execution_rate_pct, r.execution_rate_computed_pct, r.score, r.grade, r.grade_stated,
      x.projects.length, x.issues.length, x.flags.length, lowConfidence,
    ]],
    projects: x.projects.map((p, i) => [
      id, i, p.name, p.budget_wan, p.funds_received_wan, p.spent_wan, p.execution_rate_pct, p.score,
    ]),
    indicators: x.indicators.map((d, i) => [
      id, i, d.level1, d.level2, d.level3, d.operator, d.target_value, d.target_text, d.unit, d.weight, d.actual_value,
      d.actual_text,
    ]),
    issues: x.issues.map((s, i) => [id, i, s.category, s.text]),
    flags: x.flags.map((f, i) => [id, i, f.code, f.project, f.message_zh, f.message_en, JSON.stringify(f.figures)]),
  };
}

/**
 * Fills in the cells of `toRows` that the writer decides: `seq` orders versions (higher = ingested later), the status,
 * and the time of ingestion.
 */
export function stamp(rows: ReportRows, seq: number, now: Date, status: 'current' | 'superseded'): ReportRows {
  const report = rows.reports[0]!;
  report[1] = seq;
  report[2] = status;
  report[4] = now;
  rows.sources[0]![8] = now;
  return rows;
}
