/** Helpers for the SQL-builder tests: a real in-memory DuckDB with the published tables and small fixtures. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DASHBOARD_TABLES, DASHBOARD_VIEWS, dashboardColumns, PUBLISHED_TABLES } from '../server/tables.ts';
import { projectRatesSql } from '../server/store/publish.ts';
import type { Sql } from '../client/src/db/sql.ts';
import { EMPTY_FILTERS, type Filters } from '../client/src/filters/filters.ts';

type Row = Record<string, unknown>;

/**
 * An in-memory DuckDB holding every published table (empty), plus a runner for builder output. The runner first binds
 * each statement against the tables as the browser holds them (`dashboardColumns`, fewer columns than published), so a
 * query reading a column the dashboard does not load fails here rather than only in the browser.
 */
export async function openFixtureDB(): Promise<{ conn: DuckDBConnection; run<T = Row>(built: Sql): Promise<T[]>; insert(table: string, rows: Row[]): Promise<void>; close(): void }> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  for (const def of PUBLISHED_TABLES) {
    await conn.run(`CREATE TABLE ${def.name} (${def.columns.map(([c, t]) => `"${c}" ${t}`).join(', ')})`);
  }
  await conn.run(DASHBOARD_VIEWS);
  const browser = await instance.connect();
  await browser.run('CREATE SCHEMA browser; SET search_path = browser');
  for (const def of DASHBOARD_TABLES) {
    await browser.run(`CREATE TABLE browser.${def.name} (${dashboardColumns(def).map(([c, t]) => `"${c}" ${t}`).join(', ')})`);
  }
  return {
    conn,
    async run<T>(built: Sql): Promise<T[]> {
      (await browser.prepare(built.sql)).destroySync();
      // Queries with `?` placeholders bind them in order, as DuckDB-WASM's prepared statements do.
      const reader = await conn.runAndReadAll(built.sql, built.params);
      return reader.getRowObjectsJS().map((r) => plain(r)) as T[];
    },
    async insert(table, rows) {
      const def = PUBLISHED_TABLES.find((t) => t.name === table)!;
      const cols = def.columns.map(([c]) => c);
      for (const row of rows) {
        const unknown = Object.keys(row).filter((k) => !cols.includes(k));
        if (unknown.length) throw new Error(`${table}: no column ${unknown.join(', ')}`);
        await conn.run(
          `INSERT INTO ${table} VALUES (${def.columns.map(([, t]) => `CAST(? AS ${t})`).join(', ')})`,
          cols.map((c) => {
            const v = row[c] ?? null;
            return (v instanceof Date ? v.toISOString() : v) as never;
          }),
        );
      }
      // Derived as publishing derives it (publish.ts), from the projects inserted so far.
      if (table === 'projects' || table === 'reports') {
        await conn.run(`UPDATE reports SET project_rates = ${projectRatesSql('projects', 'reports.report_id')}`);
      }
    },
    close() {
      browser.closeSync();
      conn.closeSync();
      instance.closeSync();
    },
  };
}

function plain(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'bigint' ? Number(v) : v;
  return out;
}

/** Filters with some fields set. */
export function filters(f: Partial<Filters> = {}): Filters {
  return { ...EMPTY_FILTERS, ...f };
}

const base = { admin_code: null, department_kind: '医疗保障', kind: 'department_overall' };

/** Seven reports across years, provinces, cities and counties (one with no year or region). */
export const REPORTS: Row[] = [
  { report_id: 'r1', year: 2023, province: '河北省', city: '石家庄市', county: '鹿泉区', department: 'A', budget_wan: 100, spent_wan: 80, execution_rate_pct: 80, score: 90, flag_count: 0 },
  { report_id: 'r2', year: 2024, province: '河北省', city: '石家庄市', county: '鹿泉区', department: 'A', budget_wan: 200, spent_wan: 100, execution_rate_pct: 50, score: 85, flag_count: 2 },
  { report_id: 'r3', year: 2024, province: '河北省', city: '唐山市', county: '丰南区', department: 'B', budget_wan: 300, spent_wan: 270, execution_rate_computed_pct: 90, score: 95, flag_count: 0, department_kind: '教育' },
  { report_id: 'r4', year: 2024, province: '四川省', city: '乐山市', county: '金口河区', department: 'C', budget_wan: 100, spent_wan: 100, execution_rate_pct: 100, score: 70, flag_count: 1 },
  { report_id: 'r5', year: 2024, province: '甘肃省', city: '庆阳市', county: '合水县', department: 'D', execution_rate_pct: 40, flag_count: 0, kind: 'project' },
  { report_id: 'r6', year: 2025, province: '河北省', city: '石家庄市', county: null, department: 'E', budget_wan: 50, spent_wan: 47.5, execution_rate_pct: 95, score: 99, flag_count: 0 },
  { report_id: 'r7', year: null, province: null, city: null, county: null, department: null, flag_count: 0 },
].map((r, rk) => ({ ...base, rk, ...r }));

/** The filter columns of report `id`, for its child rows. */
export function of(id: string): Row {
  const r = REPORTS.find((x) => x.report_id === id)!;
  const keys = ['report_id', 'rk', 'year', 'province', 'city', 'county', 'admin_code', 'department', 'department_kind', 'kind'];
  return Object.fromEntries(keys.map((k) => [k, r[k]]));
}
