/**
 * The first page's queries (overview, no filters, default threshold), which the server answers at publish time into
 * `first-view.json`: the first charts draw from it while DuckDB-WASM and the tables are still loading. Shared by the
 * server (which runs them on native DuckDB over the published tables) and the client (which looks its queries up).
 */
import { DEFAULT_BANDS } from '../charts/bands.ts';
import { filterOptionsSql } from '../filters/filter-options-sql.ts';
import { EMPTY_FILTERS } from '../filters/filters.ts';
import { overviewSql } from '../views/overview/overview-sql.ts';
import { reviewCoverageSql } from './review-coverage-sql.ts';
import type { Sql } from './sql.ts';

/** One pre-computed query with its rows. */
export interface FirstViewEntry {
  key: string;
  rows: Record<string, unknown>[];
}

/** The queries the first page runs. */
export function firstViewQueries(): Sql[] {
  return [
    overviewSql(EMPTY_FILTERS, { threshold: DEFAULT_BANDS.exec.red }),
    filterOptionsSql(),
    reviewCoverageSql(EMPTY_FILTERS),
  ];
}

/** The key of a query in first-view.json: its SQL text and parameters. */
export function firstViewKey(built: Sql): string {
  return JSON.stringify([built.sql, built.params]);
}
