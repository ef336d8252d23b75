/** The dashboard shell: header, view tabs, the shared filter bar and the current view — all state in the URL. */
import { useEffect, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { AppLink } from './AppLink.tsx';
import { readBands } from './charts/bands.ts';
import { loadDataset } from './db/duckdb.ts';
import { useManifest } from './db/dataset.ts';
import { FilterBar } from './filters/FilterBar.tsx';
import { parseFilters } from './filters/filters.ts';
import { useBriefing } from './export/briefing-store.ts';
import { formatCount } from './format.ts';
import { setLang, useT, type MessageKey } from './i18n.ts';
import { holdUrlChanges, numberParam, useSearch } from './url-state.ts';
import { AuditLog, parseAuditAction } from './views/audit/AuditLog.tsx';
import { Briefing } from './views/briefing/Briefing.tsx';
import { Issues, readIssueSelection } from './views/issues/Issues.tsx';
import { LowExecution } from './views/low-execution/LowExecution.tsx';
import { parseSort } from './views/low-execution/low-execution-sql.ts';
import { Overview } from './views/overview/Overview.tsx';
import { Regional } from './views/regional/Regional.tsx';
import { ReportDetail } from './views/report/ReportDetail.tsx';
import { parseReviewState, ReviewQueue } from './views/review/ReviewQueue.tsx';
import { Upload } from './views/upload/Upload.tsx';
import { prefetchView } from './views/view-queries.ts';
import { warmUpWhenIdle } from './views/warm-up.ts';
import { queryClient } from './trpc.ts';

const VIEWS = [
  ['overview', 'viewOverview'],
  ['regional', 'viewRegional'],
  ['issues', 'viewIssues'],
  ['low-execution', 'viewLowExec'],
  ['report', 'viewReport'],
  ['review', 'viewReview'],
  ['audit', 'viewAudit'],
  ['upload', 'viewUpload'],
  ['briefing', 'viewBriefing'],
] as const satisfies readonly (readonly [string, MessageKey])[];
type View = (typeof VIEWS)[number][0];

/** The dashboard's state as the URL holds it. */
export function parseAppState(search: URLSearchParams) {
  const view = (VIEWS.find(([v]) => v === search.get('view'))?.[0] ?? 'overview') as View;
  const bands = readBands(search);
  return {
    view,
    filters: parseFilters(search),
    bands,
    threshold: numberParam(search, 'threshold', bands.exec.red),
    sort: parseSort(search.get('sort'), search.get('dir')),
    report: search.get('report'),
    focus: search.get('focus'),
    region: search.get('region'),
    issueSelection: readIssueSelection(search),
    reviewState: parseReviewState(search.get('review_state')),
    queuePage: Math.max(0, Math.floor(numberParam(search, 'queue_page', 1)) - 1),
    auditAction: parseAuditAction(search.get('audit_action')),
    auditPage: Math.max(0, Math.floor(numberParam(search, 'audit_page', 1)) - 1),
  };
}

// A URL change sends the new view's queries to DuckDB at once (views/view-queries.ts), and the views re-render when
// they have answered (url-state.ts).
holdUrlChanges((search) => prefetchView(queryClient, parseAppState(new URLSearchParams(search))));

/** The whole dashboard, driven by the URL. */
export function App() {
  const { t, lang } = useT();
  const searchString = useSearch();
  const search = useMemo(() => new URLSearchParams(searchString), [searchString]);
  // Parsed once per URL change so that query keys and memoised SQL stay stable between renders.
  const state = useMemo(() => parseAppState(search), [search]);

  const manifest = useManifest();
  const dataset = useQuery({
    queryKey: ['duckdb', 'dataset', manifest.data?.version ?? null],
    queryFn: async () => {
      await loadDataset(manifest.data!);
      return manifest.data!.version;
    },
    enabled: manifest.data != null,
    staleTime: Infinity,
  });
  // The engine's first run of the views' statements, while the user looks at the first page (views/warm-up.ts).
  useEffect(() => {
    if (dataset.data && manifest.data?.version === dataset.data) warmUpWhenIdle(manifest.data, state.threshold);
  }, [dataset.data]);
  const reportRows = manifest.data?.tables.find((x) => x.name === 'reports')?.rows;
  const briefingCount = useBriefing().length;

  return (
    <div className="app" data-dataset-version={dataset.data ?? ''} data-view={state.view}>
      {/* Moves focus without navigating to #main: a fragment navigation would add a history entry of the address bar's
          query string, which trails the app's by a frame after a change (url-state.ts). */}
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        const main = document.getElementById('main');
        main?.focus();
        main?.scrollIntoView();
      }}>{lang === 'zh' ? '跳到主要内容' : 'Skip to content'}</a>
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden>绩</span>
          <div>
            <h1>{t('appTitle')}</h1>
            <p>{t('appSubtitle')}</p>
          </div>
        </div>
        <div className="header-side">
          <span className="data-status" data-testid="data-status" role="status">
            {manifest.isError ? (
              <>{t('dataError')} <button type="button" className="btn btn-small btn-inverse" onClick={() => void manifest.refetch()}>{t('retry')}</button></>
            ) : dataset.isError ? (
              <>{t('dataError')}: {dataset.error.message}</>
            ) : dataset.isPending ? t('loadingData') : (
              <>{t('dataVersion')} <code data-testid="data-version">{dataset.data}</code>
                {reportRows != null ? <> · {formatCount(reportRows)} {t('reportsLoaded')}</> : null}</>
            )}
          </span>
          <button type="button" className="btn btn-small btn-inverse" aria-label={t('switchLangLabel')}
            lang={lang === 'zh' ? 'en' : 'zh-CN'} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {t('switchLang')}
          </button>
        </div>
      </header>
      <nav className="tabs" aria-label={lang === 'zh' ? '视图' : 'Views'}>
        {VIEWS.map(([v, label]) => (
          <AppLink key={v} className={`tab${state.view === v ? ' tab-active' : ''}`}
            current={state.view === v} update={(s) => { s.set('view', v); s.delete('focus'); }}>
            {t(label)}
            {v === 'briefing' && briefingCount > 0 ? <span className="tab-badge" data-testid="briefing-count">{briefingCount}</span> : null}
          </AppLink>
        ))}
      </nav>
      {state.view !== 'upload' && state.view !== 'briefing' && state.view !== 'audit' && !(state.view === 'report' && state.report)
        ? <FilterBar /> : null}
      <main id="main" className="main" tabIndex={-1}>
        {state.view === 'overview' ? <Overview filters={state.filters} threshold={state.threshold} />
          : state.view === 'regional' ? <Regional filters={state.filters} bands={state.bands} selected={state.region} />
          : state.view === 'issues' ? <Issues filters={state.filters} selection={state.issueSelection} />
          : state.view === 'low-execution' ? <LowExecution filters={state.filters} threshold={state.threshold} sort={state.sort} bands={state.bands.exec} />
          : state.view === 'report' ? <ReportDetail id={state.report} focus={state.focus} filters={state.filters} />
          : state.view === 'review' ? <ReviewQueue filters={state.filters} state={state.reviewState} page={state.queuePage} />
          : state.view === 'audit' ? <AuditLog action={state.auditAction} page={state.auditPage} />
          : state.view === 'briefing' ? <Briefing />
          : <Upload />}
      </main>
      <footer className="app-footer">{t('appSubtitle')}</footer>
    </div>
  );
}
