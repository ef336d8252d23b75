/**
 * A region × category heat table drawn as HTML: one row per region, one column per category, each cell shaded by its
 * count on the dashboard's blue scale and labelled with it; a cell selects itself on a click or Enter. A filter change
 * redraws ~300 cells in a few milliseconds where the ECharts heatmap took 30–50 ms of main thread (test/bench).
 * Exports still draw the ECharts heatmap (export/chart-specs.ts).
 */
import { HEAT_COLORS } from './theme.ts';

/** The colour of `t` (0–1) on the scale. */
export function heatColor(t: number): string {
  const x = Math.max(0, Math.min(1, t)) * (HEAT_COLORS.length - 1);
  const i = Math.min(HEAT_COLORS.length - 2, Math.floor(x));
  const [a, b] = [HEAT_COLORS[i]!, HEAT_COLORS[i + 1]!].map((c) => [1, 3, 5].map((k) => parseInt(c.slice(k, k + 2), 16)));
  const mix = a!.map((v, k) => Math.round(v + (b![k]! - v) * (x - i)));
  return `rgb(${mix.join(', ')})`;
}

/** One axis entry. */
export interface HeatAxis {
  key: string;
  label: string;
}

/** The table; `value(row, column)` is a cell's count (undefined: no cell). */
export function HeatTable(props: {
  rows: HeatAxis[];
  columns: HeatAxis[];
  value: (row: string, column: string) => number | undefined;
  label: string;
  selected?: { row: string; column: string } | null;
  onPick?: (row: string, column: string) => void;
}) {
  let max = 1;
  for (const r of props.rows) for (const c of props.columns) max = Math.max(max, props.value(r.key, c.key) ?? 0);
  // Cells are plain text in focusable cells with one handler for the table: a button per cell made the table's
  // layout several times slower (a filter change re-lays ~300 of them: test/bench).
  const pick = (target: EventTarget) => {
    const cell = (target as HTMLElement).closest<HTMLElement>('td[data-row]');
    if (cell && props.onPick) props.onPick(props.rows[Number(cell.dataset.row)]!.key, props.columns[Number(cell.dataset.col)]!.key);
  };
  return (
    <div className="chart heat-wrap">
      <table className={props.onPick ? 'heat-table heat-pickable' : 'heat-table'} aria-label={props.label}
        onClick={(e) => pick(e.target)}
        onKeyDown={(e) => {
          if (e.key !== 'Enter' && e.key !== ' ') return;
          e.preventDefault();
          pick(e.target);
        }}>
        <thead>
          <tr>
            <th aria-hidden />
            {props.columns.map((c) => <th key={c.key} scope="col">{c.label}</th>)}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r, i) => (
            // By position: a filter change rewrites the rows in place instead of replacing them.
            <tr key={i}>
              <th scope="row">{r.label}</th>
              {props.columns.map((c, j) => {
                const v = props.value(r.key, c.key);
                if (v == null) return <td key={c.key} className="heat-none" />;
                const t = v / max;
                const picked = props.selected?.row === r.key && props.selected.column === c.key;
                return (
                  <td key={c.key} data-row={i} data-col={j} tabIndex={props.onPick ? 0 : undefined}
                    role={props.onPick ? 'button' : undefined} aria-pressed={props.onPick ? picked : undefined}
                    className={picked ? 'heat-cell heat-selected' : 'heat-cell'}
                    title={`${r.label} · ${c.label}：${v}`}
                    style={{ background: heatColor(t), color: t > 0.55 ? '#fff' : '#2b3445' }}>
                    {v}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="heat-legend" aria-hidden>
        <span>0</span>
        <span className="heat-gradient" style={{ background: `linear-gradient(90deg, ${HEAT_COLORS.join(', ')})` }} />
        <span>{max}</span>
      </div>
    </div>
  );
}
