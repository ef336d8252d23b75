/**
 * The corpus generator: report `i` of seed `s` is drawn from its own random stream (`s:i`), written in one layout,
 * damaged, and encoded as .txt (UTF-8, UTF-8 with BOM, GBK), .docx or .pdf, with the gold label of what it states.
 * Same seed, same bytes; reports are independent of each other, so any range can be generated alone.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { createCtx, type Ctx } from './context.ts';
import { applyDamage, pickDamage, type Damage } from './damage.ts';
import { buildDocx, buildReportPdf } from './documents.ts';
import { departmentForm, projectForm } from './forms.ts';
import { GoldLabel } from './gold.ts';
import { listingOverall, proseOverall, proseProjects } from './prose.ts';
import { createRandom } from './random.ts';
import { summaryTable } from './summary.ts';
import { DOCUMENT_LAYOUTS, sampleTruth, type Layout, type ReportTruth } from './truth.ts';
import { banner } from './vocab.ts';

export type FileFormat = 'txt' | 'docx' | 'pdf';
/** How a .txt report is encoded. */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'gbk';

/** Shares of each file format in a corpus (they need not add up to 1). */
export type FormatShares = Record<FileFormat, number>;

/** The default mix: mostly text, a few documents (which cost ~25 ms (.docx) and ~70 ms (.pdf) each to write). */
export const DEFAULT_SHARES: FormatShares = { txt: 0.95, docx: 0.03, pdf: 0.02 };

/** One generated report before encoding. */
export interface GeneratedReport {
  index: number;
  /** File name (also the gold label's `source`). */
  name: string;
  format: FileFormat;
  /** Encoding of a .txt file; null for .docx and .pdf. */
  encoding: TextEncoding | null;
  /** Windows line endings in a .txt file. */
  crlf: boolean;
  layout: Layout;
  damage: Damage[];
  /** The report text as written into the file (before encoding; a .docx/.pdf lays it out). */
  text: string;
  /** The report's title line, repeated as a page header in PDFs. */
  header: string;
  gold: GoldLabel;
  truth: ReportTruth;
  /** Whether the text carries the performance indicator table (for the store's indicator rows). */
  hasIndicators: boolean;
}

const WRITERS: Record<Layout, (ctx: Ctx) => string> = {
  prose_overall: proseOverall,
  listing_overall: listingOverall,
  dept_form: departmentForm,
  prose_projects: proseProjects,
  form_tabs: (ctx) => projectForm(ctx, 'tabs'),
  form_pipes: (ctx) => projectForm(ctx, 'pipes'),
  form_cells: (ctx) => projectForm(ctx, 'cells'),
  form_spaces: (ctx) => projectForm(ctx, 'spaces'),
  form_concat: (ctx) => projectForm(ctx, 'concat'),
  summary_tabs: (ctx) => summaryTable(ctx, 'tabs'),
  summary_pipes: (ctx) => summaryTable(ctx, 'pipes'),
  summary_spaces: (ctx) => summaryTable(ctx, 'spaces'),
  summary_cells: (ctx) => summaryTable(ctx, 'cells'),
};

/** Where and how report `index` of corpus `seed` is stored: its file name, format and text encoding. */
export interface ReportFile {
  name: string;
  format: FileFormat;
  encoding: TextEncoding | null;
  crlf: boolean;
}

/** The file of report `index` (cheap: drawn from its own stream, before the report itself). */
export function reportFile(seed: string, index: number, shares: FormatShares = DEFAULT_SHARES): ReportFile {
  const rng = createRandom(`${seed}:${index}:file`);
  const total = shares.txt + shares.docx + shares.pdf;
  const r = rng.next() * total;
  const format: FileFormat = r < shares.docx ? 'docx' : r < shares.docx + shares.pdf ? 'pdf' : 'txt';
  const encoding: TextEncoding | null = format === 'txt' ? rng.weighted([['utf-8', 70], ['utf-8-bom', 12], ['gbk', 18]] as const) : null;
  const crlf = format === 'txt' && rng.chance(0.15);
  return { name: `${String(index).padStart(6, '0')}_${rng.hex()}.${format}`, format, encoding, crlf };
}

/** Generates report `index` of corpus `seed` (text and gold; no bytes yet). */
export function generateReport(seed: string, index: number, shares: FormatShares = DEFAULT_SHARES): GeneratedReport {
  const { name, format, encoding, crlf } = reportFile(seed, index, shares);
  const rng = createRandom(`${seed}:${index}`);
  // A .docx or .pdf carries real tables: only layouts whose tables are tab rows.
  const truth = sampleTruth(rng, format === 'txt' ? null : DOCUMENT_LAYOUTS);
  const ctx = createCtx(truth, rng);
  const body = WRITERS[truth.layout](ctx);
  const header = body.split('\n').find((line) => /报告|自评表|汇总表/.test(line))?.trim().slice(0, 60) ?? truth.dept.name;
  const damage = pickDamage(rng, format === 'txt');
  let text = applyDamage(body, damage, rng, header);
  if (damage.includes('banner')) {
    const { y, m, d } = ctx.published;
    text = `${banner(rng, rng.chance(0.5) ? truth.dept.name : ctx.finance, `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`)}\n${text}`;
  }
  const gold = GoldLabel.parse(ctx.gold.finish(name, truth));
  return { index, name, format, encoding, crlf, layout: truth.layout, damage, text, header, gold, truth, hasIndicators: ctx.gold.indicatorTable };
}

/** The bytes of a generated report's file. */
export async function renderReport(r: GeneratedReport): Promise<Uint8Array> {
  if (r.format === 'docx') return buildDocx(r.text, { creator: 'Administrator', title: r.header });
  if (r.format === 'pdf') return buildReportPdf(r.text, { header: r.header });
  const text = r.crlf ? r.text.replace(/\n/g, '\r\n') : r.text;
  if (r.encoding === 'gbk') {
    // GB18030 is GBK for every character GBK has, and also encodes the rare ones GBK lacks.
    return new Uint8Array(iconv.encode(text, 'gb18030'));
  }
  const bytes = new TextEncoder().encode(text);
  if (r.encoding !== 'utf-8-bom') return bytes;
  const out = new Uint8Array(bytes.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(bytes, 3);
  return out;
}

/** File names this generator writes (so a rerun may clear its own earlier output and nothing else). */
const OWN_FILE = /^\d{6}_[0-9a-f]{16}\.(?:txt|docx|pdf|json)$/;

/** Creates `out/reports/` and `out/gold/`, removing the files an earlier run wrote there. */
export async function prepareCorpusDirs(out: string): Promise<void> {
  for (const dir of [join(out, 'reports'), join(out, 'gold')]) {
    await mkdir(dir, { recursive: true });
    for (const name of await readdir(dir)) if (OWN_FILE.test(name)) await rm(join(dir, name));
  }
}

/** Writes a report's file into `out/reports/` and its gold label into `out/gold/`. */
export async function writeReportFiles(out: string, r: GeneratedReport, bytes: Uint8Array): Promise<void> {
  await Promise.all([
    writeFile(join(out, 'reports', r.name), bytes),
    writeFile(join(out, 'gold', r.name.replace(/\.\w+$/, '.json')), `${JSON.stringify(r.gold, null, 2)}\n`),
  ]);
}

/** What `writeCorpus` wrote. */
export interface CorpusSummary {
  reports: number;
  formats: Record<string, number>;
  layouts: Record<string, number>;
  bytes: number;
}

/**
 * Writes reports [0, count) of `seed` into `out/reports/` and their gold labels into `out/gold/`, replacing files of
 * an earlier run; `onReport` sees each report in index order.
 */
export async function writeCorpus(opts: {
  count: number;
  seed: string;
  out: string;
  shares?: FormatShares;
  onReport?: (r: GeneratedReport, bytes: Uint8Array) => void;
}): Promise<CorpusSummary> {
  await prepareCorpusDirs(opts.out);
  const summary: CorpusSummary = { reports: 0, formats: {}, layouts: {}, bytes: 0 };
  const writes = new Set<Promise<void>>();
  let failure: unknown = null;
  for (let i = 0; i < opts.count && failure === null; i++) {
    const r = generateReport(opts.seed, i, opts.shares);
    const bytes = await renderReport(r);
    summary.reports++;
    summary.bytes += bytes.length;
    const key = r.format === 'txt' ? `txt/${r.encoding}` : r.format;
    summary.formats[key] = (summary.formats[key] ?? 0) + 1;
    summary.layouts[r.layout] = (summary.layouts[r.layout] ?? 0) + 1;
    const write: Promise<void> = writeReportFiles(opts.out, r, bytes)
      .catch((e: unknown) => void (failure ??= e))
      .finally(() => writes.delete(write));
    writes.add(write);
    // Bounded: never more than 64 files in flight.
    if (writes.size >= 64) await Promise.race(writes);
    opts.onReport?.(r, bytes);
  }
  await Promise.all(writes);
  if (failure !== null) throw failure;
  return summary;
}
