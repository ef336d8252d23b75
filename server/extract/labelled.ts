/** Finds figures that stand beside their labels, in prose ("预算执行率为90.52%") and in forms (label cell, value cell). */
import { NUM, parseNumber, toWan, type MoneyUnit } from './amounts.ts';
import type { Pair } from './cells.ts';

export type ValueKind = 'money' | 'pct' | 'score';

export interface Candidate {
  value: number;
  start: number;
  end: number;
  /** Index of the label in the field's label list: lower is better. */
  rank: number;
  /** Characters between label and figure: a figure far from its label is less certain. */
  gap: number;
  labelStart: number;
}

/** Filler allowed between a label and its figure. */
const GAP = String.raw`(?:[\s:：]|为|是|均为|均达到|均|达到|达|约|共计|合计|总计|总额|金额|数额|[（(](?:万元|元|%|分)[)）])*?`;

const UNIT_DECL = /单位[:：]\s*(万元|元)|[（(](万元|元)[)）]/g;

/** The money unit a bare figure at `pos` is in: the nearest preceding table unit declaration, else 万元. */
export function unitAt(text: string, pos: number): MoneyUnit {
  let unit: MoneyUnit = '万元';
  const window = text.slice(Math.max(0, pos - 2000), pos);
  for (const m of window.matchAll(UNIT_DECL)) unit = (m[1] ?? m[2]) as MoneyUnit;
  return unit;
}

const cache = new Map<string, RegExp>();

/** A compiled regex, built once per source (label lists are fixed, and compiling dominates small inputs). */
export function compiled(source: string, flags: string): RegExp {
  const key = flags + source;
  let re = cache.get(key);
  if (!re) cache.set(key, (re = new RegExp(source, flags)));
  re.lastIndex = 0;
  return re;
}

/** Finds each label of `labels` (regex sources, best first) followed closely by a figure of `kind`. */
export function findLabelled(text: string, labels: readonly string[], kind: ValueKind): Candidate[] {
  const out: Candidate[] = [];
  labels.forEach((label, rank) => {
    const unit = kind === 'money' ? String.raw`(亿元|万元|万|元)?` : kind === 'pct' ? '(%)' : '(分)?';
    const re = compiled(String.raw`(?:${label})(${GAP})(${NUM})\s*${unit}`, 'gd');
    for (const m of text.matchAll(re)) {
      const gapText = m[1]!;
      const numStart = m.indices![2]![0];
      const after = text.slice(m.index! + m[0].length, m.index! + m[0].length + 2);
      // A figure followed by more digits, a percent sign or a non-money noun is not this label's figure.
      if (/^[\d.]/.test(after)) continue;
      if (kind !== 'pct' && /^\s*%/.test(after)) continue;
      if (kind === 'money' && m[3] === '万' && /^[人户亩次名个件床张]/.test(after)) continue;
      if (kind === 'score' && /^\s*(万|元|%|年|月|日|人|个|项|条|次)/.test(after)) continue;
      let value = parseNumber(m[2]!);
      if (value === null) continue;
      if (kind === 'money') {
        const u = m[3] ? ((m[3] === '万' ? '万元' : m[3]) as MoneyUnit) : unitAt(text, m.index!);
        // A bare number in prose is not an amount; in a form cell it takes the table's unit.
        if (!m[3] && !/[\t\n]/.test(gapText)) continue;
        value = toWan(value, u);
      }
      out.push({ value, start: numStart, end: m.index! + m[0].length, rank, gap: gapText.length, labelStart: m.index! });
    }
  });
  return out;
}

/** Candidates from header/value tables whose header matches one of `labels`. */
export function pairCandidates(text: string, pairs: Pair[], labels: readonly string[], kind: ValueKind): Candidate[] {
  const out: Candidate[] = [];
  for (const p of pairs) {
    const rank = labels.findIndex((l) => compiled(String.raw`^(?:${l})$`, '').test(p.label.replace(/[（(].*?[)）]/g, '')));
    if (rank < 0) continue;
    const raw = p.value.text;
    const hasPct = raw.includes('%');
    if (kind === 'pct' && !hasPct) continue;
    if (kind !== 'pct' && hasPct) continue;
    const num = parseNumber(raw.replace(/%|万元|元|分/g, '').trim());
    if (num === null) continue;
    const value = kind === 'money' ? toWan(num, /元$/.test(raw) && !/万元$/.test(raw) ? '元' : raw.endsWith('万元') ? '万元' : unitAt(text, p.value.start)) : num;
    out.push({ value, start: p.value.start, end: p.value.end, rank, gap: 0, labelStart: p.labelCell.start });
  }
  return out;
}

/** The best candidate: best label rank, then closest to its label, then earliest. */
export function best(cands: Candidate[]): Candidate | null {
  if (!cands.length) return null;
  return [...cands].sort((a, b) => a.rank - b.rank || Math.sign(a.gap - b.gap) * (Math.abs(a.gap - b.gap) > 6 ? 1 : 0) || a.start - b.start)[0]!;
}
