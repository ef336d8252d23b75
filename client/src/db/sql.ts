/** Shared SQL helpers: identifier quoting, literals, the filter WHERE clause, region levels. */
import { DEFAULT_BANDS } from '../charts/bands.ts';
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
 * A value written into SQL text: text in single quotes with its quotes doubled (DuckDB reads a backslash as itself, so
 * nothing else escapes), a number as written (finite only), null as NULL. Text holding a NUL character is refused.
 */
export function literal(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (value.includes('\u0000')) throw new Error('text with a NUL character');
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The filter predicate, its values written into the text (`literal`): only the filters set, each a plain comparison
 * DuckDB pushes into the table scan. Bound as parameters (one statement text for every value, prepared once) the
 * predicate could not be pushed down, and the dashboard's queries ran 1.3–2× slower in DuckDB-WASM than with the values
 * in the text, planning included (test/bench): the views send these texts as they are, unprepared (db/duckdb.ts).
 * @param omit filters left out, e.g. the year when a chart shows every year itself.
 * @param alias table alias to qualify the columns with.
 */
export function filterClause(filters: Filters, opts: { omit?: FilterKey[]; alias?: string } = {}): Sql {
  const omit = new Set(opts.omit ?? []);
  const col = (name: string) => (opts.alias ? `${quoteIdent(opts.alias)}.${quoteIdent(name)}` : quoteIdent(name));
  const parts: string[] = [];
  if (!omit.has('years')) {
    const years = [...new Set(filters.years.map((y) => Math.trunc(y)).filter(Number.isFinite))].sort((a, b) => a - b);
    if (years.length === 1) parts.push(`${col('year')} = ${years[0]}`);
    else if (years.length > 1) parts.push(`${col('year')} IN (${years.join(', ')})`);
  }
  for (const [key, column] of Object.entries(FILTER_COLUMN) as [Exclude<FilterKey, 'years'>, string][]) {
    if (omit.has(key) || filters[key] == null) continue;
    // As text whatever it is (filters also come back from local storage); a NUL character matches no value.
    const value = String(filters[key]);
    parts.push(value.includes('\u0000') ? 'FALSE' : `${col(column)} = ${literal(value)}`);
  }
  return { sql: parts.length ? parts.join(' AND ') : 'TRUE', params: [] };
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

/** The region column at `regionLevel(filters)`, for grouping by region. */
export function regionColumn(filters: Filters, alias?: string): Sql {
  const name = quoteIdent(regionLevel(filters));
  return { sql: alias ? `${quoteIdent(alias)}.${name}` : name, params: [] };
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

/**
 * What a `report_cells` row holds, as aggregates over the reports it stands for (server/tables.ts defines the table
 * with them; the regional view sums the reports the same way when a filter keeps it off the cells).
 */
export const CELL_SUMS = {
  reports: 'count(*)',
  reviewed: `count(*) FILTER (WHERE ${REVIEWED})`,
  budget_wan: 'sum(budget_wan)',
  spent_wan: 'sum(spent_wan)',
  rate_budget: `sum(${REPORT_RATE} * budget_wan) FILTER (WHERE ${rateKnown(REPORT_RATE)})`,
  rate_weight: `sum(budget_wan) FILTER (WHERE ${rateKnown(REPORT_RATE)})`,
  score_sum: 'sum(score)',
  score_n: 'count(score)',
} as const;

/** A report's projects with an execution rate below `threshold` percent (unknown rates excluded), summed. */
export function lowExecProjects(threshold: number): string {
  return `coalesce(sum(len(list_filter(project_rates, lambda x: x < CAST(${literal(threshold)} AS DOUBLE)))), 0)`;
}

/**
 * More of what a `report_cells` row holds, for the overview's cards (overview-sql.ts): departments (distinct within the
 * cell; a department is its name in its region, so the cells' counts add up), reports with flags, and projects below
 * the default low-execution threshold (another threshold reads the reports).
 */
export const CELL_OVERVIEW_SUMS = {
  departments: 'count(DISTINCT department)',
  flagged: 'count(*) FILTER (WHERE flag_count > 0)',
  low_exec: lowExecProjects(DEFAULT_BANDS.exec.red),
} as const;

/** The budget-weighted execution rate summed back from `report_cells` (the same figure as `weightedRate`). */
export const CELL_RATE = 'sum(rate_budget) / nullif(sum(rate_weight), 0)';
/** The mean score summed back from `report_cells` (the same figure as avg(score)). */
export const CELL_SCORE = 'sum(score_sum) / nullif(sum(score_n), 0)';
