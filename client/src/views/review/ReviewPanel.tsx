/** The report view's review card: state, who reviewed it, stale corrections first, every correction, and the editor's
 * revert and mark-reviewed actions. */
import { useState, type FormEvent } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../../server/router.ts';
import { TARGET_FIELDS } from '../../../../server/review-fields.ts';
import { localizeMessage, useT } from '../../i18n.ts';
import { editorClient, setEditorName, useAfterChange, useEditor } from './editor-session.ts';
import { describeTarget, formatFieldValue } from './review-fields.ts';

type ReportData = inferRouterOutputs<AppRouter>['reports']['get'];
type Correction = ReportData['review']['corrections'][number];

/** The state badge: 未复核 / 已复核 / 有修正. */
export function ReviewStateBadge({ state }: { state: ReportData['review']['state'] }) {
  const { t } = useT();
  return <span className={`review-state review-state-${state}`} data-testid="review-state" data-state={state}>{t(`review_${state}`)}</span>;
}

/** The review card of a report; editing controls only when `canEdit`. */
export function ReviewPanel({ data, canEdit, onChanged }: { data: ReportData; canEdit: boolean; onChanged: (version: string) => void }) {
  const { t } = useT();
  const review = data.review;
  const stale = review.corrections.filter((c) => c.status === 'stale');
  const active = review.corrections.filter((c) => c.status === 'active');
  return (
    <section className="card record-card review-card" data-testid="record-review">
      <header className="card-head">
        <h2 className="card-title">{t('reviewTitle')} <ReviewStateBadge state={review.state} /></h2>
      </header>
      <div className="card-body">
        <p className="review-mark">
          {review.mark
            ? <>{t('reviewedBy', { name: review.mark.editor, at: new Date(review.mark.markedAt).toLocaleString('zh-CN') })}{review.mark.note ? `：${review.mark.note}` : ''}</>
            : t('notReviewed')}
        </p>
        {stale.length > 0 ? (
          <div className="stale-box" data-testid="stale-corrections" role="region" aria-label={t('staleTitle')}>
            <h3 className="sub-title stale-title">⚠ {t('staleTitle')}</h3>
            <ul className="correction-list">
              {stale.map((c) => <CorrectionItem key={c.id} c={c} canEdit={canEdit} onChanged={onChanged} />)}
            </ul>
          </div>
        ) : null}
        {active.length > 0 ? (
          <>
            <h3 className="sub-title">{t('corrections')}</h3>
            <ul className="correction-list" data-testid="active-corrections">
              {active.map((c) => <CorrectionItem key={c.id} c={c} canEdit={canEdit} onChanged={onChanged} />)}
            </ul>
          </>
        ) : null}
        {canEdit ? <MarkReviewed reportId={data.id} onChanged={onChanged} /> : null}
      </div>
    </section>
  );
}

function CorrectionItem({ c, canEdit, onChanged }: { c: Correction; canEdit: boolean; onChanged: (version: string) => void }) {
  const { t, lang } = useT();
  const [reverting, setReverting] = useState(false);
  const type = TARGET_FIELDS[c.target][c.field]!;
  const f = (v: Correction['value']) => formatFieldValue(type, v, t, lang);
  return (
    <li className={`correction correction-${c.status}`} data-testid="correction" data-field={c.field} data-status={c.status}>
      <div className="correction-what">
        <strong>{describeTarget(c.target, c.index, c.itemKey, c.field, t)}</strong>
        {c.status === 'stale' ? <span className="tag tag-warn">{t('stale')}</span> : null}
        {c.carried ? <span className="tag">{t('carried')}</span> : null}
      </div>
      <div className="correction-change">
        <s className="was">{f(c.extracted)}</s> → <strong className="now">{f(c.value)}</strong>
        {c.status === 'stale'
          ? <span className="stale-now">{c.itemMissing ? t('itemMissing') : `${t('currentExtracted')}：${f(c.current)}`}</span>
          : null}
      </div>
      <div className="correction-meta">{c.editor} · {new Date(c.createdAt).toLocaleString('zh-CN')} · {c.reason}</div>
      {canEdit && !reverting ? (
        <button type="button" className="btn btn-small btn-ghost" onClick={() => setReverting(true)}>{t('revert')}</button>
      ) : null}
      {canEdit && reverting ? <RevertForm id={c.id} onCancel={() => setReverting(false)} onChanged={onChanged} /> : null}
    </li>
  );
}

/** A reason and the editor's name, then one call; shared by revert and mark-reviewed. */
function useEditorAction(run: (client: ReturnType<typeof editorClient>, name: string, text: string) => Promise<unknown>, textRequired: boolean) {
  const { t, lang } = useT();
  const editor = useEditor();
  const afterChange = useAfterChange();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent, onChanged: (version: string) => void) => {
    e.preventDefault();
    if (textRequired && !text.trim()) return setError(t('reasonRequired'));
    if (!editor.name.trim()) return setError(t('nameRequired'));
    setBusy(true);
    setError(null);
    try {
      await run(editorClient(editor.token), editor.name.trim(), text.trim());
      setText('');
      onChanged(await afterChange());
    } catch (err) {
      setError(t('reviewFailed', { msg: localizeMessage((err as Error).message, lang) }));
    } finally {
      setBusy(false);
    }
  };
  return { editor, text, setText, error, busy, submit };
}

function RevertForm({ id, onCancel, onChanged }: { id: string; onCancel: () => void; onChanged: (version: string) => void }) {
  const { t } = useT();
  const a = useEditorAction((client, editor, reason) => client.review.revert.mutate({ overrideId: id, reason, editor }), true);
  return (
    <form className="inline-form" onSubmit={(e) => void a.submit(e, onChanged)}>
      <input aria-label={t('revertReason')} placeholder={t('revertReason')} value={a.text} required maxLength={500}
        onChange={(e) => a.setText(e.target.value)} />
      <NameInput value={a.editor.name} />
      <button type="submit" className="btn btn-small btn-primary" disabled={a.busy}>{t('revert')}</button>
      <button type="button" className="btn btn-small btn-ghost" onClick={onCancel}>{t('cancel')}</button>
      {a.error ? <p className="correction-error" role="alert">{a.error}</p> : null}
    </form>
  );
}

function MarkReviewed({ reportId, onChanged }: { reportId: string; onChanged: (version: string) => void }) {
  const { t } = useT();
  const a = useEditorAction((client, editor, note) => client.review.markReviewed.mutate({ reportId, editor, note: note || undefined }), false);
  return (
    <form className="inline-form mark-reviewed" onSubmit={(e) => void a.submit(e, onChanged)}>
      <input aria-label={t('reviewNote')} placeholder={t('reviewNote')} value={a.text} maxLength={500}
        onChange={(e) => a.setText(e.target.value)} />
      <NameInput value={a.editor.name} />
      <button type="submit" className="btn btn-small btn-primary" disabled={a.busy} data-testid="mark-reviewed">{t('markReviewed')}</button>
      {a.error ? <p className="correction-error" role="alert">{a.error}</p> : null}
    </form>
  );
}

function NameInput({ value }: { value: string }) {
  const { t } = useT();
  return (
    <input className="name-input" aria-label={t('editorName')} placeholder={t('editorName')} value={value} maxLength={40}
      onChange={(e) => setEditorName(e.target.value)} />
  );
}
