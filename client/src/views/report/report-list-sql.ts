/** SQL for the report list shown when no report is open. */
import type { Filters } from '../../filters/filters.ts';
import { filterClause, REPORT_RATE, type Sql } from '../../db/sql.ts';

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
}

/** The current reports under the filters, newest year first. */
export function reportListSql(filters: Filters): Sql {
  const where = filterClause(filters);
  return {
    sql: `SELECT report_id, title, department, year, province, city, county, kind, budget_wan,
      ${REPORT_RATE} AS exec_rate, score, flag_count
    FROM reports WHERE ${where.sql}
    ORDER BY year DESC NULLS LAST, province NULLS LAST, city NULLS LAST, county NULLS LAST, department NULLS LAST, report_id
    LIMIT 1000`,
    params: where.params,
  };
}
