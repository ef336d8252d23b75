/**
 * `npm run restore -- [--data-dir DIR] [--force] <backup-folder>`: rebuilds the store from a backup made by
 * `npm run backup`, then republishes. An existing store is kept aside (store.duckdb.before-restore-<time>), and only
 * with --force. Run it while the server is stopped.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { openDB } from '../store/db.ts';
import { openStore, StoreLockedError } from '../store/store.ts';

const argv = process.argv.slice(2);
const config = loadConfig(process.env, argv);
const source = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--data-dir')[0];
if (!source) fail('usage: npm run restore -- [--data-dir DIR] [--force] <backup-folder>', 2);
const dir = resolve(source);
if (!existsSync(join(dir, 'schema.sql')) || !existsSync(join(dir, 'load.sql'))) {
  fail(`不是备份目录 / Not a backup folder (made by npm run backup): ${dir}`, 2);
}

const file = join(config.dataDir, 'store.duckdb');
if (existsSync(file)) {
  if (!argv.includes('--force')) fail(`已有数据；如要替换请加 --force / ${config.dataDir} already holds a store; add --force to replace it`, 2);
  // Opening it first fails cleanly if a server still has it.
  await (await openStore(config.dataDir).catch((e: unknown) => fail(e instanceof StoreLockedError ? e.message : String(e), 1))).close();
  const aside = `${file}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await rename(file, aside);
  if (existsSync(`${file}.wal`)) await rename(`${file}.wal`, `${aside}.wal`);
  console.log(`原有数据已保留在 / The previous store is kept as ${aside}`);
}
await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
const db = await openDB(file);
try {
  await db.query(`IMPORT DATABASE '${dir.replaceAll("'", "''")}'`);
} catch (e) {
  await db.close();
  await rm(file, { force: true });
  fail(`恢复失败 / Restore failed: ${(e as Error).message.split('\n')[0]}`, 1);
}
await db.close();

// The published files belonged to the old store: drop them so that opening the store publishes the restored data.
await rm(join(config.dataDir, 'published'), { recursive: true, force: true });
const store = await openStore(config.dataDir);
const manifest = store.manifest();
await store.close();
const rows = manifest.tables.find((t) => t.name === 'reports')?.rows ?? 0;
console.log(`已恢复 / Restored ${dir} into ${config.dataDir}: ${rows} current reports, data version ${manifest.version}`);

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}
