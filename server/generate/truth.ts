/**
 * The ground truth of one generated report: who reports, where, for which year, its figures, projects, problems and
 * indicators, drawn from realistic distributions. Layout writers turn it into text; gold labels record what they state.
 */
import { gradeForScore } from '../extract/amounts.ts';
import type { Grade, ReportKind } from '../schema.ts';
import { pickDepartment, type Department } from './departments.ts';
import { pickPlace, type GenPlace } from './places.ts';
import { sampleProblems, type Problem } from './problems.ts';
import type { Random } from './random.ts';
import { indicators, projectNames, type IndicatorSpec } from './vocab.ts';

/** Every layout the generator writes (see layouts.ts). */
export const LAYOUTS = [
  'prose_overall', 'listing_overall', 'dept_form', 'prose_projects',
  'form_tabs', 'form_pipes', 'form_cells', 'form_spaces', 'form_concat',
  'summary_tabs', 'summary_pipes', 'summary_spaces', 'summary_cells',
] as const;
export type Layout = (typeof LAYOUTS)[number];

const LAYOUT_WEIGHTS: ReadonlyArray<readonly [Layout, number]> = [
  ['prose_overall', 22], ['listing_overall', 9], ['dept_form', 9], ['prose_projects', 14],
  ['form_tabs', 8], ['form_pipes', 5], ['form_cells', 6], ['form_spaces', 4], ['form_concat', 3],
  ['summary_tabs', 7], ['summary_pipes', 4], ['summary_spaces', 5], ['summary_cells', 4],
];

/** Layouts whose tables are real tables (tab rows), the only ones a .docx or .pdf can carry. */
export const DOCUMENT_LAYOUTS: ReadonlySet<Layout> = new Set<Layout>([
  'prose_overall', 'listing_overall', 'dept_form', 'prose_projects', 'form_tabs', 'summary_tabs',
]);

/** One project's figures (万元 unless the report's unit is 元; rates in percent). */
export interface ProjectTruth {
  name: string;
  /** 年初预算数 */
  initial: number;
  /** 全年预算数 (after adjustments): the budget execution is measured against. */
  budget: number;
  received: number;
  spent: number;
  /** The execution rate as the report states it. */
  rate: number;
  score: number;
  /** The 执行率 sub-score out of 10 in a form's funds row. */
  execScore: number;
}

export interface ReportTruth {
  layout: Layout;
  place: GenPlace;
  dept: Department;
  year: number;
  /** A 2019–2021 style multi-year evaluation: the evaluated year is then not one year. */
  multiYear: boolean;
  kind: ReportKind;
  /** Money unit of forms and tables; prose always uses 万元 (or 亿元 for large totals). */
  unit: '万元' | '元';
  initial: number;
  budget: number;
  received: number;
  spent: number;
  /** Stated execution rate; differs from spent/budget when `rateBasis` is not the budget. */
  rate: number;
  /** What the stated rate was computed against: the budget, the funds received, or a contradictory figure. */
  rateBasis: 'budget' | 'received' | 'contradiction';
  score: number;
  /** The grade the report states (canonical), which contradicts the score in a few reports. */
  grade: Grade;
  /** The word the report uses for it (优秀, 良, 合格 …), or a tier (一等) for bureaus grading that way. */
  gradeWord: string;
  gradeMode: 'word' | 'none' | 'tier';
  projects: ProjectTruth[];
  problems: Problem[];
  indicators: IndicatorSpec[];
  staff: { total: number; admin: number; institution: number };
  /** Number of decimals amounts are written with. */
  decimals: number;
}

const GRADE_WORDS: Record<Grade, readonly string[]> = { 优: ['优', '优秀'], 良: ['良', '良好'], 中: ['中', '一般', '合格'], 差: ['差', '不合格'] };
const TIERS: Record<Grade, string> = { 优: '一等', 良: '二等', 中: '三等', 差: '四等' };

/** Rounds to `d` decimals without binary noise. */
export function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

/** An execution rate: mostly 100% or just below, a tail of low ones (some under 60%). */
function sampleRate(rng: Random): number {
  return rng.weighted<() => number>([
    [() => 100, 52],
    [() => rng.float(90, 99.99), 30],
    [() => rng.float(60, 90), 12],
    [() => rng.float(3, 60), 6],
  ])();
}

/** A self-evaluation score: mostly 85–100, some lower, a few failing. */
function sampleScore(rng: Random): number {
  const raw = rng.weighted<() => number>([
    [() => (rng.chance(0.12) ? 100 : Math.min(100, Math.max(82, rng.normal(94, 3.5)))), 85],
    [() => rng.float(70, 88), 12],
    [() => rng.float(40, 70), 3],
  ])();
  const d = rng.weighted([[0, 35], [1, 45], [2, 20]] as const);
  return Math.min(100, round(raw, d));
}

/** An amount in 万元 drawn log-normally around `median`, within [lo, hi], with `d` decimals. */
function amount(rng: Random, median: number, spread: number, lo: number, hi: number, d: number): number {
  return round(Math.min(hi, Math.max(lo, Math.exp(rng.normal(Math.log(median), spread)))), d);
}

function sampleProject(name: string, rng: Random, d: number): ProjectTruth {
  const budget = amount(rng, 60, 1.4, 0.5, 150000, d);
  const initial = rng.chance(0.65) ? budget : round(budget * rng.float(0.6, 1.15), d);
  const target = sampleRate(rng);
  const spent = target === 100 ? budget : round((budget * target) / 100, d);
  const received = rng.chance(0.85) ? budget : round(Math.max(spent, budget * rng.float(0.3, 1)), d);
  const rate = round((spent / budget) * 100, 2);
  const score = sampleScore(rng);
  const execScore = Math.min(10, round((rate / 10) * (rng.chance(0.8) ? 1 : rng.float(0.8, 1)), 1));
  return { name, initial, budget, received, spent, rate, score, execScore };
}

/** Draws the truth of one report, in one of `layouts` (default: any). */
export function sampleTruth(rng: Random, layouts: ReadonlySet<Layout> | null = null): ReportTruth {
  const layout = rng.weighted(layouts ? LAYOUT_WEIGHTS.filter(([l]) => layouts.has(l)) : LAYOUT_WEIGHTS);
  const place = pickPlace(rng);
  const dept = pickDepartment(place, rng);
  const year = rng.int(2019, 2025);
  const multiYear = layout === 'prose_projects' && rng.chance(0.03);
  const kind: ReportKind = /^(?:prose_projects|form_|summary_)/.test(layout) ? 'project' : 'department_overall';
  const formLike = /^(?:form_|summary_)/.test(layout);
  const unit = formLike && rng.chance(0.15) ? '元' : '万元';
  // A form in 元 carries cents: six decimals in 万元.
  const decimals = unit === '元' ? 6 : rng.weighted([[2, 80], [1, 8], [4, 7], [0, 4], [6, 1]] as const);

  const budget = kind === 'department_overall' ? amount(rng, 900, 1.3, 30, 300000, decimals) : amount(rng, 80, 1.4, 0.5, 150000, decimals);
  const initial = rng.chance(0.55) ? budget : round(budget * rng.float(0.7, 1.1), decimals);
  const target = sampleRate(rng);
  const rateBasis = rng.weighted([['budget', 92], ['received', 5], ['contradiction', 3]] as const);
  let spent = target === 100 ? budget : round((budget * target) / 100, decimals);
  let received = rng.chance(0.85) ? budget : round(Math.max(spent, budget * rng.float(0.5, 1)), decimals);
  let rate = round((spent / budget) * 100, 2);
  if (rateBasis === 'received') {
    // The rate is spent / funds received (100%), while spent / budget is lower: a contradiction to flag.
    if (spent >= budget) spent = round(budget * rng.float(0.7, 0.97), decimals);
    received = spent;
    rate = 100;
  } else if (rateBasis === 'contradiction') {
    rate = rate >= 99 ? round(rng.float(80, 95), 2) : 100;
  }
  if (rateBasis === 'budget' && rng.chance(0.1)) rate = round(rate, rate > 99.5 ? 2 : 1);

  const score = sampleScore(rng);
  const derived = gradeForScore(score);
  const contradict = rng.chance(0.03);
  const grades: Grade[] = ['优', '良', '中', '差'];
  const grade = contradict ? rng.pick(grades.filter((g) => g !== derived)) : derived;
  const gradeMode = rng.weighted([['word', 62], ['none', 33], ['tier', 5]] as const);
  const gradeWord = gradeMode === 'tier' ? TIERS[grade] : rng.pick(GRADE_WORDS[grade]);

  const projectCount = layout.startsWith('form_') ? 1
    : kind === 'project' ? rng.int(3, 12)
    : layout === 'listing_overall' ? rng.int(3, 8)
    : rng.chance(0.35) ? rng.int(2, 6) : 0;
  const names = projectNames(dept.kind, year, projectCount, rng);
  const projects = names.map((name) => sampleProject(name, rng, decimals));
  if (kind === 'department_overall' && projects.length) {
    // A department's projects are part of its budget.
    const total = projects.reduce((sum, p) => sum + p.budget, 0);
    const factor = (budget * rng.float(0.3, 0.8)) / total;
    if (factor < 1) {
      for (const p of projects) {
        const share = p.spent / p.budget;
        p.budget = Math.max(0.01, round(p.budget * factor, decimals));
        p.initial = Math.max(0.01, round(p.initial * factor, decimals));
        p.spent = round(p.budget * share, decimals);
        p.received = Math.max(p.spent, round(p.received * factor, decimals));
        p.rate = round((p.spent / p.budget) * 100, 2);
        p.execScore = Math.min(10, round(p.rate / 10, 1));
      }
    }
  }
  if (layout.startsWith('form_')) {
    // A single-project form is the report: its figures are the report's.
    Object.assign(projects[0]!, { initial, budget, received, spent, rate, score, execScore: Math.min(10, round(rate / 10, 1)) });
  }
  const specs = indicators(dept.kind, budget, rng);
  const level = place.level === 'county' ? (place.county!.endsWith('区') ? '区' : place.county!.endsWith('市') ? '市' : '县')
    : place.level === 'city' ? '市' : '省';
  const problems = sampleProblems(rng, {
    projects: names,
    indicators: specs.filter((s) => s.level2 === '数量指标').map((s) => s.level3),
    level,
    year,
  });
  const institution = rng.int(0, 4);
  const admin = rng.int(5, 60);
  return {
    layout, place, dept, year, multiYear, kind, unit, initial, budget, received, spent, rate, rateBasis, score, grade,
    gradeWord, gradeMode, projects, problems, indicators: specs,
    staff: { total: admin + rng.int(0, 80), admin, institution },
    decimals,
  };
}
