/**
 * The fields an editor may correct, with their types: plain constants (no zod), so the dashboard imports them at run
 * time; `review-schema.ts` builds the API's inputs from them.
 */

/** How a correctable field's value is checked, stored and shown. */
export type FieldType = 'money' | 'percent' | 'score' | 'year' | 'text' | 'grade' | 'kind' | 'category';

/** Report fields an editor may correct. */
export const REPORT_FIELDS = {
  department: 'text', province: 'text', city: 'text', county: 'text', year: 'year', kind: 'kind',
  budget_wan: 'money', funds_received_wan: 'money', spent_wan: 'money', execution_rate_pct: 'percent', score: 'score',
  grade: 'grade',
} as const satisfies Record<string, FieldType>;

/** Project-row fields an editor may correct. */
export const PROJECT_FIELDS = {
  name: 'text', budget_wan: 'money', funds_received_wan: 'money', spent_wan: 'money', execution_rate_pct: 'percent',
  score: 'score',
} as const satisfies Record<string, FieldType>;

/** A correctable report field. */
export type ReportField = keyof typeof REPORT_FIELDS;
/** A correctable project field. */
export type ProjectField = keyof typeof PROJECT_FIELDS;

/** Issue fields an editor may correct. */
export const ISSUE_FIELDS = { category: 'category' } as const satisfies Record<string, FieldType>;

/** What a correction changes: a report field, a field of a project row, or an issue's category. */
export type TargetKind = 'report' | 'project' | 'issue';

/** The correctable fields of each target. */
export const TARGET_FIELDS: Record<TargetKind, Readonly<Record<string, FieldType>>> = {
  report: REPORT_FIELDS, project: PROJECT_FIELDS, issue: ISSUE_FIELDS,
};

/** Whether the field type holds numbers. */
export function isNumeric(type: FieldType): boolean {
  return type === 'money' || type === 'percent' || type === 'score' || type === 'year';
}
