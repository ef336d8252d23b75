/** The one component that owns the ECharts life cycle: init, setOption on change, resize, dispose. */
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { startEngine } from '../db/duckdb.ts';
import { echarts, THEME } from './echarts.ts';

/** An ECharts option object (built by the chart modules from rows). */
export type ChartOption = echarts.EChartsCoreOption;
/** An ECharts click event. */
export type ChartClick = echarts.ECElementEvent;

/** How far outside the window a chart still redraws on a change, px (it is drawn by the time it is scrolled to). */
const NEAR_VIEW_PX = 200;

/** Height of a chart that names none, px. */
const DEFAULT_HEIGHT = 320;

/** Option components a new option replaces rather than merges into (everything that carries data or layout). */
const REPLACED = ['series', 'xAxis', 'yAxis', 'grid', 'visualMap', 'legend', 'dataZoom', 'title', 'graphic', 'dataset', 'markLine'];

/**
 * True while the rows a chart is drawn from are the previous filters' (ChartCard: the query is fetching with its
 * placeholder data). A chart keeps its drawing meanwhile: options recomputed from old rows (a new band setting or
 * filter object) would redraw the old picture once more, on the main thread, before the new query has even been sent.
 */
export const ChartStale = createContext(false);

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
    // Only a real change of size redraws (ECharts redraws everything on resize), at the size the observer measured:
    // reading the element's size would force a layout in the middle of React's commit.
    const resize = new ResizeObserver(([entry]) => {
      const { width, height } = entry!.contentRect;
      if (!instance.isDisposed() && (width !== instance.getWidth() || height !== instance.getHeight())) instance.resize({ width, height });
    });
    resize.observe(el.current!);
    // Charts scrolled out of the window wait to redraw until they come near it (a filter change redraws only what the
    // user can see: ~20 ms of main thread per chart, test/bench).
    const seen = new IntersectionObserver(([entry]) => setNearView(entry!.isIntersecting), { rootMargin: `${NEAR_VIEW_PX}px 0px` });
    seen.observe(el.current!);
    return () => {
      seen.disconnect();
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  const stale = useContext(ChartStale);
  const [nearView, setNearView] = useState(true);
  const drawnOption = useRef<ChartOption | null>(null);
  /** The height the chart is drawn at: a chart waiting to redraw keeps its old size (no redraw of old rows on resize). */
  const drawnHeight = useRef(props.height ?? DEFAULT_HEIGHT);

  useEffect(() => {
    const drawn = drawnOption.current != null;
    // Fresh rows equal to the old ones (React Query keeps the old object) leave the same option: nothing to redraw.
    const waiting = drawnOption.current !== props.option;
    // `data-pending`: a newer option waits for fresh rows or for the chart to be scrolled to (tests read it).
    el.current!.toggleAttribute('data-pending', waiting && drawn && (stale || !nearView));
    if (!waiting || (drawn && (stale || !nearView))) return;
    drawnOption.current = props.option;
    // Animated when it first appears; a filter change redraws at once (an entry animation per change kept the page
    // busy drawing frames for 400 ms, which made cross-filter updates several times slower: test/bench).
    const animation = drawn ? { animation: false } : { animationDuration: 400 };
    const instance = chart.current;
    if (instance) {
      // A new option often comes with a new height (one bar per region): set it without drawing, then draw once at
      // the new size (ECharts' resize draws a pending lazy update).
      const height = props.height ?? DEFAULT_HEIGHT;
      const resized = height !== instance.getHeight();
      drawnHeight.current = height;
      el.current!.style.height = `${height}px`;
      // Components listed here are replaced wholesale; the rest (tooltip, aria) keep their views: re-creating the
      // tooltip on every change measured the page's layout each time (ECharts reads the chart's offset).
      instance.setOption({ aria: { enabled: true }, ...animation, ...props.option }, { replaceMerge: REPLACED, lazyUpdate: resized });
      if (resized) instance.resize({ width: instance.getWidth(), height });
    }
    // The first chart is up: DuckDB-WASM may now take the CPU (duckdb.ts).
    startEngine();
  }, [props.option, stale, nearView]);

  return (
    <div
      ref={el}
      className={props.onClick ? 'chart chart-clickable' : 'chart'}
      style={{ height: drawnHeight.current }}
      role="img"
      aria-label={props.label}
    />
  );
}
