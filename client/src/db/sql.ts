/** Shared SQL helpers: identifier quoting, the filter WHERE clause with bound `?` parameters, region levels. */
import type { FilterKey, Filters } from '../filters/filters.ts';

/** A value bound to a `?` placeholder. */
export type SqlParam = string | number | boolean | null;

/** SQL text with its positional parameters, in order. */
export interface Sql {
  sql: string;
  params: SqlParam[];
}

/** Quotes an identifier for DuckDB ("a""b"). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Column of each single-valued filter. */
const FILTER_COLUMN: Record<Exclude<FilterKey, 'years'>, string> = {
  province: 'province', city: 'city', county: 'county', departmentKind: 'department_kind', kind: 'kind',
};

/**
 * The filter predicate with its parameters. Its text depends only on which filters are omitted and on whether more
 * than one year is chosen, never on the values (a filter that is not set binds NULL): DuckDB-WASM prepares each
 * statement text once, and preparing took more than the query itself on the first change of every filter combination
 * (test/bench). No year or one year is an equality, which DuckDB tests twice as fast as a list membership (the
 * filter alone took 1.9 ms of a 100,000-report scan as a list, 1.0 ms as an equality).
 * @param omit filters left out, e.g. the year when a chart shows every year itself.
 * @param alias table alias to qualify the columns with.
 */
export function filterClause(filters: Filters, opts: { omit?: FilterKey[]; alias?: string } = {}): Sql {
  const omit = new Set(opts.omit ?? []);
  const col = (name: string) => (opts.alias ? `${quoteIdent(opts.alias)}.${quoteIdent(name)}` : quoteIdent(name));
  const parts: string[] = [];
  const params: SqlParam[] = [];
  if (!omit.has('years')) {
    const years = filters.years.map((y) => Math.trunc(y));
    if (years.length > 1) {
      // A list literal ('[2023,2024]') cast in SQL: DuckDB-WASM binds no arrays.
      parts.push(`list_contains(CAST(? AS INTEGER[]), ${col('year')})`);
      params.push(`[${years.join(',')}]`);
    } else {
      parts.push(`(CAST(? AS INTEGER) IS NULL OR ${col('year')} = ?)`);
      params.push(years[0] ?? null, years[0] ?? null);
    }
  }
  for (const [key, column] of Object.entries(FILTER_COLUMN) as [Exclude<FilterKey, 'years'>, string][]) {
    if (omit.has(key)) continue;
    parts.push(`(CAST(? AS VARCHAR) IS NULL OR ${col(column)} = ?)`);
    params.push(filters[key], filters[key]);
  }
  return { sql: parts.length ? parts.join(' AND ') : 'TRUE', params };
}

/** A level of the region hierarchy (a column of every published table). */
export type RegionLevel = 'province' | 'city' | 'county';

/** The region level charts group by: one below the deepest region filter (county stays county). */
export function regionLevel(filters: Filters): RegionLevel {
  if (filters.city || filters.county) return 'county';
  if (filters.province) return 'city';
  return 'province';
}

/** The key standing for "region not known" where a region name is a key (bar lists, heat table rows). */
export const UNKNOWN_REGION_KEY = '\u0000';

/**
 * The region column at `regionLevel(filters)` as an expression whose text does not depend on the level (bound as a
 * parameter, like the filter values in `filterClause`), for grouping by region.
 */
export function regionColumn(filters: Filters, alias?: string): Sql {
  const col = (name: string) => (alias ? `${quoteIdent(alias)}.${quoteIdent(name)}` : quoteIdent(name));
  return {
    sql: `CASE CAST(? AS VARCHAR) WHEN 'county' THEN ${col('county')} WHEN 'city' THEN ${col('city')} ELSE ${col('province')} END`,
    params: [regionLevel(filters)],
  };
}

/** The execution rate of a report: as stated, else computed from the amounts. */
export const REPORT_RATE = 'coalesce(execution_rate_pct, execution_rate_computed_pct)';

/** Rows that count towards a budget-weighted rate: both figures known, a budget above zero. */
export function rateKnown(rate: string, budget = 'budget_wan'): string {
  return `${rate} IS NOT NULL AND ${budget} > 0`;
}

/** Budget-weighted mean of `rate` (rows missing either figure, or with no budget, are left out). */
export function weightedRate(rate: string, budget = 'budget_wan'): string {
  const known = rateKnown(rate, budget);
  return `sum(${rate} * ${budget}) FILTER (WHERE ${known}) / nullif(sum(${budget}) FILTER (WHERE ${known}), 0)`;
}

/** A report an editor has vouched for (reviewed, or corrected): what the review badges count. */
export const REVIEWED = "review_state IN ('reviewed', 'corrected')";

/**
 * Whether a query under `filters` can read `report_cells` (the reports summed per year and region, server/tables.ts)
 * instead of the reports: when no department-kind or report-kind filter is set, which the cells do not split by.
 */
export function byCells(filters: Filters): boolean {
  return filters.departmentKind == null && filters.kind == null;
}

/** Filters `report_cells` has no column for (queries read it only when they are not set). */
export const NOT_IN_CELLS: FilterKey[] = ['departmentKind', 'kind'];

/** The budget-weighted execution rate summed back from `report_cells` (the same figure as `weightedRate`). */
export const CELL_RATE = 'sum(rate_budget) / nullif(sum(rate_weight), 0)';
/** The mean score summed back from `report_cells` (the same figure as avg(score)). */
export const CELL_SCORE = 'sum(score_sum) / nullif(sum(score_n), 0)';
