import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterOptionsSql, type FilterOptionRow } from '../client/src/filters/filter-options-sql.ts';
import { parseFilters, writeFilters } from '../client/src/filters/filters.ts';
import { reportListSql, type ReportListRow } from '../client/src/views/report/report-list-sql.ts';
import { filters, openFixtureDB, REPORTS } from './sql-duckdb.ts';

let db: Awaited<ReturnType<typeof openFixtureDB>>;
beforeAll(async () => {
  db = await openFixtureDB();
  await db.insert('reports', REPORTS);
});
afterAll(() => db.close());

const values = (rows: FilterOptionRow[], dim: string) => rows.filter((r) => r.dim === dim).map((r) => r.value);

describe('filter options', () => {
  it('lists every choice present in the data', async () => {
    const rows = await db.run<FilterOptionRow>(filterOptionsSql(filters()));
    expect(values(rows, 'year')).toEqual(['2023', '2024', '2025']);
    expect(values(rows, 'province')).toEqual(['四川省', '河北省', '甘肃省']);
    expect(values(rows, 'kind')).toEqual(['department_overall', 'project']);
    expect(values(rows, 'department_kind')).toEqual(['医疗保障', '教育']);
  });

  it('cascades: cities and counties follow the province and city, provinces stay selectable', async () => {
    const rows = await db.run<FilterOptionRow>(filterOptionsSql(filters({ province: '河北省', years: [2024] })));
    expect(values(rows, 'province')).toEqual(['四川省', '河北省', '甘肃省']);
    expect(values(rows, 'city')).toEqual(['唐山市', '石家庄市']);
    expect(values(rows, 'county')).toEqual(['丰南区', '鹿泉区']);
    // Years ignore the year filter (so more can be added) but honour the province.
    expect(values(rows, 'year')).toEqual(['2023', '2024', '2025']);
    const county = rows.find((r) => r.dim === 'county' && r.value === '鹿泉区')!;
    expect([county.parent_province, county.parent_city]).toEqual(['河北省', '石家庄市']);
  });

  it('lists reports under the filters, newest year first', async () => {
    const rows = await db.run<ReportListRow>(reportListSql(filters({ province: '河北省' })));
    expect(rows.map((r) => r.report_id)).toEqual(['r6', 'r3', 'r2', 'r1']);
    expect(rows.find((r) => r.report_id === 'r3')!.exec_rate).toBe(90);
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
