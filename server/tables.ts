/**
 * The analytic tables published to the browser (the contract between the server's store and the dashboard's SQL).
 * Every table carries the report's filter columns (year, region, department kind, report kind) so that the browser
 * can filter without joins. Only current (non-superseded) reports are published in these tables; history is served
 * by the API. Figures an editor corrected are published corrected (the API shows both values). No table carries
 * personal data (contact names, phone numbers).
 */

export type ColumnType = 'VARCHAR' | 'INTEGER' | 'DOUBLE' | 'BOOLEAN' | 'TIMESTAMP';
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
}

/**
 * What the dashboard loads (Arrow IPC files beside the Parquet, sent compressed): `reports`, `projects` and `issues`
 * with the published columns except the report's id, title and source (~6 MB per 100,000 reports that only views
 * opening a report need), and `report_ids` (rk → report_id, title, source) when a query names it. Child tables travel
 * without the report's columns and are joined to `reports` on rk in the browser. Over the Parquet files the same tables
 * are the published ones plus the view `REPORT_IDS_VIEW`, so the dashboard's SQL runs unchanged on native DuckDB.
 */
export const DASHBOARD_TABLES: readonly DashboardTableDef[] = [
  { name: 'reports', from: 'reports', lazy: false },
  { name: 'projects', from: 'projects', lazy: false },
  { name: 'issues', from: 'issues', lazy: false },
  { name: 'report_ids', from: 'reports', lazy: true },
];

/** `report_ids` over the published tables (native DuckDB, tests). */
export const REPORT_IDS_VIEW = `CREATE OR REPLACE VIEW report_ids AS SELECT ${REPORT_ID_COLUMNS.join(', ')} FROM reports`;

/** The columns of a dashboard table as the browser holds it (its columns without the report's id, title, source). */
export function dashboardColumns(def: DashboardTableDef): ReadonlyArray<readonly [string, ColumnType]> {
  const source = PUBLISHED_TABLES.find((t) => t.name === def.from)!;
  const ids = new Set<string>(REPORT_ID_COLUMNS);
  if (def.name === 'report_ids') return source.columns.filter(([c]) => ids.has(c));
  return source.columns.filter(([c]) => c === 'rk' || !ids.has(c));
}

/** The columns a dashboard table's file carries: child tables leave out the report's columns (joined back on rk). */
export function wireColumns(def: DashboardTableDef): ReadonlyArray<readonly [string, ColumnType]> {
  if (def.from === 'reports') return dashboardColumns(def);
  const report = new Set<string>(FILTER_COLUMNS.map(([c]) => c));
  return dashboardColumns(def).filter(([c]) => c === 'rk' || !report.has(c));
}
