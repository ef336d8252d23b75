/** ECharts options for common issues: the frequency bars and the region × category heatmap. */
import type { ChartOption } from '../../charts/echarts.ts';
import { HEAT_COLORS } from '../../charts/theme.ts';
import type { IssueCellRow, IssueFrequencyRow } from './issues-sql.ts';

/** Horizontal bars of category frequency, most frequent on top; the selected category stands out. */
export function frequencyOption(rows: IssueFrequencyRow[], name: (code: string) => string, selected: string | null): ChartOption {
  return {
    grid: { left: 8, right: 48, top: 8, bottom: 24, containLabel: true },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, triggerEvent: true, data: rows.map((r) => name(r.category)), axisTick: { show: false } },
    series: [{
      type: 'bar',
      barMaxWidth: 22,
      label: { show: true, position: 'right' },
      data: rows.map((r) => ({
        value: r.occurrences,
        category: r.category,
        itemStyle: { color: '#1f4e79', opacity: selected && selected !== r.category ? 0.35 : 1 },
      })),
    }],
  };
}

/** The heatmap's axes: categories by overall frequency, regions by total issues. */
export function heatmapAxes(cells: IssueCellRow[]): { categories: string[]; regions: (string | null)[] } {
  const total = <K extends 'category' | 'region'>(key: K) => {
    const m = new Map<IssueCellRow[K], number>();
    for (const c of cells) m.set(c[key], (m.get(c[key]) ?? 0) + c.occurrences);
    return [...m.entries()].sort((a, b) => b[1] - a[1] || String(a[0] ?? '\uffff').localeCompare(String(b[0] ?? '\uffff'))).map((e) => e[0]);
  };
  return { categories: total('category'), regions: total('region') };
}

/** Region × category heatmap; the selected cell gets an outline. */
export function heatmapOption(
  cells: IssueCellRow[],
  name: (code: string) => string,
  regionLabel: (r: string | null) => string,
  selected: { category: string | null; region?: string | null },
): ChartOption {
  const { categories, regions } = heatmapAxes(cells);
  const max = Math.max(1, ...cells.map((c) => c.occurrences));
  return {
    tooltip: {
      position: 'top',
      formatter: (p: { value: [number, number, number] }) =>
        `${regionLabel(regions[p.value[1]] ?? null)} · ${name(categories[p.value[0]]!)}<br/>${p.value[2]}`,
    },
    grid: { left: 8, right: 16, top: 8, bottom: 64, containLabel: true },
    xAxis: {
      type: 'category', data: categories.map(name), splitArea: { show: true },
      axisLabel: { interval: 0, rotate: categories.length > 4 ? 30 : 0 },
    },
    yAxis: { type: 'category', data: regions.map(regionLabel), splitArea: { show: true }, inverse: true },
    visualMap: {
      min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120,
      inRange: { color: [...HEAT_COLORS] },
    },
    series: [{
      type: 'heatmap',
      label: { show: true },
      data: cells.map((c) => {
        const isSelected = selected.category === c.category && selected.region !== undefined && selected.region === c.region;
        return {
          value: [categories.indexOf(c.category), regions.indexOf(c.region), c.occurrences],
          itemStyle: isSelected ? { borderColor: '#c9a227', borderWidth: 3 } : undefined,
        };
      }),
      emphasis: { itemStyle: { borderColor: '#2b3445', borderWidth: 1 } },
    }],
  };
}
