import { describe, expect, it } from 'vitest';
import type { Extraction } from '../server/schema.ts';
import { focusSpan, marksOf, segment, sentenceAround } from '../client/src/views/report/highlight.ts';

const text = '一、基本情况\n本年度预算 120.5 万元，执行率为 45.2%。项目得分 92 分！\n二、问题：执行进度慢；';
const at = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });

const x = {
  text,
  report: { spans: { budget_wan: at('120.5'), score: at('999') } },
  projects: [{ name: '某项目', spans: { execution_rate_pct: at('45.2%'), score: at('92') } }],
  indicators: [],
  issues: [{ category: 'EXEC_SLOW', text: '执行进度慢', span: at('执行进度慢') }],
  suggestions: [],
  flags: [{ code: 'LOW_EXEC_HIGH_SCORE', spans: [at('45.2%'), at('92')] }],
} as unknown as Extraction;

describe('report text highlighting', () => {
  it('collects every span as a mark, dropping ones outside the text', () => {
    const keys = marksOf(x).map((m) => m.key);
    expect(keys).toEqual(['field:budget_wan', 'project:0:execution_rate_pct', 'project:0:score', 'issue:0', 'flag:0:0', 'flag:0:1']);
  });

  it('focuses a project on its execution rate, a flag on its first span', () => {
    const marks = marksOf(x);
    expect(focusSpan(marks, 'project:0')?.key).toBe('project:0:execution_rate_pct');
    expect(focusSpan(marks, 'project:0:score')?.key).toBe('project:0:score');
    expect(focusSpan(marks, 'flag:0')?.key).toBe('flag:0:0');
    expect(focusSpan(marks, 'project:7')).toBeUndefined();
  });

  it('finds the sentence around a figure', () => {
    const s = sentenceAround(text, at('45.2%'));
    expect(text.slice(s.start, s.end)).toBe('本年度预算 120.5 万元，执行率为 45.2%。');
    const t = sentenceAround(text, at('执行进度慢'));
    expect(text.slice(t.start, t.end)).toBe('二、问题：执行进度慢；');
  });

  it('cuts text into runs at mark boundaries, keeping overlaps', () => {
    const marks = marksOf(x);
    const s = sentenceAround(text, at('45.2%'));
    const runs = segment(marks, s.start, s.end);
    expect(runs.map((r) => text.slice(r.start, r.end)).join('')).toBe(text.slice(s.start, s.end));
    const rate = runs.find((r) => text.slice(r.start, r.end) === '45.2%')!;
    expect(rate.marks.map((m) => m.key)).toEqual(['project:0:execution_rate_pct', 'flag:0:0']);
  });
});
