/**
 * The analytic tables published to the browser (the contract between the server's store and the dashboard's SQL).
 * Every table carries the report's filter columns (year, region, department kind, report kind) so that the browser
 * can filter without joins. Only current (non-superseded) reports are published in these tables; history is served
 * by the API. Figures an editor corrected are published corrected (the API shows both values). No table carries
 * personal data (contact names, phone numbers).
 */
import { CELL_OVERVIEW_SUMS, CELL_SUMS } from '../client/src/db/sql.ts';

export type ColumnType = 'VARCHAR' | 'INTEGER' | 'DOUBLE' | 'BOOLEAN' | 'TIMESTAMP' | 'DOUBLE[]';
export interface TableDef {
  name: string;
  columns: ReadonlyArray<readonly [string, ColumnType]>;
}

/** Filter columns shared by every published table. */
export const FILTER_COLUMNS = [
  ['report_id', 'VARCHAR'],
  /**
   * The report's row number in this data version (0, 1, …; reports ordered by year, province, city, county,
   * department): joins a row to its report inside one version, and every table is sorted by it.
   */
  ['rk', 'INTEGER'],
  ['year', 'INTEGER'],
  ['province', 'VARCHAR'],
  ['city', 'VARCHAR'],
  ['county', 'VARCHAR'],
  ['admin_code', 'VARCHAR'],
  ['department', 'VARCHAR'],
  ['department_kind', 'VARCHAR'],
  ['kind', 'VARCHAR'],
] as const;

export const PUBLISHED_TABLES: readonly TableDef[] = [
  {
    name: 'reports',
    columns: [
      ...FILTER_COLUMNS,
      ['source', 'VARCHAR'],
      ['title', 'VARCHAR'],
      ['budget_wan', 'DOUBLE'],
      ['funds_received_wan', 'DOUBLE'],
      ['spent_wan', 'DOUBLE'],
      ['execution_rate_pct', 'DOUBLE'],
      ['execution_rate_computed_pct', 'DOUBLE'],
      ['score', 'DOUBLE'],
      ['grade', 'VARCHAR'],
      ['project_count', 'INTEGER'],
      ['issue_count', 'INTEGER'],
      ['flag_count', 'INTEGER'],
      /** unreviewed (未复核), reviewed (已复核) or corrected (有修正: an editor's correction applies). */
      ['review_state', 'VARCHAR'],
      /** Fields the extractor was unsure of (far from their label, or candidates disagreed). */
      ['low_confidence_count', 'INTEGER'],
      /** Editors' corrections applied to this report's published values. */
      ['correction_count', 'INTEGER'],
      ['ingested_at', 'TIMESTAMP'],
      /**
       * The stated execution rates of the report's projects (those that state one; [] when none), in project order:
       * the overview counts projects below a threshold from `reports` alone, so the dashboard loads the projects
       * table only for the low-execution view.
       */
      ['project_rates', 'DOUBLE[]'],
    ],
  },
  {
    name: 'projects',
    columns: [
      ...FILTER_COLUMNS,
      ['idx', 'INTEGER'],
      ['name', 'VARCHAR'],
      ['budget_wan', 'DOUBLE'],
      ['funds_received_wan', 'DOUBLE'],
      ['spent_wan', 'DOUBLE'],
      ['execution_rate_pct', 'DOUBLE'],
      ['score', 'DOUBLE'],
      /** Execution below 60% with a score of 90 or more. */
      ['mismatch', 'BOOLEAN'],
    ],
  },
  {
    name: 'issues',
    columns: [...FILTER_COLUMNS, ['idx', 'INTEGER'], ['category', 'VARCHAR'], ['text', 'VARCHAR']],
  },
  {
    name: 'flags',
    columns: [
      ...FILTER_COLUMNS,
      ['idx', 'INTEGER'],
      ['code', 'VARCHAR'],
      ['project', 'VARCHAR'],
      ['message_zh', 'VARCHAR'],
      ['message_en', 'VARCHAR'],
    ],
  },
  {
    name: 'indicators',
    columns: [
      ...FILTER_COLUMNS,
      ['idx', 'INTEGER'],
      ['level1', 'VARCHAR'],
      ['level2', 'VARCHAR'],
      ['level3', 'VARCHAR'],
      ['operator', 'VARCHAR'],
      ['target_value', 'DOUBLE'],
      ['unit', 'VARCHAR'],
      ['weight', 'DOUBLE'],
      ['actual_value', 'DOUBLE'],
    ],
  },
];

/** Columns of the published reports that the dashboard loads only when a query names `report_ids`. */
export const REPORT_ID_COLUMNS = ['rk', 'report_id', 'title', 'source'] as const;
/** A table the dashboard loads into DuckDB-WASM. */
export interface DashboardTableDef {
  name: string;
  /** The published table its rows come from. */
  from: string;
  /** Loaded when a query names it, not with the dataset. */
  lazy: boolean;
  /** Row order of its file (and so of the table in the browser); by report key when absent. */
  order?: string;
  /** The columns of a table derived in `DASHBOARD_VIEWS` (not a subset of a published table's). */
  columns?: ReadonlyArray<readonly [string, ColumnType]>;
}

/**
 * `report_cells`: the reports summed per year and region (year, province, city, county), with the parts of every
 * figure the regional view and the review badges show — counts, budget and spending, the budget-weighted execution
 * rate as its numerator and weight, scores as sum and count — and the overview's other cards (departments, reports
 * with flags, projects below the default threshold). Queries without a department-kind or report-kind filter read it
 * instead of the reports (regional-sql.ts, review-coverage-sql.ts, overview-sql.ts): a fifth of the rows at 100,000
 * synthetic reports spread over every county of the country, a fortieth for one province's 20,000.
 */
export const REPORT_CELL_COLUMNS = [
  ['year', 'INTEGER'], ['province', 'VARCHAR'], ['city', 'VARCHAR'], ['county', 'VARCHAR'],
  ['reports', 'INTEGER'], ['reviewed', 'INTEGER'], ['budget_wan', 'DOUBLE'], ['spent_wan', 'DOUBLE'],
  ['rate_budget', 'DOUBLE'], ['rate_weight', 'DOUBLE'], ['score_sum', 'DOUBLE'], ['score_n', 'INTEGER'],
  ['departments', 'INTEGER'], ['flagged', 'INTEGER'], ['low_exec', 'INTEGER'],
] as const satisfies ReadonlyArray<readonly [string, ColumnType]>;

/**
 * `issue_cells`: the issues counted per year, region (province, city) and category — occurrences, and reports with
 * such an issue (a report lies in one region, so these add up). The issues view's heatmap reads it at the province and
 * city level when no department-kind or report-kind filter is set (issues-sql.ts): a fifth of the issues' rows at
 * 100,000 reports, without their text, and no distinct count per change. Counties, and those filters, read the issues.
 */
export const ISSUE_CELL_COLUMNS = [
  ['year', 'INTEGER'], ['province', 'VARCHAR'], ['city', 'VARCHAR'], ['category', 'VARCHAR'],
  ['occurrences', 'INTEGER'], ['reports', 'INTEGER'],
] as const satisfies ReadonlyArray<readonly [string, ColumnType]>;

/**
 * What the dashboard loads (a DuckDB database file per table beside the Parquet, sent compressed), with the columns
 * of `dashboardColumns`: `reports` at once; `projects`, `issues` and `report_ids` (rk → report_id, title, source) when
 * a query names them — only the views listing projects, issues or reports need those, and they are most of the bytes
 * and of the load time. Over the Parquet files the same tables are the published ones plus `DASHBOARD_VIEWS`, so the
 * dashboard's SQL runs unchanged on native DuckDB. `flags` and `indicators` are not loaded: no view queries them.
 */
export const DASHBOARD_TABLES: readonly DashboardTableDef[] = [
  { name: 'reports', from: 'reports', lazy: false },
  { name: 'report_cells', from: 'reports', lazy: false, columns: REPORT_CELL_COLUMNS, order: 'year, province, city, county' },
  // Only the low-execution view queries it (the overview counts low-execution projects from reports.project_rates).
  // By execution rate: DuckDB skips the row groups above the low-execution threshold (every query of that view filters
  // on it), which made its queries two to four times faster at 100,000 reports (test/bench).
  { name: 'projects', from: 'projects', lazy: true, order: 'execution_rate_pct NULLS LAST, rk, idx' },
  // Only the issues view queries them: the heatmap the cells, a county's heatmap and the sentences the issues.
  { name: 'issue_cells', from: 'issues', lazy: true, columns: ISSUE_CELL_COLUMNS, order: 'year, province, city, category' },
  { name: 'issues', from: 'issues', lazy: true },
  { name: 'report_ids', from: 'reports', lazy: true },
];

/**
 * `report_ids`, `report_cells` and `issue_cells` over the published tables (native DuckDB: publishing, tests, the
 * bench).
 */
export const DASHBOARD_VIEWS = `
  CREATE OR REPLACE VIEW issue_cells AS SELECT year, province, city, category,
    CAST(count(*) AS INTEGER) AS occurrences, CAST(count(DISTINCT rk) AS INTEGER) AS reports
  FROM issues WHERE category IS NOT NULL GROUP BY year, province, city, category;
  CREATE OR REPLACE VIEW report_ids AS SELECT ${REPORT_ID_COLUMNS.join(', ')} FROM reports;
  CREATE OR REPLACE VIEW report_cells AS SELECT year, province, city, county,
    ${Object.entries({ ...CELL_SUMS, ...CELL_OVERVIEW_SUMS }).map(([c, agg]) => `CAST(${agg} AS ${REPORT_CELL_COLUMNS.find(([n]) => n === c)![1]}) AS ${c}`).join(',\n    ')}
  FROM reports GROUP BY year, province, city, county;`;

/**
 * The columns of a dashboard table, in its file and in the browser: the published columns without the report's id,
 * title and source and without those no dashboard query reads; child tables other than `projects` also without the
 * report's department (queries join `reports` on rk for it). `projects` keeps the department and the project's name:
 * the low-execution list sorts by and shows both, and joining 360,000 projects to reports and to a names table before
 * taking a page made that list's query three times slower at 100,000 reports (test/bench). Child tables carry the
 * filter columns themselves: joining them back on rk in the browser cost ~600 ms of DuckDB-WASM per page load at
 * 100,000 reports, and sorted by rk they add little to the compressed file.
 */
export function dashboardColumns(def: DashboardTableDef): ReadonlyArray<readonly [string, ColumnType]> {
  if (def.columns) return def.columns;
  const source = PUBLISHED_TABLES.find((t) => t.name === def.from)!;
  const ids = new Set<string>(REPORT_ID_COLUMNS);
  if (def.name === 'report_ids') return source.columns.filter(([c]) => ids.has(c));
  const left = new Set<string>([...ids, ...UNREAD_COLUMNS]);
  if (def.from !== 'reports' && def.name !== 'projects') left.add('department');
  return source.columns.filter(([c]) => c === 'rk' || !left.has(c));
}

/** The row order of a dashboard table's file, and so of the table in the browser. */
export function dashboardOrder(def: DashboardTableDef): string {
  return def.order ?? (def.from === 'reports' ? 'rk' : 'rk, idx');
}

/**
 * Published columns that no dashboard query reads (the report page and the review queue ask the server for these):
 * every column costs download and memory in the browser (and cost ~250 ms of load time for the reports table at
 * 100,000 reports while the tables were converted from Arrow).
 */
const UNREAD_COLUMNS = [
  'admin_code', 'funds_received_wan', 'grade', 'project_count', 'issue_count', 'low_confidence_count', 'correction_count',
] as const;
