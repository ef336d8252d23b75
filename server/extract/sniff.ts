/** Tells the kind of a file from its first bytes (magic numbers), never from its name. */

/** What the leading bytes say a file is; `text` means "no known binary signature". */
export type SniffedKind = 'pdf' | 'zip' | 'ole' | 'image' | 'program' | 'text';

// Acrobat accepts junk before the header if the header starts within the first 1024 bytes
// (PDF Reference 1.7, appendix H, implementation note 13); real downloads sometimes carry such a prefix.
const PDF_HEADER_WINDOW = 1024;

/** Sniffs the format of `bytes` from their content. */
export function sniffFormat(bytes: Uint8Array): SniffedKind {
  const pdf = indexOfAscii(bytes, '%PDF-', PDF_HEADER_WINDOW);
  if (pdf >= 0 && isDigit(bytes[pdf + 5])) return 'pdf';
  // Local file header, or the end-of-central-directory record of an empty archive.
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  // OLE compound file: legacy .doc/.xls/.wps, and password-protected Office files.
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  if (
    startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) || // PNG
    startsWith(bytes, [0xff, 0xd8, 0xff]) || // JPEG
    startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || // TIFF, little-endian
    startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]) // TIFF, big-endian
  ) {
    return 'image';
  }
  // Executables and archives other than zip: never reports, whatever they decode to.
  if (
    startsWith(bytes, [0x4d, 0x5a]) || // Windows executable (MZ)
    startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46]) || // ELF
    startsWith(bytes, [0xca, 0xfe, 0xba, 0xbe]) || startsWith(bytes, [0xcf, 0xfa, 0xed, 0xfe]) || // Mach-O
    startsWith(bytes, [0x1f, 0x8b]) || // gzip
    startsWith(bytes, [0x52, 0x61, 0x72, 0x21]) || // RAR
    startsWith(bytes, [0x37, 0x7a, 0xbc, 0xaf]) // 7z
  ) {
    return 'program';
  }
  return 'text';
}

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

/** Index of an ASCII string within the first `window` bytes, or -1. */
export function indexOfAscii(bytes: Uint8Array, needle: string, window = bytes.length, from = 0): number {
  const end = Math.min(bytes.length, from + window) - needle.length;
  outer: for (let i = from; i <= end; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}
