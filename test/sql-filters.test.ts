import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choicesFor, filterOptionsSql, MAX_LISTED, parentsOf, type FilterOptionRow } from '../client/src/filters/filter-options-sql.ts';
import { parseFilters, writeFilters } from '../client/src/filters/filters.ts';
import { reportListSql, type ReportListRow } from '../client/src/views/report/report-list-sql.ts';
import { filters, openFixtureDB, REPORTS } from './sql-duckdb.ts';

let db: Awaited<ReturnType<typeof openFixtureDB>>;
beforeAll(async () => {
  db = await openFixtureDB();
  await db.insert('reports', REPORTS);
});
afterAll(() => db.close());

describe('filter options', () => {
  let rows: FilterOptionRow[];
  beforeAll(async () => {
    rows = await db.run<FilterOptionRow>(filterOptionsSql());
  });

  it('lists every choice present in the data', () => {
    const all = choicesFor(rows, filters());
    expect(all.year).toEqual(['2023', '2024', '2025']);
    expect(all.province).toEqual(['四川省', '河北省', '甘肃省']);
    expect(all.kind).toEqual(['department_overall', 'project']);
    expect(all.department_kind).toEqual(['医疗保障', '教育']);
    expect(all.city).toContain('石家庄市');
  });

  it('cascades: cities and counties follow the province and city, other lists stay whole', () => {
    const inHebei = choicesFor(rows, filters({ province: '河北省', years: [2024] }));
    expect(inHebei.province).toEqual(['四川省', '河北省', '甘肃省']);
    expect(inHebei.city).toEqual(['唐山市', '石家庄市']);
    expect(inHebei.county).toEqual(['丰南区', '鹿泉区']);
    expect(inHebei.year).toEqual(['2023', '2024', '2025']);
    expect(choicesFor(rows, filters({ province: '河北省', city: '石家庄市' })).county).toEqual(['鹿泉区']);
    expect(parentsOf(rows, 'county', '鹿泉区', filters())).toEqual({ province: '河北省', city: '石家庄市' });
    expect(parentsOf(rows, 'city', '唐山市', filters())).toEqual({ province: '河北省', city: null });
  });

  it('holds back a region list too long to use until a parent region is chosen', () => {
    const many: FilterOptionRow[] = Array.from({ length: MAX_LISTED + 1 }, (_, i) => ({
      dim: 'county', value: `县${i}`, parent_province: i % 2 ? '甲省' : '乙省', parent_city: `市${i % 10}`,
    }));
    expect(choicesFor(many, filters()).county).toBeNull();
    expect(choicesFor(many, filters({ province: '甲省' })).county).toHaveLength(Math.floor((MAX_LISTED + 1) / 2));
    expect(choicesFor(many, filters({ city: '市3' })).county!.every((v) => Number(v.slice(1)) % 10 === 3)).toBe(true);
  });
});

describe('report list', () => {
  it('lists reports under the filters, newest year first', async () => {
    const rows = await db.run<ReportListRow>(reportListSql(filters({ province: '河北省' }), 100));
    expect(rows.map((r) => r.report_id)).toEqual(['r6', 'r3', 'r2', 'r1']);
    expect(rows.find((r) => r.report_id === 'r3')!.exec_rate).toBe(90);
    expect(rows.map((r) => r.total)).toEqual([4, 4, 4, 4]);
    // A page: the first rows in the same order, with the count of all.
    const page = await db.run<ReportListRow>(reportListSql(filters({ province: '河北省' }), 2));
    expect(page.map((r) => [r.report_id, r.total])).toEqual([['r6', 4], ['r3', 4]]);
  });
});

describe('filters in the URL', () => {
  it('round-trips through the query string', () => {
    const f = filters({ years: [2025, 2023], province: '河北省', city: '石家庄市', departmentKind: '教育', kind: 'project' });
    const search = new URLSearchParams('view=regional&year=2019');
    writeFilters(search, f);
    expect(search.get('view')).toBe('regional');
    expect(search.getAll('year')).toEqual(['2025', '2023']);
    expect(parseFilters(new URLSearchParams(search.toString()))).toEqual({ ...f, years: [2023, 2025] });
    expect(parseFilters(new URLSearchParams('year=2024,2023&year=x&province='))).toEqual(filters({ years: [2023, 2024] }));
  });
});
