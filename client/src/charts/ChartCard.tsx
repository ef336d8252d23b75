/** A white card around one chart: title, loading / empty / error states, and a toggle to its data table. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { startEngine } from '../db/duckdb.ts';
import type { ReviewCoverageRow } from '../db/review-coverage-sql.ts';
import type { ExportTarget } from '../export/chart-specs.ts';
import { useT } from '../i18n.ts';
import { DataTable, type Column } from './DataTable.tsx';
import { ExportMenu } from './ExportMenu.tsx';
import { ReviewBadge } from './ReviewBadge.tsx';

/** Shows the state of `query`, then `children(rows)` or the rows as a table. */
export function ChartCard<R extends Record<string, unknown>>(props: {
  id: string;
  title: string;
  subtitle?: ReactNode;
  query: UseQueryResult<R[]>;
  columns: Column<R>[];
  /** Rows with nothing to plot count as empty (e.g. every value null). */
  isEmpty?: (rows: R[]) => boolean;
  actions?: ReactNode;
  /** What the export menu exports (the chart with its filters and options); no menu when absent. */
  exportAs?: ExportTarget;
  /** The review badge's figures when the card's rows give them (null while they load; absent: the badge queries them). */
  coverage?: ReviewCoverageRow | null;
  children: (rows: R[]) => ReactNode;
  className?: string;
}) {
  const { t } = useT();
  const [table, setTable] = useState(false);
  const bodyRef = useRef<HTMLDivElement>(null);
  const { query } = props;
  const rows = query.data;
  const empty = rows ? (props.isEmpty ? props.isEmpty(rows) : rows.length === 0) : false;
  // The first charts are up (from first-view.json): DuckDB-WASM may now take the CPU (duckdb.ts).
  useEffect(() => { if (rows) startEngine(); }, [rows != null]);

  let body: ReactNode;
  if (query.isPending) body = <div className="state state-loading" role="status"><span className="spinner" aria-hidden />{t('loading')}</div>;
  else if (query.isError) {
    body = (
      <div className="state state-error" role="alert">
        <strong>{t('error')}</strong>
        <span className="state-detail">{String(query.error?.message ?? '')}</span>
        <button type="button" className="btn btn-small" onClick={() => void query.refetch()}>{t('retry')}</button>
      </div>
    );
  } else if (empty || !rows) body = <div className="state state-empty">{t('empty')}</div>;
  else if (table) body = <DataTable rows={rows} columns={props.columns} caption={props.title} />;
  else body = props.children(rows);

  return (
    <section className={`card ${props.className ?? ''}`} data-testid={props.id} aria-busy={query.isFetching}>
      <header className="card-head">
        <div>
          <h2 className="card-title">{props.title}</h2>
          {props.subtitle ? <p className="card-subtitle">{props.subtitle}</p> : null}
          {props.exportAs ? <ReviewBadge filters={props.exportAs.filters} coverage={props.coverage} /> : null}
        </div>
        <div className="card-actions">
          {props.actions}
          {props.exportAs ? (
            <ExportMenu target={props.exportAs} disabled={!rows || empty} chartSize={() => {
              // Pictures are drawn at the size the chart has on screen; in table mode at its natural size.
              const chart = bodyRef.current?.querySelector<HTMLElement>('.chart');
              return chart && chart.clientWidth > 0 ? { width: chart.clientWidth, height: chart.clientHeight } : undefined;
            }} />
          ) : null}
          <button
            type="button"
            className="btn btn-small btn-ghost"
            aria-pressed={table}
            disabled={!rows || empty}
            onClick={() => setTable((v) => !v)}
          >
            {table ? t('showChart') : t('showTable')}
          </button>
        </div>
      </header>
      <div className="card-body" ref={bodyRef}>{body}</div>
    </section>
  );
}
