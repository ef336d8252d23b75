/**
 * `npm run backup -- [--data-dir DIR] <backup-folder>`: exports the whole store (reports, extractions, original files)
 * as Parquet into a new folder, portable across DuckDB versions. Run it while the server is stopped.
 * The editor token is not included; published files are rebuilt on restore.
 */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { openStore, StoreLockedError } from '../store/store.ts';

const argv = process.argv.slice(2);
const config = loadConfig(process.env, argv);
const target = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--data-dir')[0];
if (!target) fail('usage: npm run backup -- [--data-dir DIR] <backup-folder>', 2);
const dir = resolve(target);
if (existsSync(dir) && readdirSync(dir).length > 0) fail(`备份目录非空 / The backup folder is not empty: ${dir}`, 2);

const store = await openStore(config.dataDir).catch((e: unknown) => fail(e instanceof StoreLockedError ? e.message : String(e), 1));
try {
  await store.db.query(`EXPORT DATABASE '${dir.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`);
  const [{ n }] = (await store.db.query<{ n: number }>('SELECT count(*) AS n FROM reports')) as [{ n: number }];
  console.log(`已备份 ${n} 份报告 / Backed up ${n} reports from ${config.dataDir} to ${dir}`);
} finally {
  await store.close();
}

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}
