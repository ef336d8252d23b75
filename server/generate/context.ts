/**
 * What every layout writer shares: the truth, the random stream, number formatting as reports write figures, and the
 * gold draft in which a writer records each figure at the moment it writes it into the text.
 */
import { gradeForScore } from '../extract/amounts.ts';
import type { Grade, IssueCategory } from '../schema.ts';
import { financeBureau, issuerStem } from './departments.ts';
import type { GoldFigure, GoldLabel, GoldProject } from './gold.ts';
import { enumerate, measuresFor, MEASURE_HEADINGS, NO_PROBLEM, PROBLEM_HEADINGS, reasonFor, type ItemStyle } from './problems.ts';
import type { Random } from './random.ts';
import { round, type ReportTruth } from './truth.ts';

/** Collects what the text states; `finish` turns it into a gold label. */
export class GoldDraft {
  readonly report: Partial<Record<GoldFigure, number | null>> = {};
  grade: Grade | null = null;
  gradeStated = false;
  readonly optional: Record<string, number | string | null> = {};
  readonly projects: GoldProject[] = [];
  readonly issues = new Set<IssueCategory>();
  readonly notes: string[] = [];
  /** The report names no department (only 我单位): department and region are then not stated. */
  anonymous = false;
  /** The text carries the report's performance indicator table. */
  indicatorTable = false;

  /** Records a report figure as stated (the first statement wins; later ones repeat it). */
  state(field: GoldFigure, value: number): void {
    if (!(field in this.report)) this.report[field] = value;
  }

  /** Records the stated grade (canonical). */
  stateGrade(grade: Grade | null): void {
    this.grade = grade;
    this.gradeStated = true;
  }

  finish(source: string, t: ReportTruth): GoldLabel {
    const report: GoldLabel['report'] = {
      department: this.anonymous ? null : t.dept.name,
      province: this.anonymous ? null : t.place.province,
      city: this.anonymous ? null : t.place.city,
      county: this.anonymous ? null : t.place.county,
      year: t.multiYear ? null : t.year,
      kind: t.kind,
      budget_wan: this.report.budget_wan ?? null,
      ...(this.report.funds_received_wan !== undefined ? { funds_received_wan: this.report.funds_received_wan } : {}),
      spent_wan: this.report.spent_wan ?? null,
      execution_rate_pct: this.report.execution_rate_pct ?? null,
      score: this.report.score ?? null,
    };
    const optional = { ...this.optional };
    for (const key of Object.keys(optional)) {
      const field = key.replace(/^report\./, '') as GoldFigure;
      if (report[field] === null) delete report[field];
    }
    // A grade the report does not state may be derived from the score (README): optional then.
    if (this.gradeStated && this.grade !== null) report.grade = this.grade;
    else if (typeof report.score === 'number') optional['report.grade'] = gradeForScore(report.score);
    else report.grade = null;
    return {
      source,
      report,
      ...(Object.keys(optional).length ? { optional } : {}),
      projects: this.projects,
      issue_categories: [...this.issues].sort(),
      ...(this.notes.length ? { notes: this.notes.join(' ') } : {}),
    };
  }
}

/** Everything a layout writer needs. */
export interface Ctx {
  rng: Random;
  t: ReportTruth;
  gold: GoldDraft;
  /** Space written around figures in prose (Word-to-text conversions give "2025 年 358.84 万元"). */
  sp: string;
  finance: string;
  published: { y: number; m: number; d: number };
  /** Tables write amounts with fixed decimals (46.8500) rather than as short as possible (46.85). */
  fixedDecimals: boolean;
}

/** A new writing context for `t`. */
export function createCtx(t: ReportTruth, rng: Random): Ctx {
  return {
    rng,
    t,
    gold: new GoldDraft(),
    sp: rng.chance(0.3) ? ' ' : '',
    finance: financeBureau(t.place),
    published: { y: t.year + 1, m: rng.int(1, 8), d: rng.int(1, 28) },
    fixedDecimals: t.decimals >= 2 && rng.chance(0.5),
  };
}

/** A figure as reports write it: trailing zeros dropped in prose, fixed decimals in tables, optional thousands commas. */
export function num(x: number, opts: { fixed?: number; commas?: boolean } = {}): string {
  let s = opts.fixed !== undefined ? x.toFixed(opts.fixed) : String(round(x, 6));
  if (opts.commas) {
    const [int, frac] = s.split('.');
    s = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac !== undefined ? `.${frac}` : '');
  }
  return s;
}

/** An amount in the report's table unit (万元, or 元 with cents). */
export function tableAmount(ctx: Ctx, wan: number): string {
  if (ctx.t.unit === '元') return num(round(wan * 10000, 2), { fixed: 2 });
  return ctx.fixedDecimals ? num(wan, { fixed: ctx.t.decimals }) : num(wan);
}

/** An amount in prose: 万元, with thousands separators now and then, or 亿元 for large totals. */
export function proseAmount(ctx: Ctx, wan: number): string {
  const { rng, sp } = ctx;
  if (wan >= 20000 && Number.isInteger(wan / 100) && rng.chance(0.4)) return `${sp}${num(wan / 10000)}${sp}亿元`;
  return `${sp}${num(wan, { commas: wan >= 1000 && rng.chance(0.25) })}${sp}万元`;
}

/** A rate as written after its label: 100%, 99.62%, 95.3 %. */
export function pctText(ctx: Ctx, rate: number, fixed?: number): string {
  return `${ctx.sp}${fixed !== undefined ? rate.toFixed(fixed) : num(rate)}%`;
}

/** The evaluated year as a title writes it (2023年度, 二〇二三年度, （2023年度）). */
export function chineseYear(year: number): string {
  return [...String(year)].map((d) => '〇一二三四五六七八九'[Number(d)]).join('');
}

/** A document number issued in `year` by the place's finance bureau (鹿财预〔2024〕12号). */
export function docNumber(ctx: Ctx, year: number): string {
  const stem = issuerStem(ctx.t.place);
  return `${stem}${ctx.rng.pick(['财', '财预', '财绩', '财评', '政办'])}〔${year}〕${ctx.rng.int(1, 120)}号`;
}

/** The publication date line (a year after the evaluated year). */
export function dateLine(ctx: Ctx): string {
  const { y, m, d } = ctx.published;
  return `${y}年${m}月${d}日`;
}

/** The problems section and the measures after it (headings numbered `numbers`), recording the stated categories. */
export function problemsSection(ctx: Ctx, numbers: { problems: string; measures: string }): string[] {
  const { rng, t, gold } = ctx;
  const heading = rng.pick(PROBLEM_HEADINGS);
  const measureHeading = rng.pick(MEASURE_HEADINGS);
  const style: ItemStyle = rng.pick(['yishi', 'yishi', 'paren', 'dot', 'dun', 'plain']);
  const separate = style !== 'yishi' || rng.chance(0.3);
  const lines: string[] = [];
  // Word's automatic numbering is lost in some conversions: the headings then stand bare.
  const numbering = rng.chance(0.1) ? null : numbers;
  const head = (n: string | undefined, title: string) => (n === undefined ? title : `${n}${title}`);
  const combined = rng.chance(0.15);
  const reason = reasonFor(t.problems, rng);
  if (t.problems.length === 0) {
    lines.push(head(numbering?.problems, combined ? '存在的问题和建议' : heading), rng.pick(NO_PROBLEM));
  } else {
    for (const p of t.problems) gold.issues.add(p.category);
    const body = enumerate(t.problems.map((p) => p.text), style, separate);
    lines.push(head(numbering?.problems, combined ? '存在的问题和建议' : heading), body + (reason ? (separate ? `\n${reason}。` : reason + '。') : ''));
  }
  const measures = measuresFor(t.problems, rng);
  const measureText = enumerate(measures, style === 'plain' ? 'yishi' : style, separate);
  // "存在的问题和建议" runs the suggestions on in the same section.
  if (combined) lines.push(`建议：${measureText}`);
  else lines.push(head(numbering?.measures, measureHeading), measureText);
  return lines;
}

/** Problems stated without a heading, inside a paragraph ("但仍存在一些不足，一是…二是…"), as some reports do. */
export function inlineProblems(ctx: Ctx): string {
  const { t, gold, rng } = ctx;
  if (t.problems.length === 0) return '各项目均较好地完成了年初设定的各项绩效指标。';
  for (const p of t.problems) gold.issues.add(p.category);
  const opener = rng.pick(['但仍存在一些不足，', '但也存在一些问题，', '但仍存在以下问题：']);
  return `各项目均较好地完成了年初设定的大部分绩效指标。${opener}${enumerate(t.problems.map((p) => p.text), 'yishi', false)}`;
}

/** The numbered heading prefix for level `depth` and index `i` (一、 （一） 1. (1)). */
export function heading(depth: 0 | 1 | 2, i: number): string {
  const cn = '一二三四五六七八九十'[i] ?? String(i + 1);
  return depth === 0 ? `${cn}、` : depth === 1 ? `（${cn}）` : `${i + 1}.`;
}
