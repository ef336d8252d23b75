/** SQL for the filter bar's choices, cascading from the data: each list honours every other filter. */
import type { FilterKey, Filters } from './filters.ts';
import { filterClause, type Sql } from '../db/sql.ts';

/** One choice of one filter dimension, with its parent regions so picking a city can set its province. */
export interface FilterOptionRow extends Record<string, unknown> {
  dim: 'year' | 'province' | 'city' | 'county' | 'department_kind' | 'kind';
  value: string;
  reports: number;
  parent_province: string | null;
  parent_city: string | null;
}

const DIMS: [FilterOptionRow['dim'], string, FilterKey[]][] = [
  ['year', 'CAST(year AS VARCHAR)', ['years']],
  ['province', 'province', ['province', 'city', 'county']],
  ['city', 'city', ['city', 'county']],
  ['county', 'county', ['county']],
  ['department_kind', 'department_kind', ['departmentKind']],
  ['kind', 'kind', ['kind']],
];

/** Every choice of every filter, given the other filters. */
export function filterOptionsSql(filters: Filters): Sql {
  const params: Sql['params'] = [];
  const parts = DIMS.map(([dim, expr, omit]) => {
    const where = filterClause(filters, { omit });
    params.push(dim, ...where.params);
    return `SELECT ? AS dim, ${expr} AS value, count(*) AS reports,
      min(province) AS parent_province, min(city) AS parent_city
    FROM reports WHERE ${expr} IS NOT NULL AND ${where.sql} GROUP BY ${expr}`;
  });
  return { sql: `${parts.join('\nUNION ALL\n')}\nORDER BY dim, value`, params };
}
