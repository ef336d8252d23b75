/**
 * The briefing as PDF (pdf-lib), A4 landscape, laid out like the PowerPoint. Chinese is set in the bundled Noto Sans
 * SC subset (client/public/fonts, served by our own server), embedded and subset per document, with a ToUnicode map
 * so the text can be searched and copied.
 */
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { Deck, Slide } from './briefing.ts';

/** Where the app serves the CJK font from (same origin; see client/public/fonts/OFL.txt). */
export const PDF_FONT_URL = '/fonts/NotoSansSC-Subset.otf';

const PAGE: [number, number] = [841.89, 595.28];
const M = 40;
const NAVY = rgb(0x1f / 255, 0x4e / 255, 0x79 / 255);
const TEXT = rgb(0x2b / 255, 0x34 / 255, 0x45 / 255);
const MUTED = rgb(0x5b / 255, 0x65 / 255, 0x77 / 255);
const RULE = rgb(0xd5 / 255, 0xdb / 255, 0xe5 / 255);
const PANEL = rgb(0xf4 / 255, 0xf6 / 255, 0xfa / 255);
const WHITE = rgb(1, 1, 1);
/** Where a chart picture goes on its page (left of the key figures), in points. */
const CHART_BOX = { width: 520, height: PAGE[1] - 130 };

/**
 * @pdf-lib/fontkit 1.1 writes the subset CFF header's offSize from `cff.length`, which is undefined, giving a header
 * pdf.js and poppler reject (fixed in fontkit 2: foliojs/fontkit src/subset/CFFSubset.js writes 4). Any offSize from 1
 * to 4 is valid there, so the font object gets a `length` of 4 before pdf-lib subsets it.
 */
const patchedFontkit = {
  create(bytes: Uint8Array, postscriptName?: string) {
    const font = fontkit.create(bytes, postscriptName);
    const cff = (font as unknown as Record<string, unknown>)['CFF '] as { length?: number } | undefined;
    if (cff) cff.length = 4;
    return font;
  },
};

/** Splits `text` into lines no wider than `width`: breaks between CJK characters or at spaces. */
export function wrapText(text: string, width: number, measure: (s: string) => number): string[] {
  const tokens = text.match(/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+\s*|\s+/g) ?? [];
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    if (line && measure((line + token).trimEnd()) > width) {
      lines.push(line.trimEnd());
      line = token.trimStart();
    } else line += token;
    // A single token wider than the line (a long file name) is cut by characters.
    while (measure(line.trimEnd()) > width && line.length > 1) {
      let cut = line.length - 1;
      while (cut > 1 && measure(line.slice(0, cut)) > width) cut--;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

/** `text` cut with an ellipsis to fit `width`. */
function ellipsize(text: string, width: number, measure: (s: string) => number): string {
  if (measure(text) <= width) return text;
  let out = text;
  while (out.length > 1 && measure(`${out}…`) > width) out = out.slice(0, -1);
  return `${out}…`;
}

interface Ctx {
  doc: PDFDocument;
  font: PDFFont;
  deck: Deck;
}

function write(page: PDFPage, c: Ctx, text: string, x: number, y: number, size: number, color = TEXT): void {
  page.drawText(text, { x, y, size, font: c.font, color });
}

/** Draws wrapped lines from `top` down; returns the y below the last line. */
function paragraph(page: PDFPage, c: Ctx, text: string, x: number, top: number, width: number, size: number, color = TEXT, gap = 1.45): number {
  let y = top;
  for (const line of wrapText(text, width, (s) => c.font.widthOfTextAtSize(s, size))) {
    y -= size;
    write(page, c, line, x, y, size, color);
    y -= size * (gap - 1);
  }
  return y;
}

function drawTable(page: PDFPage, c: Ctx, columns: string[], rows: string[][], top: number, size: number): void {
  const width = PAGE[0] - 2 * M;
  const measure = (s: string) => c.font.widthOfTextAtSize(s, size);
  // Columns share the width by their widest cell (capped so one long name cannot starve the rest).
  const natural = columns.map((h, i) => Math.min(220, Math.max(measure(h), ...rows.map((r) => measure(r[i] ?? ''))) + 10));
  const scale = width / natural.reduce((a, b) => a + b, 0);
  const widths = natural.map((w) => w * scale);
  const rowH = size * 2;
  const line = (cells: string[], y: number, header: boolean) => {
    if (header) page.drawRectangle({ x: M, y: y - rowH, width, height: rowH, color: NAVY });
    let x = M;
    cells.forEach((cell, i) => {
      write(page, c, ellipsize(cell, widths[i]! - 8, measure), x + 4, y - rowH / 2 - size * 0.35, size, header ? WHITE : TEXT);
      x += widths[i]!;
    });
    page.drawLine({ start: { x: M, y: y - rowH }, end: { x: M + width, y: y - rowH }, thickness: 0.5, color: RULE });
  };
  line(columns, top, true);
  rows.forEach((r, i) => line(r, top - rowH * (i + 1), false));
}

function drawSlide(c: Ctx, slide: Slide, n: number): void {
  const page = c.doc.addPage(PAGE);
  const [W, H] = PAGE;
  if (slide.kind === 'title') {
    page.drawRectangle({ x: 0, y: H - 22, width: W, height: 22, color: NAVY });
    write(page, c, slide.title, 60, H - 210, 34, NAVY);
    write(page, c, slide.subtitle, 60, H - 250, 16, MUTED);
    let y = H - 300;
    for (const l of slide.lines) y = paragraph(page, c, l, 60, y, W - 120, 13, TEXT, 1.7);
    return;
  }
  page.drawRectangle({ x: 0, y: 0, width: 10, height: H, color: NAVY });
  write(page, c, ellipsize(slide.title, W - 2 * M, (s) => c.font.widthOfTextAtSize(s, 20)), M, H - 50, 20, NAVY);
  if (slide.kind !== 'sources') write(page, c, ellipsize(slide.filters, W - 2 * M, (s) => c.font.widthOfTextAtSize(s, 10)), M, H - 70, 10, MUTED);
  const footer = `${c.deck.footer}    ${n}`;
  write(page, c, footer, W - M - c.font.widthOfTextAtSize(footer, 8), 18, 8, MUTED);

  if (slide.kind === 'chart') {
    // The picture (embedded asynchronously) is drawn by drawChartSlide, to the left of the figures.
    figuresPanel(page, c, slide.figures, M + CHART_BOX.width + 16, H - 85, W - M - (M + CHART_BOX.width + 16), CHART_BOX.height);
  } else if (slide.kind === 'table') {
    let top = H - 85;
    for (const f of slide.figures) top = paragraph(page, c, `• ${f}`, M, top, W - 2 * M, 10) - 2;
    drawTable(page, c, slide.columns, slide.rows, top - 6, 9);
    if (slide.note) write(page, c, slide.note, M, 34, 9, MUTED);
  } else {
    drawTable(page, c, slide.columns, slide.rows, H - 80, 10);
  }
}

function figuresPanel(page: PDFPage, c: Ctx, figures: string[], x: number, top: number, width: number, height: number): void {
  page.drawRectangle({ x, y: top - height, width, height, color: PANEL });
  let y = top - 12;
  for (const f of figures) y = paragraph(page, c, `• ${f}`, x + 12, y, width - 24, 12, TEXT, 1.5) - 10;
}

/** The deck as PDF bytes, with `fontBytes` (an OpenType/TrueType CJK font) embedded as a subset. */
export async function buildPdf(deck: Deck, fontBytes: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(patchedFontkit);
  const font = await doc.embedFont(fontBytes, { subset: true });
  doc.setTitle(deck.title);
  doc.setLanguage(deck.lang === 'zh' ? 'zh-CN' : 'en');
  doc.setCreator('预算绩效评价报告分析看板');
  doc.setProducer('pdf-lib');
  const c: Ctx = { doc, font, deck };
  for (const [i, slide] of deck.slides.entries()) {
    if (slide.kind === 'chart' && slide.picture) await drawChartSlide(c, slide, i + 1);
    else drawSlide(c, slide, i + 1);
  }
  return doc.save();
}

async function drawChartSlide(c: Ctx, slide: Extract<Slide, { kind: 'chart' }>, n: number): Promise<void> {
  const png = await c.doc.embedPng(slide.picture!.png);
  drawSlide(c, slide, n);
  const page = c.doc.getPage(c.doc.getPageCount() - 1);
  const ratio = slide.picture!.width / slide.picture!.height;
  const w = CHART_BOX.width / ratio <= CHART_BOX.height ? CHART_BOX.width : CHART_BOX.height * ratio;
  page.drawImage(png, { x: M, y: PAGE[1] - 85 - w / ratio, width: w, height: w / ratio });
}
