/** The one component that owns the ECharts life cycle: init, setOption on change, resize, dispose. */
import { useEffect, useRef } from 'react';
import { startEngine } from '../db/duckdb.ts';
import { echarts, THEME } from './echarts.ts';

/** An ECharts option object (built by the chart modules from rows). */
export type ChartOption = echarts.EChartsCoreOption;
/** An ECharts click event. */
export type ChartClick = echarts.ECElementEvent;

/** Renders `option`; `onClick` receives ECharts element clicks (bars, cells, axis labels with triggerEvent). */
export function Chart(props: { option: ChartOption; height?: number; label: string; onClick?: (e: ChartClick) => void }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const onClick = useRef(props.onClick);
  onClick.current = props.onClick;

  useEffect(() => {
    const instance = echarts.init(el.current!, THEME, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (e) => onClick.current?.(e as echarts.ECElementEvent));
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(el.current!);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true }, animationDuration: 400, ...props.option }, { notMerge: true });
    // The first chart is up: DuckDB-WASM may now take the CPU (duckdb.ts).
    startEngine();
  }, [props.option]);

  return (
    <div
      ref={el}
      className={props.onClick ? 'chart chart-clickable' : 'chart'}
      style={{ height: props.height ?? 320 }}
      role="img"
      aria-label={props.label}
    />
  );
}
