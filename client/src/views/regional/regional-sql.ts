/** SQL for the regional comparison: figures and ranks by region at the current level, and the yearly trend. */
import type { FilterKey, Filters } from '../../filters/filters.ts';
import {
  byCells, CELL_RATE, CELL_SCORE, filterClause, NOT_IN_CELLS, regionColumn, REPORT_RATE, REVIEWED, weightedRate, type Sql,
} from '../../db/sql.ts';

/** One region at the current level (region null: reports whose region is not known). */
export interface RegionRow extends Record<string, unknown> {
  region: string | null;
  reports: number;
  budget_wan: number | null;
  spent_wan: number | null;
  exec_rate: number | null;
  avg_score: number | null;
  /** Reports an editor reviewed or corrected (the review badge). */
  reviewed: number;
  /** 1 = highest execution rate; null when the rate is unknown. */
  rate_rank: number | null;
  score_rank: number | null;
}

/** Where a regional query reads its figures: `report_cells` when the filters allow (sql.ts, `byCells`), else reports. */
function source(filters: Filters, omit: FilterKey[] = []) {
  const cells = byCells(filters);
  return {
    table: cells ? 'report_cells' : 'reports',
    where: filterClause(filters, { omit: cells ? [...omit, ...NOT_IN_CELLS] : omit }),
    reports: cells ? 'CAST(sum(reports) AS BIGINT)' : 'count(*)',
    reviewed: cells ? 'CAST(sum(reviewed) AS BIGINT)' : `count(*) FILTER (WHERE ${REVIEWED})`,
    rate: cells ? CELL_RATE : weightedRate(REPORT_RATE),
    score: cells ? CELL_SCORE : 'avg(score)',
  };
}

/** Regions at the level below the deepest region filter, ranked by budget-weighted execution rate. */
export function regionalSql(filters: Filters): Sql {
  const level = regionColumn(filters);
  const from = source(filters);
  return {
    sql: `WITH g AS (
      SELECT ${level.sql} AS region, ${from.reports} AS reports, ${from.reviewed} AS reviewed, sum(budget_wan) AS budget_wan,
        sum(spent_wan) AS spent_wan, ${from.rate} AS exec_rate, ${from.score} AS avg_score
      FROM ${from.table} WHERE ${from.where.sql} GROUP BY region
    )
    SELECT *,
      CASE WHEN exec_rate IS NULL THEN NULL ELSE rank() OVER (ORDER BY exec_rate DESC NULLS LAST) END AS rate_rank,
      CASE WHEN avg_score IS NULL THEN NULL ELSE rank() OVER (ORDER BY avg_score DESC NULLS LAST) END AS score_rank
    FROM g ORDER BY exec_rate DESC NULLS LAST, avg_score DESC NULLS LAST, region NULLS LAST`,
    params: [...level.params, ...from.where.params],
  };
}

/** One region in one year. */
export interface RegionYearRow extends Record<string, unknown> {
  region: string | null;
  year: number;
  exec_rate: number | null;
  avg_score: number | null;
  budget_wan: number | null;
}

/** Budget-weighted execution rate by region and year (every year: the trend is the time axis). */
export function regionalTrendSql(filters: Filters): Sql {
  const level = regionColumn(filters);
  const from = source(filters, ['years']);
  return {
    sql: `SELECT ${level.sql} AS region, year, ${from.rate} AS exec_rate, ${from.score} AS avg_score,
      sum(budget_wan) AS budget_wan
    FROM ${from.table} WHERE year IS NOT NULL AND ${from.where.sql}
    GROUP BY region, year ORDER BY year, region NULLS LAST`,
    params: [...level.params, ...from.where.params],
  };
}
