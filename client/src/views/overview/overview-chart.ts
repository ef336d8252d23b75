/** ECharts option for the overview's yearly trend: budget bars, execution-rate and score lines. */
import type { ChartOption } from '../../charts/echarts.ts';
import { formatPct, formatScore, formatWan } from '../../format.ts';
import type { T } from '../../i18n.ts';
import type { OverviewRow } from './overview-sql.ts';

/** Builds the yearly trend option; selected years are shaded. */
export function yearlyTrendOption(rows: OverviewRow[], selectedYears: number[], t: T): ChartOption {
  const known = rows.filter((r) => r.year != null);
  const years = known.map((r) => String(r.year));
  return {
    tooltip: {
      trigger: 'axis',
    },
    legend: { top: 0 },
    grid: { left: 16, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: years },
    yAxis: [
      { type: 'value', name: t('budgetWan'), axisLabel: { formatter: (v: number) => formatWan(v).replace(/\.00$/, '') } },
      { type: 'value', name: t('rateScoreAxis'), min: 0, max: 100 },
    ],
    series: [
      {
        name: t('budgetWan'), type: 'bar', barMaxWidth: 36, data: known.map((r) => r.budget_wan),
        tooltip: { valueFormatter: (v: unknown) => formatWan(v) },
        itemStyle: { color: '#c8d6e5' },
        markArea: selectedYears.length
          ? { silent: true, itemStyle: { color: 'rgba(31,78,121,0.06)' }, data: selectedYears.filter((y) => years.includes(String(y))).map((y) => [{ xAxis: String(y) }, { xAxis: String(y) }]) }
          : undefined,
      },
      {
        name: t('kpiRate'), type: 'line', yAxisIndex: 1, connectNulls: true, symbolSize: 8,
        data: known.map((r) => r.exec_rate), tooltip: { valueFormatter: (v: unknown) => formatPct(v) },
        itemStyle: { color: '#1f4e79' },
      },
      {
        name: t('kpiScore'), type: 'line', yAxisIndex: 1, connectNulls: true, symbolSize: 8,
        data: known.map((r) => r.avg_score), tooltip: { valueFormatter: (v: unknown) => formatScore(v) },
        itemStyle: { color: '#c9a227' },
      },
    ],
  };
}
