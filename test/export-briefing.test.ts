/**
 * The briefing pack without a browser: the deck model (title, chart slides, tables continued, sources), then the same
 * deck as PPTX (slide XML read back with fflate) and as PDF with the bundled CJK font (text read back with unpdf).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { strFromU8, unzipSync } from 'fflate';
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { extractText } from 'unpdf';
import { describe, expect, it } from 'vitest';
import {
  buildDeck, describeFilters, paginate, SOURCE_ROWS_PER_SLIDE, TABLE_ROWS_PER_SLIDE, type RenderedItem,
} from '../client/src/export/briefing.ts';
import { buildPdf, wrapText } from '../client/src/export/pdf.ts';
import { buildPptx, PPTX_FONT } from '../client/src/export/pptx.ts';
import { EMPTY_FILTERS } from '../client/src/filters/filters.ts';
import { ROOT } from './e2e/helpers.ts';

/** A solid-colour RGB PNG of w × h pixels. */
function png(w: number, h: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set([31, 78, 121], y * (w * 3 + 1) + 1 + x * 3);
  return new Uint8Array(Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]));
}

const chart: RenderedItem = {
  title: '执行率排名（省份）',
  filters: '年度：2024 · 地区：河北省',
  figures: ['执行率最低的省份：山西省，41.1%', '预算总额 1,500.50 万元，覆盖 3 个省份、6 份报告'],
  picture: { png: png(200, 112), width: 100, height: 56 },
};
const tableRows = Array.from({ length: 30 }, (_, i) => [`项目${i + 1}`, '教育局', `${(i * 1.5).toFixed(1)}%`]);
const table: RenderedItem = {
  title: '低执行率项目（<60%）', filters: '全部数据（未筛选）', figures: ['执行率低于 60% 的项目共 30 个'],
  table: { columns: ['项目', '部门', '执行率 (%)'], rows: tableRows, note: '仅列出前 30 条' },
};
const sources = Array.from({ length: 20 }, (_, i) => ({ department: `部门${i % 5}`, year: 2020 + (i % 4), source: `报告${i}.docx` }));
const deck = buildDeck({ lang: 'zh', items: [chart, table], sources: [...sources, sources[0]!], dataDate: '数据截至 2025-11-22 · 数据版本 ab12cd34', generatedAt: new Date(2025, 10, 23) });

describe('buildDeck', () => {
  it('has a title slide, one slide per chart, tables continued, and paged sources', () => {
    const tablePages = Math.ceil(tableRows.length / TABLE_ROWS_PER_SLIDE);
    const sourcePages = Math.ceil(sources.length / SOURCE_ROWS_PER_SLIDE);
    expect(deck.slides.map((s) => s.kind)).toEqual([
      'title', 'chart', ...Array<string>(tablePages).fill('table'), ...Array<string>(sourcePages).fill('sources'),
    ]);
    const title = deck.slides[0]!;
    expect(title.kind === 'title' && title.lines).toEqual([
      '筛选条件：各页筛选条件不同，见各页标题下方', '数据截至 2025-11-22 · 数据版本 ab12cd34', '生成时间：2025-11-23 · 共 2 页图表',
    ]);
    const tables = deck.slides.filter((s) => s.kind === 'table');
    expect(tables.map((s) => s.title)).toEqual(['低执行率项目（<60%）', '低执行率项目（<60%）（续 2/3）', '低执行率项目（<60%）（续 3/3）']);
    expect(tables.flatMap((s) => s.rows)).toEqual(tableRows);
    expect(tables.map((s) => s.figures.length)).toEqual([1, 0, 0]);
    expect(tables.map((s) => s.note)).toEqual([undefined, undefined, '仅列出前 30 条']);
    // Sources are deduped and newest first.
    const rows = deck.slides.filter((s) => s.kind === 'sources').flatMap((s) => s.rows);
    expect(rows).toHaveLength(20);
    expect(rows[0]![1]).toBe('2023');
    expect(rows.at(-1)![1]).toBe('2020');
  });

  it('describes filters in words', () => {
    const kind = (k: string) => (k === 'project' ? '项目支出' : k);
    expect(describeFilters(EMPTY_FILTERS, 'zh', kind)).toBe('全部数据（未筛选）');
    expect(describeFilters({ ...EMPTY_FILTERS, years: [2023, 2024], province: '河北省', city: '石家庄市', kind: 'project' }, 'zh', kind))
      .toBe('年度：2023、2024 · 地区：河北省石家庄市 · 报告类型：项目支出');
    expect(describeFilters({ ...EMPTY_FILTERS, years: [2024] }, 'en', kind)).toBe('Year: 2024');
    expect(paginate([], 5)).toEqual([[]]);
  });

  it('wraps Chinese between characters and English at spaces', () => {
    const measure = (s: string) => s.length;
    expect(wrapText('预算执行进度慢的问题', 4, measure)).toEqual(['预算执行', '进度慢的', '问题']);
    expect(wrapText('Lowest execution rate', 10, measure)).toEqual(['Lowest', 'execution', 'rate']);
  });
});

describe('PPTX', () => {
  it('holds one slide per deck slide, Chinese titles and the key figures in the slide XML, in Microsoft YaHei', async () => {
    const files = unzipSync(await buildPptx(deck));
    const slides = Object.keys(files).filter((f) => /^ppt\/slides\/slide\d+\.xml$/.test(f));
    expect(slides).toHaveLength(deck.slides.length);
    const xml = (n: number) => strFromU8(files[`ppt/slides/slide${n}.xml`]!);
    expect(xml(1)).toContain('预算绩效评价简报');
    expect(xml(2)).toContain('执行率排名（省份）');
    expect(xml(2)).toContain('执行率最低的省份：山西省，41.1%');
    expect(xml(2)).toContain(PPTX_FONT);
    expect(Object.keys(files).some((f) => f.startsWith('ppt/media/') && f.endsWith('.png'))).toBe(true);
    expect(xml(3)).toContain('项目12');
    expect(xml(4)).toContain('项目13');
    expect(xml(deck.slides.length)).toContain('报告');
  });
});

describe('PDF', () => {
  it('embeds the bundled CJK font so Chinese text, titles and figures extract as Unicode', async () => {
    const font = readFileSync(join(ROOT, 'client/public/fonts/NotoSansSC-Subset.otf'));
    const bytes = await buildPdf(deck, new Uint8Array(font));
    const { totalPages, text: pages } = await extractText(new Uint8Array(bytes), { mergePages: false });
    expect(totalPages).toBe(deck.slides.length);
    // Long sentences wrap onto several lines: compare without the line breaks and spaces.
    const text = pages.map((p) => p.replace(/\s+/g, ''));
    expect(text[0]).toContain('预算绩效评价简报');
    expect(text[1]).toContain('执行率排名（省份）');
    expect(text[1]).toContain('执行率最低的省份：山西省，41.1%');
    expect(text[1]).toContain('预算总额1,500.50万元，覆盖3个省份、6份报告');
    expect(text[2]).toContain('项目1');
    const sourcePages = text.slice(-Math.ceil(sources.length / SOURCE_ROWS_PER_SLIDE)).join('');
    for (const s of sources) expect(sourcePages).toContain(`${s.department}${s.year}${s.source}`);
    // Subset per document: far smaller than the 1.8 MB font file.
    expect(bytes.length).toBeLessThan(400_000);
    const doc = await PDFDocument.load(bytes);
    const dicts = doc.context.enumerateIndirectObjects().map(([, o]) => o).filter((o) => o instanceof PDFDict);
    const has = (key: string) => dicts.some((d) => d.has(PDFName.of(key)));
    expect(has('FontFile3'), 'the font program is embedded').toBe(true);
    expect(has('ToUnicode'), 'glyphs map back to Unicode').toBe(true);
  });
});
