/**
 * The review badge against real DuckDB: reviewed or corrected reports of all, under the filters — by its own query, and
 * summed from the overview's and regional view's rows.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { coverageFromRows, reviewCoverageSql, type ReviewCoverageRow } from '../client/src/db/review-coverage-sql.ts';
import { overviewSql, type OverviewRow } from '../client/src/views/overview/overview-sql.ts';
import { regionalSql, type RegionRow } from '../client/src/views/regional/regional-sql.ts';
import { filters, openFixtureDB, REPORTS } from './sql-duckdb.ts';

let db: Awaited<ReturnType<typeof openFixtureDB>>;
const STATES: Record<string, string> = { r1: 'reviewed', r2: 'corrected', r3: 'unreviewed', r4: 'corrected', r5: 'unreviewed', r6: 'unreviewed', r7: 'unreviewed' };

beforeAll(async () => {
  db = await openFixtureDB();
  await db.insert('reports', REPORTS.map((r) => ({ ...r, review_state: STATES[r.report_id as string] })));
});
afterAll(() => db.close());

test('counts reviewed and corrected reports of all reports under the filters', async () => {
  const run = async (f = filters()) => (await db.run<ReviewCoverageRow>(reviewCoverageSql(f)))[0];
  expect(await run()).toEqual({ total: 7, reviewed: 3 });
  expect(await run(filters({ province: '河北省' }))).toEqual({ total: 4, reviewed: 2 });
  expect(await run(filters({ years: [2024] }))).toEqual({ total: 4, reviewed: 2 });
  expect(await run(filters({ province: '四川省', years: [2024] }))).toEqual({ total: 1, reviewed: 1 });
  expect(await run(filters({ years: [2030] }))).toEqual({ total: 0, reviewed: 0 });
});

test('the overview\'s and regional view\'s rows give the same coverage, summed in the page', async () => {
  const cases = [
    filters(), filters({ province: '河北省' }), filters({ years: [2024] }), filters({ years: [2023, 2025] }),
    filters({ province: '四川省', years: [2024] }), filters({ years: [2030] }), filters({ kind: 'project' }),
    filters({ province: '河北省', city: '石家庄市', departmentKind: '医疗保障' }),
  ];
  for (const f of cases) {
    const want = (await db.run<ReviewCoverageRow>(reviewCoverageSql(f)))[0];
    expect(coverageFromRows(await db.run<RegionRow>(regionalSql(f)), f), JSON.stringify(f)).toEqual(want);
    expect(coverageFromRows(await db.run<OverviewRow>(overviewSql(f, { threshold: 60 })), f, true), JSON.stringify(f)).toEqual(want);
  }
});
