/** The extraction pipeline: bytes → text → normalised text → sections → records → checks. Pure: same bytes, same result. */
import { createHash } from 'node:crypto';
import { SCHEMA_VERSION, type Extraction, type Report, type SourceFormat, type Span } from '../schema.ts';
import { gradeForScore } from './amounts.ts';
import { cellStream, splitLines, tablePairs } from './cells.ts';
import { checkConsistency, computedRate } from './checks.ts';
import { departmentKind } from './department-kind.ts';
import { extractIndicators } from './indicators.ts';
import { extractIssues, extractSuggestions } from './issues.ts';
import { normalizeText } from './normalize.ts';
import { extractProjects } from './projects.ts';
import { readDocument } from './read-document.ts';
import { ReadError } from './read-error.ts';
import { resolveRegion } from './region.ts';
import { extractDepartment, extractFigures, extractGrade, extractKind, extractTitle, extractYear } from './report-fields.ts';

/** Extracts one report file. Throws ReadError for input it cannot read. */
export async function extractDocument(bytes: Uint8Array, source: string): Promise<Extraction> {
  const { text, format } = await readDocument(bytes);
  const id = createHash('sha256').update(bytes).digest('hex');
  return extractText(text, { id, source, format });
}

/** Extracts records from already-read report text. */
export function extractText(raw: string, meta: { id: string; source: string; format: SourceFormat }): Extraction {
  const text = normalizeText(raw);
  if (!/[\u4e00-\u9fa5]/.test(text)) throw new ReadError('NO_TEXT', 'no Chinese text found in the file', '文件中没有可识别的中文内容');
  const lines = splitLines(text);
  const cells = cellStream(lines);
  const pairs = tablePairs(lines);

  const kind = extractKind(text);
  const found = extractProjects(text, lines, cells, pairs);
  const projects = found.map((f) => f.project);
  // In a report on many projects, figures inside project paragraphs are the projects', not the report's.
  const projectRegions: Span[] = found.length >= 2 || kind === 'project' ? found.map((f) => f.region) : [];
  const { figures, spans, confidence } = extractFigures(text, pairs, projectRegions);

  // A single-project report is its project: the project's figures (read row by row from its form) are the report's.
  if (kind === 'project' && found.length === 1 && found[0]!.source === 'form') {
    const p = found[0]!.project;
    for (const k of ['budget_wan', 'funds_received_wan', 'spent_wan', 'execution_rate_pct', 'score'] as const) {
      if (p[k] !== null) {
        figures[k] = p[k];
        if (p.spans[k]) spans[k] = p.spans[k]!;
        confidence[k] = 'high';
      }
    }
  }

  const dept = extractDepartment(text);
  if (dept.span) spans.department = dept.span;
  const year = extractYear(text);
  if (year.span) spans.year = year.span;
  const stated = extractGrade(text, projectRegions);
  let grade = stated?.grade ?? null;
  if (stated) spans.grade = stated.span;
  if (!grade && figures.score !== null) {
    grade = gradeForScore(figures.score);
    confidence.grade = 'low';
  }
  const region = resolveRegion(dept.department, text);
  // Provenance of names: the place names where the text first states them (inside the department name if there).
  for (const k of ['province', 'city', 'county'] as const) {
    const name = region[k];
    if (!name) continue;
    const from = dept.span && text.slice(dept.span.start, dept.span.end).includes(name) ? dept.span.start : 0;
    const at = text.indexOf(name, from);
    if (at >= 0) spans[k] = { start: at, end: at + name.length };
  }
  const title = extractTitle(text);
  const titleAt = title ? text.indexOf(title) : -1;
  if (title && titleAt >= 0) spans.title = { start: titleAt, end: titleAt + title.length };

  const report: Report = {
    ...meta,
    title,
    department: dept.department,
    supervisor: dept.supervisor,
    department_kind: departmentKind(dept.department),
    ...region,
    year: year.year,
    kind,
    ...figures,
    execution_rate_computed_pct: computedRate(figures.spent_wan, figures.budget_wan),
    grade,
    grade_stated: stated?.stated ?? null,
    spans,
    confidence,
  };
  return {
    schema_version: SCHEMA_VERSION,
    report,
    projects,
    indicators: extractIndicators(lines),
    issues: extractIssues(text),
    suggestions: extractSuggestions(text),
    flags: checkConsistency(report, projects),
    text,
  };
}
