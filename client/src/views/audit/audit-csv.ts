/** The change log as a table and as CSV (UTF-8 with BOM, formulas neutralised) through the export module's builders. */
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../../server/router.ts';
import { toCsv } from '../../export/csv.ts';
import { tabulate, type ExportColumn } from '../../export/table.ts';
import { translate, type Lang, type MessageKey } from '../../i18n.ts';
import { describeTarget, formatStoredValue } from '../review/review-fields.ts';

/** One audit-log entry as `review.audit` returns it. */
export type AuditRow = inferRouterOutputs<AppRouter>['review']['audit']['rows'][number];

/** A time as local `YYYY-MM-DD HH:mm:ss` (what a spreadsheet reads as a date and time). */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The columns of the change log in `lang`, each reading one entry. */
export function auditColumns(lang: Lang): ExportColumn<AuditRow>[] {
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(lang, key, vars);
  return [
    { key: 'changed_at', label: t('auditAt'), value: (r) => formatTime(r.changed_at) },
    { key: 'editor', label: t('auditEditor'), value: (r) => r.editor ?? t('system') },
    { key: 'action', label: t('auditAction'), value: (r) => t(`action_${r.action}` as MessageKey) },
    { key: 'department', label: t('department'), value: (r) => r.department },
    { key: 'year', label: t('auditYear'), value: (r) => r.year },
    { key: 'target', label: t('auditTarget'), value: (r) => describeTarget(r.target, r.item_idx, r.item_key, r.field, t) || null },
    { key: 'old_value', label: t('auditOld'), value: (r) => (r.action === 'mark_reviewed' ? state(r.old_value, lang) : value(r, r.old_value, lang)) },
    { key: 'new_value', label: t('auditNew'), value: (r) => (r.action === 'mark_reviewed' ? state(r.new_value, lang) : value(r, r.new_value, lang)) },
    { key: 'reason', label: t('auditReason'), value: (r) => r.reason },
    { key: 'source', label: t('auditSource'), value: (r) => r.source },
    { key: 'report_id', label: t('auditReportId'), value: (r) => r.report_id },
  ];
}

function value(r: AuditRow, stored: string | null, lang: Lang): string | null {
  return stored === null ? null : formatStoredValue(r.target, r.field, stored, (k, v) => translate(lang, k, v), lang);
}

function state(code: string | null, lang: Lang): string | null {
  return code === 'unreviewed' || code === 'reviewed' || code === 'corrected' ? translate(lang, `review_${code}`) : code;
}

/** The entries as CSV text in `lang`, starting with the BOM. */
export function auditCsv(rows: AuditRow[], lang: Lang): string {
  return toCsv(tabulate(auditColumns(lang), rows));
}
