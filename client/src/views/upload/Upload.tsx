/** View 6 · 上传 (editors): token, drag-and-drop files, per-file progress and result; the dashboard then moves on. */
import { useRef, useState, type DragEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { formatCount } from '../../format.ts';
import { localizeMessage, useT } from '../../i18n.ts';
import { AppLink, openReport } from '../../AppLink.tsx';
import { manifestOptions } from '../../db/dataset.ts';
import { uploadFile, UploadError, type UploadResult } from './upload.ts';

const TOKEN_KEY = 'dashboard.editorToken';

type FileState =
  | { state: 'waiting' }
  | { state: 'uploading'; progress: number }
  | { state: 'done'; result: UploadResult }
  | { state: 'error'; code: UploadError['code']; message: string };

interface Item {
  key: string;
  file: File;
  status: FileState;
}

function readToken(): string {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

/** The upload view (editors). */
export function Upload() {
  const { t, lang } = useT();
  const queryClient = useQueryClient();
  const [token, setToken] = useState(readToken);
  const [items, setItems] = useState<Item[]>([]);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const saveToken = (v: string) => {
    setToken(v);
    try {
      if (v) sessionStorage.setItem(TOKEN_KEY, v);
      else sessionStorage.removeItem(TOKEN_KEY);
    } catch {
      // Without session storage the token lives only in this page.
    }
  };
  const addFiles = (files: FileList | null) => {
    if (!files?.length) return;
    setNotice(null);
    setItems((old) => [
      ...old.filter((i) => i.status.state !== 'waiting' || ![...files].some((f) => f.name === i.file.name)),
      ...[...files].map((file) => ({ key: `${file.name}-${file.size}-${file.lastModified}-${Math.random()}`, file, status: { state: 'waiting' } as FileState })),
    ]);
  };
  const update = (key: string, status: FileState) =>
    setItems((old) => old.map((i) => (i.key === key ? { ...i, status } : i)));

  const start = async () => {
    const queue = items.filter((i) => i.status.state === 'waiting' || i.status.state === 'error');
    if (!queue.length) return setNotice(t('noFiles'));
    setBusy(true);
    setNotice(null);
    let changed = false;
    for (const item of queue) {
      update(item.key, { state: 'uploading', progress: 0 });
      try {
        const result = await uploadFile(item.file, token.trim(), (p) => update(item.key, { state: 'uploading', progress: p }));
        update(item.key, { state: 'done', result });
        if (result.ok && result.status !== 'duplicate') changed = true;
      } catch (e) {
        const err = e instanceof UploadError ? e : new UploadError('GENERIC', String(e));
        update(item.key, { state: 'error', code: err.code, message: err.message });
        // A refused token refuses every file: stop rather than repeat the same error.
        if (err.code === 'UNAUTHORIZED') {
          for (const rest of queue.slice(queue.indexOf(item) + 1)) update(rest.key, { state: 'error', code: err.code, message: err.message });
          break;
        }
      }
    }
    if (changed) {
      // The server published a new version: refetch the manifest so every chart moves to it without a reload.
      await queryClient.invalidateQueries({ queryKey: manifestOptions().queryKey });
      const manifest = await queryClient.fetchQuery(manifestOptions());
      setNotice(t('newVersion', { v: manifest.version }));
    }
    setBusy(false);
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    addFiles(e.dataTransfer.files);
  };

  const describe = (s: FileState): { text: string; tone: string } => {
    switch (s.state) {
      case 'waiting': return { text: t('waiting'), tone: 'neutral' };
      case 'uploading': return { text: `${t('uploading')} ${Math.round(s.progress * 100)}%`, tone: 'neutral' };
      case 'error': return {
        text: s.code === 'GENERIC' ? t('err_GENERIC', { msg: localizeMessage(s.message, lang) }) : t(`err_${s.code}`),
        tone: 'bad',
      };
      case 'done': {
        const r = s.result;
        if (!r.ok) {
          const msg = r.error ? (lang === 'zh' ? r.error.message_zh : r.error.message) : r.status;
          return { text: `${t('failed')}：${msg}`, tone: 'bad' };
        }
        return { text: t(`status_${r.status}` as 'status_added'), tone: r.status === 'duplicate' ? 'neutral' : 'good' };
      }
    }
  };

  return (
    <div className="view view-upload">
      <section className="card upload-card" data-testid="upload">
        <header className="card-head">
          <div>
            <h2 className="card-title">{t('uploadTitle')}</h2>
            <p className="card-subtitle">{t('uploadIntro')}</p>
          </div>
        </header>
        <div className="card-body">
          <div className="token-row">
            <label htmlFor="editor-token">{t('token')}</label>
            <input id="editor-token" type="password" autoComplete="off" value={token} placeholder={t('tokenPlaceholder')}
              onChange={(e) => saveToken(e.target.value)} />
            <span className="hint">{t('tokenKept')}</span>
          </div>
          <div
            className={`dropzone${dragging ? ' dropzone-active' : ''}`}
            data-testid="dropzone"
            onDragEnter={(e) => { e.preventDefault(); setDragging(true); }}
            onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
          >
            <span className="dropzone-icon" aria-hidden>⇪</span>
            <span>{t('dropHere')}</span>
            <button type="button" className="btn btn-small" onClick={() => input.current?.click()}>{t('chooseFiles')}</button>
            <input ref={input} id="upload-files" type="file" multiple accept=".txt,.docx,.pdf,text/plain,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
              className="visually-hidden" aria-label={t('chooseFiles')} onChange={(e) => { addFiles(e.target.files); e.target.value = ''; }} />
          </div>
          {items.length ? (
            <ul className="upload-list" aria-live="polite">
              {items.map((i) => {
                const d = describe(i.status);
                const progress = i.status.state === 'uploading' ? i.status.progress : i.status.state === 'done' ? 1 : 0;
                const result = i.status.state === 'done' ? i.status.result : null;
                return (
                  <li key={i.key} className={`upload-item tone-${d.tone}`} data-testid="upload-item" data-state={i.status.state}>
                    <span className="upload-name">{i.file.name}</span>
                    <span className="upload-size">{formatCount(Math.ceil(i.file.size / 1024))} KB</span>
                    <progress max={1} value={progress} aria-label={i.file.name} />
                    <span className="upload-status" role="status">
                      {d.text}
                      {result?.ok && result.id ? <> · <AppLink update={openReport(result.id)} className="link">{t('openReport')} ›</AppLink></> : null}
                    </span>
                  </li>
                );
              })}
            </ul>
          ) : null}
          <div className="upload-actions">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void start()}>
              {busy ? t('uploading') : t('upload')}
            </button>
            {!token.trim() ? <span className="hint">{t('needToken')}</span> : null}
            {notice ? <span className="notice" role="status" data-testid="upload-notice">{notice}</span> : null}
          </div>
        </div>
      </section>
    </div>
  );
}
