/** A plain, accessible table of rows: the data-table fallback of every chart. */
import type { ReactNode } from 'react';

/** One column: the row field, its header and how to render it. */
export interface Column<R> {
  key: string;
  label: string;
  render?: (row: R) => ReactNode;
  numeric?: boolean;
}

/** Renders `rows` under `columns`. */
export function DataTable<R extends Record<string, unknown>>(props: { rows: R[]; columns: Column<R>[]; caption?: string }) {
  const { rows } = props;
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
    </div>
  );
}
