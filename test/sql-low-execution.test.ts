import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  lowExecCountSql, lowExecPageSql, parseSort, reportIdSql, type LowExecRow,
} from '../client/src/views/low-execution/low-execution-sql.ts';
import { filters, of, openFixtureDB, REPORTS } from './sql-duckdb.ts';

let db: Awaited<ReturnType<typeof openFixtureDB>>;
beforeAll(async () => {
  db = await openFixtureDB();
  await db.insert('reports', REPORTS);
  await db.insert('projects', [
    { ...of('r1'), idx: 0, name: '甲', budget_wan: 10, spent_wan: 3, execution_rate_pct: 30, score: 95, mismatch: true },
    { ...of('r1'), idx: 1, name: '乙', budget_wan: 10, spent_wan: 7, execution_rate_pct: 70, score: 80, mismatch: false },
    { ...of('r2'), idx: 0, name: '丙', budget_wan: 20, spent_wan: 11, execution_rate_pct: 55, score: null, mismatch: false },
    { ...of('r2'), idx: 1, name: '丁', budget_wan: 5, execution_rate_pct: null, mismatch: false },
    { ...of('r2'), idx: 2, name: '戊', budget_wan: null, execution_rate_pct: 59.9, score: 60, mismatch: false },
    { ...of('r4'), idx: 0, name: '己', budget_wan: 40, spent_wan: 4, execution_rate_pct: 10, score: 91, mismatch: true },
  ]);
});
afterAll(() => db.close());

const sort = (key: string, dir: string) => parseSort(key, dir);

describe('low-execution SQL', () => {
  it('counts projects strictly below the threshold (unknown rates excluded)', async () => {
    const n = async (threshold: number, f = filters()) => (await db.run<{ n: number }>(lowExecCountSql(f, { threshold })))[0]!.n;
    expect(await n(60)).toBe(4);
    expect(await n(55)).toBe(2);
    expect(await n(30)).toBe(1);
    expect(await n(60, filters({ province: '四川省' }))).toBe(1);
  });

  it('sorts in SQL by any column, nulls last, and pages with LIMIT/OFFSET', async () => {
    const page = async (key: string, dir: string, offset = 0, limit = 10) =>
      (await db.run<LowExecRow>(lowExecPageSql(filters(), { threshold: 60, sort: sort(key, dir), offset, limit }))).map((r) => r.name);
    expect(await page('execution_rate_pct', 'asc')).toEqual(['己', '甲', '丙', '戊']);
    expect(await page('budget_wan', 'desc')).toEqual(['己', '丙', '甲', '戊']);
    expect(await page('score', 'asc')).toEqual(['戊', '己', '甲', '丙']);
    expect(await page('mismatch', 'desc')).toEqual(['甲', '己', '丙', '戊']);
    expect(await page('execution_rate_pct', 'asc', 1, 2)).toEqual(['甲', '丙']);
    // Names and departments sort before the page is cut.
    expect(await page('name', 'asc')).toEqual(['丙', '己', '戊', '甲']);
    expect(await page('name', 'desc', 1, 2)).toEqual(['戊', '己']);
    const byDept = await db.run<LowExecRow>(lowExecPageSql(filters(), { threshold: 60, sort: sort('department', 'desc'), offset: 0, limit: 10 }));
    const departments = byDept.map((r) => r.department);
    expect(departments).toEqual([...departments].sort().reverse());
    // Each row's report key opens its own report.
    for (const r of byDept) {
      const [hit] = await db.run<{ report_id: string }>(reportIdSql(r.rk));
      expect(r.department).toBe(REPORTS.find((x) => x.report_id === hit!.report_id)!.department);
    }
    expect(await db.run(reportIdSql(99_999))).toEqual([]);
    // The page reads the projects table alone: the reports' ids (a table of their own, loaded when named) are looked
    // up only for a row being opened.
    expect(lowExecPageSql(filters(), { threshold: 60, sort: sort('name', 'asc'), offset: 0, limit: 10 }).sql).not.toMatch(/report_ids|JOIN/);
  });

  it('refuses sort keys outside the whitelist', () => {
    expect(parseSort('name; DROP TABLE projects', 'desc')).toEqual({ key: 'execution_rate_pct', dir: 'desc' });
    expect(parseSort(null, null)).toEqual({ key: 'execution_rate_pct', dir: 'asc' });
  });

  it('pages through 120,000 projects in order', async () => {
    await db.insert('reports', [{ report_id: 'big', rk: 100, year: 2024, province: '河北省', kind: 'project' }]);
    await db.conn.run(`INSERT INTO projects (report_id, rk, idx, year, province, name, budget_wan, execution_rate_pct, mismatch)
      SELECT 'big', 100, i, 2024, '河北省', 'p' || i, (i % 997)::DOUBLE, (i * 7919 % 100000) / 1000.0, false FROM range(120000) t(i)`);
    const f = filters({ years: [2024], province: '河北省' });
    const [{ n }] = (await db.run<{ n: number }>(lowExecCountSql(f, { threshold: 50 }))) as [{ n: number }];
    const rows = await db.run<LowExecRow>(lowExecPageSql(f, { threshold: 50, sort: sort('execution_rate_pct', 'desc'), offset: 60_000 - 200, limit: 200 }));
    // Counted independently: the generated rates under 50 (r2's own 2024 projects are all at 55 or more).
    let expected = 0;
    for (let i = 0; i < 120_000; i++) if ((i * 7919) % 100_000 < 50_000) expected++;
    expect(n).toBe(expected);
    expect(rows).toHaveLength(200);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.execution_rate_pct).toBeGreaterThanOrEqual(rows[i]!.execution_rate_pct);
  });
});
