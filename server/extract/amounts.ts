/** Numbers, money units, percentages and years as reports write them. */

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** Parses a Chinese numeral (三百二十五, 一千零五, 十二, 二〇二三) into a number, or null. */
export function parseChineseNumeral(s: string): number | null {
  if (!s || !/^[零〇一二两三四五六七八九十百千万亿点]+$/.test(s)) return null;
  // Digit-by-digit form (二〇二三).
  if (!/[十百千万亿点]/.test(s)) return Number([...s].map((c) => CN_DIGITS[c]).join(''));
  const [intPart, fracPart] = s.split('点');
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const c of intPart!) {
    if (c in CN_DIGITS) digit = CN_DIGITS[c]!;
    else if (c in CN_UNITS) {
      section += (digit || 1) * CN_UNITS[c]!;
      digit = 0;
    } else if (c === '万' || c === '亿') {
      total += (section + digit) * (c === '万' ? 1e4 : 1e8);
      section = 0;
      digit = 0;
    }
  }
  total += section + digit;
  if (fracPart) total += Number('0.' + [...fracPart].map((c) => CN_DIGITS[c] ?? 0).join(''));
  return total;
}

/** Parses an Arabic number as written in reports: thousands separators, stray inner spaces. */
export function parseNumber(s: string): number | null {
  const cleaned = s.replace(/[,，](?=\d{3}(?!\d))/g, '').replace(/\s+/g, '');
  if (!/^[-+]?\d+(\.\d+)?$/.test(cleaned)) return parseChineseNumeral(cleaned);
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : null;
}

export type MoneyUnit = '元' | '万元' | '亿元';

/** Converts an amount in `unit` to 万元, rounded to 6 decimals to avoid binary noise. */
export function toWan(value: number, unit: MoneyUnit): number {
  const wan = unit === '元' ? value / 10_000 : unit === '亿元' ? value * 10_000 : value;
  return Math.round(wan * 1e6) / 1e6;
}

/** A number literal as it stands in the text (digits, decimals, thousands separators). */
export const NUM = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;

export interface Money {
  wan: number;
  start: number;
  end: number;
}

const MONEY_RE = new RegExp(String.raw`(${NUM})\s*(亿元|万元|万|元)(?![/／]\s*(?:人|户|年|月|亩|吨|次|个|平方|件|天|床|张))`, 'g');

/**
 * Every money amount in `text` (offset by `base`), in 万元. "万" alone counts as 万元 unless followed by
 * a non-money noun (万人, 万亩, 万次 …); per-unit prices (元/人) and per-capita phrasing are skipped.
 */
export function findMoney(text: string, base = 0): Money[] {
  const out: Money[] = [];
  for (const m of text.matchAll(MONEY_RE)) {
    const unitText = m[2]!;
    const after = text.slice(m.index! + m[0].length, m.index! + m[0].length + 2);
    if (unitText === '万' && /^[人户亩次名元个件床张套台辆株头只平公吨千米册份余多]/.test(after) && !after.startsWith('元')) continue;
    if (unitText === '万' && /^(?:人|户|亩)/.test(after)) continue;
    const before = text.slice(Math.max(0, m.index! - 3), m.index!);
    if (/每(?:人|户|年|月|亩)?$/.test(before) || /[每]\S?$/.test(before)) continue;
    const value = parseNumber(m[1]!);
    if (value === null) continue;
    const unit: MoneyUnit = unitText === '万' ? '万元' : (unitText as MoneyUnit);
    out.push({ wan: toWan(value, unit), start: base + m.index!, end: base + m.index! + m[0].length });
  }
  return out;
}

/** Maps a stated grade (优秀, 良好, 一般, 合格, 不及格 …) to the national 优/良/中/差 scale, or null. */
export function canonicalGrade(s: string): '优' | '良' | '中' | '差' | null {
  const t = s.replace(/[\s"“”'‘’「」]/g, '');
  if (/^(优秀|优)/.test(t)) return '优';
  if (/^(良好|良)/.test(t)) return '良';
  if (/^(不及格|不合格|差|较差)/.test(t)) return '差';
  if (/^(一般|中等|中|及格|合格)/.test(t)) return '中';
  return null;
}

/** The grade the national scale gives a score: 90+ 优, 80+ 良, 60+ 中, below 差. */
export function gradeForScore(score: number): '优' | '良' | '中' | '差' {
  return score >= 90 ? '优' : score >= 80 ? '良' : score >= 60 ? '中' : '差';
}
