/** SQL for the report list shown when no report is open. */
import type { Filters } from '../../filters/filters.ts';
import { filterClause, literal, REPORT_RATE, type Sql } from '../../db/sql.ts';

/**
 * Reports the list shows at first, and adds per "show more": about two screens. A hundred took ~10 ms more of every
 * filter change at 100,000 reports, rendering and laying out rows below the fold (test/bench).
 */
export const REPORT_LIST_PAGE = 50;

/** One report in the list. */
export interface ReportListRow extends Record<string, unknown> {
  report_id: string;
  title: string | null;
  department: string | null;
  year: number | null;
  province: string | null;
  city: string | null;
  county: string | null;
  kind: string;
  budget_wan: number | null;
  exec_rate: number | null;
  score: number | null;
  flag_count: number | null;
  /** Reports under the filters in all (the list holds the first `limit`). */
  total: number;
}

/**
 * The first `limit` current reports under the filters, newest year first, each with the count of all of them (ids and
 * titles from `report_ids`, loaded when needed). Fetched a page at a time: at 100,000 reports a list of 1,000 took twice
 * as long as one of 100 (test/bench), and the first page is what a user looks at.
 */
export function reportListSql(filters: Filters, limit: number): Sql {
  const where = filterClause(filters);
  const order = 'year DESC NULLS LAST, province NULLS LAST, city NULLS LAST, county NULLS LAST, department NULLS LAST, rk';
  return {
    sql: `WITH l AS (
      SELECT rk, department, year, province, city, county, kind, budget_wan, ${REPORT_RATE} AS exec_rate, score, flag_count,
        count(*) OVER () AS total
      FROM reports WHERE ${where.sql}
      ORDER BY ${order}
      LIMIT ${literal(Math.max(1, Math.trunc(limit)))}
    )
    SELECT d.report_id, d.title, l.* EXCLUDE (rk) FROM l JOIN report_ids d ON d.rk = l.rk
    ORDER BY ${order.replace(/rk$/, 'l.rk')}`,
    params: where.params,
  };
}
