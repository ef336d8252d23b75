/** The editor's token and name, entered once per browser session; viewers without a token stay read-only. */
import { useT } from '../../i18n.ts';
import { setEditorName, setEditorToken, useEditor } from './editor-session.ts';

/** A compact bar with the token and name fields and whether the token was accepted. */
export function EditorSignIn() {
  const { t } = useT();
  const editor = useEditor();
  const status = editor.checking ? { text: t('tokenChecking'), tone: 'busy' }
    : editor.canEdit ? { text: `✓ ${t('tokenOk')}`, tone: 'good' }
    : editor.refused ? { text: t('tokenBad'), tone: 'bad' }
    : { text: t('readOnlyHint'), tone: 'neutral' };
  return (
    <section className="card editor-signin" data-testid="editor-signin" aria-label={t('editorSignIn')}>
      <strong className="editor-signin-title">{t('editorSignIn')}</strong>
      <label className="editor-field">
        <span>{t('token')}</span>
        <input id="review-token" type="password" autoComplete="off" value={editor.token}
          placeholder={t('tokenPlaceholder')} onChange={(e) => setEditorToken(e.target.value)} />
      </label>
      <label className="editor-field">
        <span>{t('editorName')}</span>
        <input id="review-editor" type="text" maxLength={40} value={editor.name}
          placeholder={t('editorNamePlaceholder')} onChange={(e) => setEditorName(e.target.value)} />
      </label>
      <span className={`editor-status editor-status-${status.tone}`} role="status" data-testid="editor-status">{status.text}</span>
      <p className="hint editor-hint">{t('editorHint')}</p>
    </section>
  );
}
