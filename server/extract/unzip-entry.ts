/**
 * Reads one member of a zip archive under a size limit. The central directory is parsed here rather than by fflate's
 * `unzipSync`, which inflates every member it is asked for into a buffer of the size the archive *declares*; a zip
 * bomb can declare anything, so the inflated bytes are counted as they come and inflation stops at the limit.
 */
import { Inflate } from 'fflate';
import { ReadError } from './read-error.ts';

/** One member as listed in the central directory. */
export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  encrypted: boolean;
  compressedSize: number;
  /** As declared by the archive: a hint only, never trusted. */
  declaredSize: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
// Feed the inflater in small slices so that at most ~1000× this much output (deflate's ratio limit) lands between checks.
const INFLATE_SLICE = 16 * 1024;

/** Thrown by `inflateZipEntry` when the member unpacks to more than the limit. */
export class ZipEntryTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`zip member unpacks to more than ${limit} bytes`);
    this.name = 'ZipEntryTooLarge';
  }
}

/** Lists the members of a zip archive; throws ReadError CORRUPT when its directory cannot be read. */
export function listZipEntries(bytes: Uint8Array): ZipEntry[] {
  try {
    return readCentralDirectory(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    if (error instanceof ReadError) throw error;
    // DataView reads past the end throw RangeError: the directory points outside the file.
    throw damagedZip();
  }
}

/**
 * Unpacks one member. Throws ZipEntryTooLarge past `maxBytes` (counting real output, not the declared size), and
 * ReadError CORRUPT or ENCRYPTED when the data cannot be unpacked.
 */
export function inflateZipEntry(bytes: Uint8Array, entry: ZipEntry, maxBytes: number): Uint8Array {
  if (entry.encrypted) {
    throw new ReadError('ENCRYPTED', 'This .docx file is password-protected.', '该 .docx 文件设有密码保护。');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let start: number;
  try {
    if (view.getUint32(entry.localHeaderOffset, true) !== LOCAL_SIGNATURE) throw damagedZip();
    const nameLength = view.getUint16(entry.localHeaderOffset + 26, true);
    const extraLength = view.getUint16(entry.localHeaderOffset + 28, true);
    start = entry.localHeaderOffset + 30 + nameLength + extraLength;
  } catch (error) {
    throw error instanceof ReadError ? error : damagedZip();
  }
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw damagedZip();
  const data = bytes.subarray(start, end);

  if (entry.method === 0) {
    if (data.length > maxBytes) throw new ZipEntryTooLarge(maxBytes);
    return data;
  }
  if (entry.method !== 8) throw damagedZip();

  const chunks: Uint8Array[] = [];
  let total = 0;
  let finished = false;
  const inflater = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > maxBytes) throw new ZipEntryTooLarge(maxBytes);
    chunks.push(chunk);
    if (final) finished = true;
  });
  try {
    for (let offset = 0; offset < data.length && !finished; offset += INFLATE_SLICE) {
      inflater.push(data.subarray(offset, offset + INFLATE_SLICE), offset + INFLATE_SLICE >= data.length);
    }
  } catch (error) {
    if (error instanceof ZipEntryTooLarge) throw error;
    throw damagedZip();
  }
  if (!finished) throw damagedZip();
  return joinChunks(chunks, total);
}

function readCentralDirectory(view: DataView): ZipEntry[] {
  const eocd = findEndOfCentralDirectory(view);
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR_SIGNATURE) throw damagedZip();
    const zip64 = Number(view.getBigUint64(locator + 8, true));
    if (view.getUint32(zip64, true) !== ZIP64_EOCD_SIGNATURE) throw damagedZip();
    count = Number(view.getBigUint64(zip64 + 32, true));
    offset = Number(view.getBigUint64(zip64 + 48, true));
  }
  // Each directory record takes at least 46 bytes: a count beyond that is a lie, not a reason to loop.
  if (count > view.byteLength / 46) throw damagedZip();

  const decoder = new TextDecoder('utf-8');
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (view.getUint32(offset, true) !== CENTRAL_SIGNATURE) throw damagedZip();
    const flags = view.getUint16(offset + 8, true);
    const method = view.getUint16(offset + 10, true);
    let compressedSize = view.getUint32(offset + 20, true);
    let declaredSize = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    let localHeaderOffset = view.getUint32(offset + 42, true);
    const nameBytes = new Uint8Array(view.buffer, view.byteOffset + offset + 46, nameLength);
    const name = decoder.decode(nameBytes);

    // Zip64 extended information: the 64-bit values follow in this order, for the fields that overflowed.
    let extra = offset + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = view.getUint16(extra, true);
      const size = view.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let field = extra + 4;
        if (declaredSize === 0xffffffff) [declaredSize, field] = [Number(view.getBigUint64(field, true)), field + 8];
        if (compressedSize === 0xffffffff) [compressedSize, field] = [Number(view.getBigUint64(field, true)), field + 8];
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(view.getBigUint64(field, true));
      }
      extra += 4 + size;
    }
    entries.push({ name, method, encrypted: (flags & 1) === 1, compressedSize, declaredSize, localHeaderOffset });
    offset = extraEnd + commentLength;
  }
  return entries;
}

function findEndOfCentralDirectory(view: DataView): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end of the file.
  const last = view.byteLength - 22;
  for (let i = last; i >= 0 && i >= last - 0xffff; i--) {
    if (view.getUint32(i, true) === EOCD_SIGNATURE) return i;
  }
  throw damagedZip();
}

function joinChunks(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function damagedZip(): ReadError {
  return new ReadError(
    'CORRUPT',
    'This .docx (zip) file is damaged or incomplete and cannot be unpacked.',
    '该 .docx（zip）文件已损坏或不完整，无法解压。',
  );
}
