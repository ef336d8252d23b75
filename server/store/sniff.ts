/**
 * A cheap first look at uploaded bytes, before they cost a worker's time: rejects what is plainly not a .txt, .docx
 * or .pdf report. The extractor sniffs again, properly; this only turns away images, archives and binary noise early,
 * and judges text by the extractor's own reader (on the first 64 KB) so that it never refuses what the extractor reads.
 */
import { ReadError } from '../extract/read-error.ts';
import { readTxt } from '../extract/read-txt.ts';

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
  if (!looksLikeText(bytes)) throw unsupported('not a text, .docx or .pdf file', '不是文本、.docx 或 .pdf 文件');
}

function unsupported(en: string, zh: string): ReadError {
  return new ReadError('UNSUPPORTED', `unsupported file type: ${en}`, `不支持的文件类型：${zh}`);
}

/** Whether the start of the file decodes as text in an encoding the extractor reads (UTF-8/16, GB18030, Big5). */
function looksLikeText(bytes: Uint8Array): boolean {
  try {
    readTxt(textSample(bytes));
    return true;
  } catch {
    return false;
  }
}

/**
 * The first 64 KB of a text file, cut where no character is split (a split one would make UTF-8 look like another
 * encoding): after a line feed, which is never part of another character in UTF-8, GB18030 or Big5 (in UTF-16LE its
 * zero byte is kept with it); on one long line, before a UTF-8 continuation byte.
 */
function textSample(bytes: Uint8Array): Uint8Array {
  if (bytes.length <= SAMPLE) return bytes;
  let end = bytes.lastIndexOf(0x0a, SAMPLE - 2) + 1;
  if (end > SAMPLE / 2) return bytes.subarray(0, bytes[end] === 0x00 ? end + 1 : end);
  end = SAMPLE;
  while (end > SAMPLE - 4 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function indexOfAscii(bytes: Uint8Array, needle: string): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle, 0, 'latin1');
}
