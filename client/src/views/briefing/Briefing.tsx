/** View 7 · 简报: the charts picked for a leadership meeting, reordered and exported as one PPTX or PDF. */
import { useState, type DragEvent } from 'react';
import { useManifest } from '../../db/dataset.ts';
import { describeFilters } from '../../export/briefing.ts';
import {
  clearBriefing, moveInBriefing, placeInBriefing, removeFromBriefing, useBriefing, type BriefingItem,
} from '../../export/briefing-store.ts';
import { specOf } from '../../export/chart-specs.ts';
import type { BriefingFormat } from '../../export/run.ts';
import { translate, useT } from '../../i18n.ts';

/** Keeps keyboard focus on the control that moved its item (the other one when it hit an end). */
function refocus(id: string, dir: 'up' | 'down'): void {
  requestAnimationFrame(() => {
    const item = document.querySelector(`[data-item="${CSS.escape(id)}"]`);
    const same = item?.querySelector<HTMLButtonElement>(`[data-move="${dir}"]`);
    (same && !same.disabled ? same : item?.querySelector<HTMLButtonElement>(`[data-move="${dir === 'up' ? 'down' : 'up'}"]`))?.focus();
  });
}

/** The briefing view. */
export function Briefing() {
  const { t, lang } = useT();
  const manifest = useManifest();
  const items = useBriefing();
  const [status, setStatus] = useState<{ text: string; tone: 'busy' | 'done' | 'error' } | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const sep = lang === 'zh' ? '：' : ': ';

  const title = (item: BriefingItem) => specOf(item.chart).title({ lang, filters: item.filters, options: item.options });
  const filtersText = (item: BriefingItem) => describeFilters(item.filters, lang, (k) =>
    (k === 'department_overall' || k === 'project' ? translate(lang, `kind_${k}`) : k));

  const run = async (format: BriefingFormat) => {
    if (!manifest.data || !items.length) return;
    setStatus({ text: t('exporting'), tone: 'busy' });
    try {
      const { exportBriefing } = await import('../../export/run.ts');
      await exportBriefing(format, items, { lang, manifest: manifest.data });
      setStatus({ text: t('exported', { format: format.toUpperCase() }), tone: 'done' });
    } catch (e) {
      setStatus({ text: t('exportFailed', { msg: (e as Error).message }), tone: 'error' });
    }
  };
  const move = (id: string, dir: 'up' | 'down') => {
    moveInBriefing(id, dir === 'up' ? -1 : 1);
    refocus(id, dir);
  };
  const onDrop = (e: DragEvent<HTMLLIElement>, index: number) => {
    e.preventDefault();
    if (dragging) placeInBriefing(dragging, index);
    setDragging(null);
  };
  const busy = status?.tone === 'busy';

  return (
    <div className="view view-briefing">
      <section className="card" data-testid="briefing">
        <header className="card-head">
          <div>
            <h2 className="card-title">{t('briefingTitle')}</h2>
            <p className="card-subtitle">{t('briefingIntro')}</p>
          </div>
          <div className="card-actions">
            <button type="button" className="btn btn-small btn-primary" disabled={!items.length || busy || !manifest.data}
              onClick={() => void run('pptx')}>{t('exportPptx')}</button>
            <button type="button" className="btn btn-small btn-primary" disabled={!items.length || busy || !manifest.data}
              onClick={() => void run('pdf')}>{t('exportPdf')}</button>
            <button type="button" className="btn btn-small btn-ghost" disabled={!items.length || busy} onClick={clearBriefing}>
              {t('clearBriefing')}
            </button>
          </div>
        </header>
        <div className="card-body">
          {status ? <p className={`export-status export-${status.tone}`} role="status" data-testid="briefing-status">{status.text}</p> : null}
          {!items.length ? <div className="state state-empty">{t('briefingEmpty')}</div> : (
            <>
              <p className="hint">{t('dragHint')}</p>
              <ol className="briefing-list">
                {items.map((item, i) => (
                  <li key={item.id} data-item={item.id} data-chart={item.chart}
                    className={`briefing-item${dragging === item.id ? ' briefing-dragging' : ''}`}
                    draggable onDragStart={(e) => { setDragging(item.id); e.dataTransfer.effectAllowed = 'move'; }}
                    onDragOver={(e) => e.preventDefault()} onDrop={(e) => onDrop(e, i)} onDragEnd={() => setDragging(null)}>
                    <span className="briefing-index" aria-hidden>{i + 1}</span>
                    <div className="briefing-text">
                      <strong className="briefing-title">{title(item)}</strong>
                      <span className="briefing-filters">{filtersText(item)}</span>
                    </div>
                    <div className="briefing-controls" role="group" aria-label={t('briefingItemLabel', { n: i + 1, title: title(item) })}>
                      <button type="button" className="btn btn-small btn-ghost" data-move="up" disabled={i === 0}
                        aria-label={`${t('moveUp')}${sep}${title(item)}`} onClick={() => move(item.id, 'up')}>↑ {t('moveUp')}</button>
                      <button type="button" className="btn btn-small btn-ghost" data-move="down" disabled={i === items.length - 1}
                        aria-label={`${t('moveDown')}${sep}${title(item)}`} onClick={() => move(item.id, 'down')}>↓ {t('moveDown')}</button>
                      <button type="button" className="btn btn-small btn-ghost" aria-label={`${t('remove')}${sep}${title(item)}`}
                        onClick={() => removeFromBriefing(item.id)}>✕ {t('remove')}</button>
                    </div>
                  </li>
                ))}
              </ol>
            </>
          )}
        </div>
      </section>
    </div>
  );
}
