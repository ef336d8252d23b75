/** View 4 · 低执行率项目: every project under a threshold, sorted in SQL, virtualised so 100,000+ rows stay smooth. */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { openReport } from '../../AppLink.tsx';
import { bandOf, type Thresholds } from '../../charts/bands.ts';
import { ExportMenu } from '../../charts/ExportMenu.tsx';
import { useManifest } from '../../db/dataset.ts';
import { query } from '../../db/duckdb.ts';
import { LOW_EXEC_PAGE, lowExecCountQuery, lowExecPageQuery } from '../view-queries.ts';
import type { Filters } from '../../filters/filters.ts';
import { formatCount, formatPct, formatScore, formatWan, NONE } from '../../format.ts';
import { useT, type MessageKey } from '../../i18n.ts';
import { navigate } from '../../url-state.ts';
import { reportIdSql, type LowExecRow, type Sort, type SortKey } from './low-execution-sql.ts';

const ROW_HEIGHT = 44;

const COLUMNS: { key: SortKey; label: MessageKey; numeric?: boolean }[] = [
  { key: 'name', label: 'project' },
  { key: 'department', label: 'department' },
  { key: 'year', label: 'year', numeric: true },
  { key: 'budget_wan', label: 'budgetWan', numeric: true },
  { key: 'spent_wan', label: 'spentWan', numeric: true },
  { key: 'execution_rate_pct', label: 'rate', numeric: true },
  { key: 'score', label: 'score', numeric: true },
  { key: 'mismatch', label: 'mismatch' },
];

function setSort(sort: Sort): void {
  navigate((s) => {
    s.set('sort', sort.key);
    s.set('dir', sort.dir);
  }, { replace: true });
}

/** The low-execution view: threshold slider and the virtual, SQL-sorted table. */
export function LowExecution(props: { filters: Filters; threshold: number; sort: Sort; bands: Thresholds }) {
  const { filters, sort } = props;
  const { t } = useT();
  const manifest = useManifest();
  // The slider moves freely; the URL (and so the queries) follow once it rests.
  const [draft, setDraft] = useState(props.threshold);
  useEffect(() => setDraft(props.threshold), [props.threshold]);
  useEffect(() => {
    if (draft === props.threshold) return;
    const id = setTimeout(() => navigate((s) => s.set('threshold', String(draft)), { replace: true }), 150);
    return () => clearTimeout(id);
  }, [draft, props.threshold]);
  const threshold = props.threshold;

  const count = useQuery(lowExecCountQuery(filters, threshold, manifest.data));
  const total = count.data?.[0]?.n ?? 0;

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  // Rows are fetched a page of LOW_EXEC_PAGE at a time; only the pages in view are queried.
  const pages = [...new Set(items.map((i) => Math.floor(i.index / LOW_EXEC_PAGE)))];
  const results = useQueries({
    queries: pages.map((page) => lowExecPageQuery(filters, threshold, sort, page, manifest.data)),
  });
  const rowAt = (index: number): LowExecRow | undefined => {
    const p = pages.indexOf(Math.floor(index / LOW_EXEC_PAGE));
    return p < 0 ? undefined : results[p]?.data?.[index % LOW_EXEC_PAGE];
  };

  // New rows start at the top; a table at the top is left alone (scrollTo lays out the whole page first: 10–30 ms of a
  // filter change at 100,000 reports, test/bench).
  const scrolled = useRef(false);
  useEffect(() => {
    if (scrolled.current) scroller.current?.scrollTo({ top: 0 });
  }, [filters, threshold, sort]);

  // The rows carry their report's row key; its id is looked up when one is opened (low-execution-sql.ts).
  const [openError, setOpenError] = useState<string | null>(null);
  const open = (row: LowExecRow) => {
    setOpenError(null);
    const { sql, params } = reportIdSql(row.rk);
    query<{ report_id: string }>(sql, params, 'low-exec-open').then(([hit]) => {
      if (hit) navigate(openReport(hit.report_id, `project:${row.idx}`));
      else setOpenError(t('reportNotFound'));
    }, (e: Error) => setOpenError(e.message));
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>, index: number, row?: LowExecRow) => {
    if (e.key === 'Enter' && row) open(row);
    else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = Math.min(total - 1, Math.max(0, index + (e.key === 'ArrowDown' ? 1 : -1)));
      virtualizer.scrollToIndex(next);
      const row = () => scroller.current?.querySelector<HTMLElement>(`[data-index="${next}"]`);
      // Neighbours are rendered already (overscan), so focus moves at once and fast key repeats keep up.
      const el = row();
      if (el) el.focus();
      else requestAnimationFrame(() => row()?.focus());
    }
  };

  const error = count.error ?? results.find((r) => r.error)?.error;

  return (
    <div className="view view-low-exec">
      <section className="card" data-testid="low-exec">
        <header className="card-head">
          <div>
            <h2 className="card-title">{t('viewLowExec')}</h2>
            <p className="card-subtitle" data-testid="low-exec-count" data-count={count.data ? total : ''}>
              {count.data ? t('projectsBelow', { n: formatCount(total), t: threshold }) : t('loading')}
            </p>
          </div>
          <div className="card-actions threshold-control">
            <label htmlFor="threshold">{t('threshold')}</label>
            <input id="threshold" type="range" min={0} max={100} step={1} value={draft}
              onChange={(e) => setDraft(Number(e.target.value))} aria-valuetext={`${draft}%`} />
            <output htmlFor="threshold" className="threshold-value">{draft}%</output>
            <ExportMenu target={{ chart: 'low-exec', filters, options: { threshold, sort } }} disabled={!count.data || total === 0} />
          </div>
        </header>
        <div className="card-body">
          {openError ? <div className="state state-error" role="alert">{t('error')}: {openError}</div> : null}
          {error ? <div className="state state-error" role="alert">{t('error')}: {error.message}</div>
            : count.isPending ? <div className="state state-loading" role="status"><span className="spinner" aria-hidden />{t('loading')}</div>
            : total === 0 ? <div className="state state-empty">{t('empty')}</div>
            : (
              <div className="vtable" role="table" aria-label={t('viewLowExec')} aria-rowcount={total + 1}>
                <div className="vtable-row vtable-head" role="row" aria-rowindex={1}>
                  {COLUMNS.map((c) => {
                    const active = sort.key === c.key;
                    return (
                      <div key={c.key} role="columnheader" className={c.numeric ? 'num' : undefined}
                        aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                        <button type="button" className="sort-button"
                          title={t('sortBy', { col: t(c.label) })}
                          onClick={() => setSort({ key: c.key, dir: active && sort.dir === 'asc' ? 'desc' : 'asc' })}>
                          {t(c.label)}
                          <span aria-hidden className="sort-mark">{active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}</span>
                        </button>
                      </div>
                    );
                  })}
                </div>
                <div ref={scroller} className="vtable-scroll" role="rowgroup" style={{ height: Math.min(560, total * ROW_HEIGHT + 2) }}
                  onScroll={(e) => { scrolled.current = e.currentTarget.scrollTop > 0; }}>
                  <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                    {items.map((item) => {
                      const row = rowAt(item.index);
                      return (
                        <div
                          key={item.key}
                          data-index={item.index}
                          role="row"
                          aria-rowindex={item.index + 2}
                          tabIndex={0}
                          className={`vtable-row${row ? '' : ' vtable-loading'}`}
                          style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                          onClick={() => row && open(row)}
                          onKeyDown={(e) => onKey(e, item.index, row)}
                        >
                          {row ? <Cells row={row} bands={props.bands} /> : <div role="cell" className="vtable-placeholder">{t('loading')}</div>}
                        </div>
                      );
                    })}
                  </div>
                </div>
              </div>
            )}
        </div>
      </section>
    </div>
  );
}

function Cells({ row, bands }: { row: LowExecRow; bands: Thresholds }) {
  const { t } = useT();
  const region = [row.province, row.city, row.county].filter(Boolean).join('');
  return (
    <>
      <div role="cell" className="cell-name" title={row.name ?? ''}>{row.name ?? NONE}</div>
      <div role="cell" className="cell-dept" title={row.department ?? ''}>
        {row.department ?? NONE}{region ? <span className="cell-sub">{region}</span> : null}
      </div>
      <div role="cell" className="num">{row.year ?? NONE}</div>
      <div role="cell" className="num">{formatWan(row.budget_wan)}</div>
      <div role="cell" className="num">{formatWan(row.spent_wan)}</div>
      <div role="cell" className="num"><span className={`band band-${bandOf(row.execution_rate_pct, bands)}`}>{formatPct(row.execution_rate_pct)}</span></div>
      <div role="cell" className="num">{formatScore(row.score)}</div>
      <div role="cell">{row.mismatch ? <span className="tag tag-warn">{t('mismatchYes')}</span> : ''}</div>
    </>
  );
}
