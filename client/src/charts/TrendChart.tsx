/**
 * A chart over years drawn as SVG by React: bars and lines on one or two value axes, selected years shaded, a legend
 * that hides and shows series, a tooltip with every series' value for the year under the pointer, and lines that are
 * buttons (the regional trend drills into a region). A filter change redraws ~150 SVG elements in 1–2 ms where the
 * ECharts line chart took 15–25 ms of main thread and then animated for 300 ms (test/bench); exports still draw the
 * ECharts version of the same figures (export/chart-specs.ts).
 */
import { useLayoutEffect, useRef, useState } from 'react';
import { AXIS_COLOR, TEXT_COLOR } from './theme.ts';

/** One series: a value per category (null: none). */
export interface TrendSeries {
  key: string;
  name: string;
  type: 'bar' | 'line';
  /** The value axis it is read on (0: left, 1: right). */
  axis?: 0 | 1;
  color: string;
  values: (number | null)[];
  /** A value as the tooltip shows it. */
  format: (v: number | null) => string;
  /** Drawn thicker (the selected region). */
  strong?: boolean;
  /** Drawn faded (another series is selected). */
  dim?: boolean;
}

/** A value axis: its name and range (from 0 to a round value above the data unless given). */
export interface TrendAxis {
  name?: string;
  min?: number;
  max?: number;
  format?: (v: number) => string;
}

/** Space for the category labels below the plot, px. */
const BOTTOM = 26;
/** Space above the plot (axis names), px. */
const TOP = 26;
const GRID = '#e6e9ef';

/**
 * Axis marks from `min` to a round value at or above `top`: about five steps of 1, 2 or 5 times a power of ten (the
 * step nearest a fifth of the range, as ECharts picks it).
 */
export function axisMarks(min: number, top: number): number[] {
  const range = top - min;
  if (!(range > 0)) return [min, min + 1];
  const rough = range / 5;
  const p = 10 ** Math.floor(Math.log10(rough));
  const f = rough / p;
  const step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
  // From a step at or below the minimum (a negative total starts the axis below 0 on a round value).
  const start = Math.floor(min / step + 1e-9) * step;
  const out: number[] = [];
  for (let i = 0; out.length === 0 || out[out.length - 1]! < top - step * 1e-9; i++) out.push(Number((start + i * step).toPrecision(12)));
  return out;
}

/** Rough width of `text` at 11 px (CJK characters 1 em, others ~0.6 em). */
function textWidth(text: string): number {
  return [...text].reduce((n, c) => n + (c.charCodeAt(0) > 0x2e80 ? 11 : 6.6), 0);
}

/** The chart; `height` includes a one-line legend. */
export function TrendChart(props: {
  categories: string[];
  series: TrendSeries[];
  axes: TrendAxis[];
  height: number;
  label: string;
  /** Categories drawn on a shaded band (the selected years). */
  shaded?: string[];
  /** Clicking a line (or its points) picks its series. */
  onPick?: (key: string) => void;
  pickTitle?: string;
}) {
  const wrap = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [hovered, setHover] = useState<number | null>(null);

  useLayoutEffect(() => {
    const el = wrap.current!;
    setWidth(el.clientWidth);
    const resize = new ResizeObserver(([entry]) => setWidth(Math.round(entry!.contentRect.width)));
    resize.observe(el);
    return () => resize.disconnect();
  }, []);

  const shown = props.series.filter((s) => !hidden.has(s.key));
  const scales = props.axes.map((axis, i) => {
    const values = shown.filter((s) => (s.axis ?? 0) === i).flatMap((s) => s.values).filter((v): v is number => v != null);
    const marks = axisMarks(axis.min ?? Math.min(0, ...values), axis.max ?? Math.max(axis.min ?? 0, ...values));
    const [min, max] = [marks[0]!, marks[marks.length - 1]!];
    const format = axis.format ?? ((v: number) => String(v));
    return { axis, min, max, marks, format, labelWidth: Math.max(...marks.map((m) => textWidth(format(m)))) };
  });
  // The legend takes one line (more when many series wrap it).
  const height = props.height - 28;
  const left = Math.ceil((scales[0]?.labelWidth ?? 0) + 12);
  const right = scales[1] ? Math.ceil(scales[1].labelWidth + 12) : 16;
  const plotW = Math.max(0, width - left - right);
  const plotH = Math.max(0, height - TOP - BOTTOM);
  const n = props.categories.length;
  // A year under the pointer that the new rows no longer have shows nothing.
  const hover = hovered != null && hovered < n ? hovered : null;
  const band = n ? plotW / n : 0;
  const x = (i: number) => left + band * (i + 0.5);
  const y = (v: number, axis = 0) => {
    const s = scales[axis]!;
    return TOP + plotH - ((Math.min(s.max, Math.max(s.min, v)) - s.min) / (s.max - s.min)) * plotH;
  };
  const bars = shown.filter((s) => s.type === 'bar');
  const barW = Math.min(36, band * 0.6) / Math.max(1, bars.length);

  const pointsOf = (s: TrendSeries) => s.values.flatMap((v, i) => (v == null ? [] : [[x(i), y(v, s.axis ?? 0)] as const]));
  const pathOf = (s: TrendSeries) => pointsOf(s).map(([px, py], i) => `${i ? 'L' : 'M'}${px.toFixed(1)},${py.toFixed(1)}`).join('');

  const tip = hover != null && width > 0 ? (
    <div className="trend-tooltip" role="presentation"
      style={{ left: x(hover) < width / 2 ? x(hover) + 12 : undefined, right: x(hover) >= width / 2 ? width - x(hover) + 12 : undefined, top: TOP }}>
      <strong>{props.categories[hover]}</strong>
      {shown.map((s) => (
        <span key={s.key} className="trend-tooltip-row">
          <span className="swatch" style={{ background: s.color }} aria-hidden />{s.name}<b>{s.format(s.values[hover] ?? null)}</b>
        </span>
      ))}
    </div>
  ) : null;

  return (
    <div className="chart trend-chart">
      <div className="trend-legend">
        {props.series.map((s) => (
          <button key={s.key} type="button" className={`trend-key${s.dim ? ' trend-key-dim' : ''}`} aria-pressed={!hidden.has(s.key)}
            onClick={() => setHidden((h) => {
              const next = new Set(h);
              if (!next.delete(s.key)) next.add(s.key);
              return next;
            })}>
            <span className={s.type === 'bar' ? 'trend-swatch-bar' : 'trend-swatch-line'} style={{ borderColor: s.color, background: s.type === 'bar' ? s.color : undefined }} aria-hidden />
            {s.name}
          </button>
        ))}
      </div>
      <div className="trend-plot" ref={wrap} style={{ height }}>
        {width > 0 ? (
          <svg width={width} height={height} role="img" aria-label={props.label} onPointerLeave={() => setHover(null)}>
            {(props.shaded ?? []).map((c) => {
              const i = props.categories.indexOf(c);
              return i < 0 ? null : <rect key={`shade-${c}`} x={left + band * i} y={TOP} width={band} height={plotH} fill="rgba(31,78,121,0.06)" />;
            })}
            {scales.map((s, a) => (
              <g key={`axis-${a}`} className="trend-axis" fill={AXIS_COLOR} fontSize={11} textAnchor={a === 0 ? 'end' : 'start'}>
                {s.axis.name ? <text x={a === 0 ? 2 : width - 2} y={12} textAnchor={a === 0 ? 'start' : 'end'} fill={TEXT_COLOR}>{s.axis.name}</text> : null}
                {s.marks.map((m) => (
                  <g key={m}>
                    {a === 0 ? <line x1={left} x2={width - right} y1={y(m, a)} y2={y(m, a)} stroke={GRID} /> : null}
                    <text x={a === 0 ? left - 8 : width - right + 8} y={y(m, a) + 4}>{s.format(m)}</text>
                  </g>
                ))}
              </g>
            ))}
            <line x1={left} x2={width - right} y1={TOP + plotH} y2={TOP + plotH} stroke={AXIS_COLOR} />
            <g fontSize={12} fill={TEXT_COLOR} textAnchor="middle">
              {props.categories.map((c, i) => <text key={c} x={x(i)} y={TOP + plotH + 18}>{c}</text>)}
            </g>
            {bars.map((s, k) => (
              <g key={s.key} fill={s.color} opacity={s.dim ? 0.35 : 1}>
                {s.values.map((v, i) => (v == null ? null : (
                  <rect key={i} x={x(i) - (barW * bars.length) / 2 + k * barW} width={barW}
                    y={Math.min(y(v, s.axis ?? 0), y(0, s.axis ?? 0))} height={Math.abs(y(0, s.axis ?? 0) - y(v, s.axis ?? 0))} />
                )))}
              </g>
            ))}
            {hover != null ? <line x1={x(hover)} x2={x(hover)} y1={TOP} y2={TOP + plotH} stroke={AXIS_COLOR} strokeDasharray="3 3" /> : null}
            {/* Hover targets, one per year (under the lines, so that a line stays clickable). */}
            {props.categories.map((c, i) => (
              <rect key={`hit-${c}`} x={left + band * i} y={TOP} width={band} height={plotH} fill="transparent"
                onPointerEnter={() => setHover(i)} />
            ))}
            {/* Lines by position: a filter change rewrites them in place. */}
            {shown.filter((s) => s.type === 'line').map((s, k) => {
              const pick = props.onPick;
              return (
                <g key={k} className={pick ? 'trend-line trend-line-clickable' : 'trend-line'} opacity={s.dim ? 0.3 : 1}
                  onClick={pick ? () => pick(s.key) : undefined} onPointerMove={(e) => {
                    const box = e.currentTarget.ownerSVGElement!.getBoundingClientRect();
                    const i = Math.floor((e.clientX - box.left - left) / band);
                    if (i >= 0 && i < n) setHover(i);
                  }}>
                  {pick ? <title>{`${s.name}${props.pickTitle ? ` · ${props.pickTitle}` : ''}`}</title> : null}
                  <path d={pathOf(s)} fill="none" stroke="transparent" strokeWidth={12} />
                  <path d={pathOf(s)} fill="none" stroke={s.color} strokeWidth={s.strong ? 4 : 2} strokeLinejoin="round" />
                  {pointsOf(s).map(([px, py], i) => <circle key={i} cx={px} cy={py} r={3.5} fill="#fff" stroke={s.color} strokeWidth={2} />)}
                </g>
              );
            })}
          </svg>
        ) : null}
        {tip}
      </div>
    </div>
  );
}
