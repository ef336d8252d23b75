/** Plain-text reports: detects the character encoding from the bytes (never assumed) and decodes them. */
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { ReadError } from './read-error.ts';

/** The encodings a Chinese report is found in. GBK and GB2312 files are decoded as their superset GB18030. */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'big5';

/** Decoded text (byte-order mark removed, line endings as found) and the encoding it was read with. */
export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

// Heuristics look at the head of the file only, so a 50 MB file costs no more to sniff than a 50 kB one.
const SAMPLE_BYTES = 64 * 1024;
// Share of common characters (see commonShare) a UTF-16 reading needs to be believed.
const PLAUSIBLE_SHARE = 0.9;
// Above this share of control or undecodable characters the file is binary, not text.
const MAX_BINARY_SHARE = 0.01;

/** Decodes a text file; throws ReadError UNSUPPORTED when the bytes are not text in any candidate encoding. */
export function readTxt(bytes: Uint8Array): DecodedText {
  const { encoding, bomLength } = detectEncoding(bytes);
  let text = decode(bytes.subarray(bomLength), encoding);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (binaryShare(text) > MAX_BINARY_SHARE) {
    throw new ReadError(
      'UNSUPPORTED',
      'This file is not a text, .docx or .pdf file (it looks like binary data).',
      '该文件不是文本、.docx 或 .pdf 文件（看起来是二进制数据）。',
    );
  }
  return { text, encoding };
}

/** Detects the encoding of text bytes: byte-order mark, UTF-16 by its look, UTF-8, then GB18030 or Big5. */
export function detectEncoding(bytes: Uint8Array): { encoding: TextEncoding; bomLength: number } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };

  const sample = bytes.subarray(0, SAMPLE_BYTES);
  // Text in UTF-8 or GB18030 has no control bytes; UTF-16 has a zero byte in every ASCII character and other low
  // bytes in many Chinese ones (and can then even pass as valid UTF-8), so it is tried first when they occur.
  if (hasControlBytes(sample)) {
    const utf16 = guessUtf16(sample);
    if (utf16) return { encoding: utf16, bomLength: 0 };
  }
  if (isUtf8(bytes)) return { encoding: 'utf-8', bomLength: 0 };
  if (bytes.length % 2 === 0) {
    const utf16 = guessUtf16(sample);
    if (utf16) return { encoding: utf16, bomLength: 0 };
  }
  return { encoding: guessDoubleByte(sample), bomLength: 0 };
}

function decode(bytes: Uint8Array, encoding: TextEncoding): string {
  if (encoding === 'utf-8' || encoding === 'utf-16le') return new TextDecoder(encoding).decode(bytes);
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
}

function hasControlBytes(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return true;
  return false;
}

/** The UTF-16 byte order under which the sample reads as common Chinese or ASCII text, if any. */
function guessUtf16(sample: Uint8Array): TextEncoding | null {
  const even = sample.subarray(0, sample.length - (sample.length % 2));
  if (even.length < 2) return null;
  // Read the wrong way round, Chinese text turns into rare characters, so the common-character share decides.
  const le = commonShare(decode(even, 'utf-16le'));
  const be = commonShare(decode(even, 'utf-16be'));
  if (Math.max(le, be) <= PLAUSIBLE_SHARE) return null;
  if (Math.min(le, be) > PLAUSIBLE_SHARE && Math.abs(le - be) < 0.05) {
    // Mostly-ASCII text can read well both ways ("X" backwards is U+5800 堀): ASCII puts its zero byte second in
    // little-endian, first in big-endian.
    let zeroFirst = 0;
    let zeroSecond = 0;
    for (let i = 0; i < even.length; i += 2) {
      if (even[i] === 0) zeroFirst++;
      if (even[i + 1] === 0) zeroSecond++;
    }
    return zeroFirst > zeroSecond ? 'utf-16be' : 'utf-16le';
  }
  return le >= be ? 'utf-16le' : 'utf-16be';
}

/**
 * GB18030 or Big5, whichever reads as common characters of its own script. Both decode almost any byte pair, so
 * validity cannot tell them apart: simplified text read as Big5, or traditional text read as GB18030, comes out
 * as a scatter of rare characters.
 */
function guessDoubleByte(sample: Uint8Array): TextEncoding {
  const gb = commonShare(decode(sample, 'gb18030'), GB2312, true);
  const big5 = commonShare(decode(sample, 'big5'), BIG5_COMMON, true);
  return big5 > gb + 0.2 ? 'big5' : 'gb18030';
}

const GB2312 = 1;
const BIG5_COMMON = 2;
let charSets: Uint8Array | undefined;

/** Flags per UTF-16 code unit: GB2312 (the 7,445 characters of everyday simplified text) and Big5 level 1. */
function commonCharacters(): Uint8Array {
  if (charSets) return charSets;
  const flags = new Uint8Array(0x10000);
  const mark = (encoding: string, leads: [number, number], trails: [number, number][], flag: number) => {
    for (let lead = leads[0]; lead <= leads[1]; lead++) {
      for (const [low, high] of trails) {
        for (let trail = low; trail <= high; trail++) {
          const text = iconv.decode(Buffer.from([lead, trail]), encoding);
          const c = text.charCodeAt(0);
          // Unassigned positions decode to U+FFFD or to the private use area.
          if (text.length === 1 && c !== 0xfffd && (c < 0xe000 || c > 0xf8ff)) flags[c]! |= flag;
        }
      }
    }
  };
  mark('gb18030', [0xa1, 0xf7], [[0xa1, 0xfe]], GB2312);
  mark('big5', [0xa1, 0xc6], [[0x40, 0x7e], [0xa1, 0xfe]], BIG5_COMMON);
  charSets = flags;
  return flags;
}

/**
 * Share of characters that are common in Chinese reports: ASCII text, or non-ASCII characters of the given
 * character sets. With `nonAsciiOnly`, the share is of the non-ASCII characters alone (1 when there are none).
 */
function commonShare(text: string, sets = GB2312 | BIG5_COMMON, nonAsciiOnly = false): number {
  const flags = commonCharacters();
  let counted = 0;
  let common = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (nonAsciiOnly) continue;
      counted++;
      if (c >= 0x20 ? c < 0x7f : c === 0x09 || c === 0x0a || c === 0x0d) common++;
    } else {
      counted++;
      if ((flags[c]! & sets) !== 0) common++;
    }
  }
  return counted === 0 ? (nonAsciiOnly ? 1 : 0) : common / counted;
}

/** Share of characters that never occur in text: control characters other than whitespace, and U+FFFD. */
function binaryShare(text: string): number {
  if (text.length === 0) return 0;
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0b && c !== 0x0c && c !== 0x0d) || c === 0x7f || c === 0xfffd) bad++;
  }
  return bad / text.length;
}
