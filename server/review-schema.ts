/**
 * The review API's contract (zod): review states, the inputs of the `review.*` procedures and value validation, built
 * on the correctable fields of `review-fields.ts`.
 */
import { z } from 'zod';
import { ISSUE_FIELDS, PROJECT_FIELDS, REPORT_FIELDS, type FieldType } from './review-fields.ts';
import { Grade, IssueCategory, ReportKind } from './schema.ts';

/** A report's review state: 未复核 / 已复核 / 有修正 (at least one correction applies). */
export const ReviewState = z.enum(['unreviewed', 'reviewed', 'corrected']);
export type ReviewState = z.infer<typeof ReviewState>;

const keys = <T extends object>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

/** What a correction changes: a report field, a field of project row `index`, or the category of issue `index`. */
export const CorrectionTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('report'), field: z.enum(keys(REPORT_FIELDS)) }),
  z.object({
    kind: z.literal('project'),
    index: z.number().int().nonnegative(),
    /** The project's name as extracted: when given it must match the row at `index` (guards against a stale page). */
    name: z.string().optional(),
    field: z.enum(keys(PROJECT_FIELDS)),
  }),
  z.object({ kind: z.literal('issue'), index: z.number().int().nonnegative(), field: z.enum(keys(ISSUE_FIELDS)) }),
]);
export type CorrectionTarget = z.infer<typeof CorrectionTarget>;

/** A field's value: a number, a text, or null (not stated). */
export const FieldValue = z.union([z.number(), z.string(), z.null()]);
export type FieldValue = z.infer<typeof FieldValue>;

/** A report id: the sha256 of its file. */
export const ReportId = z.string().regex(/^[0-9a-f]{64}$/, 'a report id is the 64-hex-digit sha256 of the file');
/** The editor's name as typed in the dashboard (recorded with every change; the token is what authorises). */
export const EditorName = z.string().trim().min(1, 'editor name required').max(40);
/** Why: required for every correction and revert. */
const Reason = z.string().trim().min(1, 'reason required').max(500);

/** Input of `review.correct`. */
export const CorrectInput = z.object({ reportId: ReportId, target: CorrectionTarget, value: FieldValue, reason: Reason, editor: EditorName });
export type CorrectInput = z.infer<typeof CorrectInput>;

/** Input of `review.revert`. */
export const RevertInput = z.object({ overrideId: z.string().uuid(), reason: Reason, editor: EditorName });
export type RevertInput = z.infer<typeof RevertInput>;

/** Input of `review.markReviewed`. */
export const MarkReviewedInput = z.object({
  reportId: ReportId,
  editor: EditorName,
  note: z.string().trim().max(500).optional(),
});
export type MarkReviewedInput = z.infer<typeof MarkReviewedInput>;

/** Input of `review.queue`: the dashboard's filters plus the review state, one page at a time. */
export const QueueInput = z.object({
  years: z.array(z.number().int()).max(50).default([]),
  province: z.string().nullish(),
  city: z.string().nullish(),
  county: z.string().nullish(),
  departmentKind: z.string().nullish(),
  kind: z.string().nullish(),
  state: ReviewState.nullish(),
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().min(1).max(500).default(50),
});
export type QueueInput = z.input<typeof QueueInput>;

/** What happened, in the audit trail: an editor's correction, revert or review mark; or, done by the system when a
 * new version of a report arrives (or the extractor re-runs), a correction carried over or gone stale. */
export const AuditAction = z.enum(['correct', 'revert', 'mark_reviewed', 'carry', 'stale']);
export type AuditAction = z.infer<typeof AuditAction>;

/** Input of `review.audit`: newest first, one page at a time, optionally for one report. */
export const AuditInput = z.object({
  reportId: ReportId.nullish(),
  action: AuditAction.nullish(),
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().min(1).max(1000).default(50),
});
export type AuditInput = z.input<typeof AuditInput>;

/** The type of the field a target names. */
export function fieldType(target: CorrectionTarget): FieldType {
  if (target.kind === 'report') return REPORT_FIELDS[target.field];
  if (target.kind === 'project') return PROJECT_FIELDS[target.field];
  return ISSUE_FIELDS[target.field];
}

/** Whether a field of this type may be empty (null: "not stated"). */
export function nullable(type: FieldType): boolean {
  return type !== 'kind' && type !== 'category';
}

/** Bounds of numeric fields: amounts are never negative, rates may exceed 100 (overspending), scores are out of 100. */
const RANGE: Partial<Record<FieldType, [number, number]>> = {
  money: [0, 1e9], percent: [0, 1000], score: [0, 100], year: [1990, 2100],
};

/**
 * Checks a value for a field of `type`: the value itself when valid (text trimmed), else the reason in Chinese and
 * English. A text field may not be emptied where the field is required (project names).
 */
export function checkValue(
  type: FieldType,
  value: FieldValue,
  opts: { required?: boolean } = {},
): { ok: true; value: FieldValue } | { ok: false; zh: string; en: string } {
  if (value === null) {
    return nullable(type) && !opts.required ? { ok: true, value } : { ok: false, zh: '该字段不能为空', en: 'this field cannot be empty' };
  }
  const range = RANGE[type];
  if (range) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, zh: '请输入数字', en: 'a number is required' };
    if (type === 'year' && !Number.isInteger(value)) return { ok: false, zh: '年度应为整数', en: 'the year must be a whole number' };
    if (value < range[0] || value > range[1]) {
      return { ok: false, zh: `数值应在 ${range[0]}–${range[1]} 之间`, en: `the value must be between ${range[0]} and ${range[1]}` };
    }
    return { ok: true, value };
  }
  if (typeof value !== 'string') return { ok: false, zh: '请输入文字', en: 'a text is required' };
  const text = value.trim();
  const allowed = type === 'grade' ? Grade.options : type === 'kind' ? ReportKind.options : type === 'category' ? IssueCategory.options : null;
  if (allowed && !(allowed as readonly string[]).includes(text)) {
    return { ok: false, zh: `可选值：${allowed.join('、')}`, en: `one of: ${allowed.join(', ')}` };
  }
  if (text.length === 0) {
    return nullable(type) && !opts.required ? { ok: true, value: null } : { ok: false, zh: '该字段不能为空', en: 'this field cannot be empty' };
  }
  if (text.length > 200) return { ok: false, zh: '文字过长（最多 200 字）', en: 'too long (200 characters at most)' };
  return { ok: true, value: text };
}

/** Whether two field values are the same (numbers compared as numbers). */
export function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 1e-9;
  return a === b;
}
