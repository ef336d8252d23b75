/**
 * The DuckDB queries behind each view's charts, built in one place: the views run them (useQuery), and a URL change
 * sends them to the engine before the page re-renders (`prefetchView`), so the engine computes while the page draws
 * the new filters (test/bench: the render before the first query was sent took 10–20 ms of every filter change).
 */
import type { QueryClient } from '@tanstack/react-query';
import { duckdbOptions, manifestOptions } from '../db/dataset.ts';
import type { Manifest } from '../db/duckdb.ts';
import { reviewCoverageSql, type ReviewCoverageRow } from '../db/review-coverage-sql.ts';
import type { Filters } from '../filters/filters.ts';
import { issueHeatmapSql, type IssueCellRow } from './issues/issues-sql.ts';
import { lowExecCountSql, lowExecPageSql, type LowExecRow, type Sort } from './low-execution/low-execution-sql.ts';
import { overviewSql, type OverviewRow } from './overview/overview-sql.ts';
import { regionalCellsSql, type RegionCellRow } from './regional/regional-sql.ts';
import { REPORT_LIST_PAGE, reportListSql, type ReportListRow } from './report/report-list-sql.ts';

type M = Manifest | undefined;

export const overviewQuery = (filters: Filters, threshold: number, manifest: M) =>
  duckdbOptions<OverviewRow>('overview', overviewSql(filters, { threshold }), manifest);
/** The regional view's ranking and trend, both from one query (regional-sql.ts, `regionalCellsSql`). */
export const regionalCellsQuery = (filters: Filters, manifest: M) =>
  duckdbOptions<RegionCellRow>('regional-cells', regionalCellsSql(filters), manifest);
export const issueHeatmapQuery = (filters: Filters, manifest: M) =>
  duckdbOptions<IssueCellRow>('issue-heatmap', issueHeatmapSql(filters), manifest);
export const lowExecCountQuery = (filters: Filters, threshold: number, manifest: M) =>
  duckdbOptions<{ n: number }>('low-exec-count', lowExecCountSql(filters, { threshold }), manifest);
/** Rows the low-execution table fetches per query. */
export const LOW_EXEC_PAGE = 200;
export const lowExecPageQuery = (filters: Filters, threshold: number, sort: Sort, page: number, manifest: M) =>
  duckdbOptions<LowExecRow>('low-exec-page', lowExecPageSql(filters, { threshold, sort, offset: page * LOW_EXEC_PAGE, limit: LOW_EXEC_PAGE }), manifest);
export const reportListQuery = (filters: Filters, limit: number, manifest: M) =>
  duckdbOptions<ReportListRow>('report-list', reportListSql(filters, limit), manifest);
/** Every card with the same filters shares one query (the same SQL and parameters). */
export const reviewCoverageQuery = (filters: Filters, manifest: M) =>
  duckdbOptions<ReviewCoverageRow>('review-coverage', reviewCoverageSql(filters), manifest);

/** What of the URL's state the views' queries depend on. */
export interface ViewQueryState {
  view: string;
  filters: Filters;
  threshold: number;
  sort: Sort;
  report: string | null;
}

/** The queries `state`'s view runs first, in the order the engine should answer them (the review badges last). */
export function viewQueries(state: ViewQueryState, manifest: Manifest) {
  const { filters, threshold } = state;
  switch (state.view) {
    // The overview's and regional view's review badges sum their own rows (review-coverage-sql.ts, coverageFromRows);
    // the regional ranking and trend are summed from one query's region × year rows.
    case 'overview': return [overviewQuery(filters, threshold, manifest)];
    case 'regional': return [regionalCellsQuery(filters, manifest)];
    // The frequencies are summed from the heatmap's cells (issues-sql.ts, frequencyFromCells).
    case 'issues': return [issueHeatmapQuery(filters, manifest), reviewCoverageQuery(filters, manifest)];
    case 'low-execution': return [lowExecCountQuery(filters, threshold, manifest), lowExecPageQuery(filters, threshold, state.sort, 0, manifest)];
    case 'report': return state.report ? [] : [reportListQuery(filters, REPORT_LIST_PAGE, manifest)];
    default: return [];
  }
}

/**
 * Sends the queries of `state`'s view (those not cached) to the engine now; the view picks them up when it renders.
 * Resolves, per query, when its answer is in the cache (or it failed: the view shows the error).
 */
export function prefetchView(client: QueryClient, state: ViewQueryState): Promise<void>[] {
  const manifest = client.getQueryData(manifestOptions().queryKey);
  if (!manifest) return [];
  return viewQueries(state, manifest).map((options) => client.prefetchQuery(options as never));
}
