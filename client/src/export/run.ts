/**
 * Exports in the browser: runs a chart's SQL in DuckDB-WASM, builds the file with the pure builders and hands it to
 * the user as a download. Loaded on demand (its libraries are large), so the dashboard itself stays light.
 */
import { filterClause } from '../db/sql.ts';
import { loadDataset, query, type Manifest, type Row } from '../db/duckdb.ts';
import { translate, type Lang } from '../i18n.ts';
import { buildDeck, describeFilters, type Picture, type RenderedItem, type SourceRow } from './briefing.ts';
import type { BriefingItem } from './briefing-store.ts';
import { PIXEL_RATIO, renderChartCanvas, renderChartPng, renderChartSvg, type Caption, type Size } from './chart-image.ts';
import { specOf, type ExportTarget, type SpecContext } from './chart-specs.ts';
import { toCsv } from './csv.ts';
import { buildPdf, PDF_FONT_URL } from './pdf.ts';
import { buildPptx } from './pptx.ts';
import { safeFileName, tabulate } from './table.ts';
import { buildXlsx } from './xlsx.ts';

/** A file format for one chart or table. */
export type ChartFormat = 'png' | 'svg' | 'csv' | 'xlsx';
/** A file format for the briefing pack. */
export type BriefingFormat = 'pptx' | 'pdf';

/** What every export needs from the page. */
export interface ExportEnv {
  lang: Lang;
  manifest: Manifest;
}

/** Size of a chart when it is not on screen (width) and of every briefing picture (fixed, CSS pixels). */
export const DEFAULT_WIDTH = 960;
/** The fixed size briefing charts are drawn at. */
// Small enough that the chart's 12px labels stay legible on a slide; 2× pixel ratio keeps the picture sharp.
export const BRIEFING_SIZE: Size = { width: 720, height: 450 };
/** Table rows a briefing shows (the CSV/XLSX exports carry all of them). */
export const BRIEFING_TABLE_LIMIT = 60;

const MIME: Record<ChartFormat | BriefingFormat, string> = {
  png: 'image/png',
  svg: 'image/svg+xml;charset=utf-8',
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  pdf: 'application/pdf',
};

/** Hands `data` to the browser as a download named `name`. */
export function download(data: Blob | Uint8Array | string, name: string, type: string): void {
  const blob = data instanceof Blob ? data : new Blob([data as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later: the download may not have started when click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const contextOf = (t: ExportTarget, lang: Lang): SpecContext => ({ lang, filters: t.filters, options: t.options });

/** Every row behind the target (tables: all rows matching its filters, no paging). */
export async function targetRows(target: ExportTarget, env: ExportEnv): Promise<Row[]> {
  await loadDataset(env.manifest);
  const built = specOf(target.chart).sql(contextOf(target, env.lang));
  return query(built.sql, built.params);
}

/** The data date line: the latest ingest and the data version. */
export async function dataDateLine(env: ExportEnv): Promise<string> {
  await loadDataset(env.manifest);
  const [row] = await query<{ d: string | null }>("SELECT strftime(max(ingested_at), '%Y-%m-%d') AS d FROM reports");
  const date = row?.d ?? '—';
  const version = env.manifest.version.slice(0, 8);
  return env.lang === 'zh' ? `数据截至 ${date} · 数据版本 ${version}` : `Data as of ${date} · version ${version}`;
}

function filtersText(target: ExportTarget, lang: Lang): string {
  return describeFilters(target.filters, lang, (k) =>
    (k === 'department_overall' || k === 'project' ? translate(lang, `kind_${k}`) : k));
}

function stamp(): string {
  const d = new Date();
  return `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * Exports one chart or table as `format`.
 * @param size the chart's size on screen (CSS pixels), when it is shown; otherwise its natural size is used.
 */
export async function exportTarget(format: ChartFormat, target: ExportTarget, env: ExportEnv, size?: Size): Promise<void> {
  const spec = specOf(target.chart);
  const c = contextOf(target, env.lang);
  const rows = await targetRows(target, env);
  const title = spec.title(c);
  const name = `${safeFileName(title)}_${stamp()}.${format}`;
  if (format === 'csv' || format === 'xlsx') {
    const table = tabulate(spec.columns(c), rows);
    if (format === 'csv') download(toCsv(table), name, MIME.csv);
    else download(await buildXlsx([{ name: title, table }], { title }), name, MIME.xlsx);
    return;
  }
  if (!spec.option) throw new Error(`${target.chart} has no chart to draw`);
  const caption: Caption = { title, filters: filtersText(target, env.lang), footer: await dataDateLine(env) };
  const box = size ?? { width: DEFAULT_WIDTH, height: spec.height?.(rows) ?? 320 };
  const option = spec.option(rows, c);
  if (format === 'png') download(await renderChartPng(option, box, caption), name, MIME.png);
  else download(renderChartSvg(option, box, caption), name, MIME.svg);
}

async function canvasPng(canvas: HTMLCanvasElement): Promise<Uint8Array> {
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  return new Uint8Array(await blob.arrayBuffer());
}

/** One briefing item rendered from its own SQL and saved filters: picture at the fixed size, figures, table rows. */
async function renderItem(item: BriefingItem, env: ExportEnv): Promise<RenderedItem> {
  const spec = specOf(item.chart);
  const c = contextOf(item, env.lang);
  const rows = await targetRows(item, env);
  const out: RenderedItem = { title: spec.title(c), filters: filtersText(item, env.lang), figures: spec.figures(rows, c) };
  if (spec.kind === 'chart' && spec.option && !(spec.isEmpty?.(rows) ?? rows.length === 0)) {
    const picture: Picture = {
      png: await canvasPng(renderChartCanvas(spec.option(rows, c), BRIEFING_SIZE, PIXEL_RATIO)),
      ...BRIEFING_SIZE,
    };
    out.picture = picture;
  } else if (spec.kind === 'table') {
    const columns = spec.columns(c);
    const shown = rows.slice(0, BRIEFING_TABLE_LIMIT);
    out.table = {
      columns: columns.map((col) => col.label),
      rows: shown.map((r) => columns.map((col) => {
        const v = col.value ? col.value(r) : r[col.key];
        return col.format ? col.format(v) : v == null ? '—' : String(v);
      })),
      note: rows.length > shown.length
        ? (env.lang === 'zh'
          ? `仅列出前 ${shown.length} 条，共 ${rows.length} 条；完整数据请导出 CSV 或 XLSX。`
          : `First ${shown.length} of ${rows.length} rows; export CSV or XLSX for all of them.`)
        : undefined,
    };
  }
  if (!out.figures.length) out.figures = [translate(env.lang, 'empty')];
  return out;
}

/** The reports behind the items: department, year, file name, filtered as each item's chart is. */
async function sourcesOf(items: BriefingItem[]): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for (const item of items) {
    const where = filterClause(item.filters, { omit: specOf(item.chart).omit });
    out.push(...await query<SourceRow & Row>(
      `SELECT DISTINCT department, year, source FROM reports JOIN report_ids USING (rk) WHERE ${where.sql}`, where.params));
  }
  return out;
}

/** Builds the briefing pack from `items` and downloads it as PPTX or PDF. */
export async function exportBriefing(format: BriefingFormat, items: BriefingItem[], env: ExportEnv): Promise<void> {
  await loadDataset(env.manifest);
  const rendered: RenderedItem[] = [];
  for (const item of items) rendered.push(await renderItem(item, env));
  const deck = buildDeck({
    lang: env.lang, items: rendered, sources: await sourcesOf(items), dataDate: await dataDateLine(env), generatedAt: new Date(),
  });
  const name = `${safeFileName(deck.title)}_${stamp()}.${format}`;
  if (format === 'pptx') {
    download(await buildPptx(deck), name, MIME.pptx);
  } else {
    const res = await fetch(PDF_FONT_URL);
    if (!res.ok) throw new Error(`${PDF_FONT_URL}: HTTP ${res.status}`);
    download(await buildPdf(deck, new Uint8Array(await res.arrayBuffer())), name, MIME.pdf);
  }
}
