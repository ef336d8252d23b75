import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterClause, quoteIdent, regionLevel } from '../client/src/db/sql.ts';
import { overviewSql, pickKpiYears, type OverviewRow } from '../client/src/views/overview/overview-sql.ts';
import { formatDelta, formatPct, formatWan, yoy } from '../client/src/format.ts';
import { filters, of, openFixtureDB, REPORTS } from './sql-duckdb.ts';

let db: Awaited<ReturnType<typeof openFixtureDB>>;

beforeAll(async () => {
  db = await openFixtureDB();
  await db.insert('reports', REPORTS);
  await db.insert('projects', [
    { ...of('r1'), idx: 0, name: 'p', execution_rate_pct: 30 },
    { ...of('r1'), idx: 1, name: 'p', execution_rate_pct: 70 },
    { ...of('r2'), idx: 0, name: 'p', execution_rate_pct: 55 },
    { ...of('r2'), idx: 1, name: 'p', execution_rate_pct: null },
    { ...of('r2'), idx: 2, name: 'p', execution_rate_pct: 59.9 },
    { ...of('r4'), idx: 0, name: 'p', execution_rate_pct: 10 },
    { ...of('r6'), idx: 0, name: 'p', execution_rate_pct: 20 },
  ]);
});
afterAll(() => db.close());

describe('filterClause', () => {
  it('binds every value as a parameter, in order', () => {
    const evil = "河北省'; DROP TABLE reports; --";
    const c = filterClause(filters({ years: [2023, 2024], province: evil, city: '石家庄市' }));
    expect(c.params).toEqual(['[2023,2024]', evil, evil, '石家庄市', '石家庄市', null, null, null, null, null, null]);
    expect(c.sql).not.toContain('河北');
    expect(c.sql).not.toContain('2023');
  });
  it('has one text for every value of the filters (one prepared statement), and omits and qualifies on request', () => {
    const text = filterClause(filters()).sql;
    expect(filterClause(filters({ years: [2024], province: '四川省', kind: 'project' })).sql).toBe(text);
    // Several years are a second text, the same for any of them.
    const several = filterClause(filters({ years: [2023, 2024] })).sql;
    expect(several).not.toBe(text);
    expect(filterClause(filters({ years: [2019, 2021, 2025], city: '石家庄市' })).sql).toBe(several);
    const omitted = filterClause(filters({ years: [2024], kind: 'project' }), { omit: ['years', 'province', 'city', 'county', 'departmentKind'], alias: 'i' });
    expect(omitted).toEqual({ sql: '(CAST(? AS VARCHAR) IS NULL OR "i"."kind" = ?)', params: ['project', 'project'] });
    expect(filterClause(filters(), { omit: ['years', 'province', 'city', 'county', 'departmentKind', 'kind'] }).sql).toBe('TRUE');
  });
  it('quotes identifiers and picks the level below the deepest region filter', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(regionLevel(filters())).toBe('province');
    expect(regionLevel(filters({ province: '河北省' }))).toBe('city');
    expect(regionLevel(filters({ province: '河北省', city: '石家庄市' }))).toBe('county');
  });
  it('filters rows by province, city and year in real DuckDB', async () => {
    const ids = async (f: Parameters<typeof filters>[0]) => {
      const where = filterClause(filters(f));
      const rows = await db.run<{ report_id: string }>({
        sql: `SELECT d.report_id FROM reports JOIN report_ids d USING (rk) WHERE ${where.sql} ORDER BY 1`,
        params: where.params,
      });
      return rows.map((r) => r.report_id);
    };
    expect(await ids({ years: [2023, 2024], province: '河北省', city: '石家庄市' })).toEqual(['r1', 'r2']);
    // One year (an equality) and no year (every row) select what plain SQL selects.
    const plain = async (where: string) => (await db.run<{ report_id: string }>({
      sql: `SELECT d.report_id FROM reports JOIN report_ids d USING (rk) WHERE ${where} ORDER BY 1`, params: [],
    })).map((r) => r.report_id);
    const one = await ids({ years: [2024], province: '河北省', city: '石家庄市' });
    expect(one.length).toBeGreaterThan(0);
    expect(one).toEqual(await plain(`year = 2024 AND province = '河北省' AND city = '石家庄市'`));
    expect(await ids({ province: '河北省', city: '石家庄市' })).toEqual(await plain(`province = '河北省' AND city = '石家庄市'`));
  });
});

describe('overviewSql', () => {
  it('computes the KPI figures of each year', async () => {
    const rows = await db.run<OverviewRow>(overviewSql(filters(), { threshold: 60 }));
    const y2024 = rows.find((r) => r.year === 2024)!;
    expect(y2024.reports).toBe(4);
    expect(y2024.departments).toBe(4);
    expect(y2024.budget_wan).toBe(600);
    // Budget-weighted: (50×200 + 90×300 + 100×100) / 600; r5 has no budget, r3's rate is the computed one.
    expect(y2024.exec_rate).toBeCloseTo(47000 / 600, 9);
    expect(y2024.avg_score).toBeCloseTo((85 + 95 + 70) / 3, 9);
    expect(y2024.flagged).toBe(2);
    expect(y2024.low_exec).toBe(3);
    const y2023 = rows.find((r) => r.year === 2023)!;
    expect([y2023.reports, y2023.exec_rate, y2023.low_exec]).toEqual([1, 80, 1]);
    // The report with no known year is kept apart, never merged into a year.
    expect(rows.find((r) => r.year === null)?.reports).toBe(1);
  });

  it('honours the threshold and every filter but the year', async () => {
    const rows = await db.run<OverviewRow>(overviewSql(filters({ years: [2024], province: '河北省' }), { threshold: 56 }));
    expect(rows.map((r) => r.year)).toEqual([2023, 2024, 2025]);
    const y2024 = rows.find((r) => r.year === 2024)!;
    expect(y2024.reports).toBe(2);
    expect(y2024.exec_rate).toBeCloseTo((50 * 200 + 90 * 300) / 500, 9);
    expect(y2024.low_exec).toBe(1);
  });

  it('compares the latest selected year with the year before (同比)', async () => {
    const rows = await db.run<OverviewRow>(overviewSql(filters({ years: [2023, 2024] }), { threshold: 60 }));
    const { year, current, previous } = pickKpiYears(rows, filters({ years: [2023, 2024] }));
    expect(year).toBe(2024);
    expect(yoy(current!.reports, previous!.reports, 'relative')).toBe(300);
    expect(formatDelta(yoy(current!.exec_rate, previous!.exec_rate, 'pp'), 'pp', 'zh')).toBe('−1.7 个百分点');
    expect(formatDelta(yoy(current!.budget_wan, previous!.budget_wan, 'relative'), 'relative', 'en')).toBe('+500.0%');
    // Without a year filter the latest year in the data is shown; 2025 is compared with 2024.
    expect(pickKpiYears(rows, filters()).year).toBe(2025);
    expect(pickKpiYears(rows, filters({ years: [2023] })).previous).toBeUndefined();
  });

  it('formats 万元 with separators and percentages with one decimal', () => {
    expect(formatWan(1234567.891)).toBe('1,234,567.89');
    expect(formatPct(78.3333)).toBe('78.3%');
    expect(formatPct(null)).toBe('—');
  });
});
