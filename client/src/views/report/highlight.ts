/** Pure helpers for the report text: provenance marks, the sentence around a span, and flat segments to render. */
import type { Extraction, Span } from '../../../../server/schema.ts';

/** What a mark points back to in the extracted-records panel. */
export type MarkKind = 'field' | 'project' | 'indicator' | 'issue' | 'suggestion' | 'flag';

/** One highlighted range of the text; `key` is also the `focus` URL value that selects it (`project:2:budget_wan`). */
export interface Mark {
  key: string;
  kind: MarkKind;
  start: number;
  end: number;
}

/** A run of text with the marks that cover all of it. */
export interface Segment {
  start: number;
  end: number;
  marks: Mark[];
}

/** Every provenance span of an extraction as a mark (empty or out-of-range spans left out). */
export function marksOf(x: Extraction): Mark[] {
  const out: Mark[] = [];
  const add = (key: string, kind: MarkKind, span: Span | undefined) => {
    if (span && span.start >= 0 && span.end > span.start && span.end <= x.text.length) out.push({ key, kind, start: span.start, end: span.end });
  };
  for (const [field, span] of Object.entries(x.report.spans)) add(`field:${field}`, 'field', span);
  x.projects.forEach((p, i) => { for (const [field, span] of Object.entries(p.spans)) add(`project:${i}:${field}`, 'project', span); });
  x.indicators.forEach((d, i) => add(`indicator:${i}`, 'indicator', d.span));
  x.issues.forEach((s, i) => add(`issue:${i}`, 'issue', s.span));
  x.suggestions.forEach((s, i) => add(`suggestion:${i}`, 'suggestion', s.span));
  x.flags.forEach((f, i) => f.spans.forEach((span, j) => add(`flag:${i}:${j}`, 'flag', span)));
  return out;
}

/** Figure fields of a project tried, in order, when a whole project is focused. */
const PROJECT_FIGURES = ['execution_rate_pct', 'spent_wan', 'budget_wan', 'score', 'funds_received_wan', 'name'];

/**
 * The span a `focus` value points at: an exact mark key, or for `project:<i>` its most telling figure, or for
 * `flag:<i>` its first span.
 */
export function focusSpan(marks: Mark[], focus: string | null): Mark | undefined {
  if (!focus) return undefined;
  const exact = marks.find((m) => m.key === focus);
  if (exact) return exact;
  const project = /^project:(\d+)$/.exec(focus);
  if (project) {
    for (const f of PROJECT_FIGURES) {
      const m = marks.find((k) => k.key === `project:${project[1]}:${f}`);
      if (m) return m;
    }
    return marks.find((m) => m.key.startsWith(`project:${project[1]}:`));
  }
  return marks.find((m) => m.key.startsWith(`${focus}:`));
}

const SENTENCE_END = /[。！？!?；;\n]/;

/** The sentence (or table line) around `span`: from after the previous 。！？；/newline to the next one, inclusive. */
export function sentenceAround(text: string, span: { start: number; end: number }): { start: number; end: number } {
  let start = Math.max(0, Math.min(span.start, text.length));
  while (start > 0 && !SENTENCE_END.test(text[start - 1]!)) start--;
  let end = Math.max(start, Math.min(span.end, text.length));
  while (end < text.length && !SENTENCE_END.test(text[end]!)) end++;
  if (end < text.length && text[end] !== '\n') end++;
  // Leading whitespace is layout, not part of the sentence.
  while (start < span.start && /\s/.test(text[start]!)) start++;
  return { start, end: Math.max(end, span.end) };
}

/** Cuts [from, to) of the text into runs at every mark boundary; each run lists the marks covering it. */
export function segment(marks: Mark[], from: number, to: number): Segment[] {
  const cuts = new Set([from, to]);
  for (const m of marks) {
    if (m.start > from && m.start < to) cuts.add(m.start);
    if (m.end > from && m.end < to) cuts.add(m.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    out.push({ start, end, marks: marks.filter((m) => m.start <= start && m.end >= end) });
  }
  return out;
}
