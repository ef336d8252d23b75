/**
 * `npm run backup -- [--data-dir DIR] <FILE>`: writes the whole store (reports, extractions, original files) to one new
 * .tar file (Parquet tables and a checksummed backup.json; see server/store/backup.ts). Refused while a server or an
 * ingest has the store open. The editor token is not included.
 */
import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { BackupError, createBackup } from '../store/backup.ts';
import { StoreLockedError } from '../store/store.ts';

const argv = process.argv.slice(2);
const config = loadConfig(process.env, argv);
const target = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--data-dir')[0];
if (!target) fail('usage: npm run backup -- [--data-dir DIR] <backup-file.tar>', 2);
const file = resolve(target);

try {
  const info = await createBackup(config.dataDir, file);
  const reports = info.tables.find((t) => t.name === 'reports')?.rows ?? 0;
  console.log(`已备份 ${reports} 份报告 / Backed up ${reports} reports from ${config.dataDir} to ${file}`);
} catch (e) {
  if (e instanceof BackupError || e instanceof StoreLockedError) fail(e.message, e instanceof BackupError ? 2 : 1);
  throw e;
}

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}
