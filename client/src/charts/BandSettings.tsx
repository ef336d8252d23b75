/** Editable red/amber thresholds for execution rate and score (kept in the URL and remembered locally). */
import { useT } from '../i18n.ts';
import { navigate } from '../url-state.ts';
import { DEFAULT_BANDS, writeBands, type Bands } from './bands.ts';

/** A disclosure with the four threshold inputs and a reset. */
export function BandSettings({ bands }: { bands: Bands }) {
  const { t } = useT();
  const set = (kind: keyof Bands, which: 'red' | 'amber', raw: string) => {
    const v = Number(raw);
    if (raw === '' || !Number.isFinite(v)) return;
    const next: Bands = { ...bands, [kind]: { ...bands[kind], [which]: v } };
    navigate((s) => writeBands(s, next), { replace: true });
  };
  const field = (kind: keyof Bands, which: 'red' | 'amber') => {
    const id = `band-${kind}-${which}`;
    return (
      <label htmlFor={id} className={`band-input band-input-${which}`}>
        <span className={`swatch swatch-${which}`} aria-hidden />
        {t(which)}
        <input id={id} type="number" min={0} max={100} step={1} value={bands[kind][which]}
          onChange={(e) => set(kind, which, e.target.value)} />
      </label>
    );
  };
  return (
    <details className="band-settings">
      <summary>{t('bands')}</summary>
      <div className="band-settings-body">
        <fieldset>
          <legend>{t('execBands')} (%)</legend>
          {field('exec', 'red')}
          {field('exec', 'amber')}
        </fieldset>
        <fieldset>
          <legend>{t('scoreBands')}</legend>
          {field('score', 'red')}
          {field('score', 'amber')}
        </fieldset>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => navigate((s) => writeBands(s, DEFAULT_BANDS), { replace: true })}>
          {t('resetBands')}
        </button>
      </div>
    </details>
  );
}
