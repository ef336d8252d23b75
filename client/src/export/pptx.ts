/**
 * The briefing as PowerPoint (pptxgenjs), 16:9. Text is set in 微软雅黑 (Microsoft YaHei), which ships with Office and
 * WPS, so Chinese renders on the bureau's PCs without embedding a font.
 */
import type PptxGenJS from 'pptxgenjs';
import type { Deck, Picture, Slide } from './briefing.ts';

/** The font named in the slides (installed with Windows Office and WPS). */
export const PPTX_FONT = 'Microsoft YaHei';

const W = 13.333;
const H = 7.5;
const NAVY = '1F4E79';
const TEXT = '2B3445';
const MUTED = '5B6577';

function base64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Width of `s` in half-em units: CJK characters count double. */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.codePointAt(0)! > 0x2e80 ? 2 : 1;
  return w;
}

/** The picture's box inside (w × h) inches, keeping its aspect ratio. */
function fitPicture(p: Picture, maxW: number, maxH: number): { w: number; h: number } {
  const ratio = p.width / p.height;
  return maxW / ratio <= maxH ? { w: maxW, h: maxW / ratio } : { w: maxH * ratio, h: maxH };
}

async function loadPptxGen(): Promise<typeof PptxGenJS> {
  const mod = await import('pptxgenjs');
  return ((mod as { default?: typeof PptxGenJS }).default ?? mod) as typeof PptxGenJS;
}

/** Lays out one deck slide. */
function addSlide(pptx: PptxGenJS, deck: Deck, slide: Slide, n: number): void {
  const s = pptx.addSlide();
  const lang = deck.lang === 'zh' ? 'zh-CN' : 'en-US';
  const text = { fontFace: PPTX_FONT, lang, color: TEXT } as const;
  if (slide.kind === 'title') {
    s.background = { color: 'FFFFFF' };
    s.addShape('rect', { x: 0, y: 0, w: W, h: 0.35, fill: { color: NAVY }, line: { color: NAVY } });
    s.addText(slide.title, { ...text, x: 0.8, y: 2.0, w: W - 1.6, h: 1.0, fontSize: 40, bold: true, color: NAVY });
    s.addText(slide.subtitle, { ...text, x: 0.8, y: 3.0, w: W - 1.6, h: 0.6, fontSize: 20, color: MUTED });
    s.addText(slide.lines.map((l) => ({ text: l, options: { breakLine: true } })), {
      ...text, x: 0.8, y: 4.1, w: W - 1.6, h: 1.8, fontSize: 16, valign: 'top', paraSpaceAfter: 6,
    });
    return;
  }
  s.addShape('rect', { x: 0, y: 0, w: 0.18, h: H, fill: { color: NAVY }, line: { color: NAVY } });
  s.addText(slide.title, { ...text, x: 0.5, y: 0.25, w: W - 1, h: 0.7, fontSize: 26, bold: true, color: NAVY });
  if (slide.kind !== 'sources') s.addText(slide.filters, { ...text, x: 0.5, y: 0.9, w: W - 1, h: 0.4, fontSize: 12, color: MUTED });
  s.addText(`${deck.footer}    ${n}`, { ...text, x: 0.5, y: H - 0.45, w: W - 1, h: 0.3, fontSize: 10, color: MUTED, align: 'right' });

  const bullets = (figures: string[], box: { x: number; y: number; w: number; h: number; size: number }) => {
    if (!figures.length) return;
    s.addText(figures.map((f) => ({ text: f, options: { bullet: true, breakLine: true } })), {
      ...text, ...box, fontSize: box.size, valign: 'top', paraSpaceAfter: 10,
    });
  };
  const table = (columns: string[], rows: string[][], y: number, size: number) => {
    const header = columns.map((c) => ({ text: c, options: { bold: true, color: 'FFFFFF', fill: { color: NAVY } } }));
    // Columns share the width by their widest cell (CJK counts double), capped so one long name cannot take it all.
    const natural = columns.map((h, i) => Math.min(30, Math.max(...[h, ...rows.map((r) => r[i] ?? '')].map(textWidth)) + 2));
    const total = natural.reduce((a, b) => a + b, 0);
    s.addTable([header, ...rows.map((r) => r.map((c) => ({ text: c })))], {
      x: 0.5, y, w: W - 1, colW: natural.map((n) => (n / total) * (W - 1)),
      fontFace: PPTX_FONT, fontSize: size, color: TEXT, border: { type: 'solid', pt: 0.5, color: 'D5DBE5' },
      autoPage: false, valign: 'middle', margin: 0.04,
    });
  };

  if (slide.kind === 'chart') {
    if (slide.picture) {
      const box = fitPicture(slide.picture, 8.6, 5.6);
      s.addImage({ data: `data:image/png;base64,${base64(slide.picture.png)}`, x: 0.5, y: 1.35, ...box });
    }
    s.addShape('rect', { x: 9.35, y: 1.35, w: 3.5, h: 5.6, fill: { color: 'F4F6FA' }, line: { color: 'F4F6FA' } });
    bullets(slide.figures, { x: 9.5, y: 1.5, w: 3.2, h: 5.3, size: 15 });
  } else if (slide.kind === 'table') {
    const top = slide.figures.length ? 2.3 : 1.4;
    bullets(slide.figures, { x: 0.5, y: 1.3, w: W - 1, h: 0.95, size: 12 });
    table(slide.columns, slide.rows, top, 10);
    if (slide.note) s.addText(slide.note, { ...text, x: 0.5, y: H - 0.85, w: W - 1, h: 0.35, fontSize: 10, color: MUTED });
  } else {
    table(slide.columns, slide.rows, 1.1, 11);
  }
}

/** The deck as .pptx bytes. */
export async function buildPptx(deck: Deck): Promise<Uint8Array> {
  const PptxGen = await loadPptxGen();
  const pptx = new PptxGen();
  pptx.layout = 'LAYOUT_WIDE';
  pptx.title = deck.title;
  pptx.company = '市财政局';
  pptx.theme = { headFontFace: PPTX_FONT, bodyFontFace: PPTX_FONT };
  deck.slides.forEach((slide, i) => addSlide(pptx, deck, slide, i + 1));
  const out = await pptx.write({ outputType: 'uint8array' });
  return out as Uint8Array;
}
