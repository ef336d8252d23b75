/** SQL for the regional comparison: figures and ranks by region at the current level, and the yearly trend. */
import type { Filters } from '../../filters/filters.ts';
import { filterClause, regionColumn, REPORT_RATE, weightedRate, type Sql } from '../../db/sql.ts';

/** One region at the current level (region null: reports whose region is not known). */
export interface RegionRow extends Record<string, unknown> {
  region: string | null;
  reports: number;
  budget_wan: number | null;
  spent_wan: number | null;
  exec_rate: number | null;
  avg_score: number | null;
  /** 1 = highest execution rate; null when the rate is unknown. */
  rate_rank: number | null;
  score_rank: number | null;
}

/** Regions at the level below the deepest region filter, ranked by budget-weighted execution rate. */
export function regionalSql(filters: Filters): Sql {
  const level = regionColumn(filters);
  const where = filterClause(filters);
  return {
    sql: `WITH g AS (
      SELECT ${level.sql} AS region, count(*) AS reports, sum(budget_wan) AS budget_wan, sum(spent_wan) AS spent_wan,
        ${weightedRate(REPORT_RATE)} AS exec_rate, avg(score) AS avg_score
      FROM reports WHERE ${where.sql} GROUP BY region
    )
    SELECT *,
      CASE WHEN exec_rate IS NULL THEN NULL ELSE rank() OVER (ORDER BY exec_rate DESC NULLS LAST) END AS rate_rank,
      CASE WHEN avg_score IS NULL THEN NULL ELSE rank() OVER (ORDER BY avg_score DESC NULLS LAST) END AS score_rank
    FROM g ORDER BY exec_rate DESC NULLS LAST, avg_score DESC NULLS LAST, region NULLS LAST`,
    params: [...level.params, ...where.params],
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
  const where = filterClause(filters, { omit: ['years'] });
  return {
    sql: `SELECT ${level.sql} AS region, year, ${weightedRate(REPORT_RATE)} AS exec_rate, avg(score) AS avg_score,
      sum(budget_wan) AS budget_wan
    FROM reports WHERE year IS NOT NULL AND ${where.sql}
    GROUP BY region, year ORDER BY year, region NULLS LAST`,
    params: [...level.params, ...where.params],
  };
}
