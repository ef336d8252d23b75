/**
 * Backups: the whole store in one .tar file: its tables as Parquet plus backup.json (store version, row counts, sha256
 * of every table), portable across DuckDB versions, and every report's original file (`sources/ab/<id>.<format>`,
 * named by its own sha256) and extraction (`sources/ab/<id>.json.gz`, gzip-checked). The store keeps those in pack
 * files (source-files.ts), rebuilt on restore exactly where the restored tables say they are. The editor token is not
 * part of the store, so never of a backup; published files are rebuilt on restore. Both need the store closed.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { openDB, sqlString, type DB, type Tx } from './db.ts';
import { FILES_OUTSIDE_VERSION, getMeta, migrate, STORE_VERSION } from './migrate.ts';
import { publish, type Manifest } from './publish.ts';
import { gunzipExtraction } from './rows.ts';
import { isPackName, type SourceRef } from './source-files.ts';
import { FILES_DIR, openStore, openStoreDB, STORE_FILE } from './store.ts';
import { readTar, sha256File, writeTar, type TarInput } from './tar.ts';

/** What a backup says about itself (its first entry, backup.json). */
export interface BackupInfo {
  format: typeof FORMAT;
  created_at: string;
  store_version: number;
  tables: { name: string; rows: number; sha256: string }[];
  /** How many report files follow the tables (`sources/…`); absent in backups of stores that kept them in a table. */
  source_files?: number;
  /**
   * The data version the store published when it was backed up (the same data publishes the same version); null for a
   * store this program has not opened yet (an older store version, published differently).
   */
  data_version: string | null;
}

/** A backup or restore refused for a reason the user can fix (the message says which, in Chinese and English). */
export class BackupError extends Error {}

const FORMAT = 'perf-dashboard-backup/1';
const INFO = 'backup.json';
/** How a table is named inside a backup: `<table>.parquet`, table names being plain identifiers. */
const TABLE_FILE = /^[a-z_][a-z0-9_]*\.parquet$/;
/**
 * How a report's files are named inside a backup: `sources/ab/<id>.<format>` (the original: its id is its sha256) and
 * `sources/ab/<id>.json.gz` (its extraction).
 */
const SOURCE_FILE = /^sources\/([0-9a-f]{2})\/(\1[0-9a-f]{62})\.(txt|docx|pdf|json\.gz)$/;
/** Files kept in the data directory that are not the store: a data dir holding only these counts as empty. */
const NOT_STORE = new Set(['editor-token']);

/** Writes a backup of the store in `dataDir` to the new file `out`. */
export async function createBackup(dataDir: string, out: string): Promise<BackupInfo> {
  if (!existsSync(join(dataDir, STORE_FILE))) throw new BackupError(`没有可备份的数据 / No store to back up in ${dataDir}`);
  if (existsSync(out)) throw new BackupError(`备份文件已存在 / The backup file already exists: ${out}`);
  const db = await openStoreDB(dataDir);
  const work = join(dirname(out), `.backup-${randomUUID()}`);
  try {
    await mkdir(work, { mode: 0o700 });
    // One transaction: every table, and the list of original files, from the same snapshot.
    const { tables, sources, version } = await db.transaction(async (tx) => {
      const counts: { name: string; rows: number }[] = [];
      for (const name of await tableNames(tx)) {
        const [result] = await tx.query<{ Count: number }>(
          `COPY (SELECT * FROM ${name}) TO ${sqlString(join(work, `${name}.parquet`))} (FORMAT parquet, COMPRESSION zstd)`,
        );
        counts.push({ name, rows: result?.Count ?? 0 });
      }
      // A store this program has not opened yet may still keep its files in the sources table (then they are in it).
      const stored = await getMeta(tx, 'store_version');
      const sources = Number(stored ?? 0) < FILES_OUTSIDE_VERSION ? [] : await tx.query<SourceRef & { format: string }>(
        'SELECT id, format, pack, pack_offset, size_bytes, extraction_size FROM sources ORDER BY id',
      );
      return { tables: counts, sources, version: Number(stored ?? STORE_VERSION) };
    });
    const manifest = await publish(db, join(work, 'published')).catch(() => null);
    const info: BackupInfo = {
      format: FORMAT,
      created_at: new Date().toISOString(),
      store_version: version,
      tables: await Promise.all(tables.map(async (t) => ({ ...t, sha256: await sha256File(join(work, `${t.name}.parquet`)) }))),
      source_files: sources.length * 2,
      data_version: manifest?.version ?? null,
    };
    await writeFile(join(work, INFO), JSON.stringify(info, null, 1));
    const partial = `${out}.partial-${randomUUID()}`;
    try {
      const entries: TarInput[] = [INFO, ...tables.map((t) => `${t.name}.parquet`)].map((name) => ({ name, path: join(work, name) }));
      for (const ref of sources) {
        const path = join(db.filesDir, ref.pack);
        entries.push({ name: originalEntry(ref), path, range: { offset: ref.pack_offset, size: ref.size_bytes } });
        entries.push({ name: extractionEntry(ref), path, range: { offset: ref.pack_offset + ref.size_bytes, size: ref.extraction_size } });
      }
      // Every pack there and long enough, or the tar would fail half-way with a less helpful message.
      const ends = new Map<string, number>();
      for (const ref of sources) {
        ends.set(ref.pack, Math.max(ends.get(ref.pack) ?? 0, ref.pack_offset + ref.size_bytes + ref.extraction_size));
      }
      for (const [pack, end] of ends) {
        if (((await stat(join(db.filesDir, pack)).catch(() => null))?.size ?? 0) < end) {
          throw new BackupError(`原始文件缺失，无法备份 / The store's file ${pack} is missing or cut short, nothing was backed up`);
        }
      }
      const digests = await writeTar(partial, entries);
      // A backup is only as good as what it holds: every original must still be the file it was.
      for (const ref of sources) {
        if (digests.get(originalEntry(ref)) !== ref.id) {
          throw new BackupError(
            `原始文件已损坏，无法备份 / The stored original of report ${ref.id} is damaged, nothing was backed up`,
          );
        }
      }
      await rename(partial, out);
    } finally {
      await rm(partial, { force: true });
    }
    return info;
  } finally {
    await rm(work, { recursive: true, force: true });
    await db.close();
  }
}

/** The outcome of a restore. */
export interface RestoreResult {
  info: BackupInfo;
  manifest: Manifest;
  /** Where the store that was replaced (with `force`) was moved, or null. */
  previous: string | null;
}

/**
 * Restores the backup `file` into `dataDir`, which must hold no store (anything but an editor token) unless `force`:
 * then the old store is kept aside as store.duckdb.before-restore-<time> (its original files as
 * sources.before-restore-<time>). Every table is checked against the backup's row counts and checksums, and every
 * original file against its name, before the restored store replaces anything.
 */
export async function restoreBackup(file: string, dataDir: string, { force = false } = {}): Promise<RestoreResult> {
  if (!existsSync(file)) throw new BackupError(`找不到备份文件 / No such backup file: ${file}`);
  const present = existsSync(dataDir) ? (await readdir(dataDir)).filter((f) => !NOT_STORE.has(f)) : [];
  if (present.length > 0 && !force) {
    throw new BackupError(`数据目录非空；如要替换请加 --force / ${dataDir} is not empty; add --force to replace its store`);
  }
  const current = join(dataDir, STORE_FILE);
  // Fails (StoreLockedError) while a server or ingest has the store open.
  if (existsSync(current)) await (await openStoreDB(dataDir)).close();

  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const tag = randomUUID();
  const work = join(dataDir, `.restore-${tag}`);
  const staged = join(dataDir, `.restore-${tag}.duckdb`);
  try {
    await mkdir(work, { mode: 0o700 });
    // Entry names pick a file in the work directory by a strict pattern, never a path of their own.
    const entries = join(work, 'entries');
    const digests = await readTar(file, (name) => {
      if (name === INFO || TABLE_FILE.test(name)) return join(work, name);
      if (!SOURCE_FILE.test(name)) return null;
      mkdirSync(dirname(join(entries, name)), { recursive: true, mode: 0o700 });
      return join(entries, name);
    }).catch((e: Error) => {
      throw new BackupError(`备份文件已损坏 / The backup file is damaged: ${e.message}`);
    });
    const info = await readInfo(join(work, INFO));
    for (const { name, sha256 } of info.tables) {
      if (digests.get(`${name}.parquet`) !== sha256) {
        throw new BackupError(`备份文件已损坏（${name}） / The backup file is damaged: table ${name} is missing or altered`);
      }
    }
    const reportFiles = [...digests].filter(([name]) => SOURCE_FILE.test(name));
    for (const [name, sha256] of reportFiles) {
      const [, , id, ext] = SOURCE_FILE.exec(name)!;
      if (ext !== 'json.gz' && id !== sha256) {
        throw new BackupError(`备份文件已损坏（${name}） / The backup file is damaged: original file ${name} is altered`);
      }
    }
    if (reportFiles.length !== (info.source_files ?? 0)) {
      throw new BackupError(
        `备份文件不完整 / The backup file is damaged: it holds ${reportFiles.length} of its ${info.source_files} report files`,
      );
    }

    // The restored store's packs are rebuilt in the work directory (a backup of a store that kept its original files
    // in a table gets them there from the migration), and move into the data directory with the database file.
    const files = join(work, FILES_DIR);
    const db = await openDB(staged, { filesDir: files });
    try {
      await migrate(db, info.store_version);
      await db.transaction(async (tx) => {
        // The backup must hold exactly the tables of its store version: table names come from our schema, not the file.
        const names = await tableNames(tx);
        const listed = info.tables.map((t) => t.name).sort();
        if (listed.join() !== names.join()) {
          throw new BackupError(`备份文件不完整 / The backup does not hold the tables of store version ${info.store_version}`);
        }
        for (const { name, rows } of info.tables) {
          const parquet = `read_parquet(${sqlString(join(work, `${name}.parquet`))})`;
          // The restored store keeps its own version row; the backup's meta brings everything else.
          const sql =
            name === 'meta'
              ? `INSERT OR REPLACE INTO meta SELECT key, value FROM ${parquet} WHERE key <> 'store_version'`
              : `INSERT INTO ${name} BY NAME SELECT * FROM ${parquet}`;
          const [{ Count: loaded } = { Count: 0 }] = await tx.query<{ Count: number }>(sql);
          const skipped = name === 'meta' ? 1 : 0;
          if (loaded + skipped !== rows) {
            throw new BackupError(`恢复的行数不符（${name}） / Table ${name}: restored ${loaded + skipped} rows, the backup has ${rows}`);
          }
        }
      });
      if (reportFiles.length > 0) await rebuildPacks(db, entries, files);
      await migrate(db);
    } finally {
      await db.close();
    }

    let previous: string | null = null;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    // The original files first: a crash before the database file follows leaves no store (restore again), never a
    // store without its files.
    const currentFiles = join(dataDir, FILES_DIR);
    if (existsSync(currentFiles)) await rename(currentFiles, `${currentFiles}.before-restore-${stamp}`);
    await mkdir(files, { recursive: true, mode: 0o700 });
    await rename(files, currentFiles);
    if (existsSync(current)) {
      previous = `${current}.before-restore-${stamp}`;
      await rename(current, previous);
      if (existsSync(`${current}.wal`)) await rename(`${current}.wal`, `${previous}.wal`);
    }
    await rename(staged, current);
    if (existsSync(`${staged}.wal`)) await rename(`${staged}.wal`, `${current}.wal`);
    // The published files belonged to the old store: opening the restored one publishes its data afresh.
    await rm(join(dataDir, 'published'), { recursive: true, force: true });
    const store = await openStore(dataDir);
    const manifest = store.manifest();
    await store.close();
    return { info, manifest, previous };
  } finally {
    await rm(work, { recursive: true, force: true });
    await rm(staged, { force: true });
    await rm(`${staged}.wal`, { force: true });
  }
}

/** The name of a report's original file inside a backup. */
function originalEntry({ id, format }: { id: string; format: string }): string {
  return `sources/${id.slice(0, 2)}/${id}.${format}`;
}

/** The name of a report's extraction inside a backup. */
function extractionEntry({ id }: { id: string }): string {
  return `sources/${id.slice(0, 2)}/${id}.json.gz`;
}

/**
 * Writes every restored report's files into its pack where the restored `sources` table says they are (so that the
 * table stays exactly as it was backed up), and syncs the packs.
 */
async function rebuildPacks(db: DB, entries: string, files: string): Promise<void> {
  const refs = await db.query<SourceRef & { format: string }>(
    'SELECT id, format, pack, pack_offset, size_bytes, extraction_size FROM sources',
  );
  await mkdir(files, { recursive: true, mode: 0o700 });
  const packs = new Map<string, FileHandle>();
  try {
    for (const ref of refs) {
      // Pack names come from the backup's table: only names of the store's own form are used as paths.
      if (!isPackName(ref.pack)) throw new BackupError(`备份文件已损坏 / The backup file is damaged: bad pack name in sources`);
      const original = await readFile(join(entries, originalEntry(ref))).catch(() => null);
      const extraction = await readFile(join(entries, extractionEntry(ref))).catch(() => null);
      if (original?.length !== ref.size_bytes || extraction?.length !== ref.extraction_size) {
        throw new BackupError(`备份文件不完整 / The backup file is damaged: the files of report ${ref.id} are missing`);
      }
      try {
        gunzipExtraction(extraction);
      } catch {
        throw new BackupError(`备份文件已损坏 / The backup file is damaged: the extraction of report ${ref.id} is altered`);
      }
      let pack = packs.get(ref.pack);
      if (!pack) packs.set(ref.pack, (pack = await open(join(files, ref.pack), 'w', 0o600)));
      await pack.write(original, 0, original.length, ref.pack_offset);
      await pack.write(extraction, 0, extraction.length, ref.pack_offset + ref.size_bytes);
    }
    for (const pack of packs.values()) await pack.sync();
  } finally {
    for (const pack of packs.values()) await pack.close();
  }
}

/** The store's tables, sorted. */
async function tableNames(db: Pick<DB | Tx, 'query'>): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY name",
  );
  return rows.map((r) => r.name);
}

async function readInfo(path: string): Promise<BackupInfo> {
  let info: BackupInfo;
  try {
    info = JSON.parse(await readFile(path, 'utf8')) as BackupInfo;
  } catch {
    throw new BackupError('不是本系统的备份文件 / Not a backup made by npm run backup (no backup.json)');
  }
  if (info.format !== FORMAT || !Array.isArray(info.tables)) {
    throw new BackupError('不是本系统的备份文件 / Not a backup made by npm run backup (unknown format)');
  }
  if (!(info.store_version >= 1 && info.store_version <= STORE_VERSION)) {
    throw new BackupError(
      `备份来自更新版本的程序（存储版本 ${info.store_version}） / ` +
        `The backup was made by a newer version of this program (store version ${info.store_version})`,
    );
  }
  return info;
}
