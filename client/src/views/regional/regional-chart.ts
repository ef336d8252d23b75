/** ECharts options for the regional comparison: ranked bars coloured by warning band, and the trend lines. */
import type { ChartOption } from '../../charts/echarts.ts';
import { bandOf, type Thresholds } from '../../charts/bands.ts';
import { BAND_COLOR, PALETTE } from '../../charts/theme.ts';
import { formatPct, formatScore } from '../../format.ts';
import type { RegionRow, RegionYearRow } from './regional-sql.ts';

/** Bar height per region, for sizing the ranking charts. */
export const ROW_HEIGHT = 34;

/** The rank column of a metric. */
export function rankOf(metric: 'exec_rate' | 'avg_score'): 'rate_rank' | 'score_rank' {
  return metric === 'exec_rate' ? 'rate_rank' : 'score_rank';
}

/** The regions with a value of `metric`, rank 1 first. */
export function rankedRows(rows: RegionRow[], metric: 'exec_rate' | 'avg_score'): RegionRow[] {
  const rankKey = rankOf(metric);
  return rows.filter((r) => r[metric] != null).sort((a, b) => (a[rankKey] ?? 0) - (b[rankKey] ?? 0));
}

/** The value a full-length bar stands for: 100, or above it in tens when a value exceeds 100. */
export function rankingMax(ranked: RegionRow[], metric: 'exec_rate' | 'avg_score'): number {
  return Math.ceil(Math.max(100, ...ranked.map((r) => r[metric] ?? 0)) / 10) * 10;
}

/** Ranked horizontal bars (rank 1 on top), coloured red/amber/green, threshold lines marked (exports). */
export function rankingOption(
  rows: RegionRow[],
  metric: 'exec_rate' | 'avg_score',
  thresholds: Thresholds,
  label: (region: string | null) => string,
  selected: string | null,
): ChartOption {
  const rankKey = rankOf(metric);
  const ranked = rankedRows(rows, metric);
  const format = metric === 'exec_rate' ? formatPct : formatScore;
  const max = rankingMax(ranked, metric);
  return {
    grid: { left: 8, right: 64, top: 8, bottom: 24, containLabel: true },
    tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${p.name}<br/>${format(p.value)}` },
    xAxis: { type: 'value', min: 0, max },
    yAxis: {
      type: 'category',
      inverse: true,
      triggerEvent: true,
      data: ranked.map((r) => `${r[rankKey]}. ${label(r.region)}`),
      axisTick: { show: false },
    },
    series: [{
      type: 'bar',
      barMaxWidth: 22,
      data: ranked.map((r) => ({
        value: r[metric],
        region: r.region,
        itemStyle: {
          color: BAND_COLOR[bandOf(r[metric], thresholds)],
          opacity: selected && selected !== r.region ? 0.35 : 1,
        },
      })),
      label: { show: true, position: 'right', formatter: (p: { value: number }) => format(p.value) },
      markLine: {
        silent: true,
        symbol: 'none',
        // The thresholds are named in the card's legend; labels here would collide with the axis labels.
        label: { show: false },
        data: [
          { xAxis: thresholds.red, lineStyle: { color: BAND_COLOR.red, type: 'dashed' } },
          { xAxis: thresholds.amber, lineStyle: { color: BAND_COLOR.amber, type: 'dashed' } },
        ],
      },
    }],
  };
}

/** Maximum number of regions drawn as trend lines (the largest by budget); the table lists them all. */
export const TREND_LIMIT = 10;

/** One line per region over the years; the selected region stands out. */
export function trendOption(
  rows: RegionYearRow[],
  regions: (string | null)[],
  label: (region: string | null) => string,
  selected: string | null,
): ChartOption {
  const years = [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b);
  const shown = regions.slice(0, TREND_LIMIT);
  return {
    color: PALETTE,
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => formatPct(v) },
    legend: { type: 'plain', top: 0 },
    grid: { left: 8, right: 24, top: 48, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: years.map(String) },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: shown.map((region) => ({
      name: label(region),
      type: 'line',
      connectNulls: true,
      symbolSize: 7,
      lineStyle: { width: selected === region ? 4 : 2, opacity: selected && selected !== region ? 0.3 : 1 },
      itemStyle: { opacity: selected && selected !== region ? 0.3 : 1 },
      data: years.map((y) => rows.find((r) => r.year === y && r.region === region)?.exec_rate ?? null),
    })),
  };
}
