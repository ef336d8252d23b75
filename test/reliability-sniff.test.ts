/**
 * The server's cheap first look at an upload (server/store/sniff.ts) turns away binary noise before it costs a worker,
 * but must never refuse a file the extractor can read: long texts whose first 64 kB end mid-character, every encoding,
 * one-line files, and the damaged files of the hostile corpus.
 */
import iconv from 'iconv-lite';
import { expect, test } from 'vitest';
import { readDocument } from '../server/extract/read-document.ts';
import { sniffReport } from '../server/store/sniff.ts';
import { prng } from './reliability/corpus.ts';
import { seedFiles } from './server-helpers.ts';

function refused(bytes: Uint8Array): boolean {
  try {
    sniffReport(bytes);
    return false;
  } catch {
    return true;
  }
}

async function readable(bytes: Uint8Array): Promise<boolean> {
  return readDocument(bytes).then(
    () => true,
    () => false,
  );
}

test('the first look refuses no text the extractor reads, in any encoding or length', async () => {
  const rand = prng(7);
  const files: { name: string; bytes: Uint8Array }[] = [];
  for (const seed of seedFiles()) {
    const text = new TextDecoder().decode(seed.bytes);
    for (const [form, body] of [
      ['lines', text],
      ['one line', text.replace(/\n/g, ' ')],
    ] as const) {
      // Lengths around and well past the 64 kB sample, so that it ends inside a character somewhere.
      for (const times of [1, 5, 7, 9, 13]) {
        const long = body.repeat(times).slice(0, Math.floor(body.length * times - rand() * 50));
        files.push({ name: `${seed.name} ${form} ×${times} utf-8`, bytes: new TextEncoder().encode(long) });
        for (const encoding of ['gb18030', 'big5', 'utf16le', 'utf16-be']) {
          files.push({ name: `${seed.name} ${form} ×${times} ${encoding}`, bytes: new Uint8Array(iconv.encode(long, encoding)) });
        }
      }
    }
  }
  const wrongly = [];
  for (const f of files) if (refused(f.bytes) && (await readable(f.bytes))) wrongly.push(f.name);
  expect(wrongly).toEqual([]);
  // And it still does its job: noise and binary formats are turned away.
  const noise = new Uint8Array(200_000).map(() => Math.floor(rand() * 256));
  expect(refused(noise)).toBe(true);
  expect(refused(Uint8Array.of(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0))).toBe(true);
});
