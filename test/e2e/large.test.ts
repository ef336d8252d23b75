/**
 * The low-execution table over 120,000 projects: only the rows in view are in the DOM, sorting and paging happen in
 * SQL, the far end of the list is one scroll away, and the keyboard walks and opens rows.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_FILTERS } from '../../client/src/filters/filters.ts';
import { REPORT_LIST_PAGE } from '../../client/src/views/report/report-list-sql.ts';
import { lowExecCountSql, lowExecPageSql, reportIdSql, type LowExecRow, type Sort } from '../../client/src/views/low-execution/low-execution-sql.ts';
import { DASHBOARD_TABLES, dashboardOrder } from '../../server/tables.ts';
import { launchChromium, offlinePage, pageQuery, publishedDB, screenshot, startTestServer, waitForDataset } from './helpers.ts';

const BULK = 120_000;
/** Extra reports, for the report list. */
const LISTED = 250;
let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;
let page: Page;
let blocked: string[];

async function expected(sort: Sort, offset: number, threshold = 100): Promise<{ total: number; row: LowExecRow; reportId: string }> {
  const db = await publishedDB(server);
  try {
    const [{ n }] = (await db.run<{ n: number }>(lowExecCountSql(EMPTY_FILTERS, { threshold }))) as [{ n: number }];
    const [row] = await db.run<LowExecRow>(lowExecPageSql(EMPTY_FILTERS, { threshold, sort, offset, limit: 1 }));
    const [id] = await db.run<{ report_id: string }>(reportIdSql(row!.rk));
    return { total: n, row: row!, reportId: id!.report_id };
  } finally {
    db.close();
  }
}

const sqlOf = (sql: string) => ({ sql, params: [] });
const nameAt = (index: number) => page.locator(`.vtable-row[data-index="${index}"] .cell-name`);

beforeAll(async () => {
  server = await startTestServer();
  // Bulk projects under one seeded report, then a change through the store's own path so it republishes.
  const [a, b] = await server.store.db.query<{ id: string }>('SELECT id FROM reports ORDER BY id LIMIT 2');
  await server.store.db.query(
    `INSERT INTO projects SELECT ?, 1000 + i, '批量项目' || lpad(i::VARCHAR, 6, '0'), (i % 997) + 0.5, NULL,
       ((i % 997) + 0.5) * ((i * 7919) % 100000) / 100000.0, ((i * 7919) % 100000) / 1000.0, 60 + i % 40
     FROM range(${BULK}) t(i)`,
    [a!.id],
  );
  // Many small reports for the report list (no projects: the counts above stay those of the bulk report).
  await server.store.db.query(
    `INSERT INTO reports (id, seq, status, review_state, ingested_at, source, format, department, province, year, kind,
       budget_wan, project_count, issue_count, flag_count)
     SELECT 'list' || lpad(i::VARCHAR, 4, '0'), 10000 + i, 'current', 'unreviewed', now(), 'list.txt', 'txt',
       '列表单位' || lpad(i::VARCHAR, 4, '0'), '河北省', 2024, 'department_overall', 10 + i, 0, 0, 0
     FROM range(${LISTED}) t(i)`,
  );
  await server.store.remove(b!.id);
  browser = await launchChromium();
  ({ page, blocked } = await offlinePage(browser));
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe('low-execution table with 120,000+ projects', () => {
  it('renders only the visible rows and reaches the last one with one scroll', async () => {
    const sort: Sort = { key: 'execution_rate_pct', dir: 'asc' };
    const first = await expected(sort, 0);
    expect(first.total).toBeGreaterThan(BULK - 1);
    await page.goto(`${server.url}/?view=low-execution&threshold=100`);
    await waitForDataset(page);
    await page.locator(`[data-testid="low-exec-count"][data-count="${first.total}"]`).waitFor();
    await expect.poll(() => nameAt(0).innerText()).toBe(first.row.name);
    expect(await page.locator('.vtable-row[data-index]').count()).toBeLessThan(60);

    const last = await expected(sort, first.total - 1);
    const started = Date.now();
    await page.locator('.vtable-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await expect.poll(() => nameAt(first.total - 1).innerText(), { timeout: 10_000 }).toBe(last.row.name);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await page.locator('.vtable-row[data-index]').count()).toBeLessThan(60);
    await screenshot(page, 'e2e-low-execution-120k');
  });

  it('copies the projects from their file into the engine\'s memory in steps, in the file\'s order', async () => {
    await expect.poll(() => page.evaluate(() => performance.getEntriesByName('dataset:in-memory:projects').length), { timeout: 60_000 }).toBe(1);
    // A checksum of the row order: each project's idx weighted by its position.
    const order = (rows: string) => `SELECT count(*) AS n, sum(r * (idx % 1000)) AS sum FROM (SELECT ${rows}, idx FROM projects)`;
    const inPage = await pageQuery(page, order('row_number() OVER () AS r'));
    const db = await publishedDB(server);
    try {
      const published = await db.run(sqlOf(order(`row_number() OVER (ORDER BY ${dashboardOrder(DASHBOARD_TABLES.find((t) => t.name === 'projects')!)}) AS r`)));
      expect(inPage).toEqual(published);
      expect((published[0] as { n: number }).n).toBeGreaterThan(BULK);
    } finally {
      db.close();
    }
    // The view still answers the same, now from memory.
    const sort: Sort = { key: 'execution_rate_pct', dir: 'asc' };
    await expect.poll(() => page.locator('[data-testid="low-exec-count"]').getAttribute('data-count')).toBe(String((await expected(sort, 0)).total));
  });

  it('sorts by a column header in SQL', async () => {
    await page.getByRole('button', { name: /^预算（万元）/ }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('budget_wan');
    const top = await expected({ key: 'budget_wan', dir: 'asc' }, 0);
    await expect.poll(() => nameAt(0).innerText()).toBe(top.row.name);
    expect(await page.locator('[role="columnheader"][aria-sort="ascending"]').innerText()).toContain('预算');
    await page.getByRole('button', { name: /^预算（万元）/ }).click();
    const bottom = await expected({ key: 'budget_wan', dir: 'desc' }, 0);
    await expect.poll(() => nameAt(0).innerText()).toBe(bottom.row.name);
  });

  it('walks rows with the arrow keys and opens one with Enter', async () => {
    const want = await expected({ key: 'budget_wan', dir: 'desc' }, 2);
    await page.locator('.vtable-row[data-index="0"]').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-index'))).toBe('2');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('focus')).toBe(`project:${want.row.idx}`);
    expect(new URL(page.url()).searchParams.get('report')).toBe(want.reportId);
    await page.locator('[data-testid="record-projects"]').waitFor();
    expect(blocked).toEqual([]);
  });
});

describe('report list with hundreds of reports', () => {
  it('shows the first fifty rows and fifty more on each request', async () => {
    await page.goto(`${server.url}/?view=report&province=${encodeURIComponent('河北省')}`);
    await waitForDataset(page);
    const rows = page.locator('[data-testid="report-list"] tbody tr');
    await expect.poll(() => rows.count()).toBe(REPORT_LIST_PAGE);
    const more = page.getByRole('button', { name: /显示更多/ });
    const [, first, all] = /(\d+) \/ (\d+)/.exec(await more.innerText())!.map(Number);
    expect(first).toBe(REPORT_LIST_PAGE);
    expect(all).toBeGreaterThan(LISTED);
    // Every page until the list holds them all.
    for (let shown = REPORT_LIST_PAGE; shown < all!; shown += REPORT_LIST_PAGE) {
      await more.click();
      await expect.poll(() => rows.count()).toBe(Math.min(all!, shown + REPORT_LIST_PAGE));
    }
    expect(await more.count()).toBe(0);
    // A new filter starts again at one page.
    await page.getByRole('button', { name: '2024', exact: true }).click();
    await expect.poll(() => rows.count()).toBe(REPORT_LIST_PAGE);
    await screenshot(page, 'e2e-report-list');
  });
});
