/** Red/amber/green warning bands: thresholds kept in the URL (bookmarkable) and localStorage (remembered). */
import { numberParam } from '../url-state.ts';

/** A warning band (none: no figure). */
export type Band = 'red' | 'amber' | 'green' | 'none';

/** Below `red` is red, below `amber` amber, else green. */
export interface Thresholds {
  red: number;
  amber: number;
}

/** Thresholds for execution rate (%) and score. */
export interface Bands {
  exec: Thresholds;
  score: Thresholds;
}

/** Execution < 60% red, < 90% amber; score < 60 red, < 80 amber. */
export const DEFAULT_BANDS: Bands = { exec: { red: 60, amber: 90 }, score: { red: 60, amber: 80 } };

const STORAGE_KEY = 'dashboard.bands';
const PARAMS = { exec: ['exec_red', 'exec_amber'], score: ['score_red', 'score_amber'] } as const;

function stored(): Bands {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Bands | null;
    if (raw && Number.isFinite(raw.exec?.red) && Number.isFinite(raw.exec?.amber)
      && Number.isFinite(raw.score?.red) && Number.isFinite(raw.score?.amber)) return raw;
  } catch {
    // Unreadable storage falls back to the defaults.
  }
  return DEFAULT_BANDS;
}

/** The bands from the URL, else the ones remembered locally, else the defaults. */
export function readBands(search: URLSearchParams): Bands {
  const base = stored();
  const one = (k: keyof Bands): Thresholds => ({
    red: numberParam(search, PARAMS[k][0], base[k].red),
    amber: numberParam(search, PARAMS[k][1], base[k].amber),
  });
  return { exec: one('exec'), score: one('score') };
}

/** Writes the bands into the URL and remembers them locally. */
export function writeBands(search: URLSearchParams, bands: Bands): void {
  for (const k of ['exec', 'score'] as const) {
    search.set(PARAMS[k][0], String(bands[k].red));
    search.set(PARAMS[k][1], String(bands[k].amber));
  }
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(bands));
  } catch {
    // Storage may be refused (private mode); the URL still carries the bands.
  }
}

/** The band a value falls in. */
export function bandOf(value: number | null | undefined, t: Thresholds): Band {
  if (value == null || !Number.isFinite(value)) return 'none';
  if (value < t.red) return 'red';
  if (value < t.amber) return 'amber';
  return 'green';
}
