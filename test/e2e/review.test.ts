/**
 * Review end to end in offline Chromium against the real server: an editor corrects a report's execution rate beside
 * its source sentence and the regional chart follows; the queue, the change log and its CSV; a viewer gets no edit
 * controls and the API refuses a direct call.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_FILTERS } from '../../client/src/filters/filters.ts';
import { formatPct } from '../../client/src/format.ts';
import { regionalSql, type RegionRow } from '../../client/src/views/regional/regional-sql.ts';
import { createClient, form } from '../server-helpers.ts';
import { EDITOR_TOKEN, launchChromium, offlinePage, publishedDB, ROOT, screenshot, startTestServer, waitForDataset } from './helpers.ts';

/** Waits for what follows a server round trip (a save republishes the data; the machine may be busy). */
const SLOW = { timeout: 20_000 };

let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;
const blocked: string[] = [];
const errors: string[] = [];
/** The 乐山市金口河区 report: the only one in 四川省, execution rate 90.52% stated in its text. */
let reportId: string;

async function open(path: string, opts: { acceptDownloads?: boolean } = {}): Promise<Page> {
  const p = await offlinePage(browser, opts);
  p.page.on('close', () => { blocked.push(...p.blocked); errors.push(...p.errors); });
  await p.page.goto(server.url + path);
  await waitForDataset(p.page);
  return p.page;
}

async function sichuanRate(): Promise<number | null> {
  const db = await publishedDB(server);
  try {
    return (await db.run<RegionRow>(regionalSql(EMPTY_FILTERS))).find((r) => r.region === '四川省')?.exec_rate ?? null;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  const [row] = await server.store.db.query<{ id: string }>("SELECT id FROM reports WHERE department LIKE '乐山市金口河区%'");
  reportId = row!.id;
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe('review (offline Chromium against the real server)', () => {
  it('shows a viewer everything read-only, and the API refuses a direct correction', async () => {
    const page = await open(`/?view=report&report=${reportId}`);
    await page.locator('[data-testid="record-fields"] [data-field="execution_rate_pct"]').waitFor();
    await expect.poll(() => page.getByTestId('editor-status').innerText(), SLOW).toContain('只读');
    expect(await page.locator('.edit-button').count()).toBe(0);
    expect(await page.getByTestId('mark-reviewed').count()).toBe(0);
    expect(await page.locator('.report-badges [data-testid="review-state"]').innerText()).toBe('未复核');

    const status = await page.evaluate(async (id) => {
      const res = await fetch('/trpc/review.correct', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ reportId: id, target: { kind: 'report', field: 'execution_rate_pct' }, value: 1, reason: 'x', editor: 'x' }),
      });
      return res.status;
    }, reportId);
    expect(status).toBe(401);
    expect((await server.store.db.query('SELECT * FROM overrides'))).toEqual([]);
    await screenshot(page, 'e2e-review-viewer');
    await page.close();
  });

  it('lets an editor correct the execution rate beside its sentence; the regional chart follows', async () => {
    const before = await sichuanRate();
    expect(before).toBeCloseTo(90.52, 6);
    const version = server.store.manifest().version;

    const page = await open(`/?view=report&report=${reportId}`);
    await page.locator('#review-token').fill(EDITOR_TOKEN);
    await page.locator('#review-editor').fill('张三');
    await expect.poll(() => page.getByTestId('editor-status').innerText(), SLOW).toContain('令牌有效');

    const field = page.locator('[data-testid="record-fields"] [data-field="execution_rate_pct"]');
    await field.getByRole('button', { name: '修正：执行率' }).click();
    const form = field.getByTestId('correction-form');
    // The source sentence the figure came from is quoted beside the form, and highlighted in the text.
    await expect.poll(() => form.locator('.correction-sentence').innerText(), SLOW).toContain('执行率为 90.52%');
    await expect.poll(() => page.getByTestId('active-sentence').innerText(), SLOW).toContain('90.52%');
    // Saving without a reason is refused in the browser.
    await form.locator('input[name="value"]').fill('75');
    await form.getByRole('button', { name: '保存' }).click();
    expect(await form.locator('textarea[name="reason"]').evaluate((el: HTMLTextAreaElement) => el.validity.valueMissing)).toBe(true);
    await form.locator('textarea[name="reason"]').fill('决算表显示执行率为 75%');
    await screenshot(page, 'e2e-review-form');
    await form.getByRole('button', { name: '保存' }).click();

    await page.getByTestId('review-notice').waitFor();
    const after = server.store.manifest().version;
    expect(after).not.toBe(version);
    await waitForDataset(page, after);
    await expect.poll(() => field.locator('.field-value').innerText(), SLOW).toBe(formatPct(75));
    expect(await field.locator('.was').innerText()).toBe(formatPct(90.52));
    expect(await field.locator('.tag-ok').innerText()).toBe('已修正');
    expect(await page.locator('.report-badges [data-testid="review-state"]').innerText()).toBe('有修正');
    await expect.poll(() => page.locator('[data-testid="active-corrections"] [data-field="execution_rate_pct"]').innerText(), SLOW).toContain('张三');
    await page.waitForTimeout(400);
    await screenshot(page, 'e2e-review-report');

    // The regional view, moved to the new version without a reload: 四川省 now shows the corrected rate.
    const want = await sichuanRate();
    expect(want).toBeCloseTo(75, 6);
    await page.getByRole('link', { name: '地区对比' }).click();
    const card = page.locator('[data-testid="rate-ranking"]');
    await card.locator('.bar-list').waitFor();
    await expect.poll(() => card.getByTestId('review-badge').innerText(), SLOW).toBe('已复核 1/5 份报告（20%）');
    await screenshot(page, 'e2e-review-regional');
    await card.getByRole('button', { name: '查看数据表' }).click();
    const row = card.locator('tbody tr', { hasText: '四川省' });
    await expect.poll(() => row.locator('td').nth(5).innerText(), SLOW).toBe(formatPct(want));
    await screenshot(page, 'e2e-review-regional-table');
    await page.close();
  });

  it('ranks the queue by need, marks a report reviewed, and lists every change in the change log and its CSV', async () => {
    const page = await open('/?view=review', { acceptDownloads: true });
    const queue = page.getByTestId('review-queue');
    await queue.locator('tbody tr').first().waitFor();
    expect(await queue.locator('tbody tr').count()).toBe(5);
    const needs = (await queue.locator('tbody tr td:first-child').allInnerTexts()).map(Number);
    expect(needs).toEqual([...needs].sort((a, b) => b - a));
    expect(await queue.locator(`tr[data-report="${reportId}"] [data-testid="review-state"]`).innerText()).toBe('有修正');
    await page.waitForTimeout(300);
    await screenshot(page, 'e2e-review-queue');

    // The editor (token kept for the session) marks the top report reviewed from its report view.
    await page.locator('#review-token').fill(EDITOR_TOKEN);
    await page.locator('#review-editor').fill('李四');
    const top = await queue.locator('tbody tr').first().getAttribute('data-report');
    await queue.locator('tbody tr').first().getByRole('link').click();
    await page.getByTestId('mark-reviewed').waitFor();
    await page.getByRole('textbox', { name: '复核备注（可选）' }).fill('已逐项核对');
    await page.getByTestId('mark-reviewed').click();
    await expect.poll(() => page.locator('.report-badges [data-testid="review-state"]').innerText(), SLOW).toBe('已复核');

    await page.getByRole('link', { name: '修改记录' }).click();
    const log = page.getByTestId('audit-log');
    await log.locator('tbody tr').nth(1).waitFor();
    const rows = await log.locator('tbody tr').allInnerTexts();
    expect(rows[0]).toContain('李四');
    expect(rows[0]).toContain('标记已复核');
    expect(rows[0]).toContain('已逐项核对');
    expect(rows[1]).toMatch(/张三\s+修正\s+乐山市金口河区医疗保障局[\s\S]*执行率\s+90\.5%\s+75\.0%\s+决算表显示执行率为 75%/);
    await screenshot(page, 'e2e-review-audit');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-csv').click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('张三,修正,乐山市金口河区医疗保障局,2025,执行率,90.5%,75.0%,决算表显示执行率为 75%');
    expect(top).toBeTruthy();
    await page.close();
  });

  it('lists a correction the newer version no longer matches as stale, and applies it no more', async () => {
    // A newer version of the same report stating another rate: the 75% correction cannot carry over.
    const text = readFileSync(join(ROOT, 'data/reports/001_0d668bf8600ec614.txt'), 'utf8').replace('执行率为 90.52%', '执行率为 88.10%');
    const [result] = await createClient(server.url, EDITOR_TOKEN).reports.upload.mutate(
      form({ name: '乐山市金口河区医疗保障局（修订）.txt', bytes: new TextEncoder().encode(text) }),
    );
    expect(result).toMatchObject({ ok: true, status: 'superseded_older' });
    expect(await sichuanRate()).toBeCloseTo(88.1, 6);

    const page = await open(`/?view=report&report=${result!.id}`);
    const stale = page.getByTestId('stale-corrections');
    await stale.waitFor();
    const item = stale.locator('[data-field="execution_rate_pct"]');
    expect(await item.innerText()).toContain(`新提取值：${formatPct(88.1)}`);
    expect(await item.innerText()).toContain('张三');
    const field = page.locator('[data-testid="record-fields"] [data-field="execution_rate_pct"]');
    expect(await field.locator('.field-value').innerText()).toBe(formatPct(88.1));
    // Marked, and (the new rate contradicts the amounts) flagged: it is listed among the first fields.
    expect(await field.locator('.tag-warn').allInnerTexts()).toEqual(['疑点', '已失效']);
    const order = await page.locator('[data-testid="record-fields"] .field-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field')));
    expect(order.indexOf('execution_rate_pct')).toBeLessThan(order.indexOf('department'));
    expect(await field.getAttribute('class')).toContain('field-attention');
    expect(await page.locator('.report-badges [data-testid="review-state"]').innerText()).toBe('未复核');
    await screenshot(page, 'e2e-review-stale');
    await page.close();
  });

  it('never reached beyond localhost and logged no errors', () => {
    expect(blocked).toEqual([]);
    expect(errors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
  });
});
