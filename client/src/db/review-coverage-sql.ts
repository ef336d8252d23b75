/** SQL for how much of the data behind a chart is reviewed: reports reviewed or corrected, of all, under the filters. */
import type { Filters } from '../filters/filters.ts';
import { byCells, filterClause, NOT_IN_CELLS, REVIEWED, type Sql } from './sql.ts';

/** One row: reports under the filters and how many of them an editor reviewed or corrected. */
export interface ReviewCoverageRow extends Record<string, unknown> {
  total: number;
  reviewed: number;
}

/** Review coverage of the reports under `filters` (the reports' `review_state`, summed in `report_cells` when it can). */
export function reviewCoverageSql(filters: Filters): Sql {
  if (byCells(filters)) {
    const where = filterClause(filters, { omit: NOT_IN_CELLS });
    return {
      sql: `SELECT CAST(coalesce(sum(reports), 0) AS BIGINT) AS total, CAST(coalesce(sum(reviewed), 0) AS BIGINT) AS reviewed
      FROM report_cells WHERE ${where.sql}`,
      params: where.params,
    };
  }
  const where = filterClause(filters);
  return {
    sql: `SELECT count(*) AS total, count(*) FILTER (WHERE ${REVIEWED}) AS reviewed
      FROM reports WHERE ${where.sql}`,
    params: where.params,
  };
}

/** Rows that carry their reports' count and how many of them are reviewed (the overview's years, the regions). */
export interface CoveredRow {
  reports: number;
  reviewed: number;
  year?: number | null;
}

/**
 * The review coverage under `filters` summed from rows that together hold every report under them (the regional rows,
 * one per region), or every report with the year left out (the overview's rows, one per year: only the chosen years
 * count). The same figures as `reviewCoverageSql`, without a query of its own (test/sql-review-coverage.test.ts).
 */
export function coverageFromRows(rows: readonly CoveredRow[], filters: Filters, byYear = false): ReviewCoverageRow {
  const kept = byYear && filters.years.length ? rows.filter((r) => r.year != null && filters.years.includes(r.year)) : rows;
  return {
    total: kept.reduce((n, r) => n + Number(r.reports), 0),
    reviewed: kept.reduce((n, r) => n + Number(r.reviewed), 0),
  };
}
