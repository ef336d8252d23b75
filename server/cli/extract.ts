/** `npm run --silent extract -- <file>`: prints one JSON extraction to stdout, or one error line to stderr. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { extractDocument } from '../extract/extract.ts';
import { ReadError } from '../extract/read-error.ts';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: npm run --silent extract -- <file>\n');
  process.exit(2);
}
try {
  const bytes = await readFile(file);
  const result = await extractDocument(new Uint8Array(bytes), basename(file));
  process.stdout.write(JSON.stringify(result) + '\n');
} catch (e) {
  const msg = e instanceof ReadError ? `${file}: ${e.message} (${e.message_zh})` : `${file}: ${(e as Error).message}`;
  process.stderr.write(msg.split('\n')[0] + '\n');
  process.exit(1);
}
