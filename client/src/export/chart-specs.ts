/**
 * Every exportable chart and table, by id: its title, its SQL (the view's own builder), its ECharts option and height,
 * its export columns and its key figures — so a chart can be exported or re-rendered for a briefing from nothing but
 * (id, filters, options), without the view on screen.
 */
import type { Bands } from '../charts/bands.ts';
import { DEFAULT_BANDS } from '../charts/bands.ts';
import type { ChartOption } from '../charts/echarts.ts';
import { regionLevel, type RegionLevel, type Sql } from '../db/sql.ts';
import type { FilterKey, Filters } from '../filters/filters.ts';
import { formatCount, formatPct, formatScore, formatWan, NONE } from '../format.ts';
import { translate, type Lang, type MessageKey } from '../i18n.ts';
import { categoryName } from '../taxonomy.ts';
import { frequencyOption, heatmapAxes, heatmapOption } from '../views/issues/issues-chart.ts';
import { issueFrequencySql, issueHeatmapSql, type IssueCellRow, type IssueFrequencyRow } from '../views/issues/issues-sql.ts';
import { DEFAULT_SORT, lowExecRowsSql, type LowExecRow, type Sort } from '../views/low-execution/low-execution-sql.ts';
import { yearlyTrendOption } from '../views/overview/overview-chart.ts';
import { overviewSql, pickKpiYears, type OverviewRow } from '../views/overview/overview-sql.ts';
import { rankingOption, ROW_HEIGHT, trendOption } from '../views/regional/regional-chart.ts';
import { regionalSql, regionalTrendSql, type RegionRow, type RegionYearRow } from '../views/regional/regional-sql.ts';
import {
  issueFrequencyFigures, issueHeatmapFigures, lowExecFigures, rateRankingFigures, rateTrendFigures, scoreRankingFigures,
  yearlyFigures, type FigureContext,
} from './figures.ts';
import type { ExportColumn } from './table.ts';

/** The exportable charts and tables. */
export const CHART_IDS = [
  'kpis', 'yearly-trend', 'rate-ranking', 'score-ranking', 'rate-trend', 'issue-frequency', 'issue-heatmap', 'low-exec',
] as const;
/** One exportable chart or table. */
export type ChartId = (typeof CHART_IDS)[number];

/** View options a chart depends on besides the filters (captured with it for a briefing). */
export interface ChartOptions {
  threshold?: number;
  bands?: Bands;
  sort?: Sort;
}

/** What to export: a chart with the filters and options it was seen with. */
export interface ExportTarget {
  chart: ChartId;
  filters: Filters;
  options: ChartOptions;
}

/** Everything a spec needs to speak: language, filters, options. */
export interface SpecContext {
  lang: Lang;
  filters: Filters;
  options: ChartOptions;
}

/** One exported column; `format` is how slides and printouts show the value. */
export interface SpecColumn<R> extends ExportColumn<R> {
  format?: (v: unknown) => string;
}

/** How one chart or table is queried, drawn, tabulated and summed up. */
export interface ChartSpec<R extends Record<string, unknown> = Record<string, unknown>> {
  /** Charts have a picture; tables only rows. */
  kind: 'chart' | 'table';
  title(c: SpecContext): string;
  /** Every row behind the chart (tables: every row matching the filters, no paging). */
  sql(c: SpecContext): Sql;
  columns(c: SpecContext): SpecColumn<R>[];
  option?(rows: R[], c: SpecContext): ChartOption;
  /** The chart's natural height in CSS pixels for these rows (as the view draws it). */
  height?(rows: R[]): number;
  isEmpty?(rows: R[]): boolean;
  figures(rows: R[], c: SpecContext): string[];
  /** Filters the chart itself leaves out (the year, when it draws every year): the sources list does the same. */
  omit?: FilterKey[];
}

const tr = (c: SpecContext, key: MessageKey, vars?: Record<string, string | number>) => translate(c.lang, key, vars);
const levelOf = (c: SpecContext): RegionLevel => regionLevel(c.filters);
const levelName = (c: SpecContext) => tr(c, `level_${levelOf(c)}`);
const regionLabel = (c: SpecContext) => (r: string | null) => r ?? tr(c, 'unknownRegion');
const threshold = (c: SpecContext) => c.options.threshold ?? DEFAULT_BANDS.exec.red;
const bands = (c: SpecContext) => c.options.bands ?? DEFAULT_BANDS;

function figureContext(c: SpecContext): FigureContext {
  return {
    lang: c.lang, level: levelOf(c), region: regionLabel(c), category: (code) => categoryName(code, c.lang),
    threshold: threshold(c),
  };
}

const overviewColumns = (c: SpecContext): SpecColumn<OverviewRow>[] => [
  { key: 'year', label: tr(c, 'year'), format: (v) => (v == null ? NONE : String(v)) },
  { key: 'reports', label: tr(c, 'kpiReports'), format: formatCount },
  { key: 'departments', label: tr(c, 'kpiDepartments'), format: formatCount },
  { key: 'budget_wan', label: tr(c, 'kpiBudget'), format: formatWan },
  { key: 'exec_rate', label: `${tr(c, 'kpiRate')} (%)`, format: formatPct },
  { key: 'avg_score', label: tr(c, 'kpiScore'), format: formatScore },
  { key: 'low_exec', label: tr(c, 'kpiLowExec', { t: threshold(c) }), format: formatCount },
  { key: 'flagged', label: tr(c, 'kpiFlagged'), format: formatCount },
];

const regionColumns = (c: SpecContext): SpecColumn<RegionRow>[] => [
  { key: 'rate_rank', label: tr(c, 'rank'), format: (v) => (v == null ? NONE : String(v)) },
  { key: 'region', label: levelName(c), value: (r) => regionLabel(c)(r.region) },
  { key: 'reports', label: tr(c, 'reports'), format: formatCount },
  { key: 'budget_wan', label: tr(c, 'budgetWan'), format: formatWan },
  { key: 'spent_wan', label: tr(c, 'spentWan'), format: formatWan },
  { key: 'exec_rate', label: `${tr(c, 'rate')} (%)`, format: formatPct },
  { key: 'avg_score', label: tr(c, 'score'), format: formatScore },
  { key: 'score_rank', label: `${tr(c, 'score')}${tr(c, 'rank')}`, format: (v) => (v == null ? NONE : String(v)) },
];

const overview: ChartSpec<OverviewRow> = {
  kind: 'chart',
  title: (c) => tr(c, 'trendByYear'),
  sql: (c) => overviewSql(c.filters, { threshold: threshold(c) }),
  columns: overviewColumns,
  option: (rows, c) => yearlyTrendOption(rows, c.filters.years, (key, vars) => tr(c, key, vars)),
  height: () => 300,
  isEmpty: (rows) => !rows.some((r) => r.year != null),
  figures: (rows, c) => yearlyFigures(rows, figureContext(c), pickKpiYears(rows, c.filters).year),
  omit: ['years'],
};

const rankingHeight = (metric: 'exec_rate' | 'avg_score') => (rows: RegionRow[]) =>
  Math.max(180, rows.filter((r) => r[metric] != null).length * ROW_HEIGHT + 48);

/** The registry. */
export const CHART_SPECS: { [K in ChartId]: ChartSpec<never> } = {
  kpis: {
    ...overview, kind: 'table', title: (c) => tr(c, 'viewOverview'), option: undefined, height: undefined,
    isEmpty: (rows) => rows.length === 0,
  } satisfies ChartSpec<OverviewRow>,
  'yearly-trend': overview,
  'rate-ranking': {
    kind: 'chart',
    title: (c) => `${tr(c, 'rateRanking')}（${levelName(c)}）`,
    sql: (c) => regionalSql(c.filters),
    columns: regionColumns,
    option: (rows, c) => rankingOption(rows, 'exec_rate', bands(c).exec, regionLabel(c), null),
    height: rankingHeight('exec_rate'),
    isEmpty: (rows) => !rows.some((r) => r.exec_rate != null),
    figures: (rows, c) => rateRankingFigures(rows, figureContext(c)),
  } satisfies ChartSpec<RegionRow>,
  'score-ranking': {
    kind: 'chart',
    title: (c) => `${tr(c, 'scoreRanking')}（${levelName(c)}）`,
    sql: (c) => regionalSql(c.filters),
    columns: regionColumns,
    option: (rows, c) => rankingOption(rows, 'avg_score', bands(c).score, regionLabel(c), null),
    height: rankingHeight('avg_score'),
    isEmpty: (rows) => !rows.some((r) => r.avg_score != null),
    figures: (rows, c) => scoreRankingFigures(rows, figureContext(c)),
  } satisfies ChartSpec<RegionRow>,
  'rate-trend': {
    kind: 'chart',
    title: (c) => `${tr(c, 'rateTrend')}（${levelName(c)}）`,
    sql: (c) => regionalTrendSql(c.filters),
    columns: (c) => [
      { key: 'region', label: levelName(c), value: (r) => regionLabel(c)(r.region) },
      { key: 'year', label: tr(c, 'year'), format: (v) => String(v) },
      { key: 'exec_rate', label: `${tr(c, 'rate')} (%)`, format: formatPct },
      { key: 'avg_score', label: tr(c, 'score'), format: formatScore },
      { key: 'budget_wan', label: tr(c, 'budgetWan'), format: formatWan },
    ],
    option: (rows, c) => {
      // Like the view, the largest regions by budget get the lines (here: budget over the years drawn).
      const budget = new Map<string | null, number>();
      for (const r of rows) budget.set(r.region, (budget.get(r.region) ?? 0) + (r.budget_wan ?? 0));
      const regions = [...budget.entries()].sort((a, b) => b[1] - a[1]).map(([region]) => region);
      return trendOption(rows, regions, regionLabel(c), null);
    },
    height: () => 320,
    isEmpty: (rows) => !rows.some((r) => r.exec_rate != null),
    figures: (rows, c) => rateTrendFigures(rows, figureContext(c)),
    omit: ['years'],
  } satisfies ChartSpec<RegionYearRow>,
  'issue-frequency': {
    kind: 'chart',
    title: (c) => tr(c, 'issueFrequency'),
    sql: (c) => issueFrequencySql(c.filters),
    columns: (c) => [
      { key: 'category_name', label: tr(c, 'category'), value: (r) => categoryName(r.category, c.lang) },
      { key: 'category', label: c.lang === 'zh' ? '类别代码' : 'Code' },
      { key: 'occurrences', label: tr(c, 'occurrences'), format: formatCount },
      { key: 'reports', label: tr(c, 'reportsWithIssue'), format: formatCount },
    ],
    option: (rows, c) => frequencyOption(rows, (code) => categoryName(code, c.lang), null),
    height: (rows) => Math.max(220, rows.length * 34 + 48),
    figures: (rows, c) => issueFrequencyFigures(rows, figureContext(c)),
  } satisfies ChartSpec<IssueFrequencyRow>,
  'issue-heatmap': {
    kind: 'chart',
    title: (c) => `${tr(c, 'issueHeatmap')}（${levelName(c)}）`,
    sql: (c) => issueHeatmapSql(c.filters),
    columns: (c) => [
      { key: 'region', label: levelName(c), value: (r) => regionLabel(c)(r.region) },
      { key: 'category_name', label: tr(c, 'category'), value: (r) => categoryName(r.category, c.lang) },
      { key: 'category', label: c.lang === 'zh' ? '类别代码' : 'Code' },
      { key: 'occurrences', label: tr(c, 'occurrences'), format: formatCount },
    ],
    option: (rows, c) => heatmapOption(rows, (code) => categoryName(code, c.lang), regionLabel(c), { category: null }),
    height: (rows) => Math.max(220, heatmapAxes(rows).regions.length * 40 + 140),
    figures: (rows, c) => issueHeatmapFigures(rows, figureContext(c)),
  } satisfies ChartSpec<IssueCellRow>,
  'low-exec': {
    kind: 'table',
    title: (c) => `${tr(c, 'viewLowExec')}（<${threshold(c)}%）`,
    sql: (c) => lowExecRowsSql(c.filters, { threshold: threshold(c), sort: c.options.sort ?? DEFAULT_SORT }),
    columns: (c) => [
      { key: 'name', label: tr(c, 'project') },
      { key: 'department', label: tr(c, 'department') },
      { key: 'region', label: tr(c, 'region'), value: (r) => [r.province, r.city, r.county].filter(Boolean).join('') || null },
      { key: 'year', label: tr(c, 'year'), format: (v) => (v == null ? NONE : String(v)) },
      { key: 'budget_wan', label: tr(c, 'budgetWan'), format: formatWan },
      { key: 'spent_wan', label: tr(c, 'spentWan'), format: formatWan },
      { key: 'execution_rate_pct', label: `${tr(c, 'rate')} (%)`, format: formatPct },
      { key: 'score', label: tr(c, 'score'), format: formatScore },
      { key: 'mismatch', label: tr(c, 'mismatch'), value: (r) => (r.mismatch ? tr(c, 'mismatchYes') : null) },
    ],
    figures: (rows, c) => lowExecFigures(rows, figureContext(c)),
  } satisfies ChartSpec<LowExecRow>,
};

/** The spec of `id`, typed for plain rows. */
export function specOf(id: ChartId): ChartSpec {
  return CHART_SPECS[id] as unknown as ChartSpec;
}

/** Whether `id` names an exportable chart (for lists read back from storage). */
export function isChartId(id: unknown): id is ChartId {
  return typeof id === 'string' && (CHART_IDS as readonly string[]).includes(id);
}
