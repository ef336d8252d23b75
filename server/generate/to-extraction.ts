/**
 * A generated report's records in the extractor's output shape, built from what its text states (the gold label)
 * rather than by extracting it: loading 100,000 reports into a store this way costs no extraction time.
 */
import { checkConsistency, computedRate } from '../extract/checks.ts';
import { normalizeText } from '../extract/normalize.ts';
import { SCHEMA_VERSION, type Extraction, type Grade, type Indicator, type Project, type Report } from '../schema.ts';
import type { GeneratedReport } from './corpus.ts';
import type { GoldFigure } from './gold.ts';

const FIGURES: readonly GoldFigure[] = ['budget_wan', 'funds_received_wan', 'spent_wan', 'execution_rate_pct', 'score'];

/** The records of `r` as an Extraction (spans empty, confidence high: they are known, not guessed). */
export function toExtraction(r: GeneratedReport, id: string): Extraction {
  const { gold, truth } = r;
  const text = normalizeText(r.text);
  const stated = (field: GoldFigure): number | null => {
    const v = gold.report[field];
    return typeof v === 'number' ? v : null;
  };
  const figures = Object.fromEntries(FIGURES.map((f) => [f, stated(f)])) as Record<GoldFigure, number | null>;
  const derived = gold.optional?.['report.grade'];
  const grade: Grade | null = gold.report.grade ?? (typeof derived === 'string' ? (derived as Grade) : null);
  const report: Report = {
    id,
    source: r.name,
    format: r.format,
    title: r.header,
    department: gold.report.department,
    supervisor: truth.dept.supervisor === truth.dept.name ? null : truth.dept.supervisor,
    department_kind: truth.dept.kind,
    province: gold.report.province,
    city: gold.report.city,
    county: gold.report.county,
    admin_code: truth.place.code,
    year: gold.report.year,
    kind: gold.report.kind,
    ...figures,
    execution_rate_computed_pct: computedRate(figures.spent_wan, figures.budget_wan),
    grade,
    grade_stated: gold.report.grade ? truth.gradeWord : truth.gradeMode === 'tier' ? truth.gradeWord : null,
    spans: {},
    confidence: {},
  };
  if (grade && figures.score !== null && report.grade_stated === null) report.confidence.grade = 'low';
  const projects: Project[] = gold.projects.map((p) => ({
    name: p.name,
    budget_wan: p.budget_wan ?? null,
    funds_received_wan: p.funds_received_wan ?? null,
    spent_wan: p.spent_wan ?? null,
    execution_rate_pct: p.execution_rate_pct ?? null,
    score: p.score ?? null,
    spans: {},
  }));
  const categories = new Set(gold.issue_categories);
  const issues = truth.problems
    .filter((p) => categories.has(p.category))
    .map((p) => {
      const start = Math.max(0, text.indexOf(p.text));
      return { category: p.category, text: p.text, span: { start, end: start + (text.includes(p.text) ? p.text.length : 0) } };
    });
  const indicators: Indicator[] = r.hasIndicators
    ? truth.indicators.map((i) => ({
        level1: i.level1,
        level2: i.level2,
        level3: i.level3,
        operator: i.operator,
        target_value: i.operator === '定性' ? null : Number(i.target),
        target_text: i.operator === '定性' ? i.target : `${i.target}${i.unit}`,
        unit: i.unit || null,
        weight: null,
        actual_value: i.actual !== '' && i.operator !== '定性' ? Number(i.actual) : null,
        actual_text: i.actual || null,
        span: { start: 0, end: 0 },
      }))
    : [];
  return {
    schema_version: SCHEMA_VERSION,
    report,
    projects,
    indicators,
    issues,
    suggestions: [],
    flags: checkConsistency(report, projects),
    text,
  };
}
