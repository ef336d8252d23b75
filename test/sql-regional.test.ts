import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  regionalCellsSql, regionalSql, regionalTrendSql, regionsFromCells, trendFromCells, type RegionCellRow, type RegionRow, type RegionYearRow,
} from '../client/src/views/regional/regional-sql.ts';
import { rankedRows, rankingMax, rankingOption } from '../client/src/views/regional/regional-chart.ts';
import { bandOf, DEFAULT_BANDS } from '../client/src/charts/bands.ts';
import { reviewCoverageSql } from '../client/src/db/review-coverage-sql.ts';
import { filters, openFixtureDB, REPORTS } from './sql-duckdb.ts';

let db: Awaited<ReturnType<typeof openFixtureDB>>;
beforeAll(async () => {
  db = await openFixtureDB();
  await db.insert('reports', REPORTS);
});
afterAll(() => db.close());

describe('regionalSql', () => {
  it('ranks provinces by budget-weighted execution rate, unknown rates last and unranked', async () => {
    const rows = await db.run<RegionRow>(regionalSql(filters({ years: [2024] })));
    expect(rows.map((r) => [r.region, r.rate_rank])).toEqual([['四川省', 1], ['河北省', 2], ['甘肃省', null]]);
    expect(rows[1]!.exec_rate).toBeCloseTo((50 * 200 + 90 * 300) / 500, 9);
    expect(rows[1]!.budget_wan).toBe(500);
    // Score ranking is its own order: 河北 (85+95)/2 = 90 beats 四川 70.
    expect(rows.find((r) => r.region === '河北省')!.score_rank).toBe(1);
    expect(rows.find((r) => r.region === '四川省')!.score_rank).toBe(2);
  });

  it('drills down: a province shows its cities, a city its counties', async () => {
    const cities = await db.run<RegionRow>(regionalSql(filters({ province: '河北省' })));
    expect(cities.map((r) => r.region)).toEqual(['唐山市', '石家庄市']);
    expect(cities[1]!.exec_rate).toBeCloseTo((80 * 100 + 50 * 200 + 95 * 50) / 350, 9);
    const counties = await db.run<RegionRow>(regionalSql(filters({ province: '河北省', city: '石家庄市' })));
    // The city-level department (no county) stays visible as an unknown-county row rather than vanishing.
    expect(counties.map((r) => [r.region, r.exec_rate])).toEqual([[null, 95], ['鹿泉区', 60]]);
  });

  it('gives ties the same rank', async () => {
    const rows = await db.run<RegionRow>(regionalSql(filters({ years: [2024], province: '河北省' })));
    expect(rows.map((r) => r.rate_rank)).toEqual([1, 2]);
    await db.insert('reports', [{ ...REPORTS[3], report_id: 'tie', province: '山西省', city: 'x', county: 'y' }]);
    const tied = await db.run<RegionRow>(regionalSql(filters({ years: [2024] })));
    expect(tied.filter((r) => r.rate_rank === 1).map((r) => r.region).sort()).toEqual(['四川省', '山西省']);
    expect(tied.find((r) => r.region === '河北省')!.rate_rank).toBe(3);
    await db.conn.run("DELETE FROM reports WHERE report_id = 'tie'");
  });

  it('gives one trend row per region and year, ignoring the year filter', async () => {
    const rows = await db.run<RegionYearRow>(regionalTrendSql(filters({ years: [2024], province: '河北省' })));
    expect(rows.map((r) => [r.year, r.region, r.exec_rate])).toEqual([
      [2023, '石家庄市', 80], [2024, '唐山市', 90], [2024, '石家庄市', 50], [2025, '石家庄市', 95],
    ]);
  });
});

describe('ranking chart', () => {
  it('ranks the regions with a value, rank 1 first, and colours the exported bars by band', async () => {
    const rows = await db.run<RegionRow>(regionalSql(filters({ years: [2024] })));
    const option = rankingOption(rows, 'exec_rate', DEFAULT_BANDS.exec, (r) => r ?? '?', null) as {
      yAxis: { data: string[] }; series: { data: { value: number; itemStyle: { color: string } }[] }[];
    };
    expect(option.yAxis.data).toEqual(['1. 四川省', '2. 河北省']);
    expect(option.series[0]!.data.map((d) => d.itemStyle.color)).toEqual(['#2e8b57', '#d4a017']);
    expect(rankedRows(rows, 'exec_rate').map((r) => r.region)).toEqual(['四川省', '河北省']);
    expect(rankingMax(rows, 'exec_rate')).toBe(100);
    expect(rankingMax([{ ...rows[0]!, exec_rate: 104.2 }], 'exec_rate')).toBe(110);
    expect([bandOf(59.9, DEFAULT_BANDS.exec), bandOf(60, DEFAULT_BANDS.exec), bandOf(90, DEFAULT_BANDS.exec), bandOf(null, DEFAULT_BANDS.exec)])
      .toEqual(['red', 'amber', 'green', 'none']);
  });
});

describe('report_cells (the reports summed per year and region)', () => {
  it('gives the regional figures, the trend and the review coverage exactly as the reports do', async () => {
    const cells = await openFixtureDB();
    try {
      // Every report of one kind, so a report-kind filter selects them all while making the SQL read the reports.
      const states = ['reviewed', 'unreviewed', 'corrected', 'unreviewed', 'reviewed', 'unreviewed', 'unreviewed'];
      await cells.insert('reports', REPORTS.map((r, i) => ({ ...r, kind: 'department_overall', review_state: states[i] })));
      const all = { kind: 'department_overall' };
      const cases = [
        filters(), filters({ years: [2024] }), filters({ years: [2023, 2024] }), filters({ province: '河北省' }),
        filters({ province: '河北省', years: [2024] }), filters({ province: '河北省', city: '石家庄市' }), filters({ years: [2030] }),
      ];
      const close = (a: Record<string, unknown>[], b: Record<string, unknown>[]) => {
        expect(a.length).toBe(b.length);
        a.forEach((row, i) => {
          for (const [k, v] of Object.entries(row)) {
            if (typeof v === 'number') expect(v).toBeCloseTo(b[i]![k] as number, 9);
            else expect(v).toEqual(b[i]![k]);
          }
        });
      };
      for (const f of cases) {
        expect(regionalSql(f).sql).toContain('report_cells');
        expect(regionalSql({ ...f, ...all }).sql).not.toContain('report_cells');
        close(await cells.run(regionalSql(f)), await cells.run(regionalSql({ ...f, ...all })));
        close(await cells.run(regionalTrendSql(f)), await cells.run(regionalTrendSql({ ...f, ...all })));
        close(await cells.run(reviewCoverageSql(f)), await cells.run(reviewCoverageSql({ ...f, ...all })));
      }
      expect(await cells.run(reviewCoverageSql(filters()))).toEqual([{ total: 7, reviewed: 3 }]);
      expect(await cells.run(reviewCoverageSql(filters({ years: [2030] })))).toEqual([{ total: 0, reviewed: 0 }]);
    } finally {
      cells.close();
    }
  });
});

describe('the regional view\'s one query (region × year sums)', () => {
  it('gives the ranking and the trend exactly as their own SQL does, for every filter and both sources', async () => {
    const db2 = await openFixtureDB();
    try {
      const states = ['reviewed', 'unreviewed', 'corrected', 'unreviewed', 'reviewed', 'unreviewed', 'unreviewed'];
      await db2.insert('reports', [
        ...REPORTS.map((r, i) => ({ ...r, kind: 'department_overall', review_state: states[i] })),
        // A tie on the rate with 四川省 in 2024, and a report whose year is not known.
        { ...REPORTS[3], report_id: 'tie', province: '山西省', city: 'x', county: 'y', kind: 'department_overall' },
        { ...REPORTS[0], report_id: 'noyear', year: null, kind: 'department_overall' },
        // Equal rates whose sums differ in their last bits by the order they are added in (per year, or all at once):
        // (0.1 + 0.2 + 0.3) / 3 against 0.2. They tie in both.
        ...[[2023, 0.1], [2024, 0.2], [2024, 0.3]].map(([year, rate], i) => ({
          ...REPORTS[0], report_id: `zj${i}`, year, province: '浙江省', city: '杭州市', county: '西湖区', kind: 'department_overall',
          budget_wan: 1, spent_wan: rate, execution_rate_pct: rate, score: 80,
        })),
        { ...REPORTS[0], report_id: 'js0', year: 2024, province: '江苏省', city: '南京市', county: '玄武区', kind: 'department_overall',
          budget_wan: 1, spent_wan: 0.2, execution_rate_pct: 0.2, score: 80 },
      ]);
      const cases = [
        filters(), filters({ years: [2024] }), filters({ years: [2023, 2024] }), filters({ province: '河北省' }),
        filters({ province: '河北省', years: [2024] }), filters({ province: '河北省', city: '石家庄市' }), filters({ years: [2030] }),
      ];
      const close = (a: Record<string, unknown>[], b: Record<string, unknown>[]) => {
        expect(a.map((r) => r.region)).toEqual(b.map((r) => r.region));
        a.forEach((row, i) => {
          for (const [k, v] of Object.entries(b[i]!)) {
            if (typeof v === 'number' && !Number.isInteger(v)) expect(row[k]).toBeCloseTo(v, 9);
            else expect(row[k]).toEqual(v);
          }
        });
      };
      let ranked = 0;
      for (const base of cases) {
        // Read from report_cells, and (a report-kind filter) from the reports.
        for (const f of [base, { ...base, kind: 'department_overall' }]) {
          const cells = await db2.run<RegionCellRow>(regionalCellsSql(f));
          const ranking = await db2.run<RegionRow>(regionalSql(f));
          close(regionsFromCells(cells, f), ranking);
          close(trendFromCells(cells), await db2.run<RegionYearRow>(regionalTrendSql(f)));
          ranked += ranking.filter((r) => r.rate_rank != null).length;
        }
        // The years are not in the text: a year change runs no query.
        expect(regionalCellsSql(base).sql).toBe(regionalCellsSql({ ...base, years: [2019] }).sql);
      }
      expect(ranked).toBeGreaterThan(10);
      // Both ways, the float sums tie.
      const sums = [regionsFromCells(await db2.run<RegionCellRow>(regionalCellsSql(filters())), filters()), await db2.run<RegionRow>(regionalSql(filters()))];
      for (const rows of sums) {
        const [zj, js] = ['浙江省', '江苏省'].map((p) => rows.find((r) => r.region === p)!);
        expect(zj!.rate_rank).toBe(js!.rate_rank);
      }
      // The tie shares rank 1, and the next region is third.
      const y2024 = regionsFromCells(await db2.run<RegionCellRow>(regionalCellsSql(filters())), filters({ years: [2024] }));
      expect(y2024.filter((r) => r.rate_rank === 1).map((r) => r.region).sort()).toEqual(['四川省', '山西省']);
      expect(y2024.find((r) => r.region === '河北省')!.rate_rank).toBe(3);
    } finally {
      db2.close();
    }
  });
});
