/** Stage 3: headings and the sections a finance reviewer reads (title block, problems, suggestions). */

export interface Section {
  heading: string;
  /** Offsets of the section body (after the heading line) in the normalised text. */
  start: number;
  end: number;
}

/** A numbered heading: 一、 （一） (1) 1、 1. 第一 — followed by a short title. */
export const NUMBERED = /^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d{1,2}\s*(?:、|[.．](?!\d))|第[一二三四五六七八九十]+[、部分章节]?)\s*/;

const PROBLEM_HEADING = /(?:存在|发现|主要)[的]?(?:主要)?(?:问题|不足)|问题(?:及|和|与)(?:原因|建议|整改)|^(?:主要)?问题$|^(?:存在)?问题(?:分析)?$/;
const SUGGESTION_HEADING = /(?:改进|整改|完善|下一步|下步|有关|意见)(?:的)?(?:建议|措施|意见|方向|计划|打算|工作)|^(?:建议|意见建议|对策建议)$/;

/** Text of a heading line without its number and trailing punctuation. */
export function headingTitle(line: string): string {
  return line.replace(NUMBERED, '').replace(/[。.:：\s]+$/, '').trim();
}

/** True for a line that reads as a heading (numbered and short, or a short line naming a section). */
export function isHeading(line: string): boolean {
  const t = line.trim();
  if (!t || t.length > 40) return false;
  if (NUMBERED.test(t)) {
    const title = headingTitle(t);
    return title.length > 0 && title.length <= 24 && !/[，,；;]/.test(title) && !/。./.test(t);
  }
  return false;
}

/** An unnumbered heading (Word's automatic numbering is lost in extraction): a short line naming a known section. */
function isBareHeading(line: string): boolean {
  const t = line.trim().replace(/[。.:：]$/, '');
  if (!t || t.length > 20 || /[，,；;。]/.test(t) || NUMBERED.test(t)) return false;
  return PROBLEM_HEADING.test(t) || SUGGESTION_HEADING.test(t);
}

interface HeadingLine {
  title: string;
  lineStart: number;
  bodyStart: number;
}

function headings(text: string): HeadingLine[] {
  const out: HeadingLine[] = [];
  let pos = 0;
  for (const line of text.split('\n')) {
    if (isHeading(line) || isBareHeading(line)) out.push({ title: headingTitle(line), lineStart: pos, bodyStart: pos + line.length + 1 });
    pos += line.length + 1;
  }
  return out;
}

function sectionsMatching(text: string, re: RegExp, stopRe: RegExp | null): Section[] {
  const hs = headings(text);
  const out: Section[] = [];
  hs.forEach((h, i) => {
    if (!re.test(h.title)) return;
    // The section runs to the next heading, or to the next heading that is not a sub-point of this one.
    let end = text.length;
    for (let j = i + 1; j < hs.length; j++) {
      const next = hs[j]!;
      if (stopRe?.test(next.title) || !isSubpoint(text, h, next)) {
        end = next.lineStart;
        break;
      }
    }
    out.push({ heading: h.title, start: Math.min(h.bodyStart, text.length), end });
  });
  return out;
}

/** A heading nested under `parent` (1、 under 一、), judged by numbering style. */
function isSubpoint(text: string, parent: HeadingLine, child: HeadingLine): boolean {
  const style = (h: HeadingLine) => {
    const l = text.slice(h.lineStart, h.bodyStart).trim();
    if (/^[一二三四五六七八九十]+\s*[、.．]/.test(l)) return 0;
    if (/^[（(]\s*[一二三四五六七八九十]+/.test(l)) return 1;
    if (/^\d{1,2}\s*[、.．]/.test(l)) return 2;
    if (/^[（(]\s*\d/.test(l)) return 3;
    return 0;
  };
  return style(child) > style(parent);
}

/**
 * Form rows whose first cell names the section and whose other cells hold it: "存在的问题\t1、…2、…" or
 * "| 改进措施 | 1、… |" (self-evaluation forms put problems and measures in table rows).
 */
function rowSections(text: string, re: RegExp): Section[] {
  const out: Section[] = [];
  let pos = 0;
  for (const line of text.split('\n')) {
    // Split off the first cell by hand: a regex over long runs of blanks backtracks badly.
    const lead = line.length - line.trimStart().length;
    let from = lead;
    if (line[from] === '|') from++;
    let sep = from;
    while (sep < line.length && line[sep] !== '\t' && line[sep] !== '|') sep++;
    const first = line.slice(from, sep).trim();
    let body = sep;
    while (body < line.length && (line[body] === '\t' || line[body] === '|' || line[body] === ' ')) body++;
    if (sep < line.length && body < line.length && first.length >= 2 && first.length <= 24 && !/[，。；]/.test(first) && re.test(headingTitle(first))) {
      out.push({ heading: first, start: pos + body, end: pos + line.length });
    }
    pos += line.length + 1;
  }
  return out;
}

/** The problems sections (存在问题, 存在的问题和建议, 问题及原因分析, 自评发现的主要问题 …). */
export function problemSections(text: string): Section[] {
  const found = [...sectionsMatching(text, PROBLEM_HEADING, SUGGESTION_HEADING), ...rowSections(text, PROBLEM_HEADING)];
  if (found.length) return found;
  // No heading: a sentence announcing the problems ("但仍存在一些不足，一是…") opens them, up to its paragraph end.
  const m = /(?:存在|发现|仍有|还有)(?:以下|一些|的|如下|部分)?(?:主要)?(?:问题|不足)(?:和不足|及不足)?[，,:：]/.exec(text);
  if (!m) return [];
  const start = m.index + m[0].length;
  const nl = text.indexOf('\n', start);
  return [{ heading: m[0], start, end: nl < 0 ? text.length : nl }];
}

/** The suggestions / corrective-measures sections (改进建议, 整改措施, 有关建议 …). */
export function suggestionSections(text: string): Section[] {
  return [...sectionsMatching(text, SUGGESTION_HEADING, PROBLEM_HEADING), ...rowSections(text, SUGGESTION_HEADING)];
}

/** The title block: the lines before the first numbered heading (at most the first 12 lines). */
export function titleBlock(text: string): Section {
  const lines = text.split('\n');
  let pos = 0;
  let count = 0;
  for (const line of lines) {
    if (NUMBERED.test(line.trim()) || count >= 12) break;
    pos += line.length + 1;
    if (line.trim()) count++;
  }
  return { heading: '', start: 0, end: Math.min(pos, text.length) };
}
