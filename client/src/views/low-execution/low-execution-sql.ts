/** SQL for low-execution projects: the count and one sorted page at a time (sorting and paging happen in SQL). */
import type { Filters } from '../../filters/filters.ts';
import { filterClause, literal, quoteIdent, type Sql } from '../../db/sql.ts';

/** Columns the table can sort by (a whitelist: the key is never pasted into SQL unchecked). */
export const SORT_KEYS = ['name', 'department', 'year', 'budget_wan', 'spent_wan', 'execution_rate_pct', 'score', 'mismatch'] as const;
/** A sortable column. */
export type SortKey = (typeof SORT_KEYS)[number];

/** Sort state of the table. */
export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

/** Lowest execution rate first. */
export const DEFAULT_SORT: Sort = { key: 'execution_rate_pct', dir: 'asc' };

/** Reads a sort key, falling back to the default for anything not in the whitelist. */
export function parseSort(key: string | null, dir: string | null): Sort {
  const k = SORT_KEYS.find((s) => s === key) ?? DEFAULT_SORT.key;
  return { key: k, dir: dir === 'desc' ? 'desc' : dir === 'asc' ? 'asc' : key ? 'asc' : DEFAULT_SORT.dir };
}

/** One project in the table. */
export interface LowExecRow extends Record<string, unknown> {
  /** Its report's row key in this data version (`reportIdSql` gives the report's id, for opening it). */
  rk: number;
  idx: number;
  name: string | null;
  department: string | null;
  province: string | null;
  city: string | null;
  county: string | null;
  year: number | null;
  budget_wan: number | null;
  spent_wan: number | null;
  execution_rate_pct: number;
  score: number | null;
  mismatch: boolean | null;
}

function lowExecWhere(filters: Filters, threshold: number): Sql {
  const where = filterClause(filters);
  return { sql: `execution_rate_pct < ${literal(threshold)} AND ${where.sql}`, params: where.params };
}

/** How many projects run below `threshold` percent. */
export function lowExecCountSql(filters: Filters, opts: { threshold: number }): Sql {
  const where = lowExecWhere(filters, opts.threshold);
  return { sql: `SELECT count(*) AS n FROM projects WHERE ${where.sql}`, params: where.params };
}

/**
 * Projects below `threshold` percent, sorted (nulls last, ties broken by report and position), optionally one page, from
 * the projects table alone (it carries its report's department and region and the project's name). The report's id is
 * not joined in: joining `report_ids` for it made every page ~40% slower at 100,000 reports (a scan of all the reports
 * per page) and loaded that table with the view; the table looks it up when a row is opened (`reportIdSql`).
 */
function lowExecSql(filters: Filters, opts: { threshold: number; sort: Sort; page?: { offset: number; limit: number } }): Sql {
  const where = lowExecWhere(filters, opts.threshold);
  const key = SORT_KEYS.includes(opts.sort.key) ? opts.sort.key : DEFAULT_SORT.key;
  const dir = `${opts.sort.dir === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`;
  const page = opts.page && `LIMIT ${literal(Math.max(0, Math.trunc(opts.page.limit)))} OFFSET ${literal(Math.max(0, Math.trunc(opts.page.offset)))}`;
  return {
    sql: `SELECT rk, idx, name, department, province, city, county, year, budget_wan, spent_wan, execution_rate_pct, score, mismatch
      FROM projects
      WHERE ${where.sql}
      ORDER BY ${quoteIdent(key)} ${dir}, rk, idx${page ? `\n      ${page}` : ''}`,
    params: where.params,
  };
}

/** The id of the report with row key `rk` (a low-execution row being opened). */
export function reportIdSql(rk: number): Sql {
  return { sql: `SELECT report_id FROM report_ids WHERE rk = ${literal(Math.trunc(rk))}`, params: [] };
}

/** Every project below `threshold` percent, sorted: the exports. */
export function lowExecRowsSql(filters: Filters, opts: { threshold: number; sort: Sort }): Sql {
  return lowExecSql(filters, opts);
}

/** One page of the projects below `threshold`, in the order of `lowExecRowsSql`. */
export function lowExecPageSql(filters: Filters, opts: { threshold: number; sort: Sort; offset: number; limit: number }): Sql {
  return lowExecSql(filters, { ...opts, page: { offset: opts.offset, limit: opts.limit } });
}
