/**
 * The filter bar's choices: one query per data version lists every value of every filter dimension (with each city's
 * and county's parent regions), and `choicesFor` narrows the region lists to the chosen province and city in the page.
 * A filter change therefore costs the engine nothing: at 100,000 reports the old per-change query (every list honouring
 * every other filter) took 20 ms of DuckDB-WASM and rebuilt ~2,800 county options each time (test/bench).
 */
import type { Filters } from './filters.ts';
import type { Sql } from '../db/sql.ts';

/** One choice of one filter dimension, with its parent regions so picking a city can set its province. */
export interface FilterOptionRow extends Record<string, unknown> {
  dim: 'year' | 'province' | 'city' | 'county' | 'department_kind' | 'kind';
  value: string;
  parent_province: string | null;
  parent_city: string | null;
}

/**
 * A region list longer than this is not offered until a parent region narrows it (a native select of ~2,800 counties
 * is unusable, and costly to rebuild): at national scale the county list waits for a province or city.
 */
export const MAX_LISTED = 500;

const DIMS: [FilterOptionRow['dim'], string][] = [
  ['year', 'CAST(year AS VARCHAR)'],
  ['province', 'province'],
  ['city', 'city'],
  ['county', 'county'],
  ['department_kind', 'department_kind'],
  ['kind', 'kind'],
];

/**
 * Every choice in the data (a city or county name found under two parents is listed once per parent). Independent
 * of the filters, so the server answers it at publish time (first-view.ts) and the page never runs it.
 */
export function filterOptionsSql(): Sql {
  const parts = DIMS.map(([dim, expr]) => {
    const province = dim === 'city' || dim === 'county' ? 'province' : 'NULL';
    const city = dim === 'county' ? 'city' : 'NULL';
    return `SELECT DISTINCT '${dim}' AS dim, ${expr} AS value, ${province} AS parent_province, ${city} AS parent_city
    FROM reports WHERE ${expr} IS NOT NULL`;
  });
  return { sql: `${parts.join('\nUNION ALL\n')}\nORDER BY dim, value, parent_province, parent_city`, params: [] };
}

/** The choices a filter bar offers under `filters`, per dimension. */
export interface Choices {
  year: string[];
  province: string[];
  /** Null: too many to list before a parent region is chosen. */
  city: string[] | null;
  county: string[] | null;
  department_kind: string[];
  kind: string[];
}

/**
 * Narrows the version's choices to `filters`: cities of the chosen province, counties of the chosen city (else
 * province); other lists are whole. A region list over MAX_LISTED entries without a parent chosen is null.
 */
export function choicesFor(rows: readonly FilterOptionRow[], filters: Pick<Filters, 'province' | 'city'>): Choices {
  const byDim = indexed(rows);
  const of = (dim: FilterOptionRow['dim'], keep?: (r: FilterOptionRow) => boolean) => {
    const list = byDim.get(dim) ?? [];
    return [...new Set((keep ? list.filter(keep) : list).map((r) => r.value))];
  };
  const capped = (values: string[], narrowed: boolean) => (narrowed || values.length <= MAX_LISTED ? values : null);
  const inProvince = (r: FilterOptionRow) => !filters.province || r.parent_province === filters.province;
  return {
    year: of('year'),
    province: of('province'),
    city: capped(of('city', inProvince), filters.province != null),
    county: capped(
      of('county', (r) => inProvince(r) && (!filters.city || r.parent_city === filters.city)),
      filters.province != null || filters.city != null,
    ),
    department_kind: of('department_kind'),
    kind: of('kind'),
  };
}

const byRows = new WeakMap<readonly FilterOptionRow[], Map<FilterOptionRow['dim'], FilterOptionRow[]>>();

/** The rows by dimension, once per list (~3,000 rows at national scale, narrowed on every filter change). */
function indexed(rows: readonly FilterOptionRow[]): Map<FilterOptionRow['dim'], FilterOptionRow[]> {
  let map = byRows.get(rows);
  if (!map) {
    map = new Map();
    for (const r of rows) {
      const list = map.get(r.dim);
      if (list) list.push(r);
      else map.set(r.dim, [r]);
    }
    byRows.set(rows, map);
  }
  return map;
}

/** The parent regions of a city or county choice (the first listed when a name has several). */
export function parentsOf(rows: readonly FilterOptionRow[], dim: 'city' | 'county', value: string, filters: Filters):
  { province: string | null; city: string | null } {
  const matches = rows.filter((r) => r.dim === dim && r.value === value);
  const row = matches.find((r) => (!filters.province || r.parent_province === filters.province)
    && (!filters.city || dim === 'city' || r.parent_city === filters.city)) ?? matches[0];
  return { province: row?.parent_province ?? null, city: row?.parent_city ?? null };
}
