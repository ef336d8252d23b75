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
  report_id: string;
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

function lowExecWhere(filters: Filters, threshold: number, alias?: string): Sql {
  const where = filterClause(filters, { alias });
  const rate = alias ? `${quoteIdent(alias)}.execution_rate_pct` : 'execution_rate_pct';
  return { sql: `${rate} < ${literal(threshold)} AND ${where.sql}`, params: where.params };
}

/** How many projects run below `threshold` percent. */
export function lowExecCountSql(filters: Filters, opts: { threshold: number }): Sql {
  const where = lowExecWhere(filters, opts.threshold);
  return { sql: `SELECT count(*) AS n FROM projects WHERE ${where.sql}`, params: where.params };
}

/**
 * Projects below `threshold` percent, sorted (nulls last, ties broken by report and position), optionally one page:
 * sorted and cut on the projects table alone (it carries its report's department and region and the project's name),
 * then joined to `report_ids` (loaded when needed) for the report's id.
 */
function lowExecSql(filters: Filters, opts: { threshold: number; sort: Sort; page?: { offset: number; limit: number } }): Sql {
  const where = lowExecWhere(filters, opts.threshold, 'pr');
  const key = SORT_KEYS.includes(opts.sort.key) ? opts.sort.key : DEFAULT_SORT.key;
  const dir = `${opts.sort.dir === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`;
  // Qualified: DuckDB-WASM does not resolve names to the select list.
  const order = (p: string) => `${p}.${quoteIdent(key)} ${dir}, ${p}.rk, ${p}.idx`;
  const page = opts.page && `LIMIT ${literal(Math.max(0, Math.trunc(opts.page.limit)))} OFFSET ${literal(Math.max(0, Math.trunc(opts.page.offset)))}`;
  return {
    sql: `WITH p AS (
      SELECT pr.rk, pr.idx, pr.name, pr.department, pr.province, pr.city, pr.county, pr.year, pr.budget_wan,
        pr.spent_wan, pr.execution_rate_pct, pr.score, pr.mismatch
      FROM projects pr
      WHERE ${where.sql}
      ORDER BY ${order('pr')}${page ? `\n      ${page}` : ''}
    )
    SELECT d.report_id, p.idx, p.name, p.* EXCLUDE (rk, idx, name)
    FROM p JOIN report_ids d ON d.rk = p.rk
    ORDER BY ${order('p')}`,
    params: where.params,
  };
}

/** Every project below `threshold` percent, sorted: the exports. */
export function lowExecRowsSql(filters: Filters, opts: { threshold: number; sort: Sort }): Sql {
  return lowExecSql(filters, opts);
}

/** One page of the projects below `threshold`, in the order of `lowExecRowsSql`. */
export function lowExecPageSql(filters: Filters, opts: { threshold: number; sort: Sort; offset: number; limit: number }): Sql {
  return lowExecSql(filters, { ...opts, page: { offset: opts.offset, limit: opts.limit } });
}
