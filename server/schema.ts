/** The extraction contract shared by the extractor, the server and the client (zod only: safe to import anywhere). */
import { z } from 'zod';

/** Bumped whenever a field changes meaning or shape; stored with every extraction. */
export const SCHEMA_VERSION = 1;

/** A character range [start, end) in the normalised text of the report. */
export const Span = z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() });
export type Span = z.infer<typeof Span>;

export const Grade = z.enum(['优', '良', '中', '差']);
export type Grade = z.infer<typeof Grade>;

export const ReportKind = z.enum(['department_overall', 'project']);
export type ReportKind = z.infer<typeof ReportKind>;

export const SourceFormat = z.enum(['txt', 'docx', 'pdf']);
export type SourceFormat = z.infer<typeof SourceFormat>;

/** Confidence of one extracted field: high when found beside its label, low when guessed from context or disputed. */
export const Confidence = z.enum(['high', 'low']);
export type Confidence = z.infer<typeof Confidence>;

const money = z.number().nullable();

export const Report = z.object({
  id: z.string(),
  source: z.string(),
  format: SourceFormat,
  title: z.string().nullable(),
  department: z.string().nullable(),
  supervisor: z.string().nullable(),
  department_kind: z.string().nullable(),
  province: z.string().nullable(),
  city: z.string().nullable(),
  county: z.string().nullable(),
  admin_code: z.string().nullable(),
  year: z.number().int().nullable(),
  kind: ReportKind,
  budget_wan: money,
  funds_received_wan: money,
  spent_wan: money,
  execution_rate_pct: z.number().nullable(),
  execution_rate_computed_pct: z.number().nullable(),
  score: z.number().nullable(),
  grade: Grade.nullable(),
  /** The grade exactly as the report words it (优秀, 一等, …), before mapping to 优/良/中/差. */
  grade_stated: z.string().nullable(),
  /** Provenance: field name → span of the figure or name in `text`. */
  spans: z.record(z.string(), Span),
  confidence: z.record(z.string(), Confidence),
});
export type Report = z.infer<typeof Report>;

export const Project = z.object({
  name: z.string(),
  budget_wan: money,
  funds_received_wan: money,
  spent_wan: money,
  execution_rate_pct: z.number().nullable(),
  score: z.number().nullable(),
  spans: z.record(z.string(), Span),
});
export type Project = z.infer<typeof Project>;

export const Operator = z.enum(['≥', '≤', '=', '定性']);
export const Indicator = z.object({
  level1: z.string().nullable(),
  level2: z.string().nullable(),
  level3: z.string(),
  operator: Operator.nullable(),
  target_value: z.number().nullable(),
  target_text: z.string().nullable(),
  unit: z.string().nullable(),
  weight: z.number().nullable(),
  actual_value: z.number().nullable(),
  actual_text: z.string().nullable(),
  span: Span,
});
export type Indicator = z.infer<typeof Indicator>;

export const IssueCategory = z.enum([
  'EXEC_SLOW', 'FUNDS_NOT_IN_PLACE', 'TARGET_SETTING', 'TARGET_MISSED', 'BUDGET_ACCURACY',
  'GENERAL_SPENDING', 'MANAGEMENT', 'EVAL_QUALITY', 'OTHER',
]);
export type IssueCategory = z.infer<typeof IssueCategory>;

export const Issue = z.object({ category: IssueCategory, text: z.string(), span: Span });
export type Issue = z.infer<typeof Issue>;

export const Suggestion = z.object({ text: z.string(), span: Span });
export type Suggestion = z.infer<typeof Suggestion>;

export const FlagCode = z.enum(['RATE_MISMATCH', 'LOW_EXEC_HIGH_SCORE', 'GRADE_SCORE_MISMATCH', 'PROJECTS_EXCEED_TOTAL']);
export type FlagCode = z.infer<typeof FlagCode>;

export const Flag = z.object({
  code: FlagCode,
  /** Project the flag is about, null when it concerns the report as a whole. */
  project: z.string().nullable(),
  message_zh: z.string(),
  message_en: z.string(),
  /** The figures involved, by field name. */
  figures: z.record(z.string(), z.number().nullable()),
  spans: z.array(Span),
});
export type Flag = z.infer<typeof Flag>;

export const Extraction = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  report: Report,
  projects: z.array(Project),
  indicators: z.array(Indicator),
  issues: z.array(Issue),
  suggestions: z.array(Suggestion),
  flags: z.array(Flag),
  /** The normalised text every span points into (personal data already masked). */
  text: z.string(),
});
export type Extraction = z.infer<typeof Extraction>;
