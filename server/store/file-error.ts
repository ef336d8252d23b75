/** The per-file error every ingestion path reports: a code and one line each in English and Chinese, never a stack. */
import { ZodError } from 'zod';
import { ReadError } from '../extract/read-error.ts';

/** Why one file was not ingested. */
export interface FileError {
  /**
   * A ReadError code (EMPTY, UNSUPPORTED, CORRUPT, NO_TEXT_LAYER, TOO_LARGE, NO_TEXT, ENCRYPTED) or TIMEOUT,
   * OUT_OF_MEMORY, INVALID_EXTRACTION, STORE, INTERNAL.
   */
  code: string;
  message: string;
  message_zh: string;
}

/** Describes any thrown value as a FileError. */
export function toFileError(e: unknown): FileError {
  if (e instanceof ReadError) return { code: e.code, message: oneLine(e.message), message_zh: oneLine(e.message_zh) };
  if (e instanceof ZodError) {
    const where = oneLine(e.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
    return {
      code: 'INVALID_EXTRACTION',
      message: `the extractor produced an invalid result (${where})`,
      message_zh: `解析结果不符合数据格式（${where}）`,
    };
  }
  const detail = oneLine((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '');
  return { code: 'INTERNAL', message: `could not process the file: ${detail}`, message_zh: `无法处理该文件：${detail}` };
}

/** The text on one line of at most 300 characters: a message is shown in a table cell, never a stack. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim().slice(0, 300);
}
