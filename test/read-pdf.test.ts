import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../server/extract/read-document.ts';
import { pageText, readPdf } from '../server/extract/read-pdf.ts';
import { buildPdf, buildScannedPdf } from './fixtures/build-fixtures.ts';
import { expectReadError } from './fixtures/expect-read-error.ts';

const REPORTS = new URL('../data/reports/', import.meta.url);
const seeds = readdirSync(REPORTS)
  .filter((name) => name.endsWith('.txt'))
  .map((name) => ({ name, text: readFileSync(new URL(name, REPORTS), 'utf8') }));
const seed = seeds.find((s) => s.text.includes('预算执行率') && s.text.includes('889.39'))!;
const squash = (text: string) => text.replace(/\s+/g, '');

describe('readDocument on .pdf files', () => {
  let seedPdf: Uint8Array;
  beforeAll(async () => {
    seedPdf = await buildPdf(seed.text);
  });

  it('gives the sentences and figures of the report', async () => {
    const result = await readDocument(seedPdf);
    expect(result.format).toBe('pdf');
    expect(result.encoding).toBeNull();
    const lines = result.text.split('\n');
    for (const line of ['预算执行率', '889.39', '774.79', '100%', '2024年度', '合水县财政局']) expect(lines).toContain(line);
    expect(lines.some((line) => line.includes('合水县医疗保障局部门整体支出'))).toBe(true);
  });

  it.each(seeds.map((s) => [s.name, s.text]))('keeps every paragraph of %s, in order, across wrapped lines and pages', async (_name, text) => {
    const pdfText = squash((await readDocument(await buildPdf(text))).text);
    let from = 0;
    for (const line of text.split('\n').filter((l) => !l.includes('\t') && l.trim() !== '')) {
      const at = pdfText.indexOf(squash(line), from);
      expect(at, `paragraph not found in order: ${line.slice(0, 40)}`).toBeGreaterThanOrEqual(0);
      from = at;
    }
  });

  it('separates table columns by tabs and rows by newlines', async () => {
    const text = '资金情况\n项目名称\t预算数\t执行数\t执行率\n某某专项经费\t889.39\t774.79\t87.11%\n预算执行率 100% 评价等级 优';
    const lines = (await readDocument(await buildPdf(text))).text.split('\n');
    expect(lines).toEqual(['资金情况', '项目名称\t预算数\t执行数\t执行率', '某某专项经费\t889.39\t774.79\t87.11%', '预算执行率 100% 评价等级 优']);
  });

  it('rebuilds lines from positions, not from the order items are drawn in', () => {
    const item = (str: string, x: number, y: number, width: number) => ({ str, transform: [10, 0, 0, 10, x, y], width, height: 10 });
    const items = [
      item('889.39', 300, 700.4, 30),
      item('预算安排资金', 56, 700, 60),
      item('执行率', 56, 685, 30),
      item('100%', 87, 685, 20), // 1 pt after 执行率: same word
      item('预算', 56, 730, 20),
      item('预算', 56.5, 730, 20), // drawn twice for a bold effect
      item('数', 76, 730, 10),
      item(' ', 86, 730, 3),
      item('（万元）', 89, 730, 40), // a space's width away
      item('内部资料', 200, 400, 40),
    ];
    items[9]!.transform = [7, 7, -7, 7, 200, 400]; // a 45° watermark
    expect(pageText(items).split('\n')).toEqual(['预算数 （万元）', '预算安排资金\t889.39', '执行率100%', '内部资料']);
  });

  it('refuses a scanned PDF as having no text layer', async () => {
    await expectReadError(readDocument(await buildScannedPdf()), 'NO_TEXT_LAYER', /no text layer \(scanned document\)/);
  });

  it('refuses a truncated PDF (the first half of a real one) as corrupt', async () => {
    await expectReadError(readDocument(seedPdf.slice(0, seedPdf.length >> 1)), 'CORRUPT', /incomplete/);
  });

  it('refuses a damaged PDF as corrupt, even with its end marker in place', async () => {
    const half = seedPdf.slice(0, seedPdf.length >> 1);
    const patched = new Uint8Array([...half, ...Buffer.from('\n%%EOF\n')]);
    await expectReadError(readDocument(patched), 'CORRUPT', /damaged/);
    await expectReadError(readDocument(new Uint8Array(Buffer.from(`%PDF-1.7\n${'garbage '.repeat(500)}\n%%EOF\n`))), 'CORRUPT', /damaged/);
  });

  it('refuses a password-protected PDF, saying so', async () => {
    await expectReadError(readDocument(await buildPdf('预算执行率\t100%', { userPassword: 'secret' })), 'ENCRYPTED', /password-protected/);
  });

  it('gives up on a PDF that takes too long instead of hanging', async () => {
    await expectReadError(readPdf(seedPdf, { timeoutMs: 1 }), 'CORRUPT', /could not be read within/);
    // The reader is still usable afterwards.
    expect(await readPdf(seedPdf)).toContain('预算执行率');
  });

  it('finds a PDF header behind a few bytes of junk, never by file name', async () => {
    const prefixed = new Uint8Array([...Buffer.from('\r\n\r\n'), ...seedPdf]);
    expect((await readDocument(prefixed)).format).toBe('pdf');
  });

  it('is pure: the same bytes give the same text and the input is left untouched', async () => {
    const copy = seedPdf.slice();
    expect(await readDocument(seedPdf)).toEqual(await readDocument(seedPdf));
    expect(seedPdf).toEqual(copy);
  });
});
