/**
 * `npm run generate -- --reports N --seed S --out DIR [--formats txt=0.95,docx=0.03,pdf=0.02]`
 *   writes N realistic reports to DIR/reports/ and their gold labels to DIR/gold/ (same seed → same bytes);
 *   score an extractor on them with `node score-extraction.mjs --texts DIR/reports --gold DIR/gold`.
 * `npm run generate -- --reports N --seed S --store DATA_DIR [--extract] [--out DIR]`
 *   loads the reports into the store in DATA_DIR (through its ingest path) and publishes them; records come from
 *   the generator's labels unless --extract runs the real extractor over every file.
 */
import { join, resolve } from 'node:path';
import {
  DEFAULT_SHARES, generateReport, prepareCorpusDirs, renderReport, reportFile, writeCorpus, writeReportFiles,
  type FileFormat, type FormatShares,
} from '../generate/corpus.ts';
import { loadIntoStore, type GeneratedSource } from '../generate/store-load.ts';
import { StoreLockedError } from '../store/store.ts';

const USAGE = `usage: npm run generate -- --reports N --seed S --out DIR [--formats txt=0.95,docx=0.03,pdf=0.02]
       npm run generate -- --reports N --seed S --store DATA_DIR [--extract] [--out DIR] [--formats …]`;

const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const count = Number(opt('--reports'));
const seed = opt('--seed');
const out = opt('--out');
const storeDir = opt('--store');
const extract = argv.includes('--extract');
if (!Number.isInteger(count) || count < 1 || !seed || (!out && !storeDir)) fail(USAGE, 2);
const shares = parseShares(opt('--formats'));
const started = performance.now();
const progress = (done: number) => {
  if (done % 1000 === 0 && done > 0) process.stderr.write(`  ${done} / ${count} reports (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
};

try {
  if (storeDir) await toStore(storeDir);
  else await toFolder(out!);
} catch (e) {
  fail(e instanceof StoreLockedError ? e.message : `generate failed: ${(e as Error).message}`, 1);
}

async function toFolder(dir: string): Promise<void> {
  let done = 0;
  const summary = await writeCorpus({ count, seed: seed!, out: dir, shares, onReport: () => progress(++done) });
  const seconds = (performance.now() - started) / 1000;
  const mix = (counts: Record<string, number>) => Object.entries(counts).sort().map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(`${summary.reports} reports (${(summary.bytes / 2 ** 20).toFixed(1)} MB) in ${seconds.toFixed(1)} s → ${join(dir, 'reports')}, gold labels → ${join(dir, 'gold')}`);
  console.log(`formats: ${mix(summary.formats)}`);
  console.log(`layouts: ${mix(summary.layouts)}`);
}

async function toStore(dataDir: string): Promise<void> {
  // With --out too, the same generation also writes the files and labels (so they match the store).
  if (out) await prepareCorpusDirs(out);
  const sources: GeneratedSource[] = Array.from({ length: count }, (_, i) => ({
    name: reportFile(seed!, i, shares).name,
    async generate() {
      const report = generateReport(seed!, i, shares);
      const bytes = await renderReport(report);
      if (out) await writeReportFiles(out, report, bytes);
      return { report, bytes };
    },
  }));
  let done = 0;
  const result = await loadIntoStore(resolve(dataDir), sources, { extract, onResult: () => progress(++done) });
  const seconds = (performance.now() - started) / 1000;
  const current = result.manifest.tables.find((t) => t.name === 'reports')?.rows ?? 0;
  console.log(
    `${result.added} reports added, ${result.duplicates} duplicates, ${result.failed.length} failed in ${seconds.toFixed(1)} s; ` +
      `${current} current (a later report of the same department, year and kind supersedes an earlier one); ` +
      `data version ${result.manifest.version} (${dataDir})${extract ? ' [extracted]' : ' [records from the generator]'}`,
  );
  for (const f of result.failed.slice(0, 20)) console.log(`✗ ${f.name}  ${f.error?.code} ${f.error?.message}`);
  if (result.failed.length) process.exitCode = 1;
}

function parseShares(spec: string | undefined): FormatShares {
  if (!spec) return DEFAULT_SHARES;
  const shares: FormatShares = { txt: 0, docx: 0, pdf: 0 };
  for (const part of spec.split(',')) {
    const [format, value] = part.split('=') as [string, string | undefined];
    if (!(format in shares)) fail(`unknown format "${format}" (txt, docx, pdf)\n${USAGE}`, 2);
    const share = value === undefined ? 1 : Number(value);
    if (!Number.isFinite(share) || share < 0) fail(`bad share "${part}"\n${USAGE}`, 2);
    shares[format as FileFormat] = share;
  }
  if (shares.txt + shares.docx + shares.pdf <= 0) fail(`no format has a share\n${USAGE}`, 2);
  return shares;
}

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}
