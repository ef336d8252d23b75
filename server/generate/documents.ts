/**
 * .docx and .pdf writers for report text (used by the corpus generator and by the test fixtures).
 *
 * Text convention: one line of `text` is one paragraph, and a line containing a tab is a table row whose cells are its
 * tab-separated parts (consecutive tab lines form one table), which is how the bundled seed reports in
 * data/reports/*.txt flatten their tables. Every writer is deterministic: same input, same bytes (fixed dates).
 */
import { existsSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import PDFDocument from 'pdfkit';

/** The CJK font installed by fonts-noto-cjk (on developer machines and in CI). */
export const CJK_FONT_PATH = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
/** PostScript name of the simplified-Chinese face inside the collection. */
export const CJK_FONT_NAME = 'NotoSansCJKsc-Regular';

// The creation and modification date stamped into every file, so that output does not depend on the clock.
const FIXED_DATE = new Date('2024-01-01T00:00:00Z');
// XML 1.0 forbids C0 control characters other than tab, newline and carriage return.
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

type Block = { kind: 'paragraph'; text: string } | { kind: 'table'; rows: string[][] };

/** Splits text into paragraphs and tables (runs of tab-separated lines). */
export function toBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.includes('\t')) {
      const last = blocks.at(-1);
      const cells = line.split('\t');
      if (last?.kind === 'table') last.rows.push(cells);
      else blocks.push({ kind: 'table', rows: [cells] });
    } else {
      blocks.push({ kind: 'paragraph', text: line });
    }
  }
  return blocks;
}

/** Document properties written into docProps/core.xml. */
export interface DocxMeta {
  creator?: string;
  title?: string;
}

/** A .docx (built with the `docx` package) whose paragraphs and tables follow the text convention above. */
export async function buildDocx(text: string, meta: DocxMeta = {}): Promise<Uint8Array> {
  const children = toBlocks(text).map((block) => {
    if (block.kind === 'paragraph') {
      return new Paragraph({ children: [new TextRun(block.text.replace(XML_INVALID, ''))] });
    }
    return new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: block.rows.map(
        (cells) =>
          new TableRow({
            children: cells.map(
              (cell) =>
                new TableCell({ children: [new Paragraph({ children: [new TextRun(cell.replace(XML_INVALID, ''))] })] }),
            ),
          }),
      ),
    });
  });
  const doc = new Document({ creator: meta.creator ?? 'test', title: meta.title ?? 'fixture', sections: [{ children }] });
  return normaliseZip(new Uint8Array(await Packer.toBuffer(doc)));
}

/** A deflated zip archive of the given members (strings are stored as UTF-8), with fixed timestamps. */
export function buildZip(files: Record<string, string | Uint8Array>): Uint8Array {
  const zippable: Zippable = {};
  for (const [name, content] of Object.entries(files)) {
    zippable[name] = [typeof content === 'string' ? strToU8(content) : content, { level: 6, mtime: FIXED_DATE }];
  }
  return zipSync(zippable);
}

// Throws a clear error when the CJK font that every PDF needs is not installed.
function assertCjkFont(): void {
  if (!existsSync(CJK_FONT_PATH)) {
    throw new Error(
      `PDF output needs the Noto CJK font at ${CJK_FONT_PATH}; install it (apt-get install fonts-noto-cjk) ` +
        '/ 生成 PDF 需要 Noto CJK 字体，请先安装 fonts-noto-cjk',
    );
  }
}

/**
 * A .pdf with a real text layer in the Noto CJK font, built with pdfkit: paragraphs wrap at the page width, table
 * rows put each cell in its own column (long cells wrap inside it), and pages break as needed. With `userPassword`
 * the file is encrypted and opens only with that password.
 */
export async function buildPdf(text: string, options: { userPassword?: string } = {}): Promise<Uint8Array> {
  assertCjkFont();
  const doc = newPdf(options.userPassword);
  doc.registerFont('cjk', CJK_FONT_PATH, CJK_FONT_NAME);
  doc.font('cjk').fontSize(10);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;

  for (const block of toBlocks(text)) {
    if (block.kind === 'paragraph') {
      doc.text(block.text.length > 0 ? block.text : ' ', left, doc.y, { width });
      continue;
    }
    for (const cells of block.rows) {
      const columnWidth = width / cells.length;
      const gutter = Math.min(12, columnWidth / 4);
      const heights = cells.map((cell) => doc.heightOfString(cell || ' ', { width: columnWidth - gutter }));
      const rowHeight = Math.max(...heights);
      if (doc.y + rowHeight > bottom() && rowHeight < bottom() - doc.page.margins.top) doc.addPage();
      const top = doc.y;
      cells.forEach((cell, i) => {
        if (cell.length > 0) doc.text(cell, left + i * columnWidth, top, { width: columnWidth - gutter });
      });
      doc.x = left;
      doc.y = top + rowHeight + 2;
    }
  }
  return finishPdf(doc);
}

/** The parsed font collection, shared by every report PDF of this process (parsing it costs ~1 s). */
let sharedFont: unknown = null;

const FONT_SIZE = 10;
const LINE_HEIGHT = 14.5;

/**
 * A report .pdf laid out the way word processors print: prose wrapped at a fixed number of characters per line (so
 * phrases and numbers break across lines, as in real PDF text), table rows in columns, and `header` repeated at the
 * top of every page with a page number at the bottom. Faster than `buildPdf` (about 20× on long reports): the font
 * is parsed once per process and text is laid out per character.
 */
export async function buildReportPdf(text: string, options: { header?: string } = {}): Promise<Uint8Array> {
  assertCjkFont();
  const doc = newPdf();
  doc.registerFont('cjk', (sharedFont ?? CJK_FONT_PATH) as string, CJK_FONT_NAME);
  doc.font('cjk').fontSize(FONT_SIZE);
  const embedded = (doc as unknown as { _font: EmbeddedFontInternals })._font;
  sharedFont ??= embedded.font;
  layoutPerCharacter(embedded);

  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const top = doc.page.margins.top;
  const bottom = doc.page.height - doc.page.margins.bottom;
  const perLine = Math.floor(width / FONT_SIZE);
  let page = 1;
  let y = top;
  const startPage = () => {
    y = top;
    if (options.header) {
      doc.text(options.header, left, y - 24, { lineBreak: false });
    }
  };
  const newPage = () => {
    doc.text(`— ${page} —`, left + width / 2 - 15, bottom + 16, { lineBreak: false });
    doc.addPage();
    page++;
    startPage();
  };
  startPage();
  for (const block of toBlocks(text)) {
    if (block.kind === 'paragraph') {
      for (const line of wrapLine(block.text, perLine)) {
        if (y + LINE_HEIGHT > bottom) newPage();
        if (line.trim()) doc.text(line, left, y, { lineBreak: false });
        y += LINE_HEIGHT;
      }
      continue;
    }
    for (const cells of block.rows) {
      const columnWidth = width / cells.length;
      const gutter = Math.min(12, columnWidth / 4);
      const perCell = Math.max(1, Math.floor((columnWidth - gutter) / FONT_SIZE));
      const wrapped = cells.map((cell) => wrapLine(cell, perCell));
      const height = Math.max(...wrapped.map((lines) => lines.length)) * LINE_HEIGHT + 2;
      if (y + height > bottom) newPage();
      wrapped.forEach((lines, i) => {
        lines.forEach((line, k) => {
          if (line.trim()) doc.text(line, left + i * columnWidth, y + k * LINE_HEIGHT, { lineBreak: false });
        });
      });
      y += height;
    }
  }
  doc.text(`— ${page} —`, left + width / 2 - 15, bottom + 16, { lineBreak: false });
  return finishPdf(doc);
}

/** Splits a line into pieces of at most `perLine` ems (CJK characters are one em, ASCII about half). */
function wrapLine(line: string, perLine: number): string[] {
  const out: string[] = [];
  let current = '';
  let width = 0;
  for (const ch of line) {
    const w = ch.charCodeAt(0) < 0x2e80 ? 0.55 : 1;
    if (width + w > perLine && current) {
      out.push(current);
      current = '';
      width = 0;
    }
    current += ch;
    width += w;
  }
  out.push(current);
  return out;
}

/** The parts of pdfkit's EmbeddedFont used here (not in its type definitions). */
interface EmbeddedFontInternals {
  font: unknown;
  layoutCached(text: string): { glyphs: unknown[]; positions: unknown[]; advanceWidth: number };
  layout(text: string, features?: unknown, onlyWidth?: boolean): unknown;
}

/**
 * pdfkit lays out each space-free run of text whole and caches it by its text; Chinese prose has no spaces, so every
 * line misses the cache and costs ~100 µs per character of OpenType shaping. Chinese needs no shaping across
 * characters, so laying out (and caching) one character at a time gives the same glyphs at a fraction of the cost.
 */
function layoutPerCharacter(font: EmbeddedFontInternals): void {
  font.layout = function (text: string, _features?: unknown, onlyWidth?: boolean) {
    const glyphs: unknown[] = [];
    const positions: unknown[] = [];
    let advanceWidth = 0;
    for (const ch of text) {
      const run = this.layoutCached(ch);
      if (!onlyWidth) {
        glyphs.push(...run.glyphs);
        positions.push(...run.positions);
      }
      advanceWidth += run.advanceWidth;
    }
    return { glyphs: onlyWidth ? null : glyphs, positions: onlyWidth ? null : positions, advanceWidth };
  };
}

/** A new A4 pdfkit document with fixed dates (and encryption when `userPassword` is given). */
export function newPdf(userPassword?: string): PDFKit.PDFDocument {
  return new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { CreationDate: FIXED_DATE, ModDate: FIXED_DATE },
    ...(userPassword === undefined ? {} : { userPassword, pdfVersion: '1.7' as const }),
  });
}

/** Ends a pdfkit document and collects its bytes. */
export function finishPdf(doc: PDFKit.PDFDocument): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
    doc.end();
  });
}

// The docx package stamps the current time into docProps/core.xml and the zip entries; pin both.
function normaliseZip(bytes: Uint8Array): Uint8Array {
  const files = unzipSync(bytes);
  const out: Record<string, string | Uint8Array> = {};
  for (const [name, content] of Object.entries(files)) {
    out[name] =
      name === 'docProps/core.xml'
        ? strFromU8(content).replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, FIXED_DATE.toISOString().replace('.000', ''))
        : content;
  }
  return buildZip(out);
}
