/** View 3 · 常见问题: category frequency, region × category heatmap, and the sentences behind a selection. */
import { useEffect, useMemo } from 'react';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { AppLink, openReport } from '../../AppLink.tsx';
import { BarList, niceMax, type Bar } from '../../charts/BarList.tsx';
import { HeatTable } from '../../charts/HeatTable.tsx';
import { PALETTE } from '../../charts/theme.ts';
import { QueryState } from '../../charts/QueryState.tsx';
import { ChartCard } from '../../charts/ChartCard.tsx';
import type { Column } from '../../charts/DataTable.tsx';
import { duckdbOptions, useManifest } from '../../db/dataset.ts';
import { preloadTables } from '../../db/duckdb.ts';
import { issueHeatmapQuery } from '../view-queries.ts';
import { regionLevel, UNKNOWN_REGION_KEY } from '../../db/sql.ts';
import type { Filters } from '../../filters/filters.ts';
import { formatCount, NONE } from '../../format.ts';
import { useT } from '../../i18n.ts';
import { categoryName } from '../../taxonomy.ts';
import { navigate } from '../../url-state.ts';
import { heatmapAxes } from './issues-chart.ts';
import {
  frequencyFromCells, issueSentencesSql, SENTENCE_LIMIT,
  type IssueCellRow, type IssueFrequencyRow, type IssueSentenceRow,
} from './issues-sql.ts';

/** The heatmap/bar selection: a category, optionally narrowed to one region (null = unknown region). */
export interface IssueSelection {
  category: string | null;
  region?: string | null;
}

/** Reads the selection from the URL (`category`, `region`; an empty `region` means the unknown region). */
export function readIssueSelection(search: URLSearchParams): IssueSelection {
  const category = search.get('category') || null;
  if (!search.has('region')) return { category };
  return { category, region: search.get('region') || null };
}

function select(next: IssueSelection | null): void {
  navigate((s) => {
    if (next?.category) s.set('category', next.category);
    else s.delete('category');
    if (next && next.region !== undefined) s.set('region', next.region ?? '');
    else s.delete('region');
  });
}

/** The common-issues view. */
export function Issues({ filters, selection }: { filters: Filters; selection: IssueSelection }) {
  const { t, lang } = useT();
  const manifest = useManifest();
  const name = (code: string) => categoryName(code, lang);
  const regionLabel = (r: string | null) => r ?? t('unknownRegion');
  const level = regionLevel(filters);

  const heat = useQuery(issueHeatmapQuery(filters, manifest.data));
  // The heatmap reads the issue sums; the issues themselves (a county's heatmap, the sentences) load once it is drawn.
  const drawn = heat.data != null;
  useEffect(() => { if (manifest.data && drawn) void preloadTables(manifest.data, ['issues']); }, [manifest.data, drawn]);
  // The frequencies are the heatmap's cells summed per category: one query per change, not two.
  const freqRows = useMemo(() => (heat.data ? frequencyFromCells(heat.data) : undefined), [heat.data]);
  const freq = { ...heat, data: freqRows } as UseQueryResult<IssueFrequencyRow[]>;
  const hasSelection = selection.category != null || selection.region !== undefined;
  const sentBuilt = useMemo(() => issueSentencesSql(filters, selection), [filters, selection]);
  const sentences = useQuery({
    ...duckdbOptions<IssueSentenceRow>('issue-sentences', sentBuilt, manifest.data),
    enabled: manifest.data != null && hasSelection,
  });

  const heatCells = useMemo(() => {
    const cells = heat.data ?? [];
    const { categories, regions } = heatmapAxes(cells);
    const counts = new Map(cells.map((c) => [`${c.region ?? UNKNOWN_REGION_KEY}\u0001${c.category}`, c.occurrences]));
    return { categories, regions, counts };
  }, [heat.data]);

  const onBarPick = (code: string) => select(selection.category === code && selection.region === undefined ? null : { category: code });
  const frequencyBars = (rows: IssueFrequencyRow[]): Bar[] => rows.map((r) => ({
    key: r.category,
    label: name(r.category),
    value: r.occurrences,
    text: formatCount(r.occurrences),
    color: PALETTE[0]!,
    dim: selection.category != null && selection.category !== r.category,
  }));
  const onCellPick = (region: string, category: string) =>
    select({ category, region: region === UNKNOWN_REGION_KEY ? null : region });

  const freqColumns: Column<IssueFrequencyRow>[] = [
    {
      key: 'category', label: t('category'), render: (r) => (
        <button type="button" className="link-button" onClick={() => select({ category: r.category })}>{name(r.category)}</button>
      ),
    },
    { key: 'occurrences', label: t('occurrences'), numeric: true, render: (r) => formatCount(r.occurrences) },
    { key: 'reports', label: t('reportsWithIssue'), numeric: true, render: (r) => formatCount(r.reports) },
  ];
  const heatColumns: Column<IssueCellRow>[] = [
    { key: 'region', label: t(`level_${level}`), render: (r) => regionLabel(r.region) },
    { key: 'category', label: t('category'), render: (r) => name(r.category) },
    {
      key: 'occurrences', label: t('occurrences'), numeric: true, render: (r) => (
        <button type="button" className="link-button" onClick={() => select({ category: r.category, region: r.region })}>
          {formatCount(r.occurrences)}
        </button>
      ),
    },
  ];

  return (
    <div className="view view-issues">
      <div className="grid-2">
        <ChartCard id="issue-frequency" title={t('issueFrequency')} query={freq} columns={freqColumns}
          exportAs={{ chart: 'issue-frequency', filters, options: {} }}>
          {(rows) => <BarList bars={frequencyBars(rows)} max={niceMax(Math.max(0, ...rows.map((r) => r.occurrences)))}
            label={t('issueFrequency')} onPick={onBarPick} pickTitle={t('issueSentences')} />}
        </ChartCard>
        <ChartCard id="issue-heatmap" title={`${t('issueHeatmap')}（${t(`level_${level}`)}）`} query={heat} columns={heatColumns}
          exportAs={{ chart: 'issue-heatmap', filters, options: {} }}>
          {() => (
            <HeatTable label={t('issueHeatmap')}
              rows={heatCells.regions.map((r) => ({ key: r ?? UNKNOWN_REGION_KEY, label: regionLabel(r) }))}
              columns={heatCells.categories.map((c) => ({ key: c, label: name(c) }))}
              value={(region, category) => heatCells.counts.get(`${region}\u0001${category}`)}
              selected={selection.category && selection.region !== undefined
                ? { row: selection.region ?? UNKNOWN_REGION_KEY, column: selection.category } : null}
              onPick={onCellPick} />
          )}
        </ChartCard>
      </div>
      <section className="card" data-testid="issue-sentences" aria-live="polite">
        <header className="card-head">
          <div>
            <h2 className="card-title">{t('issueSentences')}</h2>
            <p className="card-subtitle">
              {hasSelection
                ? [selection.category ? name(selection.category) : null,
                   selection.region !== undefined ? regionLabel(selection.region) : null].filter(Boolean).join(' · ')
                : t('issueSentencesHint')}
            </p>
          </div>
          {hasSelection ? (
            <div className="card-actions">
              <button type="button" className="btn btn-small btn-ghost" onClick={() => select(null)}>{t('clearSelection')}</button>
            </div>
          ) : null}
        </header>
        <div className="card-body">
          {!hasSelection ? <div className="state state-empty state-compact">{t('issueSentencesHint')}</div>
            : <QueryState query={sentences} isEmpty={(d) => d.length === 0}>{(data) => (
              <ol className="sentence-list">
                {data.map((s) => (
                  <li key={`${s.report_id}-${s.idx}`}>
                    <p className="sentence-text">{s.text}</p>
                    <p className="sentence-meta">
                      <span className="tag">{name(s.category)}</span>
                      {[s.department ?? s.title, [s.province, s.city, s.county].filter(Boolean).join(''), s.year ?? NONE]
                        .filter(Boolean).join(' · ')}
                      {' '}
                      <AppLink update={openReport(s.report_id, `issue:${s.idx}`)} className="link">{t('openReport')} ›</AppLink>
                    </p>
                  </li>
                ))}
                {data.length >= SENTENCE_LIMIT ? <li className="hint">…</li> : null}
              </ol>
            )}</QueryState>}
        </div>
      </section>
    </div>
  );
}
