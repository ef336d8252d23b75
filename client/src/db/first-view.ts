/**
 * The first page's queries (overview, no filters, default threshold), which the server answers at publish time into
 * `first-view.json`: the first charts draw from it while DuckDB-WASM and the tables are still loading. With them, the
 * overview under each of the user's first region choices (`regionChoicesSql`), so that choosing a province in the
 * overview runs no query — answered even before the engine is ready. Shared by the server (which runs them on native
 * DuckDB over the published tables) and the client (which looks its queries up: any query whose SQL is in the file).
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

/** The most region choices answered ahead (each adds ~2 KB to first-view.json, ~0.25 KB compressed). */
export const MAX_REGION_CHOICES = 100;

/** A region choice answered ahead: a province, or a city (the filter bar sets its province with it). */
export interface RegionChoice extends Record<string, unknown> {
  province: string;
  city: string | null;
}

/**
 * The user's first region choices: every province when the reports span several, else (one province's data) every
 * city of it. The filter bar offers exactly these first.
 */
export function regionChoicesSql(): Sql {
  return {
    sql: `WITH p AS (SELECT DISTINCT province FROM reports WHERE province IS NOT NULL),
        n AS (SELECT count(*) AS n FROM p)
      SELECT province, NULL::VARCHAR AS city FROM p WHERE (SELECT n FROM n) > 1
      UNION ALL
      SELECT DISTINCT province, city FROM reports WHERE province IS NOT NULL AND city IS NOT NULL AND (SELECT n FROM n) = 1
      ORDER BY province, city`,
    params: [],
  };
}

/**
 * The overview (default threshold) under each region choice; none when there are more than `MAX_REGION_CHOICES`
 * (the file would outgrow its use: the engine answers them in 10–25 ms at 100,000 reports).
 */
export function regionViewQueries(choices: readonly RegionChoice[]): Sql[] {
  if (choices.length > MAX_REGION_CHOICES) return [];
  return choices.map((c) => overviewSql({ ...EMPTY_FILTERS, province: c.province, city: c.city }, { threshold: DEFAULT_BANDS.exec.red }));
}

/** The key of a query in first-view.json: its SQL text and parameters. */
export function firstViewKey(built: Sql): string {
  return JSON.stringify([built.sql, built.params]);
}
