/** The inline form an editor corrects one field with: the source sentence, the values, the new value and a reason. */
import { useId, useState, type FormEvent } from 'react';
import type { inferRouterInputs } from '@trpc/server';
import type { AppRouter } from '../../../../server/router.ts';
import { TARGET_FIELDS } from '../../../../server/review-fields.ts';
import { localizeMessage, useT } from '../../i18n.ts';
import { CATEGORY_CODES } from '../../taxonomy.ts';
import { editorClient, setEditorName, useAfterChange, useEditor } from './editor-session.ts';
import { fieldLabelKey, formatFieldValue, parseInput, type FieldValue } from './review-fields.ts';

/** What a correction changes, as `review.correct` takes it. */
export type Target = inferRouterInputs<AppRouter>['review']['correct']['target'];

/** One field that can be picked in the form: its target, values and source sentence. */
export interface FieldChoice {
  target: Target;
  /** The value the extractor gave. */
  extracted: FieldValue;
  /** The value shown now (corrected, or extracted). */
  current: FieldValue;
  /** The sentence the value came from, when the extractor located it. */
  sentence: string | null;
}

const GRADES = ['优', '良', '中', '差'];
const KINDS = ['department_overall', 'project'];

/**
 * Corrects one of `choices` (one for a report field, several for a project row: the editor picks the field).
 * @param onDone called with the new data version after the server saved the change.
 */
export function CorrectionForm({ reportId, choices, onDone, onCancel }: {
  reportId: string;
  choices: FieldChoice[];
  onDone: (version: string) => void;
  onCancel: () => void;
}) {
  const { t, lang } = useT();
  const editor = useEditor();
  const afterChange = useAfterChange();
  const id = useId();
  const [picked, setPicked] = useState(0);
  const choice = choices[picked]!;
  const type = TARGET_FIELDS[choice.target.kind][choice.target.field]!;
  const [text, setText] = useState(() => initialText(choice.current));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const pick = (i: number) => {
    setPicked(i);
    setText(initialText(choices[i]!.current));
    setError(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = parseInput(type, text);
    if (typeof value === 'number' && Number.isNaN(value)) return setError(t('reviewFailed', { msg: lang === 'zh' ? '请输入数字' : 'a number is required' }));
    if (!reason.trim()) return setError(t('reasonRequired'));
    if (!editor.name.trim()) return setError(t('nameRequired'));
    setBusy(true);
    setError(null);
    try {
      await editorClient(editor.token).review.correct.mutate({ reportId, target: choice.target, value, reason: reason.trim(), editor: editor.name.trim() });
      onDone(await afterChange());
    } catch (err) {
      setError(t('reviewFailed', { msg: localizeMessage((err as Error).message, lang) }));
      setBusy(false);
    }
  };

  const field = choice.target.field;
  const options = type === 'grade' ? GRADES : type === 'kind' ? KINDS : type === 'category' ? CATEGORY_CODES : null;
  return (
    <form className="correction-form" data-testid="correction-form" onSubmit={(e) => void submit(e)} aria-label={t('correctField', { field: t(fieldLabelKey(field)) })}>
      <blockquote className="correction-sentence">
        <span className="correction-label">{t('sourceSentence')}</span>
        {choice.sentence ?? <em>{t('noSpan')}</em>}
      </blockquote>
      {choices.length > 1 ? (
        <label className="correction-row">
          <span>{t('auditTarget')}</span>
          <select value={picked} onChange={(e) => pick(Number(e.target.value))} data-testid="correction-field">
            {choices.map((c, i) => <option key={c.target.field} value={i}>{t(fieldLabelKey(c.target.field))}</option>)}
          </select>
        </label>
      ) : null}
      <div className="correction-values">
        <span>{t('extractedValue')}：<strong>{formatFieldValue(type, choice.extracted, t, lang)}</strong></span>
        {choice.current !== choice.extracted ? <span>{t('currentValue')}：<strong>{formatFieldValue(type, choice.current, t, lang)}</strong></span> : null}
      </div>
      <label className="correction-row" htmlFor={`${id}-value`}>
        <span>{t('newValue')}</span>
        {options ? (
          <select id={`${id}-value`} name="value" value={text} onChange={(e) => setText(e.target.value)}>
            {type === 'grade' ? <option value="">—</option> : null}
            {options.map((o) => (
              <option key={o} value={o}>{formatFieldValue(type, o, t, lang)}</option>
            ))}
          </select>
        ) : (
          <input id={`${id}-value`} name="value" value={text} onChange={(e) => setText(e.target.value)}
            inputMode={type === 'text' ? 'text' : 'decimal'} autoComplete="off" autoFocus />
        )}
      </label>
      {type !== 'text' && type !== 'kind' && type !== 'category' ? <p className="hint">{t('emptyValue')}</p> : null}
      <label className="correction-row" htmlFor={`${id}-reason`}>
        <span>{t('reason')}</span>
        <textarea id={`${id}-reason`} name="reason" required rows={2} maxLength={500} value={reason}
          placeholder={t('reasonPlaceholder')} onChange={(e) => setReason(e.target.value)} />
      </label>
      <label className="correction-row" htmlFor={`${id}-editor`}>
        <span>{t('editorName')}</span>
        <input id={`${id}-editor`} name="editor" required maxLength={40} value={editor.name}
          placeholder={t('editorNamePlaceholder')} onChange={(e) => setEditorName(e.target.value)} />
      </label>
      {error ? <p className="correction-error" role="alert">{error}</p> : null}
      <div className="correction-actions">
        <button type="submit" className="btn btn-small btn-primary" disabled={busy}>{busy ? t('saving') : t('save')}</button>
        <button type="button" className="btn btn-small btn-ghost" onClick={onCancel} disabled={busy}>{t('cancel')}</button>
      </div>
    </form>
  );
}

function initialText(v: FieldValue): string {
  return v === null ? '' : String(v);
}
