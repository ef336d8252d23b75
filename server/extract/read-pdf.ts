/**
 * .pdf reports with a text layer: pdf.js (bundled by unpdf) gives positioned text items; lines are rebuilt in reading
 * order per page, with a tab where a wide horizontal gap separates two items (table columns) and a space for a
 * narrow one.
 */
import { getResolvedPDFJS, type getDocumentProxy } from 'unpdf';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** pdf.js character maps and standard fonts, shipped by the pdfjs-dist package of the same version as unpdf's pdf.js. */
const PDFJS_DATA = (() => {
  const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  return { cmaps: join(root, 'cmaps') + '/', fonts: join(root, 'standard_fonts') + '/' };
})();
import { ReadError } from './read-error.ts';
import { indexOfAscii } from './sniff.ts';

/** How long pdf.js may take over one file before it is given up as damaged. */
export const PDF_TIMEOUT_MS = 60_000;
// Gaps between items, in ems of the font size: a column gap in a table is wider than a word space.
const TAB_GAP_EM = 1.0;
const SPACE_GAP_EM = 0.15;
// Items whose baselines differ by less than this share of the font size sit on one line (sub/superscripts, jitter).
const SAME_LINE_EM = 0.5;
// A complete PDF ends with %%EOF; some servers append a little junk after it.
const EOF_WINDOW = 4096;

/** The part of a pdf.js text item used here. */
export interface PdfTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

/** A text item in the frame of its own writing direction: x grows along the line, y up the page. */
interface Run {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
}

/** Reads the text layer of a PDF; throws ReadError CORRUPT, ENCRYPTED or NO_TEXT_LAYER. */
export async function readPdf(bytes: Uint8Array, options: { timeoutMs?: number } = {}): Promise<string> {
  if (indexOfAscii(bytes, '%%EOF', EOF_WINDOW, Math.max(0, bytes.length - EOF_WINDOW)) < 0) {
    throw new ReadError(
      'CORRUPT',
      'This PDF file is incomplete (it was cut off before its end); download it again.',
      '该 PDF 文件不完整（在结尾之前被截断），请重新下载。',
    );
  }
  const timeoutMs = options.timeoutMs ?? PDF_TIMEOUT_MS;
  const pdfjs = await getResolvedPDFJS();
  const task = pdfjs.getDocument({
    data: bytes.slice(), // pdf.js may take ownership of (detach) the buffer it is given
    // Fonts that are not embedded (STSong-Light from iText, common in government PDFs) need the CJK character maps.
    cMapUrl: PDFJS_DATA.cmaps,
    cMapPacked: true,
    standardFontDataUrl: PDFJS_DATA.fonts,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new ReadError(
          'CORRUPT',
          `This PDF file could not be read within ${timeoutMs / 1000} seconds; it may be damaged.`,
          `该 PDF 文件在 ${timeoutMs / 1000} 秒内未能读取，可能已损坏。`,
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([readPages(task.promise), timeout]);
  } catch (error) {
    throw toReadError(error);
  } finally {
    clearTimeout(timer);
    task.destroy().catch(() => undefined);
  }
}

async function readPages(loading: ReturnType<typeof getDocumentProxy>): Promise<string> {
  const doc = await loading;
  if (doc.numPages === 0) throw new Error('no pages');
  const pages: string[] = [];
  let hasText = false;
  for (let number = 1; number <= doc.numPages; number++) {
    const page = await doc.getPage(number);
    const content = await page.getTextContent();
    const items: PdfTextItem[] = [];
    for (const item of content.items) if ('str' in item) items.push(item);
    const text = pageText(items);
    if (text.trim() !== '') hasText = true;
    pages.push(text);
    page.cleanup();
  }
  if (!hasText) {
    throw new ReadError(
      'NO_TEXT_LAYER',
      'This PDF has no text layer (scanned document); it would need OCR to be read.',
      '该 PDF 没有文字层（扫描件），需要先进行文字识别（OCR）。',
    );
  }
  return pages.join('\n');
}

/** Rebuilds the lines of one page: text grouped by writing direction, then by baseline, each line sorted by x. */
export function pageText(items: PdfTextItem[]): string {
  const byAngle = new Map<number, Run[]>();
  for (const item of items) {
    if (item.str.trim() === '') continue;
    const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = item.transform;
    // Whole degrees: upright text (0°) first, then rotated text such as landscape tables or diagonal watermarks.
    const angle = Math.round((Math.atan2(b, a) * 180) / Math.PI);
    const radians = (angle * Math.PI) / 180;
    const [cos, sin] = [Math.cos(radians), Math.sin(radians)];
    const run: Run = {
      str: item.str,
      x: e * cos + f * sin,
      y: -e * sin + f * cos,
      width: item.width,
      size: Math.hypot(c, d) || item.height || 1,
    };
    const runs = byAngle.get(angle);
    if (runs) runs.push(run);
    else byAngle.set(angle, [run]);
  }
  const angles = [...byAngle.keys()].sort((p, q) => Math.abs(p) - Math.abs(q) || p - q);
  return angles.flatMap((angle) => groupLines(byAngle.get(angle)!).map(joinLine)).join('\n');
}

function groupLines(runs: Run[]): Run[][] {
  runs.sort((p, q) => q.y - p.y || p.x - q.x);
  const lines: Run[][] = [];
  for (const run of runs) {
    const line = lines.at(-1);
    const first = line?.[0];
    if (line && first && Math.abs(first.y - run.y) <= SAME_LINE_EM * Math.min(first.size, run.size)) line.push(run);
    else lines.push([run]);
  }
  for (const line of lines) line.sort((p, q) => p.x - q.x);
  return lines;
}

function joinLine(line: Run[]): string {
  let text = '';
  let previous: Run | undefined;
  let end = -Infinity;
  for (const run of line) {
    if (!previous) {
      text = run.str;
    } else {
      // Some generators fake bold by drawing the same text twice, a fraction of a point apart.
      if (run.str === previous.str && Math.abs(run.x - previous.x) < 0.3 * run.size) continue;
      const gap = (run.x - end) / Math.max(run.size, previous.size);
      if (gap >= TAB_GAP_EM) text = `${text.trimEnd()}\t${run.str.trimStart()}`;
      else if (gap >= SPACE_GAP_EM && !/\s$/.test(text) && !/^\s/.test(run.str)) text += ` ${run.str}`;
      else text += run.str;
    }
    previous = run;
    end = Math.max(end, run.x + run.width);
  }
  return text.trim();
}

function toReadError(error: unknown): ReadError {
  if (error instanceof ReadError) return error;
  if (error instanceof Error && error.name === 'PasswordException') {
    return new ReadError('ENCRYPTED', 'This PDF file is password-protected.', '该 PDF 文件设有密码保护。');
  }
  return new ReadError('CORRUPT', 'This PDF file is damaged and cannot be read.', '该 PDF 文件已损坏，无法读取。');
}
