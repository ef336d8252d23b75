/** Turns one extraction into the store's rows, one array per table, cells in each table's column order. */
import type { Extraction } from '../schema.ts';
import type { Cell } from './db.ts';

/** Everything the writer needs to know about one file that extracted cleanly. */
export interface Extracted {
  id: string;
  /** Display name only (sanitised); never used as a path. */
  name: string;
  bytes: Uint8Array;
  extraction: Extraction;
}

/** Rows for every report table, keyed by table name. */
export type ReportRows = Record<'sources' | 'reports' | 'projects' | 'indicators' | 'issues' | 'flags', Cell[][]>;

/** Builds the rows of one report; `seq` orders versions (higher = ingested later). */
export function toRows(item: Extracted, seq: number, now: Date): ReportRows {
  const { id, name, bytes, extraction: x } = item;
  const r = x.report;
  // Every new version starts unreviewed; corrections and review marks live in their own tables (overrides.ts).
  const lowConfidence = Object.values(r.confidence).filter((c) => c === 'low').length;
  return {
    sources: [[id, name, r.format, bytes.length, bytes, JSON.stringify(x), x.schema_version, now]],
    reports: [[
      id, seq, 'current', 'unreviewed', now, name, r.format, r.title, r.department, r.supervisor, r.department_kind,
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
