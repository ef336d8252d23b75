/** Stage 1: file bytes → plain text, sniffing the format from the content (never the file name). */
import type { SourceFormat } from '../schema.ts';
import { readDocx } from './read-docx.ts';
import { ReadError } from './read-error.ts';
import { readPdf } from './read-pdf.ts';
import { readTxt } from './read-txt.ts';
import { sniffFormat } from './sniff.ts';

export interface ReadResult {
  text: string;
  format: SourceFormat;
  /** The detected character encoding for .txt (utf-8, gb18030, utf-16le, …). */
  encoding: string | null;
}

/** Largest file read at all; a report is rarely over 20 MB, and a 50 MB text file must still be read. */
export const MAX_FILE_BYTES = 128 * 1024 * 1024;

/** Reads a report file; throws ReadError with a clear message for input it cannot read. */
export async function readDocument(bytes: Uint8Array): Promise<ReadResult> {
  if (bytes.length === 0) throw new ReadError('EMPTY', 'This file is empty.', '该文件为空。');
  if (bytes.length > MAX_FILE_BYTES) {
    const mb = MAX_FILE_BYTES / 1024 / 1024;
    throw new ReadError('TOO_LARGE', `This file is larger than ${mb} MB, too large to read.`, `该文件超过 ${mb} MB，过大无法读取。`);
  }
  switch (sniffFormat(bytes)) {
    case 'pdf':
      return finish(await readPdf(bytes), 'pdf', null);
    case 'zip':
      return finish(readDocx(bytes), 'docx', null);
    case 'ole':
      throw new ReadError(
        'UNSUPPORTED',
        'This is an old-style Word or Excel file (.doc, .xls, .wps) or a password-protected Office file; save it as .docx or .pdf first.',
        '该文件是旧版 Word/Excel 文件（.doc、.xls、.wps）或设有密码的 Office 文件，请先另存为 .docx 或 .pdf。',
      );
    case 'image':
      throw new ReadError(
        'UNSUPPORTED',
        'This file is an image, not a text, .docx or .pdf file; a scanned report needs OCR first.',
        '该文件是图片，不是文本、.docx 或 .pdf 文件；扫描件需要先进行文字识别（OCR）。',
      );
    case 'program':
      throw new ReadError(
        'UNSUPPORTED',
        'This file is a program or a compressed archive, not a text, .docx or .pdf report.',
        '该文件是程序或压缩包，不是文本、.docx 或 .pdf 报告。',
      );
    case 'text': {
      const { text, encoding } = readTxt(bytes);
      return finish(text, 'txt', encoding);
    }
  }
}

function finish(raw: string, format: SourceFormat, encoding: string | null): ReadResult {
  const text = (raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw).replace(/\r\n?/g, '\n');
  if (!/\S/.test(text)) {
    throw new ReadError(
      'NO_TEXT',
      format === 'txt'
        ? 'This file contains no text, only blank space.'
        : `This .${format} file contains no text (it may hold only images, such as scanned pages).`,
      format === 'txt' ? '该文件没有文字内容，只有空白。' : `该 .${format} 文件没有文字内容（可能只包含图片，例如扫描页）。`,
    );
  }
  return { text, format, encoding };
}
