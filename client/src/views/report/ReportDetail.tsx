/**
 * View 5 · 报告详情: source text with every extracted figure highlighted, the extracted records (as corrected by editors,
 * low-confidence and flagged fields first), the review card, flags and history. Editors correct a field beside its
 * source sentence.
 */
import { Fragment, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../../server/router.ts';
import type { Extraction } from '../../../../server/schema.ts';
import { AppLink, openReport } from '../../AppLink.tsx';
import { ChartCard } from '../../charts/ChartCard.tsx';
import { DataTable, type Column } from '../../charts/DataTable.tsx';
import { useManifest } from '../../db/dataset.ts';
import { reportListQuery } from '../view-queries.ts';
import type { Filters } from '../../filters/filters.ts';
import { formatPct, formatScore, formatWan, NONE } from '../../format.ts';
import { localizeMessage, useT, type MessageKey } from '../../i18n.ts';
import { categoryName } from '../../taxonomy.ts';
import { trpc } from '../../trpc.ts';
import { navigate } from '../../url-state.ts';
import { CorrectionForm, type FieldChoice } from '../review/CorrectionForm.tsx';
import { EditorSignIn } from '../review/EditorSignIn.tsx';
import { useEditor } from '../review/editor-session.ts';
import { ReviewPanel, ReviewStateBadge } from '../review/ReviewPanel.tsx';
import { PROJECT_FIELDS, REPORT_FIELDS, type ProjectField, type ReportField } from '../../../../server/review-fields.ts';
import { focusSpan, marksOf, segment, sentenceAround } from './highlight.ts';
import { REPORT_LIST_PAGE, type ReportListRow } from './report-list-sql.ts';

type ReportDetailData = NonNullable<inferRouterOutputs<AppRouter>['reports']['get']>;
type Review = ReportDetailData['review'];

/** What the record cards need to show corrections and offer edits. */
interface EditProps {
  reportId: string;
  review: Review;
  /** The editor's token was accepted and this is the current version. */
  canEdit: boolean;
  onChanged: (version: string) => void;
}

/** The report view: the open report, or the list of reports to open one from. */
export function ReportDetail({ id, focus, filters }: { id: string | null; focus: string | null; filters: Filters }) {
  return id ? <ReportView id={id} focus={focus} /> : <ReportList filters={filters} />;
}

function ReportList({ filters }: { filters: Filters }) {
  const { t } = useT();
  const manifest = useManifest();
  // Pages shown; back to one when the filters change.
  const [more, setMore] = useState({ filters, pages: 1 });
  const pages = more.filters === filters ? more.pages : 1;
  const query = useQuery(reportListQuery(filters, pages * REPORT_LIST_PAGE, manifest.data));
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
        {(rows) => (
          <>
            <DataTable rows={rows} columns={columns} />
            {rows.length < (rows[0]?.total ?? 0) ? (
              <button type="button" className="btn btn-small btn-ghost table-more" disabled={query.isPlaceholderData}
                onClick={() => setMore({ filters, pages: pages + 1 })}>
                {t('showMoreRows', { x: rows.length, y: rows[0]!.total })}
              </button>
            ) : null}
          </>
        )}
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
  const editor = useEditor();
  const [notice, setNotice] = useState<string | null>(null);
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
  // What the dashboard publishes: the extraction with the editors' active corrections applied.
  const r = data.review.corrected.report;
  const region = [r.province, r.city, r.county].filter(Boolean).join(' ');
  const edit: EditProps = {
    reportId: data.id, review: data.review, canEdit: editor.canEdit && data.status === 'current',
    onChanged: (v) => setNotice(t('correctionSaved', { v })),
  };
  return (
    <div className="view view-report">
      <EditorSignIn />
      {editor.canEdit && data.status !== 'current' ? <p className="hint review-notice">{t('supersededNoEdit')}</p> : null}
      {notice ? <p className="review-notice" role="status" data-testid="review-notice">{notice}</p> : null}
      <section className="card report-head" data-testid="report-head">
        <div>
          <h2 className="report-title">{r.title ?? r.department ?? data.source}</h2>
          <p className="report-meta">
            {[r.department, region, r.year != null ? `${r.year}` : null, kindLabel(r.kind, t), data.source].filter(Boolean).join(' · ')}
          </p>
        </div>
        <div className="report-badges">
          <ReviewStateBadge state={data.review.state} />
          <span className={`status status-${data.status}`}>{data.status === 'current' ? t('current') : t('superseded')}</span>
          {r.score != null ? <span className="report-score">{t('score')} <strong>{formatScore(r.score)}</strong>{r.grade ? ` · ${r.grade}` : ''}</span> : null}
        </div>
      </section>
      <div className="report-layout">
        <SourceText text={x.text} extraction={x} focus={focus} />
        <div className="records" aria-label={t('extracted')}>
          <ReviewPanel data={data} canEdit={edit.canEdit} onChanged={edit.onChanged} />
          <Flags x={x} focus={focus} lang={lang} />
          <ReportFields x={x} focus={focus} edit={edit} />
          <Projects x={x} focus={focus} edit={edit} />
          <Indicators x={x} focus={focus} />
          <Issues x={x} focus={focus} edit={edit} />
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

/** The sentence around a span, trimmed (for the correction form). */
function sentenceOf(text: string, span: { start: number; end: number } | undefined): string | null {
  if (!span || span.end > text.length) return null;
  const s = sentenceAround(text, span);
  return text.slice(s.start, s.end).trim() || null;
}

/** An edit button for one record; its label names the field so that it is clear which one it corrects. */
function EditButton({ label, onClick }: { label: string; onClick: () => void }) {
  const { t } = useT();
  return (
    <button type="button" className="btn btn-small btn-ghost edit-button" aria-label={t('correctField', { field: label })} onClick={onClick}>
      {t('correct')}
    </button>
  );
}

function ReportFields({ x, focus, edit }: { x: Extraction; focus: string | null; edit: EditProps }) {
  const { t } = useT();
  const keys = useMarkKeys(x);
  const [editing, setEditing] = useState<string | null>(null);
  const extracted = x.report;
  const r = edit.review.corrected.report;
  const corrected = new Set(edit.review.corrections.filter((c) => c.target === 'report' && c.status === 'active').map((c) => c.field));
  const stale = new Set(edit.review.corrections.filter((c) => c.target === 'report' && c.status === 'stale').map((c) => c.field));
  const flagged = new Set(x.flags.filter((f) => f.project === null).flatMap((f) => Object.keys(f.figures)));
  const attention = (f: string) => extracted.confidence[f] === 'low' || flagged.has(f) || stale.has(f);
  // Fields that need a look come first (a stable sort keeps the usual order otherwise).
  const fields = [...FIELDS].sort((a, b) => Number(attention(b)) - Number(attention(a)));
  const show = (f: (typeof FIELDS)[number], v: unknown) =>
    v == null ? NONE : f === 'kind' ? kindLabel(String(v), t) : (FIELD_FORMAT[f]?.(v) ?? String(v));
  return (
    <RecordCard id="record-fields" title={t('reportFields')}>
      {fields.some(attention) ? <p className="hint attention-hint">{t('needAttentionFirst')}</p> : null}
      <dl className="field-list">
        {fields.map((f) => {
          const label = t(`field_${f}` as MessageKey);
          const changed = show(f, r[f]) !== show(f, extracted[f]);
          const correctable = f in REPORT_FIELDS;
          return (
            <div key={f} className={`field-row${attention(f) ? ' field-attention' : ''}`} data-field={f} data-corrected={corrected.has(f) || undefined}>
              <dt>{label}</dt>
              <dd>
                <Figure focusKey={`field:${f}`} marks={keys} focus={focus}><span className="field-value">{show(f, r[f])}</span></Figure>
                {changed ? <s className="was" title={t('extractedValue')}>{show(f, extracted[f])}</s> : null}
                {corrected.has(f) ? <span className="tag tag-ok">{t('correctedTag')}</span> : null}
                {extracted.confidence[f] === 'low' ? <span className="tag tag-warn">{t('lowConfidence')}</span> : null}
                {flagged.has(f) ? <span className="tag tag-warn">{t('flaggedTag')}</span> : null}
                {stale.has(f) ? <span className="tag tag-warn">{t('stale')}</span> : null}
                {edit.canEdit && correctable && editing !== f ? (
                  <EditButton label={label} onClick={() => { setEditing(f); if (keys.has(`field:${f}`)) setFocus(`field:${f}`); }} />
                ) : null}
              </dd>
              {editing === f ? (
                <div className="field-edit">
                  <CorrectionForm
                    reportId={edit.reportId}
                    choices={[{
                      target: { kind: 'report', field: f as ReportField },
                      extracted: extracted[f as ReportField],
                      current: r[f as ReportField],
                      sentence: sentenceOf(x.text, extracted.spans[f]),
                    }]}
                    onCancel={() => setEditing(null)}
                    onDone={(v) => { setEditing(null); edit.onChanged(v); }}
                  />
                </div>
              ) : null}
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

function Projects({ x, focus, edit }: { x: Extraction; focus: string | null; edit: EditProps }) {
  const { t } = useT();
  const keys = useMarkKeys(x);
  const [editing, setEditing] = useState<number | null>(null);
  const shown = edit.review.corrected.projects;
  const corrected = new Set(edit.review.corrections.filter((c) => c.target === 'project' && c.status === 'active').map((c) => `${c.index}:${c.field}`));
  const flagged = new Set(x.flags.map((f) => f.project).filter((p): p is string => p !== null));
  // Flagged projects first, each keeping its number.
  const order = x.projects.map((_, i) => i).sort((a, b) => Number(flagged.has(x.projects[b]!.name)) - Number(flagged.has(x.projects[a]!.name)));
  const cell = (i: number, field: ProjectField, text: (v: unknown) => string) => {
    const was = x.projects[i]![field];
    const now = shown[i]![field];
    return (
      <>
        <Figure focusKey={`project:${i}:${field}`} marks={keys} focus={focus}>{text(now)}</Figure>
        {corrected.has(`${i}:${field}`) ? <s className="was cell-sub" title={t('extractedValue')}>{text(was)}</s> : null}
      </>
    );
  };
  const choices = (i: number): FieldChoice[] => (Object.keys(PROJECT_FIELDS) as ProjectField[]).map((field) => ({
    target: { kind: 'project', index: i, name: x.projects[i]!.name, field },
    extracted: x.projects[i]![field],
    current: shown[i]![field],
    sentence: sentenceOf(x.text, x.projects[i]!.spans[field] ?? x.projects[i]!.spans.name),
  }));
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
                {edit.canEdit ? <th scope="col"><span className="visually-hidden">{t('correct')}</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {order.map((i) => (
                <Fragment key={i}>
                  <tr className={focus === `project:${i}` || focus?.startsWith(`project:${i}:`) ? 'row-focus' : undefined} data-index={i}>
                    <td>
                      {cell(i, 'name', String)}
                      {flagged.has(x.projects[i]!.name) ? <span className="tag tag-warn">{t('flaggedTag')}</span> : null}
                    </td>
                    <td className="num">{cell(i, 'budget_wan', formatWan)}</td>
                    <td className="num">{cell(i, 'spent_wan', formatWan)}</td>
                    <td className="num">{cell(i, 'execution_rate_pct', formatPct)}</td>
                    <td className="num">{cell(i, 'score', formatScore)}</td>
                    {edit.canEdit ? (
                      <td>{editing === i ? null : <EditButton label={`${t('projectN', { n: i + 1 })} ${x.projects[i]!.name}`} onClick={() => setEditing(i)} />}</td>
                    ) : null}
                  </tr>
                  {editing === i ? (
                    <tr className="row-edit">
                      <td colSpan={6}>
                        <CorrectionForm reportId={edit.reportId} choices={choices(i)} onCancel={() => setEditing(null)}
                          onDone={(v) => { setEditing(null); edit.onChanged(v); }} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
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

function Issues({ x, focus, edit }: { x: Extraction; focus: string | null; edit: EditProps }) {
  const { t, lang } = useT();
  const keys = useMarkKeys(x);
  const [editing, setEditing] = useState<number | null>(null);
  const shown = edit.review.corrected.issues;
  return (
    <RecordCard id="record-issues" title={t('issues')} count={x.issues.length}>
      {x.issues.length === 0 ? <p className="hint">{t('noneFound')}</p> : (
        <ul className="issue-list">
          {x.issues.map((s, i) => {
            const category = shown[i]!.category;
            return (
              <li key={i} data-index={i}>
                <Figure focusKey={`issue:${i}`} marks={keys} focus={focus}>
                  <span className="tag">{categoryName(category, lang)}</span> {s.text}
                </Figure>
                {category !== s.category ? <> <s className="was">{categoryName(s.category, lang)}</s> <span className="tag tag-ok">{t('correctedTag')}</span></> : null}
                {edit.canEdit && editing !== i ? <EditButton label={`${t('issueN', { n: i + 1 })} ${t('field_category')}`} onClick={() => setEditing(i)} /> : null}
                {editing === i ? (
                  <CorrectionForm
                    reportId={edit.reportId}
                    choices={[{ target: { kind: 'issue', index: i, field: 'category' }, extracted: s.category, current: category, sentence: sentenceOf(x.text, s.span) }]}
                    onCancel={() => setEditing(null)}
                    onDone={(v) => { setEditing(null); edit.onChanged(v); }}
                  />
                ) : null}
              </li>
            );
          })}
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
