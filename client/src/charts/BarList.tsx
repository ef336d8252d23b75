/**
 * Horizontal bars drawn as HTML (the regional rankings, the issue frequencies): one row per item with its label, a bar
 * coloured by warning band and its value; threshold marks dashed across the bars; a row is a button. A filter change
 * redraws ~30 rows of HTML in a few milliseconds where an ECharts bar chart took 15–25 ms of main thread (test/bench).
 * The threshold marks are drawn once for the list, over the bars' column, not once per row: a row is six elements
 * instead of eight, and a filter change sets a row's text and width only (a level change rewrote 60 marks: test/bench).
 * Exports still draw the ECharts version of the same figures (export/chart-specs.ts).
 */
import type { CSSProperties } from 'react';
/** One bar. */
export interface Bar {
  key: string;
  /** What the row is called, e.g. "1. 河北省". */
  label: string;
  value: number;
  /** The value as shown at the bar's end. */
  text: string;
  color: string;
  /** Shown faded (another item is selected). */
  dim?: boolean;
}

/** The list; `max` is the value a full-width bar stands for; `marks` are dashed threshold lines. */
export function BarList(props: {
  bars: Bar[];
  max: number;
  label: string;
  marks?: { value: number; color: string }[];
  onPick?: (key: string) => void;
  pickTitle?: string;
}) {
  const pct = (v: number) => `${Math.max(0, Math.min(100, (v / props.max) * 100))}%`;
  // One label column for every row, as wide as the longest label (CJK characters 1 em, others ~0.6 em; 12 px text).
  const ems = Math.max(0, ...props.bars.map((b) => [...b.label].reduce((n, c) => n + (c.charCodeAt(0) > 0x2e80 ? 1 : 0.6), 0)));
  const labelWidth = `${Math.ceil(Math.min(18, Math.max(5, ems)) * 12) + 4}px`;
  return (
    <ol className="chart bar-list" aria-label={props.label} style={{ '--bar-label': labelWidth } as CSSProperties}>
      {/* Rows by position: a filter change rewrites their text and widths in place instead of replacing them. */}
      {props.bars.map((b, i) => (
        <li key={i} className={b.dim ? 'bar-row bar-dim' : 'bar-row'}>
          <button type="button" className="bar-button" title={`${b.label}：${b.text}${props.pickTitle ? ` · ${props.pickTitle}` : ''}`}
            disabled={!props.onPick} onClick={() => props.onPick?.(b.key)}>
            <span className="bar-label">{b.label}</span>
            <span className="bar-track">
              <span className="bar-fill" style={{ width: pct(b.value), background: b.color }} />
            </span>
            <span className="bar-value">{b.text}</span>
          </button>
        </li>
      ))}
      {props.marks?.length && props.bars.length ? (
        <li className="bar-marks" aria-hidden>
          {props.marks.map((m, j) => <span key={j} className="bar-mark" style={{ left: pct(m.value), borderColor: m.color }} />)}
        </li>
      ) : null}
      <li className="bar-axis" aria-hidden>
        <span className="bar-label" />
        <span className="bar-track bar-ticks">
          {ticks(props.max).map((v) => <span key={v} style={{ left: pct(v) }}>{Number(v.toFixed(1))}</span>)}
        </span>
        <span className="bar-value" />
      </li>
    </ol>
  );
}

/** A round value at or above `v` for a full-length bar: 1, 2, 2.5 or 5 times a power of ten. */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v)!;
}

/** Axis ticks from 0 to `max` in a round step (1, 2 or 5 times a power of ten), at most six. */
export function ticks(max: number): number[] {
  if (!(max > 0)) return [0];
  const p = 10 ** Math.floor(Math.log10(max / 5));
  const step = [1, 2, 5, 10].map((m) => m * p).find((m) => m >= max / 5)!;
  const out: number[] = [];
  for (let i = 0; i * step <= max * (1 + 1e-9); i++) out.push(Number((i * step).toPrecision(12)));
  return out;
}
