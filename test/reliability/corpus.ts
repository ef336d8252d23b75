/**
 * Hostile and damaged report files, generated deterministically from the bundled reports with a seeded PRNG: truncated
 * and bit-flipped copies in every format, random bytes, zip bombs, deep XML, broken PDF cross-references, other
 * encodings, huge single lines, reports without figures, HTML and script.
 */
import iconv from 'iconv-lite';
import { buildDocx, buildDocxFromXml, buildPdf, buildZip, wrapDocumentXml } from '../fixtures/build-fixtures.ts';
import { seedFiles } from '../server-helpers.ts';

/** One file to upload, with what kind of damage it carries. */
export interface CorpusFile {
  name: string;
  bytes: Uint8Array;
  kind: string;
}

/** mulberry32: a small, fast PRNG; the same seed gives the same sequence everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const encoder = new TextEncoder();

/** The bundled reports in every format: name stem, text and bytes per format. */
export async function baseFiles(): Promise<{ stem: string; text: string; txt: Uint8Array; docx: Uint8Array; pdf: Uint8Array }[]> {
  return Promise.all(
    seedFiles().map(async ({ name, bytes }) => {
      const text = new TextDecoder().decode(bytes);
      return { stem: name.replace(/\.txt$/, ''), text, txt: bytes, docx: await buildDocx(text), pdf: await buildPdf(text) };
    }),
  );
}

/**
 * The whole corpus: truncations, bit-flip sets and splices of each of the 15 base files (fewer of the damaged PDFs,
 * which cost pdf.js seconds each), `randomFiles` random blobs (some behind a PDF or zip signature), and the named
 * hostile files of `specialFiles`.
 */
export async function buildCorpus(seed: number, { perBase = 30, perPdf = 4, randomFiles = 150 } = {}): Promise<CorpusFile[]> {
  const rand = prng(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const out: CorpusFile[] = [];
  const bases = await baseFiles();
  for (const base of bases) {
    for (const format of ['txt', 'docx', 'pdf'] as const) {
      const bytes = base[format];
      for (let i = 0; i < perBase; i++) {
        out.push({ name: `${base.stem}-cut${i}.${format}`, bytes: bytes.slice(0, int(bytes.length)), kind: `truncated ${format}` });
        if (format === 'pdf' && i >= perPdf) continue;
        const flipped = bytes.slice();
        const flips = 1 + int(64);
        for (let k = 0; k < flips; k++) flipped[int(flipped.length)]! ^= 1 << int(8);
        out.push({ name: `${base.stem}-flip${i}.${format}`, bytes: flipped, kind: `bit-flipped ${format}` });
        if (i % 2 === 0) out.push({ name: `${base.stem}-splice${i}.${format}`, bytes: splice(bytes, int), kind: `spliced ${format}` });
      }
    }
  }
  for (let i = 0; i < randomFiles; i++) {
    const noise = new Uint8Array(1 + int(i % 10 === 0 ? 1 << 20 : 1 << 16)).map(() => int(256));
    const prefix = [new Uint8Array(), encoder.encode('%PDF-1.7\n'), Uint8Array.of(0x50, 0x4b, 0x03, 0x04)][i % 3]!;
    // A zip signature plus the name the server's sniffing looks for: gets past the first look, fails in the reader.
    const suffix = i % 3 === 2 ? encoder.encode('word/document.xml') : new Uint8Array();
    const ext = ['bin', 'pdf', 'docx', 'txt'][i % 4]!;
    out.push({ name: `random-${i}.${ext}`, bytes: concat(prefix, noise, suffix), kind: 'random bytes' });
  }
  out.push(...(await specialFiles(bases[0]!.text, bases[0]!.pdf)));
  return out;
}

/** Deletes, repeats or overwrites a random range. */
function splice(bytes: Uint8Array, int: (n: number) => number): Uint8Array {
  const a = int(bytes.length);
  const b = Math.min(bytes.length, a + 1 + int(4096));
  switch (int(3)) {
    case 0:
      return concat(bytes.subarray(0, a), bytes.subarray(b));
    case 1:
      return concat(bytes.subarray(0, b), bytes.subarray(a, b), bytes.subarray(b));
    default: {
      const copy = bytes.slice();
      for (let i = a; i < b; i++) copy[i] = int(256);
      return copy;
    }
  }
}

/** The named hostile files. */
export async function specialFiles(text: string, pdf: Uint8Array): Promise<CorpusFile[]> {
  const lines = text.split('\n');
  const files: CorpusFile[] = [];
  const add = (name: string, bytes: Uint8Array, kind: string) => files.push({ name, bytes, kind });

  // Zip bombs: 60 MB of one byte deflated to ~60 kB, declared honestly, and the same with the sizes zeroed (a lie).
  const bomb = buildDocxFromXml(new Uint8Array(60 * 2 ** 20).fill(0x20));
  add('bomb.docx', bomb, 'zip bomb');
  add('bomb-lying.docx', zeroDeclaredSizes(bomb), 'zip bomb with lying sizes');
  // A 45 MB document.xml that is within the unpacked-size limit but needs far more memory and time than a report.
  const paragraph = lines.map((l) => `<w:p><w:r><w:t>${escapeXml(l)}</w:t></w:r></w:p>`).join('');
  const huge = paragraph.repeat(Math.floor(45e6 / encoder.encode(paragraph).length));
  add('huge-xml.docx', buildDocxFromXml(wrapDocumentXml(huge)), 'huge document.xml');
  // Nesting far beyond any real document, and an entity-expansion ("billion laughs") document type.
  const depth = 200_000;
  const deep = '<w:p>'.repeat(depth) + '<w:r><w:t>深</w:t></w:r>' + '</w:p>'.repeat(depth);
  add('deep.docx', buildDocxFromXml(wrapDocumentXml(deep)), 'deeply nested XML');
  // Entity b is ten a's, c ten b's, … j is 10⁹ copies of "哈哈哈哈哈哈哈哈哈哈" if anything expanded it.
  const entities = Array.from({ length: 9 }, (_, i) => {
    const [name, previous] = [String.fromCharCode(98 + i), String.fromCharCode(97 + i)];
    return `<!ENTITY ${name} "${`&${previous};`.repeat(10)}">`;
  });
  const laughs =
    `<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">${entities.join('')}]>` +
    wrapDocumentXml('<w:p><w:r><w:t>&j;</w:t></w:r></w:p>').replace(/^<\?xml[^>]*\?>/, '');
  add('laughs.docx', buildDocxFromXml(laughs), 'entity expansion');
  add('no-document.docx', buildZip({ 'word/other.xml': '<x/>', 'readme.txt': '不是文档' }), 'zip without document.xml');
  add('docx-in-pdf.pdf', buildDocxFromXml(wrapDocumentXml('<w:p><w:r><w:t>伪装</w:t></w:r></w:p>')), 'docx named .pdf');

  // PDFs: cross-reference offsets scrambled, the table removed, startxref past the end, a stream with a huge /Length.
  const latin = Buffer.from(pdf).toString('latin1');
  const xrefAt = latin.lastIndexOf('\nxref');
  const trailerAt = latin.indexOf('trailer', xrefAt);
  const offset = (i: number) => String((i * 7919) % 10 ** 10).padStart(10, '0');
  const table = latin.slice(xrefAt, trailerAt).replace(/\d{10} 00000 n/g, (_m, i: number) => `${offset(i)} 00000 n`);
  const scrambled = latin.slice(0, xrefAt) + table + latin.slice(trailerAt);
  add('xref-scrambled.pdf', latin1(scrambled), 'broken PDF cross-reference');
  add('xref-missing.pdf', latin1(latin.slice(0, xrefAt) + '\n' + latin.slice(trailerAt)), 'PDF without cross-reference');
  add('startxref-beyond.pdf', latin1(latin.replace(/startxref\s+\d+/, 'startxref\n999999999')), 'PDF startxref beyond the end');
  add('stream-length.pdf', latin1(latin.replace(/\/Length \d+/, '/Length 2147483647')), 'PDF with a lying stream length');
  add('pdf-header-only.pdf', encoder.encode('%PDF-1.7\n%%EOF\n'), 'PDF with no objects');

  // Text in other encodings, and text that is not a report.
  add('gbk.txt', iconv.encode(text, 'gbk'), 'GBK text');
  add('gb18030.txt', iconv.encode(text, 'gb18030'), 'GB18030 text');
  add('big5.txt', iconv.encode(text, 'big5'), 'Big5 text');
  add('utf16le-bom.txt', concat(Uint8Array.of(0xff, 0xfe), iconv.encode(text, 'utf16le')), 'UTF-16LE text with BOM');
  add('utf16le.txt', iconv.encode(text, 'utf16le'), 'UTF-16LE text without BOM');
  add('utf16be-bom.txt', concat(Uint8Array.of(0xfe, 0xff), iconv.encode(text, 'utf16-be')), 'UTF-16BE text with BOM');
  add('one-line-10mb.txt', encoder.encode(repeatTo(lines.join(' '), 10 * 2 ** 20)), '10 MB single line');
  add('one-char-10mb.txt', encoder.encode('项'.repeat((10 * 2 ** 20) / 3)), '10 MB of one character');
  add('no-figures.txt', encoder.encode(text.replace(/[0-9０-９.%％]/g, '')), 'report without figures');
  add('no-chinese.txt', encoder.encode('Performance evaluation report\nBudget 100\nSpent 90\n'), 'text without Chinese');
  const script = `<script>alert(1)</script>\n${lines[0]}<img src=x onerror=alert(2)>\n${lines.slice(1).join('\n')}\n`;
  add('script.txt', encoder.encode(script + '<iframe src="javascript:alert(3)"></iframe>'), 'report with script and HTML');
  const page = `<!doctype html><html><head><script>alert(1)</script></head><body><h1>${lines[1]}</h1></body></html>`;
  add('page.html.txt', encoder.encode(page), 'HTML page');
  add('image.svg.pdf', encoder.encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'SVG with script');
  add('controls.txt', new Uint8Array(4096).map((_, i) => i % 32), 'control characters');
  add('nul.txt', new Uint8Array(4096), 'NUL bytes');
  add('bom-only.txt', Uint8Array.of(0xef, 0xbb, 0xbf), 'byte-order mark only');
  add('blank.txt', encoder.encode(' \n\t\n　\n'), 'whitespace only');
  add('empty.docx', new Uint8Array(), 'empty file');
  add('legacy.doc', concat(Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1), new Uint8Array(1024)), 'legacy Office file');
  add('photo.pdf', Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1), 'JPEG named .pdf');
  add('program.exe', concat(encoder.encode('MZ'), new Uint8Array(2048).fill(0x90)), 'executable');
  return files;
}

/** Zeroes the uncompressed sizes in every zip header: a bomb that says it is small. */
function zeroDeclaredSizes(zip: Uint8Array): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = view.getUint32(i, true);
    if (sig === 0x04034b50 && i + 26 <= out.length) view.setUint32(i + 22, 1024, true);
    if (sig === 0x02014b50 && i + 28 <= out.length) view.setUint32(i + 24, 1024, true);
  }
  return out;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

function repeatTo(s: string, bytes: number): string {
  const unit = encoder.encode(s).length;
  return s.repeat(Math.ceil(bytes / unit)).slice(0, Math.floor((s.length * bytes) / unit));
}

function latin1(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'latin1'));
}

/** The parts one after another. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
