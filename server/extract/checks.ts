/** Stage 5: consistency checks a finance reviewer would raise, each naming the figures involved. */
import type { Flag, Project, Report, Span } from '../schema.ts';
import { gradeForScore } from './amounts.ts';

/** A figure rounded to 2 decimals with thousands separators (Intl is slow on the ingest hot path). */
const fmt = (n: number) => {
  const [int, frac] = String(Math.round(n * 100) / 100).split('.');
  return int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac ? '.' + frac : '');
};

/** spent / budget in percent, rounded to 2 decimals; null when either is missing or the budget is 0. */
export function computedRate(spent: number | null, budget: number | null): number | null {
  if (spent === null || budget === null || budget <= 0) return null;
  return Math.round((spent / budget) * 10000) / 100;
}

type Figures = Pick<Report, 'budget_wan' | 'spent_wan' | 'execution_rate_pct' | 'score'> & { spans: Record<string, Span> };

function rateFlags(f: Figures, project: string | null): Flag[] {
  const out: Flag[] = [];
  const who = project ? `项目“${project}”` : '报告';
  const whoEn = project ? `Project "${project}"` : 'The report';
  const spans = (keys: string[]) => keys.map((k) => f.spans[k]).filter((s): s is Span => !!s);
  const computed = computedRate(f.spent_wan, f.budget_wan);
  if (f.execution_rate_pct !== null && computed !== null && Math.abs(f.execution_rate_pct - computed) > 1) {
    out.push({
      code: 'RATE_MISMATCH',
      project,
      message_zh: `${who}所述执行率 ${fmt(f.execution_rate_pct)}% 与支出/预算 ${fmt(f.spent_wan!)}/${fmt(f.budget_wan!)} 万元 = ${fmt(computed)}% 相差超过 1 个百分点`,
      message_en: `${whoEn} states an execution rate of ${fmt(f.execution_rate_pct)}%, but spent/budget ${fmt(f.spent_wan!)}/${fmt(f.budget_wan!)} (10k yuan) gives ${fmt(computed)}%`,
      figures: { execution_rate_pct: f.execution_rate_pct, execution_rate_computed_pct: computed, spent_wan: f.spent_wan, budget_wan: f.budget_wan },
      spans: spans(['execution_rate_pct', 'spent_wan', 'budget_wan']),
    });
  }
  const rate = f.execution_rate_pct ?? computed;
  if (rate !== null && rate < 60 && f.score !== null && f.score >= 90) {
    out.push({
      code: 'LOW_EXEC_HIGH_SCORE',
      project,
      message_zh: `${who}执行率仅 ${fmt(rate)}%，自评得分却为 ${fmt(f.score)} 分`,
      message_en: `${whoEn} executed only ${fmt(rate)}% of its budget yet scored ${fmt(f.score)}`,
      figures: { execution_rate_pct: rate, score: f.score },
      spans: spans(['execution_rate_pct', 'score']),
    });
  }
  return out;
}

/** All flags for a report and its projects. */
export function checkConsistency(report: Report, projects: Project[]): Flag[] {
  const flags = rateFlags(report, null);
  if (report.grade_stated && report.grade && report.score !== null && gradeForScore(report.score) !== report.grade) {
    const expected = gradeForScore(report.score);
    flags.push({
      code: 'GRADE_SCORE_MISMATCH',
      project: null,
      message_zh: `评价等级“${report.grade_stated}”与得分 ${fmt(report.score)} 分不符（按 90/80/60 分档应为“${expected}”）`,
      message_en: `Grade "${report.grade_stated}" does not match the score ${fmt(report.score)} (the 90/80/60 scale gives "${expected}")`,
      figures: { score: report.score },
      spans: [report.spans.grade, report.spans.score].filter((s): s is Span => !!s),
    });
  }
  for (const p of projects) flags.push(...rateFlags(p, p.name));
  const budgets = projects.map((p) => p.budget_wan).filter((b): b is number => b !== null);
  const sum = budgets.reduce((a, b) => a + b, 0);
  if (report.budget_wan !== null && budgets.length >= 2 && sum > report.budget_wan * 1.005 + 0.01) {
    flags.push({
      code: 'PROJECTS_EXCEED_TOTAL',
      project: null,
      message_zh: `${budgets.length} 个项目预算合计 ${fmt(sum)} 万元，超过部门预算总额 ${fmt(report.budget_wan)} 万元`,
      message_en: `${budgets.length} project budgets add up to ${fmt(sum)} (10k yuan), more than the department total of ${fmt(report.budget_wan)}`,
      figures: { projects_budget_sum_wan: Math.round(sum * 100) / 100, budget_wan: report.budget_wan },
      spans: [report.spans.budget_wan].filter((s): s is Span => !!s),
    });
  }
  return flags;
}
