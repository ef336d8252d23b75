import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  frequencyFromCells, issueFrequencySql, issueHeatmapFromIssuesSql, issueHeatmapSql, issueSentencesSql,
  type IssueCellRow, type IssueFrequencyRow, type IssueSentenceRow,
} from '../client/src/views/issues/issues-sql.ts';
import { heatmapAxes } from '../client/src/views/issues/issues-chart.ts';
import { filters, of, openFixtureDB, REPORTS } from './sql-duckdb.ts';

let db: Awaited<ReturnType<typeof openFixtureDB>>;
beforeAll(async () => {
  db = await openFixtureDB();
  await db.insert('reports', REPORTS.map((r) => ({ ...r, title: `${r.report_id} 报告` })));
  const issue = (id: string, idx: number, category: string) => ({ ...of(id), idx, category, text: `${id}-${idx} ${category}` });
  await db.insert('issues', [
    issue('r1', 0, 'EXEC_SLOW'),
    issue('r2', 0, 'EXEC_SLOW'), issue('r2', 1, 'EXEC_SLOW'), issue('r2', 2, 'MANAGEMENT'),
    issue('r3', 0, 'EXEC_SLOW'),
    issue('r4', 0, 'TARGET_MISSED'),
    issue('r7', 0, 'OTHER'),
  ]);
});
afterAll(() => db.close());

describe('issue SQL', () => {
  it('counts each category and the reports it appears in, most frequent first', async () => {
    const rows = await db.run<IssueFrequencyRow>(issueFrequencySql(filters()));
    expect(rows).toEqual([
      { category: 'EXEC_SLOW', occurrences: 4, reports: 3 },
      { category: 'MANAGEMENT', occurrences: 1, reports: 1 },
      { category: 'OTHER', occurrences: 1, reports: 1 },
      { category: 'TARGET_MISSED', occurrences: 1, reports: 1 },
    ]);
    const y2024 = await db.run<IssueFrequencyRow>(issueFrequencySql(filters({ years: [2024], province: '河北省' })));
    expect(y2024.map((r) => [r.category, r.occurrences])).toEqual([['EXEC_SLOW', 3], ['MANAGEMENT', 1]]);
  });

  it('builds region × category heatmap counts at the current level', async () => {
    const cells = await db.run<IssueCellRow>(issueHeatmapSql(filters()));
    expect(cells).toEqual([
      { region: '四川省', category: 'TARGET_MISSED', occurrences: 1, reports: 1 },
      { region: '河北省', category: 'EXEC_SLOW', occurrences: 4, reports: 3 },
      { region: '河北省', category: 'MANAGEMENT', occurrences: 1, reports: 1 },
      { region: null, category: 'OTHER', occurrences: 1, reports: 1 },
    ]);
    expect(heatmapAxes(cells)).toEqual({
      categories: ['EXEC_SLOW', 'MANAGEMENT', 'OTHER', 'TARGET_MISSED'],
      regions: ['河北省', '四川省', null],
    });
    const cities = await db.run<IssueCellRow>(issueHeatmapSql(filters({ province: '河北省' })));
    expect(cities.filter((c) => c.category === 'EXEC_SLOW').map((c) => [c.region, c.occurrences]))
      .toEqual([['唐山市', 1], ['石家庄市', 3]]);
  });

  it('gives the frequencies summed from the heatmap\'s cells exactly as their own SQL does, at every level', async () => {
    const cases = [filters(), filters({ years: [2024] }), filters({ province: '河北省' }), filters({ province: '河北省', city: '石家庄市' }),
      filters({ years: [2023, 2024], province: '河北省' }), filters({ years: [2030] }), filters({ kind: 'project' })];
    for (const f of cases) {
      expect(frequencyFromCells(await db.run<IssueCellRow>(issueHeatmapSql(f))), JSON.stringify(f))
        .toEqual(await db.run<IssueFrequencyRow>(issueFrequencySql(f)));
    }
  });

  it('reads the issue sums at the province and city level, counting the issues for a county or another filter: the same cells', async () => {
    const cases = [filters(), filters({ years: [2024] }), filters({ province: '河北省' }), filters({ years: [2023, 2024], province: '河北省' }),
      filters({ province: '西藏自治区' }), filters({ years: [2030] })];
    for (const f of cases) {
      const built = issueHeatmapSql(f);
      expect(built.sql, JSON.stringify(f)).toContain('FROM issue_cells');
      expect(await db.run<IssueCellRow>(built), JSON.stringify(f)).toEqual(await db.run<IssueCellRow>(issueHeatmapFromIssuesSql(f)));
    }
    // Counties (a city chosen: the heatmap's rows are its counties), department or report kinds: the issues themselves.
    for (const f of [filters({ province: '河北省', city: '石家庄市' }), filters({ county: '鹿泉区' }), filters({ kind: 'project' }), filters({ departmentKind: '教育' })]) {
      expect(issueHeatmapSql(f), JSON.stringify(f)).toEqual(issueHeatmapFromIssuesSql(f));
    }
    // A report with two issues of a category in one region is one report of that cell.
    const hebei = await db.run<IssueCellRow>(issueHeatmapSql(filters({ years: [2024], province: '河北省' })));
    expect(hebei.filter((c) => c.region === '石家庄市')).toEqual([
      { region: '石家庄市', category: 'EXEC_SLOW', occurrences: 2, reports: 1 },
      { region: '石家庄市', category: 'MANAGEMENT', occurrences: 1, reports: 1 },
    ]);
  });

  it('lists the sentences behind a cell with their report titles', async () => {
    const rows = await db.run<IssueSentenceRow>(issueSentencesSql(filters({ years: [2024] }), { category: 'EXEC_SLOW', region: '河北省' }));
    expect(rows.map((r) => r.text)).toEqual(['r2-0 EXEC_SLOW', 'r2-1 EXEC_SLOW', 'r3-0 EXEC_SLOW']);
    expect(rows[0]!.title).toBe('r2 报告');
    const unknown = await db.run<IssueSentenceRow>(issueSentencesSql(filters(), { category: null, region: null }));
    expect(unknown.map((r) => r.report_id)).toEqual(['r7']);
    const anyRegion = await db.run<IssueSentenceRow>(issueSentencesSql(filters(), { category: 'MANAGEMENT' }));
    expect(anyRegion.map((r) => [r.report_id, r.idx])).toEqual([['r2', 2]]);
  });
});
