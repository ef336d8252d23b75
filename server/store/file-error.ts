/** The per-file error every ingestion path reports: a code and one line each in English and Chinese, never a stack. */
import { ZodError } from 'zod';
import { ReadError } from '../extract/read-error.ts';

/** Why one file was not ingested. */
export interface FileError {
  /** A ReadError code (EMPTY, UNSUPPORTED, CORRUPT, NO_TEXT_LAYER, TOO_LARGE, NO_TEXT) or TIMEOUT, INVALID_EXTRACTION, STORE, INTERNAL. */
  code: string;
  message: string;
  message_zh: string;
}

/** Describes any thrown value as a FileError. */
export function toFileError(e: unknown): FileError {
  if (e instanceof ReadError) return { code: e.code, message: e.message, message_zh: e.message_zh };
  if (e instanceof ZodError) {
    const where = e.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return {
      code: 'INVALID_EXTRACTION',
      message: `the extractor produced an invalid result (${where})`,
      message_zh: `解析结果不符合数据格式（${where}）`,
    };
  }
  const detail = firstLine(e);
  return { code: 'INTERNAL', message: `could not process the file: ${detail}`, message_zh: `无法处理该文件：${detail}` };
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return (text.split('\n')[0] ?? '').slice(0, 300);
}
