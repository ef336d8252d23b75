/**
 * ECharts set up for exports (PNG, SVG, briefing pictures): the chart types and components they draw, and the bureau
 * theme. Loaded with the export code only; the dashboard draws its charts as HTML and SVG (BarList, HeatTable,
 * TrendChart).
 */
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  AriaComponent, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { AXIS_COLOR, FONT_STACK, PALETTE, TEXT_COLOR } from './theme.ts';

echarts.use([
  BarChart, LineChart, HeatmapChart, AriaComponent, GridComponent, LegendComponent, MarkAreaComponent,
  MarkLineComponent, TooltipComponent, VisualMapComponent, CanvasRenderer,
]);

/** Name of the registered theme. */
export const THEME = 'bureau';

echarts.registerTheme(THEME, {
  color: PALETTE,
  textStyle: { fontFamily: FONT_STACK, color: TEXT_COLOR },
  categoryAxis: { axisLine: { lineStyle: { color: AXIS_COLOR } }, axisLabel: { color: TEXT_COLOR } },
  valueAxis: { axisLine: { show: false }, splitLine: { lineStyle: { color: '#e6e9ef' } }, axisLabel: { color: AXIS_COLOR } },
  tooltip: { textStyle: { fontFamily: FONT_STACK } },
  legend: { textStyle: { color: TEXT_COLOR } },
});

export { echarts };

/** An ECharts option object (built by the chart modules from rows). */
export type ChartOption = echarts.EChartsCoreOption;
