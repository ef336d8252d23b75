/** SQL for the regional comparison: figures and ranks by region at the current level, and the yearly trend. */
import type { FilterKey, Filters } from '../../filters/filters.ts';
import {
  byCells, CELL_RATE, CELL_SCORE, CELL_SUMS, filterClause, NOT_IN_CELLS, regionColumn, REPORT_RATE, REVIEWED, weightedRate,
  type Sql,
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

/**
 * Decimals a rate or score is ranked and ordered on: sums added in another order differ in their last bits, and two
 * regions both at 100% must tie however their budgets were added up (`regionsFromCells` adds them per year).
 */
const RANK_DIGITS = 6;

/** `v` rounded as DuckDB's round(v, RANK_DIGITS) does for these positive figures. */
function ranked(v: number | null): number | null {
  return v == null ? null : Math.round(v * 10 ** RANK_DIGITS) / 10 ** RANK_DIGITS;
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
      CASE WHEN exec_rate IS NULL THEN NULL ELSE rank() OVER (ORDER BY round(exec_rate, ${RANK_DIGITS}) DESC NULLS LAST) END AS rate_rank,
      CASE WHEN avg_score IS NULL THEN NULL ELSE rank() OVER (ORDER BY round(avg_score, ${RANK_DIGITS}) DESC NULLS LAST) END AS score_rank
    FROM g ORDER BY round(exec_rate, ${RANK_DIGITS}) DESC NULLS LAST, round(avg_score, ${RANK_DIGITS}) DESC NULLS LAST, region NULLS LAST`,
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

/** One region in one year with the sums its figures are made of (year null: reports whose year is not known). */
export interface RegionCellRow extends Record<string, unknown> {
  region: string | null;
  year: number | null;
  reports: number;
  reviewed: number;
  budget_wan: number | null;
  spent_wan: number | null;
  /** Σ rate × budget and Σ budget over the reports whose rate and budget are known (the weighted rate's parts). */
  rate_budget: number | null;
  rate_weight: number | null;
  score_sum: number | null;
  score_n: number;
}

/**
 * The regional view's one query: per region (at the current level) and year, under every filter but the years, the
 * sums that the ranking (`regionsFromCells`, the selected years summed) and the trend (`trendFromCells`) are made of.
 * Its text leaves the years out, so a year change in the view runs no query, and a region change one where the ranking
 * and the trend took two (test/bench). The exports run `regionalSql` and `regionalTrendSql`, which give the same rows.
 */
export function regionalCellsSql(filters: Filters): Sql {
  const level = regionColumn(filters);
  const cells = byCells(filters);
  const where = filterClause(filters, { omit: cells ? ['years', ...NOT_IN_CELLS] : ['years'] });
  // The cells' own sums added up, or the same sums over the reports (CELL_SUMS, as report_cells is made).
  const sums = Object.entries(CELL_SUMS).map(([c, ofReports]) => (cells
    ? `${['reports', 'reviewed', 'score_n'].includes(c) ? `CAST(sum(${c}) AS BIGINT)` : `sum(${c})`} AS ${c}`
    : `${ofReports} AS ${c}`)).join(', ');
  return {
    sql: `SELECT ${level.sql} AS region, year, ${sums}
    FROM ${cells ? 'report_cells' : 'reports'} WHERE ${where.sql}
    GROUP BY region, year ORDER BY year NULLS FIRST, region NULLS LAST`,
    params: [...level.params, ...where.params],
  };
}

/** a + b where either may be null (null + null stays null, as SQL's sum of no values). */
function add(a: number | null, b: number | null): number | null {
  return a == null ? b : b == null ? a : a + b;
}

/** A weighted mean's quotient as SQL computes it: null when the divisor is null or zero. */
function quotient(sum: number | null, n: number | null): number | null {
  return sum == null || n == null || n === 0 ? null : sum / n;
}

/** Code point order, as DuckDB compares text (nulls last). */
function byText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a == null) return 1;
  if (b == null) return -1;
  return a < b ? -1 : 1;
}

/** Descending, nulls last. */
function desc(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a == null) return 1;
  if (b == null) return -1;
  return b - a;
}

/** Ranks 1, 2, 2, 4 … by `value` descending, as SQL's rank(); rows without a value have none. */
function ranks(rows: readonly RegionRow[], value: (r: RegionRow) => number | null): Map<RegionRow, number> {
  const known = rows.filter((r) => value(r) != null).sort((a, b) => desc(value(a), value(b)));
  const out = new Map<RegionRow, number>();
  known.forEach((r, i) => out.set(r, i > 0 && value(known[i - 1]!) === value(r) ? out.get(known[i - 1]!)! : i + 1));
  return out;
}

/**
 * The ranking of `regionalSql` from the region × year sums of `regionalCellsSql`: the cells of the selected years (all
 * when none is chosen, the unknown year included) summed per region, ranked by rate and by score, in its order.
 */
export function regionsFromCells(cells: readonly RegionCellRow[], filters: Filters): RegionRow[] {
  const years = filters.years.length ? new Set(filters.years) : null;
  const by = new Map<string | null, RegionCellRow>();
  for (const c of cells) {
    if (years && (c.year == null || !years.has(c.year))) continue;
    const r = by.get(c.region);
    if (!r) by.set(c.region, { ...c, reports: Number(c.reports), reviewed: Number(c.reviewed), score_n: Number(c.score_n) });
    else {
      r.reports += Number(c.reports);
      r.reviewed += Number(c.reviewed);
      r.budget_wan = add(r.budget_wan, c.budget_wan);
      r.spent_wan = add(r.spent_wan, c.spent_wan);
      r.rate_budget = add(r.rate_budget, c.rate_budget);
      r.rate_weight = add(r.rate_weight, c.rate_weight);
      r.score_sum = add(r.score_sum, c.score_sum);
      r.score_n += Number(c.score_n);
    }
  }
  const rows: RegionRow[] = [...by.values()].map((c) => ({
    region: c.region, reports: Number(c.reports), reviewed: Number(c.reviewed), budget_wan: c.budget_wan, spent_wan: c.spent_wan,
    exec_rate: quotient(c.rate_budget, c.rate_weight), avg_score: quotient(c.score_sum, Number(c.score_n)),
    rate_rank: null, score_rank: null,
  }));
  const byRate = ranks(rows, (r) => ranked(r.exec_rate));
  const byScore = ranks(rows, (r) => ranked(r.avg_score));
  for (const r of rows) {
    r.rate_rank = byRate.get(r) ?? null;
    r.score_rank = byScore.get(r) ?? null;
  }
  return rows.sort((a, b) => desc(ranked(a.exec_rate), ranked(b.exec_rate)) || desc(ranked(a.avg_score), ranked(b.avg_score))
    || byText(a.region, b.region));
}

/** The trend of `regionalTrendSql` from the region × year sums of `regionalCellsSql` (known years, in its order). */
export function trendFromCells(cells: readonly RegionCellRow[]): RegionYearRow[] {
  return cells.filter((c) => c.year != null).map((c) => ({
    region: c.region, year: c.year!, exec_rate: quotient(c.rate_budget, c.rate_weight),
    avg_score: quotient(c.score_sum, Number(c.score_n)), budget_wan: c.budget_wan,
  })).sort((a, b) => a.year - b.year || byText(a.region, b.region));
}
