/** Pure helpers for review: field labels, how a value is shown and how typed text becomes a value. */
import { isNumeric, TARGET_FIELDS, type FieldType, type TargetKind } from '../../../../server/review-fields.ts';
import { formatPct, formatScore, formatWan, NONE } from '../../format.ts';
import type { Lang, MessageKey, T } from '../../i18n.ts';
import { categoryName } from '../../taxonomy.ts';

/** A field's value: a number, a text, or null (not stated). */
export type FieldValue = number | string | null;

/** The label key of a field (`field_<name>`). */
export function fieldLabelKey(field: string): MessageKey {
  return `field_${field}` as MessageKey;
}

/** The type of a correctable field, undefined when it is not one. */
export function typeOfField(target: TargetKind | null, field: string | null): FieldType | undefined {
  return target && field ? TARGET_FIELDS[target][field] : undefined;
}

/** A value as shown in the dashboard: amounts in 万元, rates in %, categories and kinds by name. */
export function formatFieldValue(type: FieldType, value: FieldValue | undefined, t: T, lang: Lang): string {
  if (value === null || value === undefined || value === '') return NONE;
  if (type === 'money') return formatWan(Number(value));
  if (type === 'percent') return formatPct(Number(value));
  if (type === 'score') return formatScore(Number(value));
  if (type === 'category') return categoryName(String(value), lang);
  if (type === 'kind') return value === 'department_overall' || value === 'project' ? t(`kind_${value}`) : String(value);
  return String(value);
}

/** A value stored as text (the audit trail) shown like the field it belongs to. */
export function formatStoredValue(target: TargetKind | null, field: string | null, stored: string | null, t: T, lang: Lang): string {
  if (stored === null) return NONE;
  const type = typeOfField(target, field);
  if (!type) return stored;
  return formatFieldValue(type, isNumeric(type) ? Number(stored) : stored, t, lang);
}

/** Typed text as a value for a field of `type`: numbers parsed (thousands separators and % allowed), empty → null;
 * NaN when a number field holds no number. */
export function parseInput(type: FieldType, text: string): FieldValue {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!isNumeric(type)) return trimmed;
  const n = Number(trimmed.replace(/[,，\s%％]/g, ''));
  return Number.isFinite(n) ? n : Number.NaN;
}

/** "执行率" / "项目 3「名称」· 预算" / "问题 2「…」· 问题类别": what a correction or audit entry is about. */
export function describeTarget(target: TargetKind | null, index: number | null, key: string | null, field: string | null, t: T): string {
  const label = field ? t(fieldLabelKey(field)) : '';
  if (target !== 'project' && target !== 'issue') return label;
  const item = index === null ? '' : t(target === 'project' ? 'projectN' : 'issueN', { n: index + 1 });
  const name = key && key.length > 24 ? `${key.slice(0, 24)}…` : key;
  return `${item}${name ? `「${name}」` : ''} · ${label}`;
}
