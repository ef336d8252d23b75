/** Why a file could not be read, in words a user understands (Chinese and English). */
export type ReadErrorCode =
  | 'EMPTY'
  | 'UNSUPPORTED'
  | 'CORRUPT'
  | 'NO_TEXT_LAYER'
  | 'TOO_LARGE'
  | 'NO_TEXT'
  /** Password-protected PDF or zip member. */
  | 'ENCRYPTED';

/** A file the extractor cannot read; `message` is one line of English, `message_zh` the same in Chinese. */
export class ReadError extends Error {
  constructor(
    readonly code: ReadErrorCode,
    message: string,
    readonly message_zh: string,
  ) {
    super(message);
    this.name = 'ReadError';
  }
}
