/**
 * Damage real report text carries (FORMATS.md §Damage and noise): OCR errors, traditional characters with pinyin,
 * full-width digits, stray spaces in numbers, PDF line breaks with repeated page headers, and wrapper banners.
 * Every transform keeps the text readable to a person: a gold label stays true after it.
 */
import type { Random } from './random.ts';

/** The kinds of damage a generated report may carry. */
export const DAMAGES = ['ocr', 'traditional', 'fullwidth', 'spaces', 'linebreaks', 'banner'] as const;
export type Damage = (typeof DAMAGES)[number];

// Simplified → traditional for the vocabulary of these reports (a superset of what OCR and converters produce).
const SIMP = '评价预执报项资额际实绩标准达优产数据质问题费财务况为与单号万亿县区厅医疗农业乡镇机关总计划规范审过进运营设备购门体处于这个们对将应发经济会义导专传层级统筹结余转调险卫环态护确认证书开迟缓严违采办纪录档励职权责贯彻纳税盘闲学测验续积极满时间长东较岗领织组编效';
const TRAD = '評價預執報項資額際實績標準達優產數據質問題費財務況為與單號萬億縣區廳醫療農業鄉鎮機關總計劃規範審過進運營設備購門體處於這個們對將應發經濟會義導專傳層級統籌結餘轉調險衛環態護確認證書開遲緩嚴違採辦紀錄檔勵職權責貫徹納稅盤閒學測驗續積極滿時間長東較崗領織組編效';
const TO_TRAD: Record<string, string> = Object.fromEntries([...SIMP].map((c, i) => [c, [...TRAD][i]!]));
const PINYIN: Record<string, string> = { 關: 'guān', 於: 'yú', 價: 'jià', 資: 'zī', 項: 'xiàng', 經: 'jīng' };

/** Picks the damage a report carries; line breaks only where the text is not laid out by a document writer. */
export function pickDamage(rng: Random, plainText: boolean): Damage[] {
  const out: Damage[] = [];
  if (rng.chance(0.06)) out.push('ocr');
  if (rng.chance(0.03)) out.push('traditional');
  if (rng.chance(0.05)) out.push('fullwidth');
  if (rng.chance(0.08)) out.push('spaces');
  if (plainText && rng.chance(0.12)) out.push('linebreaks');
  if (rng.chance(0.12)) out.push('banner');
  return out;
}

const NUMBER = /\d+(?:\.\d+)?/g;

/** OCR errors: 万兀 for 万元, letter O for 0 and I for 1 inside numbers, IO for 10, rarely + for a decimal point. */
export function ocr(text: string, rng: Random): string {
  let t = text.replace(/万元/g, (m) => (rng.chance(0.4) ? '万兀' : m));
  t = t.replace(NUMBER, (n) => {
    if (n === '10' && rng.chance(0.3)) return 'IO';
    let s = n;
    if (/\d0\d/.test(s) && rng.chance(0.3)) s = s.replace(/(\d)0(?=\d)/, '$1O');
    if (/\.\d/.test(s) && rng.chance(0.02)) s = s.replace('.', '+');
    return s;
  });
  return t;
}

/** Traditional characters for most of the report vocabulary, with a pinyin gloss after a few. */
export function traditional(text: string, rng: Random): string {
  const glossed = rng.chance(0.4);
  return text.replace(/[\u4e00-\u9fa5]/g, (c) => {
    const trad = TO_TRAD[c];
    if (!trad || !rng.chance(0.85)) return c;
    return glossed && PINYIN[trad] && rng.chance(0.3) ? `${trad}(${PINYIN[trad]})` : trad;
  });
}

/** Full-width digits, points and percent signs in some figures (or all of them). */
export function fullWidth(text: string, rng: Random): string {
  const all = rng.chance(0.4);
  return text.replace(/\d+(?:\.\d+)?%?/g, (n) =>
    all || rng.chance(0.5) ? n.replace(/[\d.%]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)) : n,
  );
}

/** Stray spaces inside decimals ("42. 6") and after percent signs. */
export function straySpaces(text: string, rng: Random): string {
  return text
    .replace(/(\d)\.(\d)/g, (m, a: string, b: string) => (rng.chance(0.25) ? `${a}. ${b}` : m))
    .replace(/%(?=[，。；、])/g, (m) => (rng.chance(0.3) ? '% ' : m));
}

/** True for a line that is a table row (cells split by tabs, `|` or runs of spaces). */
function isTableLine(line: string): boolean {
  return /\t|\||\s{3,}/.test(line) || (line.match(/ /g)?.length ?? 0) >= 4;
}

/**
 * Hard line breaks where a PDF page ended its lines (inside phrases and numbers, sometimes with a blank line between
 * the halves), and a running header and page number every page.
 */
export function pdfLineBreaks(text: string, rng: Random, header: string): string {
  const width = rng.int(32, 48);
  const pageLines = rng.int(38, 52);
  const out: string[] = [];
  let onPage = 0;
  let page = 1;
  const push = (line: string) => {
    out.push(line);
    if (++onPage >= pageLines) {
      out.push('', rng.chance(0.5) ? `— ${page} —` : `第 ${page} 页`, header);
      page++;
      onPage = 0;
    }
  };
  for (const line of text.split('\n')) {
    if (line.length <= width || isTableLine(line)) {
      push(line);
      continue;
    }
    for (let i = 0; i < line.length; i += width) {
      push(line.slice(i, i + width));
      if (i + width < line.length && rng.chance(0.15)) push('');
    }
  }
  return out.join('\n');
}

/** Applies `damage` (banner excepted, which the caller prepends) in a fixed order. */
export function applyDamage(text: string, damage: readonly Damage[], rng: Random, header: string): string {
  let t = text;
  if (damage.includes('traditional')) t = traditional(t, rng);
  if (damage.includes('ocr')) t = ocr(t, rng);
  if (damage.includes('spaces')) t = straySpaces(t, rng);
  if (damage.includes('fullwidth')) t = fullWidth(t, rng);
  if (damage.includes('linebreaks')) t = pdfLineBreaks(t, rng, header);
  return t;
}
