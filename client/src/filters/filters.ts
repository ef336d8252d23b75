/** The dashboard's shared filters and their URL query-string form (bookmarkable: reload restores exactly). */

/** Filters shared by every view; null means "all". */
export interface Filters {
  years: number[];
  province: string | null;
  city: string | null;
  county: string | null;
  departmentKind: string | null;
  kind: string | null;
}

/** One filter. */
export type FilterKey = keyof Filters;

/** Nothing filtered. */
export const EMPTY_FILTERS: Filters = {
  years: [], province: null, city: null, county: null, departmentKind: null, kind: null,
};

/** URL parameter name of each single-valued filter. */
const PARAM: Record<Exclude<FilterKey, 'years'>, string> = {
  province: 'province', city: 'city', county: 'county', departmentKind: 'dept_kind', kind: 'kind',
};

/** Reads the filters from a query string. */
export function parseFilters(search: URLSearchParams): Filters {
  const years = search.getAll('year').flatMap((v) => v.split(','))
    .map((v) => Number.parseInt(v, 10)).filter((v) => Number.isInteger(v));
  const one = (key: Exclude<FilterKey, 'years'>) => search.get(PARAM[key]) || null;
  return {
    years: [...new Set(years)].sort((a, b) => a - b),
    province: one('province'),
    city: one('city'),
    county: one('county'),
    departmentKind: one('departmentKind'),
    kind: one('kind'),
  };
}

/** Writes the filters into `search` (replacing any filter parameters already there). */
export function writeFilters(search: URLSearchParams, filters: Filters): void {
  search.delete('year');
  for (const y of filters.years) search.append('year', String(y));
  for (const [key, param] of Object.entries(PARAM) as [Exclude<FilterKey, 'years'>, string][]) {
    const v = filters[key];
    if (v) search.set(param, v);
    else search.delete(param);
  }
}

/** The latest year the user selected, or null when no year is selected. */
export function latestSelectedYear(filters: Filters): number | null {
  return filters.years.length ? Math.max(...filters.years) : null;
}
