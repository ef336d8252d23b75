/**
 * `npm run ingest -- [--data-dir DIR] <files or folders…>`: ingests .txt/.docx/.pdf reports (folders recursively)
 * into the store, printing a progress bar and one line per file; exits 1 if any file failed.
 * `npm run ingest -- --reextract` re-runs the current extractor over every stored report instead.
 */
import { MultiBar, Presets } from 'cli-progress';
import { loadConfig } from '../config.ts';
import type { FileError } from '../store/file-error.ts';
import { fileSource, listReportFiles } from '../store/files.ts';
import type { IngestStatus } from '../store/ingest.ts';
import { openStore, StoreLockedError } from '../store/store.ts';

const USAGE = 'usage: npm run ingest -- [--data-dir DIR] <files or folders…>\n       npm run ingest -- [--data-dir DIR] --reextract';

const argv = process.argv.slice(2);
const config = loadConfig(process.env, argv);
const reextract = argv.includes('--reextract');
const paths = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--data-dir');
if (paths.length === 0 && !reextract) fail(USAGE, 2);

let files: string[] = [];
try {
  files = await listReportFiles(paths);
} catch (e) {
  fail(`找不到文件 / No such file or folder: ${(e as NodeJS.ErrnoException).path ?? (e as Error).message}`, 2);
}

const limits = { timeoutMs: config.extractTimeoutS * 1000, memoryMb: config.extractMemoryMb };
const store = await openStore(config.dataDir, limits).catch((e: unknown) => fail(e instanceof StoreLockedError ? e.message : String(e), 1));
const bars = process.stderr.isTTY ? new MultiBar({ hideCursor: true, clearOnComplete: true }, Presets.shades_classic) : null;
const bar = bars?.create(files.length, 0);
const say = (line: string) => (bars ? bars.log(line + '\n') : console.log(line));
const counts = new Map<string, number>();
const tally = (status: string) => counts.set(status, (counts.get(status) ?? 0) + 1);
const describe = (e: FileError) => `${e.code} ${e.message_zh} / ${e.message}`;
const started = Date.now();
let timing = '';

try {
  if (reextract) {
    await store.reextract(
      (total) => bar?.setTotal(total),
      (r) => {
        tally(r.ok ? 'reextracted' : 'failed');
        say(r.ok ? `✓ reextracted  ${r.name}  ${r.id.slice(0, 12)}` : `✗ failed  ${r.name}  ${describe(r.error!)} (previous extraction kept)`);
        bar?.increment();
      },
    );
  } else {
    const report = await store.ingest(files.map(fileSource), {
      maxBytes: config.maxUploadMb * 2 ** 20,
      onResult(r) {
        tally(r.status);
        const mark: Record<IngestStatus, string> = { added: '✓', superseded_older: '✓', duplicate: '=', failed: '✗' };
        say(r.ok ? `${mark[r.status]} ${r.status}  ${r.name}  ${r.id!.slice(0, 12)}` : `✗ failed  ${r.name}  ${describe(r.error!)}`);
        bar?.increment();
      },
    });
    const ms = Date.now() - started;
    const pct = (x: number) => `${Math.round(x)} ms (${((100 * x) / Math.max(ms, 1)).toFixed(1)}%)`;
    timing = `; store writes ${pct(report.writeMs)}, publish ${pct(report.publishMs)}`;
  }
} finally {
  bars?.stop();
  await store.close();
}

const seconds = (Date.now() - started) / 1000;
const summary = [...counts].map(([status, n]) => `${n} ${status}`).join(', ') || 'no files';
console.log(`${summary} in ${seconds.toFixed(1)} s${timing}; data version ${store.manifest().version} (${config.dataDir})`);
process.exit(counts.has('failed') ? 1 : 0);

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}
