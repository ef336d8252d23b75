/** View 5 · 报告详情: source text with every extracted figure highlighted, the extracted records, flags and history. */
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../../server/router.ts';
import type { Extraction } from '../../../../server/schema.ts';
import { AppLink, openReport } from '../../AppLink.tsx';
import { ChartCard } from '../../charts/ChartCard.tsx';
import { DataTable, type Column } from '../../charts/DataTable.tsx';
import { duckdbOptions, useManifest } from '../../db/dataset.ts';
import type { Filters } from '../../filters/filters.ts';
import { formatPct, formatScore, formatWan, NONE } from '../../format.ts';
import { localizeMessage, useT, type MessageKey } from '../../i18n.ts';
import { categoryName } from '../../taxonomy.ts';
import { trpc } from '../../trpc.ts';
import { navigate } from '../../url-state.ts';
import { focusSpan, marksOf, segment, sentenceAround } from './highlight.ts';
import { reportListSql, type ReportListRow } from './report-list-sql.ts';

type ReportDetailData = NonNullable<inferRouterOutputs<AppRouter>['reports']['get']>;

/** The report view: the open report, or the list of reports to open one from. */
export function ReportDetail({ id, focus, filters }: { id: string | null; focus: string | null; filters: Filters }) {
  return id ? <ReportView id={id} focus={focus} /> : <ReportList filters={filters} />;
}

function ReportList({ filters }: { filters: Filters }) {
  const { t } = useT();
  const manifest = useManifest();
  const built = useMemo(() => reportListSql(filters), [filters]);
  const query = useQuery(duckdbOptions<ReportListRow>('report-list', filters, {}, built, manifest.data));
  const columns: Column<ReportListRow>[] = [
    {
      key: 'department', label: t('department'), render: (r) => (
        <AppLink update={openReport(r.report_id)} className="link">{r.department ?? r.title ?? r.report_id.slice(0, 12)}</AppLink>
      ),
    },
    { key: 'year', label: t('year'), numeric: true, render: (r) => (r.year == null ? NONE : String(r.year)) },
    { key: 'region', label: t('region'), render: (r) => [r.province, r.city, r.county].filter(Boolean).join(' ') || NONE },
    { key: 'kind', label: t('reportKind'), render: (r) => kindLabel(r.kind, t) },
    { key: 'budget_wan', label: t('budgetWan'), numeric: true, render: (r) => formatWan(r.budget_wan) },
    { key: 'exec_rate', label: t('rate'), numeric: true, render: (r) => formatPct(r.exec_rate) },
    { key: 'score', label: t('score'), numeric: true, render: (r) => formatScore(r.score) },
    { key: 'flag_count', label: t('flags'), numeric: true, render: (r) => (r.flag_count ? String(r.flag_count) : '') },
  ];
  return (
    <div className="view view-report">
      <p className="hint">{t('noReportSelected')}</p>
      <ChartCard id="report-list" title={t('reportList')} query={query} columns={columns}>
        {(rows) => <DataTable rows={rows} columns={columns} />}
      </ChartCard>
    </div>
  );
}

function kindLabel(kind: string | null | undefined, t: ReturnType<typeof useT>['t']): string {
  return kind === 'department_overall' || kind === 'project' ? t(`kind_${kind}`) : kind ?? NONE;
}

function setFocus(key: string): void {
  navigate((s) => s.set('focus', key), { replace: true });
}

function ReportView({ id, focus }: { id: string; focus: string | null }) {
  const { t, lang } = useT();
  const query = useQuery(trpc.reports.get.queryOptions({ id }));
  if (query.isPending) return <div className="card"><div className="state state-loading" role="status"><span className="spinner" aria-hidden />{t('loading')}</div></div>;
  if (query.isError) {
    const notFound = (query.error as { data?: { code?: string } | null }).data?.code === 'NOT_FOUND';
    return (
      <div className="card">
        <div className={notFound ? 'state state-empty' : 'state state-error'} role="alert">
          {notFound ? t('reportNotFound') : `${t('error')}: ${localizeMessage(query.error.message, lang)}`}
        </div>
      </div>
    );
  }
  const data = query.data as ReportDetailData | null;
  if (!data) return <div className="card"><div className="state state-empty">{t('reportNotFound')}</div></div>;
  const x = data.extraction;
  const r = x.report;
  const region = [r.province, r.city, r.county].filter(Boolean).join(' ');
  return (
    <div className="view view-report">
      <section className="card report-head" data-testid="report-head">
        <div>
          <h2 className="report-title">{r.title ?? r.department ?? data.source}</h2>
          <p className="report-meta">
            {[r.department, region, r.year != null ? `${r.year}` : null, kindLabel(r.kind, t), data.source].filter(Boolean).join(' · ')}
          </p>
        </div>
        <div className="report-badges">
          <span className={`status status-${data.status}`}>{data.status === 'current' ? t('current') : t('superseded')}</span>
          {r.score != null ? <span className="report-score">{t('score')} <strong>{formatScore(r.score)}</strong>{r.grade ? ` · ${r.grade}` : ''}</span> : null}
        </div>
      </section>
      <div className="report-layout">
        <SourceText text={x.text} extraction={x} focus={focus} />
        <div className="records" aria-label={t('extracted')}>
          <Flags x={x} focus={focus} lang={lang} />
          <ReportFields x={x} focus={focus} />
          <Projects x={x} focus={focus} />
          <Indicators x={x} focus={focus} />
          <Issues x={x} focus={focus} />
          <History data={data} />
        </div>
      </div>
    </div>
  );
}

function SourceText({ text, extraction, focus }: { text: string; extraction: Extraction; focus: string | null }) {
  const { t } = useT();
  const marks = useMemo(() => marksOf(extraction), [extraction]);
  const focused = focusSpan(marks, focus);
  const sentence = focused ? sentenceAround(text, focused) : null;
  const active = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    active.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [focused?.key, focused?.start]);

  const run = (from: number, to: number) => segment(marks, from, to).map((s) => {
    const piece = text.slice(s.start, s.end);
    if (s.marks.length === 0) return piece;
    const isFocus = focused != null && s.marks.some((m) => m === focused);
    const kind = s.marks[s.marks.length - 1]!.kind;
    return (
      <mark key={s.start} className={`hl hl-${kind}${isFocus ? ' hl-focus' : ''}`} data-marks={s.marks.map((m) => m.key).join(' ')}>
        {piece}
      </mark>
    );
  });

  return (
    <section className="card source-card" data-testid="source-text">
      <header className="card-head"><h2 className="card-title">{t('sourceText')}</h2></header>
      <div className="source-text" tabIndex={0} aria-label={t('sourceText')}>
        {sentence ? (
          <>
            {run(0, sentence.start)}
            <span ref={active} className="sentence-active" data-testid="active-sentence">{run(sentence.start, sentence.end)}</span>
            {run(sentence.end, text.length)}
          </>
        ) : run(0, text.length)}
      </div>
    </section>
  );
}

/** A figure in the records panel: a button that finds it in the text when it has a span. */
function Figure({ focusKey, marks, focus, children }: { focusKey: string; marks: Set<string>; focus: string | null; children: ReactNode }) {
  const { t } = useT();
  if (!marks.has(focusKey)) return <>{children}</>;
  return (
    <button type="button" className="figure" aria-pressed={focus === focusKey} title={t('showInText')} onClick={() => setFocus(focusKey)}>
      {children}
    </button>
  );
}

function useMarkKeys(x: Extraction): Set<string> {
  return useMemo(() => new Set(marksOf(x).map((m) => m.key)), [x]);
}

function RecordCard({ id, title, count, children }: { id: string; title: string; count?: number; children: ReactNode }) {
  return (
    <section className="card record-card" data-testid={id}>
      <header className="card-head">
        <h2 className="card-title">{title}{count != null ? <span className="count">{count}</span> : null}</h2>
      </header>
      <div className="card-body">{children}</div>
    </section>
  );
}

const FIELD_FORMAT: Record<string, (v: unknown) => string> = {
  budget_wan: formatWan, funds_received_wan: formatWan, spent_wan: formatWan,
  execution_rate_pct: formatPct, execution_rate_computed_pct: formatPct, score: formatScore,
};
const FIELDS = [
  'department', 'supervisor', 'department_kind', 'province', 'city', 'county', 'year', 'kind', 'budget_wan',
  'funds_received_wan', 'spent_wan', 'execution_rate_pct', 'execution_rate_computed_pct', 'score', 'grade', 'grade_stated',
] as const;

function ReportFields({ x, focus }: { x: Extraction; focus: string | null }) {
  const { t } = useT();
  const keys = useMarkKeys(x);
  const r = x.report;
  return (
    <RecordCard id="record-fields" title={t('reportFields')}>
      <dl className="field-list">
        {FIELDS.map((f) => {
          const v = r[f];
          const text = v == null ? NONE : f === 'kind' ? kindLabel(String(v), t) : (FIELD_FORMAT[f]?.(v) ?? String(v));
          return (
            <div key={f} className="field-row">
              <dt>{t(`field_${f}` as MessageKey)}</dt>
              <dd>
                <Figure focusKey={`field:${f}`} marks={keys} focus={focus}>{text}</Figure>
                {r.confidence[f] === 'low' ? <span className="tag tag-warn">{t('lowConfidence')}</span> : null}
              </dd>
            </div>
          );
        })}
      </dl>
    </RecordCard>
  );
}

function Flags({ x, focus, lang }: { x: Extraction; focus: string | null; lang: 'zh' | 'en' }) {
  const { t } = useT();
  const keys = useMarkKeys(x);
  if (x.flags.length === 0) return null;
  return (
    <RecordCard id="record-flags" title={t('flags')} count={x.flags.length}>
      <ul className="flag-list">
        {x.flags.map((f, i) => (
          <li key={i} className="flag">
            <Figure focusKey={`flag:${i}:0`} marks={keys} focus={focus}>
              <span className="tag tag-warn" title={f.code}>{t(`flag_${f.code}` as MessageKey)}</span> {lang === 'zh' ? f.message_zh : f.message_en}
            </Figure>
          </li>
        ))}
      </ul>
    </RecordCard>
  );
}

function Projects({ x, focus }: { x: Extraction; focus: string | null }) {
  const { t } = useT();
  const keys = useMarkKeys(x);
  const cell = (i: number, field: string, text: string) => (
    <Figure focusKey={`project:${i}:${field}`} marks={keys} focus={focus}>{text}</Figure>
  );
  return (
    <RecordCard id="record-projects" title={t('projects')} count={x.projects.length}>
      {x.projects.length === 0 ? <p className="hint">{t('noneFound')}</p> : (
        <div className="table-wrap">
          <table className="data-table compact">
            <thead>
              <tr>
                <th scope="col">{t('project')}</th><th scope="col" className="num">{t('budgetWan')}</th>
                <th scope="col" className="num">{t('spentWan')}</th><th scope="col" className="num">{t('rate')}</th>
                <th scope="col" className="num">{t('score')}</th>
              </tr>
            </thead>
            <tbody>
              {x.projects.map((p, i) => (
                <tr key={i} className={focus === `project:${i}` || focus?.startsWith(`project:${i}:`) ? 'row-focus' : undefined}>
                  <td>{cell(i, 'name', p.name)}</td>
                  <td className="num">{cell(i, 'budget_wan', formatWan(p.budget_wan))}</td>
                  <td className="num">{cell(i, 'spent_wan', formatWan(p.spent_wan))}</td>
                  <td className="num">{cell(i, 'execution_rate_pct', formatPct(p.execution_rate_pct))}</td>
                  <td className="num">{cell(i, 'score', formatScore(p.score))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </RecordCard>
  );
}

function Indicators({ x, focus }: { x: Extraction; focus: string | null }) {
  const { t } = useT();
  const keys = useMarkKeys(x);
  if (x.indicators.length === 0) return null;
  const value = (v: number | null, text: string | null, unit: string | null) => (v != null ? `${v}${unit ?? ''}` : text ?? NONE);
  return (
    <RecordCard id="record-indicators" title={t('indicators')} count={x.indicators.length}>
      <div className="table-wrap">
        <table className="data-table compact">
          <tbody>
            {x.indicators.map((d, i) => (
              <tr key={i}>
                <td>
                  <Figure focusKey={`indicator:${i}`} marks={keys} focus={focus}>{[d.level1, d.level2, d.level3].filter(Boolean).join(' / ')}</Figure>
                </td>
                <td className="num">{d.operator ?? ''} {value(d.target_value, d.target_text, d.unit)}</td>
                <td className="num">{value(d.actual_value, d.actual_text, d.unit)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </RecordCard>
  );
}

function Issues({ x, focus }: { x: Extraction; focus: string | null }) {
  const { t, lang } = useT();
  const keys = useMarkKeys(x);
  return (
    <RecordCard id="record-issues" title={t('issues')} count={x.issues.length}>
      {x.issues.length === 0 ? <p className="hint">{t('noneFound')}</p> : (
        <ul className="issue-list">
          {x.issues.map((s, i) => (
            <li key={i}>
              <Figure focusKey={`issue:${i}`} marks={keys} focus={focus}>
                <span className="tag">{categoryName(s.category, lang)}</span> {s.text}
              </Figure>
            </li>
          ))}
        </ul>
      )}
      {x.suggestions.length ? (
        <>
          <h3 className="sub-title">{t('suggestions')}</h3>
          <ul className="issue-list">
            {x.suggestions.map((s, i) => (
              <li key={i}><Figure focusKey={`suggestion:${i}`} marks={keys} focus={focus}>{s.text}</Figure></li>
            ))}
          </ul>
        </>
      ) : null}
    </RecordCard>
  );
}

function History({ data }: { data: ReportDetailData }) {
  const { t } = useT();
  return (
    <RecordCard id="record-history" title={t('history')} count={data.history.length}>
      <ol className="history-list">
        {data.history.map((v) => (
          <li key={v.id} className={v.id === data.id ? 'history-this' : undefined}>
            <span className={`status status-${v.status}`}>{v.status === 'current' ? t('current') : t('superseded')}</span>
            {v.id === data.id ? <strong>{v.source}</strong> : <AppLink update={openReport(v.id)} className="link">{v.source}</AppLink>}
            <span className="history-meta">{new Date(v.ingested_at).toLocaleString('zh-CN')}{v.score != null ? ` · ${t('score')} ${formatScore(v.score)}` : ''}</span>
          </li>
        ))}
      </ol>
    </RecordCard>
  );
}
