/**
 * A minimal POSIX tar (ustar) of regular files, streamed from and to disk: what a backup needs, readable by any `tar`.
 * Entry names are never used as paths here: the reader hands each name to the caller, who decides where bytes go.
 */
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';

const BLOCK = 512;
const CHUNK = 1 << 20;

/** One file to put in the archive: its name in the archive and where its bytes are (a whole file, or a range of one). */
export interface TarInput {
  name: string;
  path: string;
  range?: { offset: number; size: number };
}

/**
 * Writes `entries` as a tar archive to `out` (which must not exist) and syncs it to disk. Returns the sha256 (hex) of
 * every entry as written.
 */
export async function writeTar(out: string, entries: readonly TarInput[]): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  const file = await open(out, 'wx', 0o600);
  try {
    for (const entry of entries) {
      const input = await open(entry.path, 'r');
      try {
        const { offset, size } = entry.range ?? { offset: 0, size: (await input.stat()).size };
        await file.write(header(entry.name, size));
        const hash = createHash('sha256');
        await copy(input, offset, size, async (chunk) => {
          hash.update(chunk);
          await file.write(chunk);
        });
        digests.set(entry.name, hash.digest('hex'));
        const pad = (BLOCK - (size % BLOCK)) % BLOCK;
        if (pad > 0) await file.write(new Uint8Array(pad));
      } finally {
        await input.close();
      }
    }
    await file.write(new Uint8Array(BLOCK * 2));
    await file.sync();
  } finally {
    await file.close();
  }
  return digests;
}

/**
 * Reads the tar archive at `path`: for each regular file, `target(name, size)` returns where to write its bytes (or
 * null to skip it). Returns the sha256 (hex) of every entry written. Throws on a damaged archive.
 */
export async function readTar(
  path: string,
  target: (name: string, size: number) => string | null,
): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  const file = await open(path, 'r');
  try {
    const { size: total } = await file.stat();
    let offset = 0;
    const block = new Uint8Array(BLOCK);
    while (offset + BLOCK <= total) {
      await readExactly(file, block, offset);
      offset += BLOCK;
      if (block.every((b) => b === 0)) return digests;
      const { name, size, type } = parseHeader(block);
      if (offset + size > total) throw new Error('the archive is truncated');
      const to = type === 'file' ? target(name, size) : null;
      if (to !== null) {
        const out = await open(to, 'wx', 0o600);
        const hash = createHash('sha256');
        try {
          await copy(file, offset, size, async (chunk) => {
            hash.update(chunk);
            await out.write(chunk);
          });
          await out.sync();
        } finally {
          await out.close();
        }
        digests.set(name, hash.digest('hex'));
      }
      offset += Math.ceil(size / BLOCK) * BLOCK;
    }
    throw new Error('the archive has no end marker (truncated)');
  } finally {
    await file.close();
  }
}

/** The sha256 (hex) of a file. */
export async function sha256File(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    await copy(file, 0, (await file.stat()).size, async (chunk) => void hash.update(chunk));
    return hash.digest('hex');
  } finally {
    await file.close();
  }
}

async function copy(from: FileHandle, start: number, size: number, sink: (chunk: Uint8Array) => Promise<void>): Promise<void> {
  const buffer = new Uint8Array(Math.min(CHUNK, Math.max(size, 1)));
  for (let done = 0; done < size; ) {
    const n = Math.min(buffer.length, size - done);
    await readExactly(from, buffer.subarray(0, n), start + done);
    await sink(buffer.subarray(0, n));
    done += n;
  }
}

async function readExactly(file: FileHandle, into: Uint8Array, position: number): Promise<void> {
  for (let got = 0; got < into.length; ) {
    const { bytesRead } = await file.read(into, got, into.length - got, position + got);
    if (bytesRead === 0) throw new Error('the archive is truncated');
    got += bytesRead;
  }
}

function header(name: string, size: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const nameBytes = new TextEncoder().encode(name);
  if (nameBytes.length > 100) throw new Error(`tar entry name too long: ${name}`);
  h.set(nameBytes, 0);
  putOctal(h, 100, 8, 0o600);
  putOctal(h, 108, 8, 0);
  putOctal(h, 116, 8, 0);
  if (size < 8 ** 11) putOctal(h, 124, 12, size);
  else {
    // GNU base-256 for files of 8 GiB and more: a set high bit, then the size big-endian.
    h[124] = 0x80;
    for (let i = 135, n = size; i > 124; i--, n = Math.floor(n / 256)) h[i] = n % 256;
  }
  putOctal(h, 136, 12, Math.floor(Date.now() / 1000));
  h[156] = 0x30; // '0': regular file
  h.set(new TextEncoder().encode('ustar\u000000'), 257);
  h.fill(0x20, 148, 156);
  putOctal(h, 148, 7, h.reduce((sum, b) => sum + b, 0));
  return h;
}

function parseHeader(h: Uint8Array): { name: string; size: number; type: 'file' | 'other' } {
  const stored = readOctal(h, 148, 8);
  const copy = h.slice();
  copy.fill(0x20, 148, 156);
  if (copy.reduce((sum, b) => sum + b, 0) !== stored) throw new Error('the archive is damaged (bad header checksum)');
  let size = 0;
  if (h[124]! & 0x80) for (let i = 125; i < 136; i++) size = size * 256 + h[i]!;
  else size = readOctal(h, 124, 12);
  const end = h.indexOf(0);
  const name = new TextDecoder().decode(h.subarray(0, end >= 0 && end < 100 ? end : 100));
  const flag = h[156];
  return { name, size, type: flag === 0x30 || flag === 0 ? 'file' : 'other' };
}

function putOctal(h: Uint8Array, at: number, width: number, value: number): void {
  h.set(new TextEncoder().encode(value.toString(8).padStart(width - 1, '0') + '\u0000'), at);
}

function readOctal(h: Uint8Array, at: number, width: number): number {
  const text = new TextDecoder().decode(h.subarray(at, at + width)).replace(/[\u0000 ]+$/g, '').trim();
  if (!/^[0-7]*$/.test(text)) throw new Error('the archive is damaged (bad header)');
  return text === '' ? 0 : parseInt(text, 8);
}
