/**
 * `npm run restore -- [--data-dir DIR] [--force] <FILE>`: rebuilds the store from a file made by `npm run backup`,
 * checking every table against the backup's checksums and row counts, then republishes. The data directory must hold
 * no store unless --force, which keeps the old one aside (store.duckdb.before-restore-<time>). Refused while a server
 * has the store open.
 */
import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { BackupError, restoreBackup } from '../store/backup.ts';
import { StoreLockedError } from '../store/store.ts';

const argv = process.argv.slice(2);
const config = loadConfig(process.env, argv);
const source = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--data-dir')[0];
if (!source) fail('usage: npm run restore -- [--data-dir DIR] [--force] <backup-file.tar>', 2);
const file = resolve(source);

try {
  const { info, manifest, previous } = await restoreBackup(file, config.dataDir, { force: argv.includes('--force') });
  if (previous) console.log(`原有数据已保留在 / The previous store is kept as ${previous}`);
  const reports = info.tables.find((t) => t.name === 'reports')?.rows ?? 0;
  const same =
    manifest.version === info.data_version ? 'same as when backed up'
    : info.data_version ? `was ${info.data_version} when backed up`
    : 'published afresh';
  console.log(
    `已恢复 ${reports} 份报告 / Restored ${reports} reports from ${file} into ${config.dataDir}; ` +
      `data version ${manifest.version} (${same})`,
  );
} catch (e) {
  if (e instanceof BackupError || e instanceof StoreLockedError) fail(e.message, e instanceof BackupError ? 2 : 1);
  throw e;
}

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}
