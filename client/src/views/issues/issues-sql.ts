/** SQL for common issues: category frequency, the region × category heatmap and the sentences behind a cell. */
import type { Filters } from '../../filters/filters.ts';
import { byCells, filterClause, NOT_IN_CELLS, quoteIdent, regionColumn, regionLevel, type Sql } from '../../db/sql.ts';

/** One category with its counts. */
export interface IssueFrequencyRow extends Record<string, unknown> {
  category: string;
  occurrences: number;
  reports: number;
}

/** How often each issue category occurs (and in how many reports), most frequent first. */
export function issueFrequencySql(filters: Filters): Sql {
  const where = filterClause(filters);
  return {
    sql: `SELECT category, count(*) AS occurrences, count(DISTINCT rk) AS reports
    FROM issues WHERE category IS NOT NULL AND ${where.sql}
    GROUP BY category ORDER BY occurrences DESC, category`,
    params: where.params,
  };
}

/** One heatmap cell. */
export interface IssueCellRow extends Record<string, unknown> {
  region: string | null;
  category: string;
  occurrences: number;
  /** Reports with an issue of the category in the region (each report lies in one region). */
  reports: number;
}

/**
 * Issue counts by region (at the current level) and category: summed from `issue_cells` at the province and city level
 * when no department-kind or report-kind filter is set, else counted in the issues (`issueHeatmapFromIssuesSql`).
 */
export function issueHeatmapSql(filters: Filters): Sql {
  if (!byCells(filters) || regionLevel(filters) === 'county') return issueHeatmapFromIssuesSql(filters);
  const level = regionColumn(filters);
  const where = filterClause(filters, { omit: NOT_IN_CELLS });
  return {
    sql: `SELECT ${level.sql} AS region, category, CAST(sum(occurrences) AS BIGINT) AS occurrences, CAST(sum(reports) AS BIGINT) AS reports
    FROM issue_cells WHERE ${where.sql}
    GROUP BY region, category ORDER BY region NULLS LAST, category`,
    params: [...level.params, ...where.params],
  };
}

/** `issueHeatmapSql` counted in the issues, whatever the filters. */
export function issueHeatmapFromIssuesSql(filters: Filters): Sql {
  const level = regionColumn(filters);
  const where = filterClause(filters);
  return {
    sql: `SELECT ${level.sql} AS region, category, count(*) AS occurrences, count(DISTINCT rk) AS reports
    FROM issues WHERE category IS NOT NULL AND ${where.sql}
    GROUP BY region, category ORDER BY region NULLS LAST, category`,
    params: [...level.params, ...where.params],
  };
}

/**
 * The category frequencies summed from the heatmap's cells (`issueHeatmapSql`): the same rows as `issueFrequencySql`
 * — a report lies in one region, so its categories are counted in one cell each — without a query of its own.
 */
export function frequencyFromCells(cells: readonly IssueCellRow[]): IssueFrequencyRow[] {
  const by = new Map<string, IssueFrequencyRow>();
  for (const c of cells) {
    const row = by.get(c.category) ?? { category: c.category, occurrences: 0, reports: 0 };
    row.occurrences += Number(c.occurrences);
    row.reports += Number(c.reports);
    by.set(c.category, row);
  }
  // As the SQL orders them: most frequent first, then by code (code point order, as DuckDB compares text).
  return [...by.values()].sort((a, b) => b.occurrences - a.occurrences || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0));
}

/** One problem sentence with its report. */
export interface IssueSentenceRow extends Record<string, unknown> {
  report_id: string;
  idx: number;
  category: string;
  text: string;
  year: number | null;
  department: string | null;
  province: string | null;
  city: string | null;
  county: string | null;
  title: string | null;
}

/** Maximum sentences listed for one selection. */
export const SENTENCE_LIMIT = 500;

/**
 * The problem sentences of a selection, with their reports (ids and titles from `report_ids`, loaded when needed).
 * Sorted on the issues (with their report's department, which the browser's issues table does not repeat), then
 * joined: only the rows shown meet `report_ids`.
 * @param opts.region `undefined`: any region; `null`: reports whose region (at the current level) is unknown.
 */
export function issueSentencesSql(filters: Filters, opts: { category: string | null; region?: string | null }): Sql {
  const level = `i.${quoteIdent(regionLevel(filters))}`;
  const where = filterClause(filters, { alias: 'i' });
  const parts = [where.sql];
  const params = [...where.params];
  if (opts.category != null) {
    parts.push('i.category = ?');
    params.push(opts.category);
  }
  if (opts.region === null) parts.push(`${level} IS NULL`);
  else if (opts.region !== undefined) {
    parts.push(`${level} = ?`);
    params.push(opts.region);
  }
  params.push(SENTENCE_LIMIT);
  return {
    sql: `WITH s AS (
      SELECT i.rk, i.idx, i.category, i.text, i.year, r.department, i.province, i.city, i.county
      FROM issues i JOIN reports r ON r.rk = i.rk
      WHERE ${parts.join(' AND ')}
      ORDER BY i.year DESC NULLS LAST, r.department NULLS LAST, i.rk, i.idx
      LIMIT ?
    )
    SELECT d.report_id, s.idx, s.category, s.text, s.year, s.department, s.province, s.city, s.county, d.title
    FROM s JOIN report_ids d ON d.rk = s.rk
    ORDER BY s.year DESC NULLS LAST, s.department NULLS LAST, s.rk, s.idx`,
    params,
  };
}
