/**
 * The briefing pack as a document model, before any file format: a title slide, one slide per chart (title, picture,
 * key figures), tables continued over as many slides as they need, and the sources behind the figures. pptx.ts and
 * pdf.ts lay the same model out, so the PowerPoint and the PDF say the same thing.
 */
import type { Filters } from '../filters/filters.ts';
import type { Lang } from '../i18n.ts';

/** A rendered chart picture (PNG bytes at 2× its CSS size). */
export interface Picture {
  png: Uint8Array;
  /** Size in CSS pixels (the PNG has twice as many). */
  width: number;
  height: number;
}

/** One briefing item, rendered: its words, its picture or table, its key figures. */
export interface RenderedItem {
  title: string;
  filters: string;
  figures: string[];
  picture?: Picture;
  table?: { columns: string[]; rows: string[][]; note?: string };
}

/** A report behind the figures (no personal data: department, year, file name). */
export interface SourceRow {
  department: string | null;
  year: number | null;
  source: string | null;
}

/** One slide or page. */
export type Slide =
  | { kind: 'title'; title: string; subtitle: string; lines: string[] }
  | { kind: 'chart'; title: string; filters: string; picture?: Picture; figures: string[] }
  | { kind: 'table'; title: string; filters: string; columns: string[]; rows: string[][]; figures: string[]; note?: string; page: number; pages: number }
  | { kind: 'sources'; title: string; columns: string[]; rows: string[][]; page: number; pages: number };

/** The whole pack. */
export interface Deck {
  lang: Lang;
  title: string;
  /** Footer on every slide: the data date. */
  footer: string;
  slides: Slide[];
}

/** Table rows per slide (a 16:9 slide or an A4 landscape page at a readable size). */
export const TABLE_ROWS_PER_SLIDE = 12;
/** Source rows per slide. */
export const SOURCE_ROWS_PER_SLIDE = 16;

const WORDS = {
  zh: {
    title: '预算绩效评价简报', subtitle: '市财政局 · 部门与项目绩效自评报告分析', filters: '筛选条件', charts: '图表',
    generated: '生成时间', sources: '数据来源', department: '部门', year: '年度', file: '报告文件', noSources: '（无）',
    continued: '续', each: '各页筛选条件不同，见各页标题下方', count: (n: number) => `共 ${n} 页图表`,
  },
  en: {
    title: 'Budget performance briefing', subtitle: 'City Finance Bureau · self-evaluation report analysis', filters: 'Filters',
    charts: 'Charts', generated: 'Generated', sources: 'Sources', department: 'Department', year: 'Year', file: 'Report file',
    noSources: '(none)', continued: 'continued', each: 'Filters differ per chart; see each slide', count: (n: number) => `${n} charts`,
  },
} as const;

/** Cuts `items` into pages of `size` (at least one page, possibly empty). */
export function paginate<T>(items: T[], size: number): T[][] {
  const pages: T[][] = [];
  for (let i = 0; i < items.length; i += size) pages.push(items.slice(i, i + size));
  return pages.length ? pages : [[]];
}

/** The active filters in words, e.g. 年度：2023、2024 · 省份：河北省 · 报告类型：项目支出 (全部数据 when none). */
export function describeFilters(filters: Filters, lang: Lang, kindName: (kind: string) => string): string {
  const zh = lang === 'zh';
  const parts: string[] = [];
  const sep = zh ? '：' : ': ';
  if (filters.years.length) parts.push(`${zh ? '年度' : 'Year'}${sep}${filters.years.join(zh ? '、' : ', ')}`);
  const region = [filters.province, filters.city, filters.county].filter(Boolean).join(zh ? '' : ' / ');
  if (region) parts.push(`${zh ? '地区' : 'Region'}${sep}${region}`);
  if (filters.departmentKind) parts.push(`${zh ? '部门类型' : 'Department type'}${sep}${filters.departmentKind}`);
  if (filters.kind) parts.push(`${zh ? '报告类型' : 'Report type'}${sep}${kindName(filters.kind)}`);
  return parts.length ? parts.join(' · ') : zh ? '全部数据（未筛选）' : 'All data (no filters)';
}

/** Dedupes and orders the sources: newest year first, then department and file name. */
export function sortSources(rows: SourceRow[]): SourceRow[] {
  const seen = new Map<string, SourceRow>();
  for (const r of rows) seen.set(JSON.stringify([r.department, r.year, r.source]), r);
  return [...seen.values()].sort((a, b) => (b.year ?? -1) - (a.year ?? -1)
    || (a.department ?? '\uffff').localeCompare(b.department ?? '\uffff', 'zh-CN')
    || (a.source ?? '').localeCompare(b.source ?? '', 'zh-CN'));
}

/** Builds the pack: title slide, the items in order (tables continued), then the sources. */
export function buildDeck(input: {
  lang: Lang;
  items: RenderedItem[];
  sources: SourceRow[];
  /** Data date line, e.g. 数据截至 2025-11-22 · 版本 ab12cd34. */
  dataDate: string;
  generatedAt: Date;
}): Deck {
  const w = WORDS[input.lang];
  const filterTexts = [...new Set(input.items.map((i) => i.filters))];
  const stamp = `${input.generatedAt.getFullYear()}-${String(input.generatedAt.getMonth() + 1).padStart(2, '0')}-${String(input.generatedAt.getDate()).padStart(2, '0')}`;
  const slides: Slide[] = [{
    kind: 'title',
    title: w.title,
    subtitle: w.subtitle,
    lines: [
      `${w.filters}${input.lang === 'zh' ? '：' : ': '}${filterTexts.length === 1 ? filterTexts[0] : w.each}`,
      input.dataDate,
      `${w.generated}${input.lang === 'zh' ? '：' : ': '}${stamp} · ${w.count(input.items.length)}`,
    ],
  }];
  for (const item of input.items) {
    if (item.table) {
      const pages = paginate(item.table.rows, TABLE_ROWS_PER_SLIDE);
      pages.forEach((rows, i) => slides.push({
        kind: 'table',
        title: i === 0 ? item.title : `${item.title}（${w.continued} ${i + 1}/${pages.length}）`,
        filters: item.filters,
        columns: item.table!.columns,
        rows,
        figures: i === 0 ? item.figures : [],
        note: i === pages.length - 1 ? item.table!.note : undefined,
        page: i + 1,
        pages: pages.length,
      }));
    } else {
      slides.push({ kind: 'chart', title: item.title, filters: item.filters, picture: item.picture, figures: item.figures });
    }
  }
  const sources = sortSources(input.sources).map((s) => [s.department ?? '—', s.year == null ? '—' : String(s.year), s.source ?? '—']);
  const pages = paginate(sources, SOURCE_ROWS_PER_SLIDE);
  pages.forEach((rows, i) => slides.push({
    kind: 'sources',
    title: pages.length > 1 ? `${w.sources}（${i + 1}/${pages.length}）` : w.sources,
    columns: [w.department, w.year, w.file],
    rows: rows.length ? rows : [[w.noSources, '', '']],
    page: i + 1,
    pages: pages.length,
  }));
  return { lang: input.lang, title: w.title, footer: input.dataDate, slides };
}
