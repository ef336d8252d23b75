import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterClause, literal, lowExecProjects, quoteIdent, regionLevel } from '../client/src/db/sql.ts';
import { DASHBOARD_FORMAT } from '../server/store/dashboard-files.ts';
import { overviewFromReportsSql, overviewSql, pickKpiYears, type OverviewRow } from '../client/src/views/overview/overview-sql.ts';
import { formatDelta, formatPct, formatWan, yoy } from '../client/src/format.ts';
import { filters, of, openFixtureDB, REPORTS } from './sql-duckdb.ts';
import { DEFAULT_BANDS } from '../client/src/charts/bands.ts';
import {
  firstViewKey, MAX_REGION_CHOICES, regionChoicesSql, regionViewQueries, type RegionChoice,
} from '../client/src/db/first-view.ts';

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
  it('writes the filters set into the text as plain comparisons, and omits and qualifies on request', () => {
    expect(filterClause(filters())).toEqual({ sql: 'TRUE', params: [] });
    expect(filterClause(filters({ years: [2024], province: '四川省', kind: 'project' })))
      .toEqual({ sql: `"year" = 2024 AND "province" = '四川省' AND "kind" = 'project'`, params: [] });
    // Several years are a list, in order, each once.
    expect(filterClause(filters({ years: [2024, 2019, 2024] })).sql).toBe('"year" IN (2019, 2024)');
    const omitted = filterClause(filters({ years: [2024], kind: 'project' }), { omit: ['years', 'province', 'city', 'county', 'departmentKind'], alias: 'i' });
    expect(omitted).toEqual({ sql: `"i"."kind" = 'project'`, params: [] });
    expect(filterClause(filters({ years: [2024], kind: 'project' }), { omit: ['years', 'kind'] }).sql).toBe('TRUE');
  });
  it('keeps any filter value inside its literal: quotes, backslashes and NUL characters select nothing and break nothing', async () => {
    expect(literal("河北省'; DROP TABLE reports; --")).toBe("'河北省''; DROP TABLE reports; --'");
    expect(() => literal('a\u0000b')).toThrow(/NUL/);
    // A NUL character in a filter value matches nothing; a value of another type is compared as text.
    expect(filterClause(filters({ province: 'a\u0000b' })).sql).toBe('FALSE');
    expect(filterClause(filters({ province: 5 as unknown as string })).sql).toBe(`"province" = '5'`);
    expect(literal(12.5)).toBe('12.5');
    expect(literal(null)).toBe('NULL');
    expect(() => literal(Number.NaN)).toThrow(/finite/);
    const before = await db.run<{ n: number }>({ sql: 'SELECT count(*) AS n FROM reports', params: [] });
    for (const evil of ["河北省'; DROP TABLE reports; --", "x' OR '1'='1", 'a\\', "\\'; SELECT 1; --", 'null\u0000byte']) {
      const where = filterClause(filters({ province: evil, city: evil }));
      expect(await db.run({ sql: `SELECT rk FROM reports WHERE ${where.sql}`, params: [] })).toEqual([]);
    }
    // A real value with a quote in it is matched as written.
    const quoted = filterClause(filters({ province: "O'Brien省" }));
    expect(quoted.sql).toBe(`"province" = 'O''Brien省'`);
    expect(await db.run<{ n: number }>({ sql: 'SELECT count(*) AS n FROM reports', params: [] })).toEqual(before);
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

  it('reads the regions\' sums when it can, giving the same figures as the reports', async () => {
    const close = (a: OverviewRow[], b: OverviewRow[]) => {
      expect(a.map((r) => [r.year, r.reports, r.departments, r.flagged, r.reviewed, r.low_exec]))
        .toEqual(b.map((r) => [r.year, r.reports, r.departments, r.flagged, r.reviewed, r.low_exec]));
      a.forEach((r, i) => {
        for (const k of ['budget_wan', 'exec_rate', 'avg_score'] as const) {
          if (r[k] == null) expect(b[i]![k]).toBeNull();
          else expect(r[k]).toBeCloseTo(b[i]![k]!, 9);
        }
      });
    };
    const cases = [filters(), filters({ province: '河北省' }), filters({ province: '河北省', city: '石家庄市' }),
      filters({ county: '鹿泉区', years: [2024] }), filters({ province: '西藏自治区' })];
    for (const f of cases) {
      const built = overviewSql(f, { threshold: 60 });
      expect(built.sql).toContain('FROM report_cells');
      close(await db.run<OverviewRow>(built), await db.run<OverviewRow>(overviewFromReportsSql(f, { threshold: 60 })));
    }
    // A filter the cells do not split by, or another threshold: the reports.
    expect(overviewSql(filters({ departmentKind: '教育' }), { threshold: 60 }).sql).toContain('FROM reports');
    expect(overviewSql(filters({ kind: 'project' }), { threshold: 60 }).sql).toContain('FROM reports');
    expect(overviewSql(filters(), { threshold: 70 }).sql).toContain('FROM reports');
    expect((await db.run<OverviewRow>(overviewSql(filters({ departmentKind: '教育' }), { threshold: 60 }))).map((r) => [r.year, r.reports]))
      .toEqual([[2024, 1]]);
  });

  it('counts a department once per region: the same name in two regions is two departments', async () => {
    const two = await openFixtureDB();
    try {
      await two.insert('reports', [
        { ...REPORTS[0]!, report_id: 'x1', rk: 0, department: '财政局', county: '鹿泉区' },
        { ...REPORTS[0]!, report_id: 'x2', rk: 1, department: '财政局', county: '井陉县' },
        { ...REPORTS[0]!, report_id: 'x3', rk: 2, department: '财政局', county: '井陉县', kind: 'project' },
        { ...REPORTS[0]!, report_id: 'x4', rk: 3, department: null, county: '井陉县' },
      ]);
      for (const built of [overviewSql(filters(), { threshold: 60 }), overviewFromReportsSql(filters(), { threshold: 60 })]) {
        expect((await two.run<OverviewRow>(built)).map((r) => [r.reports, r.departments])).toEqual([[4, 2]]);
      }
    } finally {
      two.close();
    }
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

describe('the overview answered ahead per region choice (first-view.json)', () => {
  it('lists every province when the reports span several, else every city of the one province', async () => {
    expect(await db.run<RegionChoice>(regionChoicesSql())).toEqual([
      { province: '四川省', city: null }, { province: '河北省', city: null }, { province: '甘肃省', city: null },
    ].sort((a, b) => (a.province < b.province ? -1 : 1)));
    const one = await openFixtureDB();
    try {
      await one.insert('reports', REPORTS.filter((r) => r.province === '河北省' || r.province == null));
      expect(await one.run<RegionChoice>(regionChoicesSql())).toEqual([
        { province: '河北省', city: '唐山市' }, { province: '河北省', city: '石家庄市' },
      ].sort((a, b) => (a.city < b.city ? -1 : 1)));
    } finally {
      one.close();
    }
  });

  it('publishes new files when what the cells sum changes (the version hash covers their SQL)', () => {
    // The cells count low-execution projects at the default threshold, which the overview's SQL on them no longer names.
    expect(overviewSql(filters(), { threshold: DEFAULT_BANDS.exec.red }).sql).not.toContain('list_filter');
    expect(DASHBOARD_FORMAT).toContain(JSON.stringify(lowExecProjects(DEFAULT_BANDS.exec.red)).slice(1, -1));
    expect(DASHBOARD_FORMAT).toContain('issue_cells');
  });

  it('keys each by the very SQL the overview runs when the user makes that choice', async () => {
    const choices: RegionChoice[] = [{ province: '河北省', city: null }, { province: '河北省', city: '石家庄市' }];
    const queries = regionViewQueries(choices);
    // The filter bar sets a city with its province; the overview leaves out the years and uses the default threshold.
    expect(queries.map(firstViewKey)).toEqual([
      firstViewKey(overviewSql(filters({ province: '河北省', years: [2024] }), { threshold: DEFAULT_BANDS.exec.red })),
      firstViewKey(overviewSql(filters({ province: '河北省', city: '石家庄市' }), { threshold: DEFAULT_BANDS.exec.red })),
    ]);
    const rows = await db.run<OverviewRow>(queries[1]!);
    expect(rows.map((r) => [r.year, r.reports])).toEqual([[2023, 1], [2024, 1], [2025, 1]]);
    // Past the cap the file would outgrow its use: none are answered ahead.
    const many = Array.from({ length: MAX_REGION_CHOICES + 1 }, (_, i) => ({ province: `省${i}`, city: null }));
    expect(regionViewQueries(many)).toEqual([]);
    expect(regionViewQueries(many.slice(0, MAX_REGION_CHOICES))).toHaveLength(MAX_REGION_CHOICES);
  });
});
