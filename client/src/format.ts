/** Number formatting for the dashboard: 万元 with thousands separators, percentages with one decimal. */
import type { Lang } from './i18n.ts';

const wan = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const int = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const one = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** The dash shown for a missing figure. */
export const NONE = '—';

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** An amount in 万元, e.g. 12,345.60 (without the unit). */
export function formatWan(v: unknown): string {
  return finite(v) ? wan.format(v) : NONE;
}

/** A count, e.g. 1,234. */
export function formatCount(v: unknown): string {
  return finite(v) ? int.format(v) : NONE;
}

/** A percentage with one decimal, e.g. 90.5%. */
export function formatPct(v: unknown): string {
  return finite(v) ? `${one.format(v)}%` : NONE;
}

/** A score with one decimal. */
export function formatScore(v: unknown): string {
  return finite(v) ? one.format(v) : NONE;
}

/** How a year-on-year change is expressed: relative %, percentage points, or points. */
export type DeltaKind = 'relative' | 'pp' | 'points';

/** The 同比 change of `current` vs `previous`, null when not comparable. */
export function yoy(current: unknown, previous: unknown, kind: DeltaKind): number | null {
  if (!finite(current) || !finite(previous)) return null;
  if (kind === 'relative') {
    if (previous === 0) return current === 0 ? 0 : null;
    return ((current - previous) / Math.abs(previous)) * 100;
  }
  return current - previous;
}

/** A signed change, e.g. +12.3% / -1.5 个百分点 / +0.8 分. */
export function formatDelta(delta: number | null, kind: DeltaKind, lang: Lang): string {
  if (delta == null) return NONE;
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  const body = one.format(Math.abs(delta));
  if (kind === 'relative') return `${sign}${body}%`;
  if (kind === 'pp') return lang === 'zh' ? `${sign}${body} 个百分点` : `${sign}${body} pp`;
  return lang === 'zh' ? `${sign}${body} 分` : `${sign}${body} pts`;
}
