/** A chart card's export menu: PNG / SVG of the chart, CSV / XLSX of its rows, and 加入简报 (add to the briefing). */
import { useRef, useState } from 'react';
import { useManifest } from '../db/dataset.ts';
import { addToBriefing, readBriefing } from '../export/briefing-store.ts';
import { specOf, type ExportTarget } from '../export/chart-specs.ts';
import type { ChartFormat } from '../export/run.ts';
import { useT, type MessageKey } from '../i18n.ts';

const LABELS: Record<ChartFormat, MessageKey> = { png: 'exportPng', svg: 'exportSvg', csv: 'exportCsv', xlsx: 'exportXlsx' };

/**
 * The menu for `target`.
 * @param chartSize the chart's size on screen, when it is shown (pictures are then drawn at that size).
 */
export function ExportMenu(props: { target: ExportTarget; disabled?: boolean; chartSize?: () => { width: number; height: number } | undefined }) {
  const { t, lang } = useT();
  const manifest = useManifest();
  const menu = useRef<HTMLDetailsElement>(null);
  const [status, setStatus] = useState<{ text: string; tone: 'busy' | 'done' | 'error' } | null>(null);
  const formats: ChartFormat[] = specOf(props.target.chart).kind === 'chart' ? ['png', 'svg', 'csv', 'xlsx'] : ['csv', 'xlsx'];

  const run = async (format: ChartFormat) => {
    if (menu.current) menu.current.open = false;
    if (!manifest.data) return;
    setStatus({ text: t('exporting'), tone: 'busy' });
    try {
      const { exportTarget } = await import('../export/run.ts');
      await exportTarget(format, props.target, { lang, manifest: manifest.data }, props.chartSize?.());
      setStatus({ text: t('exported', { format: format.toUpperCase() }), tone: 'done' });
    } catch (e) {
      setStatus({ text: t('exportFailed', { msg: (e as Error).message }), tone: 'error' });
    }
  };
  const add = () => {
    if (menu.current) menu.current.open = false;
    addToBriefing(props.target);
    setStatus({ text: t('addedToBriefing', { n: readBriefing().length }), tone: 'done' });
  };

  return (
    <div className="export-menu-wrap">
      <details ref={menu} className="export-menu" onKeyDown={(e) => {
        if (e.key !== 'Escape' || !menu.current?.open) return;
        menu.current.open = false;
        menu.current.querySelector('summary')?.focus();
      }}>
        <summary className={`btn btn-small btn-ghost${props.disabled ? ' is-disabled' : ''}`} aria-disabled={props.disabled || undefined}
          onClick={(e) => { if (props.disabled) e.preventDefault(); }}>
          {t('export')}
        </summary>
        <div className="export-menu-list" role="group" aria-label={t('export')}>
          {formats.map((f) => (
            <button key={f} type="button" className="export-item" data-format={f} onClick={() => void run(f)}>{t(LABELS[f])}</button>
          ))}
          <button type="button" className="export-item export-briefing" onClick={add}>{t('addToBriefing')}</button>
        </div>
      </details>
      {status ? <span className={`export-status export-${status.tone}`} role="status">{status.text}</span> : null}
    </div>
  );
}
