/** Finds report files on disk for the ingest CLI and the first-start seeding. */
import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { IngestSource } from './ingest.ts';

const REPORT_EXTENSIONS = new Set(['.txt', '.docx', '.pdf']);

/** Expands files and folders (recursively, .txt/.docx/.pdf only, sorted) into absolute paths; named files are kept
 * whatever their extension, so that the user hears why one is refused. */
export async function listReportFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const abs = resolve(path);
    if ((await stat(abs)).isDirectory()) out.push(...(await walk(abs)));
    else out.push(abs);
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.isFile() && REPORT_EXTENSIONS.has(extname(entry.name).toLowerCase())) out.push(path);
  }
  return out;
}

/** An ingestion source reading `path` when needed; its display name is the file name. */
export function fileSource(path: string): IngestSource {
  return { name: path, read: async () => new Uint8Array(await readFile(path)) };
}
