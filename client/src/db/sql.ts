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
 * The filter predicate ("TRUE" when nothing is filtered) with its parameters.
 * @param omit filters left out, e.g. the year when a chart shows every year itself.
 * @param alias table alias to qualify the columns with.
 */
export function filterClause(filters: Filters, opts: { omit?: FilterKey[]; alias?: string } = {}): Sql {
  const omit = new Set(opts.omit ?? []);
  const col = (name: string) => (opts.alias ? `${quoteIdent(opts.alias)}.${quoteIdent(name)}` : quoteIdent(name));
  const parts: string[] = [];
  const params: SqlParam[] = [];
  if (!omit.has('years') && filters.years.length) {
    parts.push(`${col('year')} IN (${filters.years.map(() => '?').join(', ')})`);
    params.push(...filters.years);
  }
  for (const [key, column] of Object.entries(FILTER_COLUMN) as [Exclude<FilterKey, 'years'>, string][]) {
    const value = filters[key];
    if (omit.has(key) || value == null) continue;
    parts.push(`${col(column)} = ?`);
    params.push(value);
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

/** The execution rate of a report: as stated, else computed from the amounts. */
export const REPORT_RATE = 'coalesce(execution_rate_pct, execution_rate_computed_pct)';

/** Budget-weighted mean of `rate` (rows missing either figure, or with no budget, are left out). */
export function weightedRate(rate: string, budget = 'budget_wan'): string {
  const known = `${rate} IS NOT NULL AND ${budget} > 0`;
  return `sum(${rate} * ${budget}) FILTER (WHERE ${known}) / nullif(sum(${budget}) FILTER (WHERE ${known}), 0)`;
}
