/**
 * Gold labels in the format of the hand-checked labels (/work/shared/gold/*.json, test/golden/*.json): what the report's
 * text states, in the units and canonical forms the scorer compares (万元, percent, 优/良/中/差).
 */
import { z } from 'zod';
import { Grade, IssueCategory, ReportKind } from '../schema.ts';

const figure = z.number().nullable();

/** A labelled project: figures the text states for it; `optional` ones count only when an extractor gives them. */
export const GoldProject = z.object({
  name: z.string().min(1),
  budget_wan: figure.optional(),
  funds_received_wan: figure.optional(),
  spent_wan: figure.optional(),
  execution_rate_pct: figure.optional(),
  score: figure.optional(),
  optional: z.record(z.string(), z.number().nullable()).optional(),
});
export type GoldProject = z.infer<typeof GoldProject>;

/** One gold label file. */
export const GoldLabel = z.object({
  source: z.string().min(1),
  report: z.object({
    department: z.string().nullable(),
    province: z.string().nullable(),
    city: z.string().nullable(),
    county: z.string().nullable(),
    year: z.number().int().nullable(),
    kind: ReportKind,
    budget_wan: figure.optional(),
    funds_received_wan: figure.optional(),
    spent_wan: figure.optional(),
    execution_rate_pct: figure.optional(),
    score: figure.optional(),
    grade: Grade.nullable().optional(),
  }),
  /** `report.<field>` → value: counted only when the extractor gives a value, which must then equal it. */
  optional: z.record(z.string().regex(/^report\.\w+$/), z.union([z.number(), z.string(), z.null()])).optional(),
  projects: z.array(GoldProject),
  issue_categories: z.array(IssueCategory),
  notes: z.string().optional(),
});
export type GoldLabel = z.infer<typeof GoldLabel>;

/** The report figures a label may state. */
export type GoldFigure = 'budget_wan' | 'funds_received_wan' | 'spent_wan' | 'execution_rate_pct' | 'score';
