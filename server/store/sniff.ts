/**
 * A cheap first look at uploaded bytes, before they cost a worker's time: rejects what is plainly not a .txt, .docx
 * or .pdf report. The extractor sniffs again, properly; this only turns away images, archives and binary noise early.
 */
import { ReadError } from '../extract/read-error.ts';

const SAMPLE = 64 * 1024;

/** Throws ReadError when `bytes` cannot be a text, Word (.docx) or PDF report. */
export function sniffReport(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new ReadError('EMPTY', 'empty file', '空文件');
  const head = bytes.subarray(0, Math.min(bytes.length, SAMPLE));
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d]) || indexOfAscii(head.subarray(0, 1024), '%PDF-') >= 0) return;
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    // The central directory at the end names every part; a .docx always has word/document.xml.
    if (indexOfAscii(bytes, 'word/document.xml') >= 0) return;
    throw unsupported('a ZIP archive that is not a Word document', '不是 Word 文档的 ZIP 压缩包');
  }
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0])) {
    throw unsupported('a legacy Office file (.doc/.xls); save it as .docx', '旧版 Office 文件（.doc/.xls），请另存为 .docx');
  }
  if (!looksLikeText(head)) throw unsupported('not a text, .docx or .pdf file', '不是文本、.docx 或 .pdf 文件');
}

function unsupported(en: string, zh: string): ReadError {
  return new ReadError('UNSUPPORTED', `unsupported file type: ${en}`, `不支持的文件类型：${zh}`);
}

/** Text in any common encoding has (almost) no C0 control bytes; UTF-16 has NULs, but only in every other byte. */
function looksLikeText(head: Uint8Array): boolean {
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) return true;
  let nulEven = 0;
  let nulOdd = 0;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i]!;
    if (b === 0) {
      if (i % 2 === 0) nulEven++;
      else nulOdd++;
    } else if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  }
  const nul = nulEven + nulOdd;
  const utf16 = nul > head.length / 8 && Math.min(nulEven, nulOdd) <= nul / 50;
  return (utf16 ? control : nul + control) <= head.length / 200;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function indexOfAscii(bytes: Uint8Array, needle: string): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle, 0, 'latin1');
}
