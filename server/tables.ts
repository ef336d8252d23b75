/**
 * The analytic tables published to the browser (the contract between the server's store and the dashboard's SQL).
 * Every table carries the report's filter columns (year, region, department kind, report kind) so that the browser
 * can filter without joins. Only current (non-superseded) reports are published in these tables; history is served
 * by the API. No table carries personal data (contact names, phone numbers).
 */

export type ColumnType = 'VARCHAR' | 'INTEGER' | 'DOUBLE' | 'BOOLEAN' | 'TIMESTAMP';
export interface TableDef {
  name: string;
  columns: ReadonlyArray<readonly [string, ColumnType]>;
}

/** Filter columns shared by every published table. */
export const FILTER_COLUMNS = [
  ['report_id', 'VARCHAR'],
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
      ['review_state', 'VARCHAR'],
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
