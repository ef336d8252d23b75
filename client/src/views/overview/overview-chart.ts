/** The overview's yearly trend — budget bars, execution-rate and score lines — on screen (TrendChart) and exported. */
import type { ChartOption } from '../../charts/echarts.ts';
import type { TrendAxis, TrendSeries } from '../../charts/TrendChart.tsx';
import { formatPct, formatScore, formatWan } from '../../format.ts';
import type { T } from '../../i18n.ts';
import type { OverviewRow } from './overview-sql.ts';

/** The yearly trend: budget bars (left axis), execution rate and score lines (right axis, 0–100). */
export function yearlyTrend(rows: OverviewRow[], t: T): { categories: string[]; series: TrendSeries[]; axes: TrendAxis[] } {
  const known = rows.filter((r) => r.year != null);
  return {
    categories: known.map((r) => String(r.year)),
    axes: [
      { name: t('budgetWan'), format: (v) => formatWan(v).replace(/\.00$/, '') },
      { name: t('rateScoreAxis'), min: 0, max: 100 },
    ],
    series: [
      { key: 'budget', name: t('budgetWan'), type: 'bar', color: '#c8d6e5', values: known.map((r) => r.budget_wan), format: formatWan },
      { key: 'rate', name: t('kpiRate'), type: 'line', axis: 1, color: '#1f4e79', values: known.map((r) => r.exec_rate), format: formatPct },
      { key: 'score', name: t('kpiScore'), type: 'line', axis: 1, color: '#c9a227', values: known.map((r) => r.avg_score), format: formatScore },
    ],
  };
}

/** The same trend as an ECharts option (the exports); selected years are shaded. */
export function yearlyTrendOption(rows: OverviewRow[], selectedYears: number[], t: T): ChartOption {
  const { categories, axes, series } = yearlyTrend(rows, t);
  const shaded = selectedYears.map(String).filter((y) => categories.includes(y));
  return {
    tooltip: {
      trigger: 'axis',
    },
    legend: { top: 0 },
    grid: { left: 16, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: categories },
    yAxis: axes.map((a) => ({ type: 'value', name: a.name, min: a.min, max: a.max, axisLabel: a.format ? { formatter: a.format } : undefined })),
    series: series.map((s) => ({
      name: s.name, type: s.type, yAxisIndex: s.axis ?? 0, data: s.values, itemStyle: { color: s.color },
      tooltip: { valueFormatter: (v: unknown) => s.format(v as number | null) },
      ...(s.type === 'bar'
        ? {
          barMaxWidth: 36,
          markArea: shaded.length
            ? { silent: true, itemStyle: { color: 'rgba(31,78,121,0.06)' }, data: shaded.map((y) => [{ xAxis: y }, { xAxis: y }]) }
            : undefined,
        }
        : { connectNulls: true, symbolSize: 8 }),
    })),
  };
}
