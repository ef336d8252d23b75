/**
 * The published tables as a hive-partitioned Parquet data set, `<table>/year=2024/province=河北省/part-<version>-0.parquet`
 * (ZSTD), written from the current published version's files: readable as it is by DuckDB (`hive_partitioning = true`),
 * Spark or Trino, and copyable one partition at a time to wherever the national data lives. Year and province are in
 * the folder names only (Hive's layout); a NULL one (a multi-year evaluation has no year, a report naming no place has
 * no province) goes to `year=__HIVE_DEFAULT_PARTITION__`, which all three read back as NULL. It reads the published
 * files only, never the store's database, so it runs beside a live server.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { PUBLISHED_TABLES } from '../tables.ts';
import { sqlString } from './db.ts';
import { parquetPath, publishedVersion } from './publish.ts';
import { STORE_FILE } from './store.ts';

/** The columns the data set is partitioned by. */
const PARTITION_COLUMNS = ['year', 'province'] as const;
/** The file at the top of an export saying what it holds; it also marks the folder as one a new export may replace. */
const EXPORT_INFO = '_export.json';

/** What an export holds, as written to `_export.json`. */
export interface PartitionedExport {
  format: typeof FORMAT;
  /** The published data version exported. */
  version: string;
  exported_at: string;
  partition_by: readonly string[];
  tables: { name: string; rows: number; files: number; bytes: number }[];
}

/** An export refused for a reason the user can fix (the message says which, in Chinese and English). */
export class ExportError extends Error {}

const FORMAT = 'perf-dashboard-partitioned/1';

/**
 * Writes the current published version of the store in `dataDir` into `outDir` (`outDir/<table>/year=…/province=…/`).
 * The data set is written into a hidden folder beside `outDir` and renamed into place, so `outDir` is never half
 * written; an existing `outDir` must be empty or an earlier export, which is replaced.
 */
export async function exportPartitioned(dataDir: string, outDir: string): Promise<PartitionedExport> {
  if (!outDir.trim()) throw new ExportError('没有指定导出目录 / No export folder given');
  const out = resolve(outDir);
  const version = await currentVersion(dataDir);
  const sources = PUBLISHED_TABLES.map((def) => ({ name: def.name, file: parquetPath(join(dataDir, 'published'), version, def.name) }));
  for (const s of sources) {
    if (!s.file || !existsSync(s.file)) throw new ExportError(`已发布的数据不完整 / The published version ${version} in ${dataDir} lacks ${s.name}`);
  }
  const replacing = await existingExport(out);

  await mkdir(dirname(out), { recursive: true });
  const tmp = join(dirname(out), `.${basename(out)}.tmp-${randomUUID()}`);
  await mkdir(tmp);
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const tables: PartitionedExport['tables'] = [];
    for (const { name, file } of sources) {
      const target = join(tmp, name);
      // Files named by the data version: partitions copied from several stores into one tree do not overwrite each
      // other, and copying the same version twice overwrites a file with itself.
      const reader = await conn.runAndReadAll(
        `COPY (SELECT * FROM read_parquet(${sqlString(file!)})) TO ${sqlString(target)}
         (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (${PARTITION_COLUMNS.join(', ')}), FILENAME_PATTERN 'part-${version}-{i}')`,
      );
      await hiveFolderNames(target);
      tables.push({ name, rows: Number(reader.getRowObjectsJS()[0]?.Count ?? 0), ...(await filesIn(target)) });
    }
    const info: PartitionedExport = {
      format: FORMAT, version, exported_at: new Date().toISOString(), partition_by: PARTITION_COLUMNS, tables,
    };
    await writeFile(join(tmp, EXPORT_INFO), `${JSON.stringify(info, null, 1)}\n`);
    if (replacing) {
      const old = `${tmp}.old`;
      await rename(out, old);
      await rename(tmp, out).catch(async (e: unknown) => {
        await rename(old, out);
        throw e;
      });
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, out);
    }
    return info;
  } finally {
    conn.closeSync();
    instance.closeSync();
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The version the store in `dataDir` currently publishes; ExportError when it is not a store or has published nothing. */
async function currentVersion(dataDir: string): Promise<string> {
  if (!existsSync(join(dataDir, STORE_FILE))) {
    throw new ExportError(`不是数据目录 / No store in ${dataDir}: set DATA_DIR (or --data-dir) to the server's data directory`);
  }
  const version = await publishedVersion(join(dataDir, 'published'));
  if (!version) {
    throw new ExportError(`没有已发布的数据 / Nothing published in ${dataDir} yet: start the server once (npm start) or run npm run ingest`);
  }
  return version;
}

/** Whether `out` exists (and may be replaced: it is empty or an earlier export); ExportError for anything else there. */
async function existingExport(out: string): Promise<boolean> {
  const entries = await readdir(out).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw new ExportError(`无法使用导出目录 / Cannot export into ${out}: ${e.code === 'ENOTDIR' ? 'it is a file' : e.message}`);
  });
  if (entries === null) return false;
  if (entries.length > 0 && !entries.includes(EXPORT_INFO)) {
    throw new ExportError(`导出目录已存在且不是之前的导出 / ${out} exists and is not an earlier export (no ${EXPORT_INFO}): choose a new or empty folder`);
  }
  return true;
}

/**
 * DuckDB URL-encodes partition values in folder names (`province=%E6%B5%99%E6%B1%9F%E7%9C%81`), which DuckDB decodes
 * but Spark and Trino decode byte by byte into mojibake. Renames them the way Hive writes them (`province=浙江省`):
 * the text as it is, only Hive's special characters escaped, which all three read back.
 */
async function hiveFolderNames(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const eq = entry.name.indexOf('=');
    const name = entry.name.slice(0, eq + 1) + hiveEscape(decodeURIComponent(entry.name.slice(eq + 1)));
    if (name !== entry.name) await rename(join(dir, entry.name), join(dir, name));
    await hiveFolderNames(join(dir, name));
  }
}

/** A partition value as Hive (and Spark) escape it in a folder name (FileUtils.escapePathName). */
export function hiveEscape(value: string): string {
  return value.replace(/[\u0001-\u001f"#%'*/:=?\\\u007f{[\]^]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The Parquet files under `dir` and their total size. */
async function filesIn(dir: string): Promise<{ files: number; bytes: number }> {
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.parquet'));
  const sizes = await Promise.all(files.map(async (f) => (await stat(join(dir, f))).size));
  return { files: files.length, bytes: sizes.reduce((a, b) => a + b, 0) };
}
