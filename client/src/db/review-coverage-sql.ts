/** SQL for how much of the data behind a chart is reviewed: reports reviewed or corrected, of all, under the filters. */
import type { Filters } from '../filters/filters.ts';
import { filterClause, type Sql } from './sql.ts';

/** One row: reports under the filters and how many of them an editor reviewed or corrected. */
export interface ReviewCoverageRow extends Record<string, unknown> {
  total: number;
  reviewed: number;
}

/** Review coverage of the reports under `filters` (the reports table's `review_state`). */
export function reviewCoverageSql(filters: Filters): Sql {
  const where = filterClause(filters);
  return {
    sql: `SELECT count(*) AS total, count(*) FILTER (WHERE review_state IN ('reviewed', 'corrected')) AS reviewed
      FROM reports WHERE ${where.sql}`,
    params: where.params,
  };
}
