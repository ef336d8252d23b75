/**
 * Backups: the whole store (reports, extractions, original files) in one .tar file of Parquet tables plus backup.json
 * (store version, row counts, sha256 of every table), portable across DuckDB versions. The editor token is not part of
 * the store, so never of a backup; published files are rebuilt on restore. Both need the store closed (no server).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { openDB, type DB, type Tx } from './db.ts';
import { getMeta, migrate, STORE_VERSION } from './migrate.ts';
import { publish, type Manifest } from './publish.ts';
import { openStore, openStoreDB, STORE_FILE } from './store.ts';
import { readTar, sha256File, writeTar } from './tar.ts';

/** What a backup says about itself (its first entry, backup.json). */
export interface BackupInfo {
  format: typeof FORMAT;
  created_at: string;
  store_version: number;
  tables: { name: string; rows: number; sha256: string }[];
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
    // One transaction: every table comes from the same snapshot.
    const tables = await db.transaction(async (tx) => {
      const counts: { name: string; rows: number }[] = [];
      for (const name of await tableNames(tx)) {
        const [result] = await tx.query<{ Count: number }>(
          `COPY (SELECT * FROM ${name}) TO ${sqlString(join(work, `${name}.parquet`))} (FORMAT parquet, COMPRESSION zstd)`,
        );
        counts.push({ name, rows: result?.Count ?? 0 });
      }
      return counts;
    });
    const manifest = await publish(db, join(work, 'published')).catch(() => null);
    const info: BackupInfo = {
      format: FORMAT,
      created_at: new Date().toISOString(),
      store_version: Number((await getMeta(db, 'store_version')) ?? STORE_VERSION),
      tables: await Promise.all(tables.map(async (t) => ({ ...t, sha256: await sha256File(join(work, `${t.name}.parquet`)) }))),
      data_version: manifest?.version ?? null,
    };
    await writeFile(join(work, INFO), JSON.stringify(info, null, 1));
    const partial = `${out}.partial-${randomUUID()}`;
    try {
      await writeTar(partial, [INFO, ...tables.map((t) => `${t.name}.parquet`)].map((name) => ({ name, path: join(work, name) })));
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
 * then the old store is kept aside as store.duckdb.before-restore-<time>. Every table is checked against the backup's
 * row counts and checksums before the restored store replaces anything.
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
    const digests = await readTar(file, (name) => (name === INFO || TABLE_FILE.test(name) ? join(work, name) : null)).catch(
      (e: Error) => {
        throw new BackupError(`备份文件已损坏 / The backup file is damaged: ${e.message}`);
      },
    );
    const info = await readInfo(join(work, INFO));
    for (const { name, sha256 } of info.tables) {
      if (digests.get(`${name}.parquet`) !== sha256) {
        throw new BackupError(`备份文件已损坏（${name}） / The backup file is damaged: table ${name} is missing or altered`);
      }
    }

    const db = await openDB(staged);
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
      await migrate(db);
    } finally {
      await db.close();
    }

    let previous: string | null = null;
    if (existsSync(current)) {
      previous = `${current}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
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

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
