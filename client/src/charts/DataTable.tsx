/** A plain, accessible table of rows: the data-table fallback of every chart. */
import { useState, type ReactNode } from 'react';
import { useT } from '../i18n.ts';

/** One column: the row field, its header and how to render it. */
export interface Column<R> {
  key: string;
  label: string;
  render?: (row: R) => ReactNode;
  numeric?: boolean;
}

/**
 * Renders `rows` under `columns`; with `pageSize`, that many rows at first and a button for more (a table of 1,000
 * rows took ~80 ms of layout on every filter change: test/bench).
 */
export function DataTable<R extends Record<string, unknown>>(props: { rows: R[]; columns: Column<R>[]; caption?: string; pageSize?: number }) {
  const { t } = useT();
  // Back to one page when the rows change (new filters).
  const [shown, setShown] = useState({ rows: props.rows, count: props.pageSize ?? Infinity });
  const count = shown.rows === props.rows ? shown.count : props.pageSize ?? Infinity;
  const rows = count < props.rows.length ? props.rows.slice(0, count) : props.rows;
  return (
    <div className="table-wrap">
      <table className="data-table">
        {props.caption ? <caption>{props.caption}</caption> : null}
        <thead>
          <tr>{props.columns.map((c) => <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined}>{c.label}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {props.columns.map((c) => (
                <td key={c.key} className={c.numeric ? 'num' : undefined}>
                  {c.render ? c.render(row) : String(row[c.key] ?? '—')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length < props.rows.length ? (
        <button type="button" className="btn btn-small btn-ghost table-more"
          onClick={() => setShown({ rows: props.rows, count: count + (props.pageSize ?? props.rows.length) })}>
          {t('showMoreRows', { x: rows.length, y: props.rows.length })}
        </button>
      ) : null}
    </div>
  );
}
