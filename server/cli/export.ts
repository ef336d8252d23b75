/**
 * `npm run export -- --partitioned DIR [--data-dir D]`: writes the current published version as hive-partitioned
 * Parquet (`DIR/<table>/year=…/province=…/`, see server/store/partitioned.ts) and prints what it wrote. Reads the
 * published files only, so it runs beside a live server. Exits 2 on a missing DIR, a data directory without a
 * published store, or a DIR that is neither empty nor an earlier export; DIR is then left as it was.
 */
import { resolve } from 'node:path';
import { flagValue, loadConfig } from '../config.ts';
import { ExportError, exportPartitioned } from '../store/partitioned.ts';

const USAGE = 'usage: npm run export -- --partitioned DIR [--data-dir D]';
const argv = process.argv.slice(2);
const out = flagValue(argv, '--partitioned');
// `--partitioned --data-dir x` would otherwise export into a folder named "--data-dir".
if (!out?.trim() || out.startsWith('--')) fail(`没有指定导出目录 / No export folder given\n${USAGE}`, 2);
const config = loadConfig(process.env, argv);

const t0 = performance.now();
try {
  const info = await exportPartitioned(config.dataDir, out);
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`已导出数据版本 ${info.version} / Exported data version ${info.version} from ${config.dataDir} to ${resolve(out)} ` +
    `(partitioned by ${info.partition_by.join(', ')}) in ${seconds} s:`);
  const total = { rows: 0, files: 0, bytes: 0 };
  for (const t of info.tables) {
    console.log(line(t.name, t));
    total.rows += t.rows;
    total.files += t.files;
    total.bytes += t.bytes;
  }
  console.log(line('total', total));
} catch (e) {
  fail(e instanceof ExportError ? e.message : `export failed: ${(e as Error).message}`, e instanceof ExportError ? 2 : 1);
}

/** One line of the summary: a table's rows, files and size. */
function line(name: string, t: { rows: number; files: number; bytes: number }): string {
  const size = t.bytes >= 2 ** 20 ? `${(t.bytes / 2 ** 20).toFixed(1)} MB` : `${(t.bytes / 1024).toFixed(1)} KB`;
  return `  ${name.padEnd(11)} ${String(t.rows).padStart(9)} rows ${String(t.files).padStart(6)} files ${size.padStart(10)}`;
}

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}
