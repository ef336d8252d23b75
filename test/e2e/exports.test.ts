/**
 * Exports end to end: the built app in offline Chromium saves PNG, SVG, CSV, XLSX, and a briefing pack as PPTX and PDF;
 * each file is read back and checked against the same SQL run in node DuckDB over the published data.
 * The files are kept in test-results/exports/ for a look.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, Download, Locator, Page } from 'playwright-core';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_ROWS_PER_SLIDE, TABLE_ROWS_PER_SLIDE } from '../../client/src/export/briefing.ts';
import { CAPTION_BOTTOM, CAPTION_TOP, PIXEL_RATIO } from '../../client/src/export/chart-image.ts';
import { specOf, type ChartId, type ChartOptions } from '../../client/src/export/chart-specs.ts';
import { BRIEFING_TABLE_LIMIT } from '../../client/src/export/run.ts';
import { filterClause } from '../../client/src/db/sql.ts';
import { EMPTY_FILTERS } from '../../client/src/filters/filters.ts';
import { issueFrequencySql, type IssueFrequencyRow } from '../../client/src/views/issues/issues-sql.ts';
import { DEFAULT_SORT, lowExecCountSql, lowExecRowsSql, type LowExecRow } from '../../client/src/views/low-execution/low-execution-sql.ts';
import { regionalSql, type RegionRow } from '../../client/src/views/regional/regional-sql.ts';
import { launchChromium, offlinePage, publishedDB, RESULTS, screenshot, startTestServer, waitForDataset } from './helpers.ts';

const OUT = join(RESULTS, 'exports');
const THRESHOLD = 100;

let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;
let page: Page;
const blocked: string[] = [];
const errors: string[] = [];

/** Runs `built` in node DuckDB over the server's published Parquet. */
async function sql<T>(built: { sql: string; params: unknown[] }): Promise<T[]> {
  const db = await publishedDB(server);
  try {
    return await db.run<T>(built);
  } finally {
    db.close();
  }
}

/** Clicks `item` in the export menu of `scope` and saves the download under test-results/exports/. */
async function exportFrom(scope: Locator, format: string, name: string): Promise<{ path: string; download: Download }> {
  await scope.locator('.export-menu summary').first().click();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), scope.locator(`[data-format="${format}"]`).first().click()]);
  const path = join(OUT, name);
  await download.saveAs(path);
  return { path, download };
}

async function addToBriefing(scope: Locator): Promise<void> {
  await scope.locator('.export-menu summary').first().click();
  await scope.getByRole('button', { name: '加入简报' }).click();
  await scope.locator('.export-status', { hasText: '已加入简报' }).waitFor();
}

/** A CSV file (UTF-8 with BOM) as rows of fields (RFC 4180). */
function parseCsv(bytes: Buffer): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else field += ch;
  }
  return rows;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function readXlsx(path: string): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb.worksheets[0]!;
}

const card = (id: string) => page.locator(`[data-testid="${id}"]`);
const flat = (s: string) => s.replace(/\s+/g, '');

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  server = await startTestServer();
  browser = await launchChromium();
  const p = await offlinePage(browser, { acceptDownloads: true });
  page = p.page;
  page.on('close', () => { blocked.push(...p.blocked); errors.push(...p.errors); });
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe('exports (offline Chromium against the real server)', () => {
  it('exports a chart as PNG at 2× with its caption, and as SVG with its title', async () => {
    await page.goto(`${server.url}/?view=issues`);
    await waitForDataset(page);
    const freq = card('issue-frequency');
    await freq.locator('.bar-list').waitFor();
    await freq.locator('.export-menu summary').click();
    await screenshot(page, 'e2e-export-menu');
    await page.keyboard.press('Escape');
    expect(await freq.locator('.export-menu').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    const [w, h] = await freq.locator('.chart').evaluate((el) => [el.clientWidth, el.clientHeight]);

    const png = readFileSync((await exportFrom(freq, 'png', 'issue-frequency.png')).path);
    expect(pngSize(png)).toEqual({ width: w! * PIXEL_RATIO, height: (h! + CAPTION_TOP + CAPTION_BOTTOM) * PIXEL_RATIO });
    await freq.locator('.export-status', { hasText: '已导出 PNG' }).waitFor();

    const { path, download } = await exportFrom(freq, 'svg', 'issue-frequency.svg');
    expect(download.suggestedFilename()).toMatch(/^问题类别出现频次_\d{8}\.svg$/);
    const svg = readFileSync(path, 'utf8');
    expect(XMLValidator.validate(svg)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(svg) as { svg: { '@_width': string; title: string } };
    expect(doc.svg.title).toBe('问题类别出现频次');
    expect(Number(doc.svg['@_width'])).toBe(w);
    // The chart's own category labels are in it too.
    const rows = await sql<IssueFrequencyRow>(issueFrequencySql(EMPTY_FILTERS));
    expect(rows.length).toBeGreaterThan(0);
    expect(svg).toContain(specOf('issue-frequency').columns({ lang: 'zh', filters: EMPTY_FILTERS, options: {} })[0]!.value!(rows[0]!));
  });

  it('exports a chart’s rows as CSV with the numbers of its SQL', async () => {
    const freq = card('issue-frequency');
    const csv = parseCsv(readFileSync((await exportFrom(freq, 'csv', 'issue-frequency.csv')).path));
    const want = await sql<IssueFrequencyRow>(issueFrequencySql(EMPTY_FILTERS));
    expect(csv[0]).toEqual(['问题类别', '类别代码', '出现次数', '涉及报告']);
    expect(csv.slice(1).map((r) => [r[1], Number(r[2]), Number(r[3])])).toEqual(want.map((r) => [r.category, r.occurrences, r.reports]));
  });

  it('exports the regional ranking as XLSX with numeric cells equal to its SQL', async () => {
    await page.getByRole('link', { name: '地区对比' }).click();
    const ranking = card('rate-ranking');
    await ranking.locator('.bar-list').waitFor();
    const ws = await readXlsx((await exportFrom(ranking, 'xlsx', 'rate-ranking.xlsx')).path);
    const want = await sql<RegionRow>(regionalSql(EMPTY_FILTERS));
    expect(ws.getRow(1).getCell(2).value).toBe('省份');
    expect(ws.rowCount).toBe(want.length + 1);
    want.forEach((r, i) => {
      const row = ws.getRow(i + 2);
      expect(row.getCell(2).value).toBe(r.region ?? '未识别地区');
      expect(row.getCell(3).value).toBe(r.reports);
      if (r.exec_rate == null) expect(row.getCell(6).value).toBeNull();
      else expect(row.getCell(6).value as number).toBeCloseTo(r.exec_rate, 9);
      if (r.budget_wan != null) expect(row.getCell(4).value as number).toBeCloseTo(r.budget_wan, 6);
    });
  });

  it('exports every row of the low-execution table (not just the rendered page) as CSV and XLSX', async () => {
    await page.goto(`${server.url}/?view=low-execution&threshold=${THRESHOLD}`);
    await waitForDataset(page);
    const table = card('low-exec');
    await table.locator('[data-testid="low-exec-count"][data-count]:not([data-count=""])').waitFor();
    const [{ n }] = await sql<{ n: number }>(lowExecCountSql(EMPTY_FILTERS, { threshold: THRESHOLD })) as [{ n: number }];
    const want = await sql<LowExecRow>(lowExecRowsSql(EMPTY_FILTERS, { threshold: THRESHOLD, sort: DEFAULT_SORT }));
    expect(want).toHaveLength(n);
    expect(n).toBeGreaterThan(0);

    const csv = parseCsv(readFileSync((await exportFrom(table, 'csv', 'low-exec.csv')).path));
    expect(csv).toHaveLength(n + 1);
    expect(csv.slice(1).map((r) => [r[0], Number(r[6])])).toEqual(want.map((r) => [r.name ?? '', r.execution_rate_pct]));

    const ws = await readXlsx((await exportFrom(table, 'xlsx', 'low-exec.xlsx')).path);
    expect(ws.rowCount).toBe(n + 1);
    want.forEach((r, i) => expect(ws.getRow(i + 2).getCell(7).value as number).toBeCloseTo(r.execution_rate_pct, 9));
  });

  it('builds a briefing from several views, reorders it by keyboard, and keeps it across a reload', async () => {
    await addToBriefing(card('low-exec'));
    await page.getByRole('link', { name: '常见问题' }).click();
    await card('issue-frequency').locator('.bar-list').waitFor();
    await addToBriefing(card('issue-frequency'));
    await page.getByRole('link', { name: '地区对比' }).click();
    await card('rate-ranking').locator('.bar-list').waitFor();
    await addToBriefing(card('rate-ranking'));
    await addToBriefing(card('score-ranking'));
    await page.getByRole('link', { name: '总览' }).click();
    await card('yearly-trend').locator('svg').first().waitFor();
    await addToBriefing(card('yearly-trend'));
    await expect.poll(() => page.getByTestId('briefing-count').innerText()).toBe('5');

    await page.getByRole('link', { name: /^简报/ }).click();
    const order = () => page.locator('.briefing-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-chart')));
    await expect.poll(order).toEqual(['low-exec', 'issue-frequency', 'rate-ranking', 'score-ranking', 'yearly-trend']);
    // Remove one; move the table to the end with the keyboard (focus follows the item).
    await page.getByRole('button', { name: /^移除：自评得分排名/ }).click();
    const down = page.getByRole('button', { name: /^下移：低执行率项目/ });
    await down.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('Enter');
    await expect.poll(order).toEqual(['issue-frequency', 'rate-ranking', 'yearly-trend', 'low-exec']);
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('.briefing-item')?.getAttribute('data-chart'))).toBe('low-exec');
    await screenshot(page, 'e2e-briefing');
    await page.reload();
    await waitForDataset(page);
    await expect.poll(order).toEqual(['issue-frequency', 'rate-ranking', 'yearly-trend', 'low-exec']);
  });

  /** What each briefing slide must say: titles and key figures from the same SQL in node DuckDB. */
  async function expectedBriefing(lang: 'zh' | 'en' = 'zh') {
    const items: { chart: ChartId; options: ChartOptions }[] = [
      { chart: 'issue-frequency', options: {} },
      { chart: 'rate-ranking', options: {} },
      { chart: 'yearly-trend', options: { threshold: THRESHOLD } },
      { chart: 'low-exec', options: { threshold: THRESHOLD, sort: DEFAULT_SORT } },
    ];
    const out = [];
    for (const item of items) {
      const spec = specOf(item.chart);
      const c = { lang, filters: EMPTY_FILTERS, options: item.options };
      const rows = await sql<Record<string, unknown>>(spec.sql(c));
      out.push({ chart: item.chart, title: spec.title(c), figures: spec.figures(rows, c), rows });
    }
    const where = filterClause(EMPTY_FILTERS);
    const sources = await sql<{ n: number }>({ sql: `SELECT count(*) AS n FROM (SELECT DISTINCT department, year, source FROM reports WHERE ${where.sql})`, params: where.params });
    return { items: out, sources: sources[0]!.n };
  }

  it('exports the briefing as PPTX: title, one slide per chart, continued table, sources — Chinese in the slide XML', async () => {
    const want = await expectedBriefing();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByRole('button', { name: '导出 PPT（PPTX）' }).click()]);
    const path = join(OUT, 'briefing.pptx');
    await download.saveAs(path);
    const files = unzipSync(new Uint8Array(readFileSync(path)));
    const slides = Object.keys(files).filter((f) => /^ppt\/slides\/slide\d+\.xml$/.test(f)).length;
    const table = want.items.find((i) => i.chart === 'low-exec')!;
    const tablePages = Math.max(1, Math.ceil(Math.min(table.rows.length, BRIEFING_TABLE_LIMIT) / TABLE_ROWS_PER_SLIDE));
    const sourcePages = Math.max(1, Math.ceil(want.sources / SOURCE_ROWS_PER_SLIDE));
    expect(slides).toBe(1 + 3 + tablePages + sourcePages);
    const xml = (n: number) => strFromU8(files[`ppt/slides/slide${n}.xml`]!);
    expect(xml(1)).toContain('预算绩效评价简报');
    want.items.slice(0, 3).forEach((item, i) => {
      expect(xml(i + 2)).toContain(item.title);
      for (const f of item.figures) expect(xml(i + 2)).toContain(f.replaceAll('<', '&lt;'));
    });
    expect(xml(5)).toContain(table.title.replaceAll('<', '&lt;'));
    expect(xml(slides)).toContain('数据来源');
    expect(Object.keys(files).filter((f) => /^ppt\/media\/.*\.png$/.test(f))).toHaveLength(3);
  });

  it('exports the same briefing as PDF whose text (Chinese titles, key figures) extracts', async () => {
    const want = await expectedBriefing();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByRole('button', { name: '导出 PDF' }).click()]);
    const path = join(OUT, 'briefing.pdf');
    await download.saveAs(path);
    const { totalPages, text } = await extractText(new Uint8Array(readFileSync(path)), { mergePages: false });
    const pages = text.map(flat);
    const table = want.items.find((i) => i.chart === 'low-exec')!;
    const tablePages = Math.max(1, Math.ceil(Math.min(table.rows.length, BRIEFING_TABLE_LIMIT) / TABLE_ROWS_PER_SLIDE));
    expect(totalPages).toBe(1 + 3 + tablePages + Math.max(1, Math.ceil(want.sources / SOURCE_ROWS_PER_SLIDE)));
    expect(pages[0]).toContain('预算绩效评价简报');
    want.items.forEach((item, i) => {
      expect(pages[i + 1]).toContain(flat(item.title));
      for (const f of item.figures) expect(pages[i + 1]).toContain(flat(f));
    });
    expect(pages.at(-1)).toContain('数据来源');
  });

  it('writes the pack in English when the UI is English', async () => {
    const want = await expectedBriefing('en');
    await page.getByRole('button', { name: '切换到英文' }).click();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByRole('button', { name: 'Export PDF' }).click()]);
    const path = join(OUT, 'briefing-en.pdf');
    await download.saveAs(path);
    const { text } = await extractText(new Uint8Array(readFileSync(path)), { mergePages: false });
    const pages = text.map(flat);
    expect(pages[0]).toContain(flat('Budget performance briefing'));
    want.items.forEach((item, i) => {
      expect(pages[i + 1]).toContain(flat(item.title));
      for (const f of item.figures) expect(pages[i + 1]).toContain(flat(f));
    });
    await page.getByRole('button', { name: 'Switch to Chinese' }).click();
  });

  it('never reached beyond localhost and logged no errors', async () => {
    await page.close();
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
  });
});
