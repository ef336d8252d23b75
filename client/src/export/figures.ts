/**
 * Key figures for briefings: two or three sentences written from a chart's own rows (the lowest region with its rate,
 * the most common issue with its count, the total budget …), in Chinese, or English when the UI is English.
 */
import { formatCount, formatDelta, formatPct, formatScore, formatWan } from '../format.ts';
import type { Lang } from '../i18n.ts';
import type { RegionLevel } from '../db/sql.ts';
import type { IssueCellRow, IssueFrequencyRow } from '../views/issues/issues-sql.ts';
import type { LowExecRow } from '../views/low-execution/low-execution-sql.ts';
import type { OverviewRow } from '../views/overview/overview-sql.ts';
import type { RegionRow, RegionYearRow } from '../views/regional/regional-sql.ts';

/** What the sentences need besides the rows. */
export interface FigureContext {
  lang: Lang;
  /** The region level the chart groups by. */
  level: RegionLevel;
  /** Region label (null: unidentified region). */
  region: (r: string | null) => string;
  /** Issue-category name of a code. */
  category: (code: string) => string;
  /** Low-execution threshold in percent. */
  threshold: number;
}

const LEVEL: Record<Lang, Record<RegionLevel, string>> = {
  zh: { province: '省份', city: '城市', county: '区县' },
  en: { province: 'province', city: 'city', county: 'county' },
};

const known = <R, K extends keyof R>(rows: R[], key: K) =>
  rows.filter((r) => typeof r[key] === 'number' && Number.isFinite(r[key] as number));

function extreme<R>(rows: R[], value: (r: R) => number, pick: 'min' | 'max'): R | undefined {
  let best: R | undefined;
  for (const r of rows) if (best === undefined || (pick === 'min' ? value(r) < value(best) : value(r) > value(best))) best = r;
  return best;
}

const sum = (values: (number | null | undefined)[]) =>
  values.reduce<number>((a, v) => a + (typeof v === 'number' && Number.isFinite(v) ? v : 0), 0);

/** Regions ranked by execution rate: the lowest and highest region, and the total budget behind the chart. */
export function rateRankingFigures(rows: RegionRow[], c: FigureContext): string[] {
  const rated = known(rows, 'exec_rate');
  const low = extreme(rated, (r) => r.exec_rate!, 'min');
  const high = extreme(rated, (r) => r.exec_rate!, 'max');
  const level = LEVEL[c.lang][c.level];
  const budget = sum(rows.map((r) => r.budget_wan));
  const out: string[] = [];
  if (low) {
    out.push(c.lang === 'zh'
      ? `执行率最低的${level}：${c.region(low.region)}，${formatPct(low.exec_rate)}`
      : `Lowest execution rate (${level}): ${c.region(low.region)}, ${formatPct(low.exec_rate)}`);
  }
  if (high && high !== low) {
    out.push(c.lang === 'zh'
      ? `执行率最高的${level}：${c.region(high.region)}，${formatPct(high.exec_rate)}`
      : `Highest execution rate (${level}): ${c.region(high.region)}, ${formatPct(high.exec_rate)}`);
  }
  out.push(c.lang === 'zh'
    ? `预算总额 ${formatWan(budget)} 万元，覆盖 ${formatCount(rows.length)} 个${level}、${formatCount(sum(rows.map((r) => r.reports)))} 份报告`
    : `Total budget ${formatWan(budget)} (10k yuan) across ${formatCount(rows.length)} ${level} groups and ${formatCount(sum(rows.map((r) => r.reports)))} reports`);
  return out;
}

/** Regions ranked by self-evaluation score: the lowest and highest, and the report-weighted mean. */
export function scoreRankingFigures(rows: RegionRow[], c: FigureContext): string[] {
  const scored = known(rows, 'avg_score');
  const low = extreme(scored, (r) => r.avg_score!, 'min');
  const high = extreme(scored, (r) => r.avg_score!, 'max');
  const level = LEVEL[c.lang][c.level];
  const weight = sum(scored.map((r) => r.reports));
  const mean = weight > 0 ? sum(scored.map((r) => r.avg_score! * r.reports)) / weight : null;
  const out: string[] = [];
  if (low) {
    out.push(c.lang === 'zh'
      ? `自评得分最低的${level}：${c.region(low.region)}，${formatScore(low.avg_score)} 分`
      : `Lowest score (${level}): ${c.region(low.region)}, ${formatScore(low.avg_score)}`);
  }
  if (high && high !== low) {
    out.push(c.lang === 'zh'
      ? `自评得分最高的${level}：${c.region(high.region)}，${formatScore(high.avg_score)} 分`
      : `Highest score (${level}): ${c.region(high.region)}, ${formatScore(high.avg_score)}`);
  }
  if (mean != null) {
    out.push(c.lang === 'zh'
      ? `全部报告平均自评得分 ${formatScore(mean)} 分`
      : `Average score over all reports: ${formatScore(mean)}`);
  }
  return out;
}

/** Execution by region and year: the latest year's lowest and highest region. */
export function rateTrendFigures(rows: RegionYearRow[], c: FigureContext): string[] {
  const rated = known(rows, 'exec_rate');
  if (!rated.length) return [];
  const year = Math.max(...rated.map((r) => r.year));
  const latest = rated.filter((r) => r.year === year);
  const low = extreme(latest, (r) => r.exec_rate!, 'min')!;
  const high = extreme(latest, (r) => r.exec_rate!, 'max')!;
  const level = LEVEL[c.lang][c.level];
  const years = new Set(rated.map((r) => r.year)).size;
  const out = [c.lang === 'zh'
    ? `${year} 年执行率最低的${level}：${c.region(low.region)}，${formatPct(low.exec_rate)}`
    : `Lowest execution rate in ${year} (${level}): ${c.region(low.region)}, ${formatPct(low.exec_rate)}`];
  if (high !== low) {
    out.push(c.lang === 'zh'
      ? `${year} 年执行率最高的${level}：${c.region(high.region)}，${formatPct(high.exec_rate)}`
      : `Highest execution rate in ${year} (${level}): ${c.region(high.region)}, ${formatPct(high.exec_rate)}`);
  }
  out.push(c.lang === 'zh'
    ? `共 ${formatCount(new Set(rated.map((r) => r.region)).size)} 个${level}、${formatCount(years)} 个年度`
    : `${formatCount(new Set(rated.map((r) => r.region)).size)} ${level} groups over ${formatCount(years)} years`);
  return out;
}

/** Issue categories by frequency: the most common issue with its count, the runner-up, and the total. */
export function issueFrequencyFigures(rows: IssueFrequencyRow[], c: FigureContext): string[] {
  const ranked = [...rows].sort((a, b) => b.occurrences - a.occurrences || a.category.localeCompare(b.category));
  const [top, second] = ranked;
  if (!top) return [];
  const out = [c.lang === 'zh'
    ? `最常见的问题：${c.category(top.category)}，${formatCount(top.occurrences)} 次（涉及 ${formatCount(top.reports)} 份报告）`
    : `Most common issue: ${c.category(top.category)}, ${formatCount(top.occurrences)} times (in ${formatCount(top.reports)} reports)`];
  if (second) {
    out.push(c.lang === 'zh'
      ? `其次：${c.category(second.category)}，${formatCount(second.occurrences)} 次`
      : `Next: ${c.category(second.category)}, ${formatCount(second.occurrences)} times`);
  }
  out.push(c.lang === 'zh'
    ? `共 ${formatCount(sum(rows.map((r) => r.occurrences)))} 条问题，分属 ${formatCount(rows.length)} 个类别`
    : `${formatCount(sum(rows.map((r) => r.occurrences)))} issues in ${formatCount(rows.length)} categories`);
  return out;
}

/** Region × category: the region with the most issues and the single largest cell. */
export function issueHeatmapFigures(rows: IssueCellRow[], c: FigureContext): string[] {
  if (!rows.length) return [];
  const level = LEVEL[c.lang][c.level];
  const byRegion = new Map<string | null, number>();
  for (const r of rows) byRegion.set(r.region, (byRegion.get(r.region) ?? 0) + r.occurrences);
  const [region, count] = [...byRegion.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])))[0]!;
  const cell = extreme(rows, (r) => r.occurrences, 'max')!;
  return [
    c.lang === 'zh'
      ? `问题最多的${level}：${c.region(region)}，${formatCount(count)} 条`
      : `Most issues (${level}): ${c.region(region)}, ${formatCount(count)}`,
    c.lang === 'zh'
      ? `最集中的组合：${c.region(cell.region)} · ${c.category(cell.category)}，${formatCount(cell.occurrences)} 条`
      : `Largest cell: ${c.region(cell.region)} · ${c.category(cell.category)}, ${formatCount(cell.occurrences)}`,
    c.lang === 'zh'
      ? `共 ${formatCount(sum(rows.map((r) => r.occurrences)))} 条问题，${formatCount(byRegion.size)} 个${level}`
      : `${formatCount(sum(rows.map((r) => r.occurrences)))} issues across ${formatCount(byRegion.size)} ${level} groups`,
  ];
}

/** Yearly figures: the latest year's budget, its budget-weighted execution rate (with the change) and average score. */
export function yearlyFigures(rows: OverviewRow[], c: FigureContext, year: number | null): string[] {
  const current = rows.find((r) => r.year === year);
  if (!current || year == null) return [];
  const previous = rows.find((r) => r.year === year - 1);
  const out = [c.lang === 'zh'
    ? `${year} 年预算总额 ${formatWan(current.budget_wan)} 万元（${formatCount(current.reports)} 份报告）`
    : `${year} total budget ${formatWan(current.budget_wan)} (10k yuan), ${formatCount(current.reports)} reports`];
  if (current.exec_rate != null) {
    const delta = previous?.exec_rate != null ? current.exec_rate - previous.exec_rate : null;
    const change = delta == null ? '' : c.lang === 'zh' ? `，较上年 ${formatDelta(delta, 'pp', 'zh')}` : `, ${formatDelta(delta, 'pp', 'en')} on ${year - 1}`;
    out.push(c.lang === 'zh'
      ? `${year} 年预算加权执行率 ${formatPct(current.exec_rate)}${change}`
      : `${year} budget-weighted execution rate ${formatPct(current.exec_rate)}${change}`);
  }
  if (current.avg_score != null) {
    out.push(c.lang === 'zh'
      ? `${year} 年平均自评得分 ${formatScore(current.avg_score)} 分，低执行率项目（<${c.threshold}%）${formatCount(current.low_exec)} 个`
      : `${year} average score ${formatScore(current.avg_score)}; ${formatCount(current.low_exec)} projects under ${c.threshold}% execution`);
  }
  return out;
}

/** Projects under the threshold: how many, the lowest one with its rate, and the budget they hold. */
export function lowExecFigures(rows: LowExecRow[], c: FigureContext): string[] {
  if (!rows.length) return [];
  const low = extreme(known(rows, 'execution_rate_pct'), (r) => r.execution_rate_pct, 'min');
  const out = [c.lang === 'zh'
    ? `执行率低于 ${c.threshold}% 的项目共 ${formatCount(rows.length)} 个`
    : `${formatCount(rows.length)} projects below ${c.threshold}% execution`];
  if (low) {
    const who = [low.name, low.department].filter(Boolean).join(c.lang === 'zh' ? '，' : ', ');
    out.push(c.lang === 'zh'
      ? `执行率最低：${who}，${formatPct(low.execution_rate_pct)}`
      : `Lowest execution: ${who}, ${formatPct(low.execution_rate_pct)}`);
  }
  out.push(c.lang === 'zh'
    ? `涉及预算 ${formatWan(sum(rows.map((r) => r.budget_wan)))} 万元，已支出 ${formatWan(sum(rows.map((r) => r.spent_wan)))} 万元`
    : `Budget involved ${formatWan(sum(rows.map((r) => r.budget_wan)))} (10k yuan), spent ${formatWan(sum(rows.map((r) => r.spent_wan)))}`);
  return out;
}
