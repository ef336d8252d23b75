/** View · 修改记录: every change to the data (corrections, reverts, review marks, carried/stale), newest first, with CSV. */
import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { AppLink, openReport } from '../../AppLink.tsx';
import { NONE } from '../../format.ts';
import { localizeMessage, useT, type MessageKey } from '../../i18n.ts';
import { trpc, trpcClient } from '../../trpc.ts';
import { navigate } from '../../url-state.ts';
import { Pager, QueryState } from '../../charts/QueryState.tsx';
import { auditColumns, auditCsv, formatTime, type AuditRow } from './audit-csv.ts';

/** Entries per page. */
const PAGE = 50;
/** Entries per request when exporting everything. */
const EXPORT_BATCH = 1000;
const ACTIONS = ['correct', 'revert', 'mark_reviewed', 'carry', 'stale'] as const;
type Action = (typeof ACTIONS)[number];

/** Reads the action filter from the URL (`audit_action`). */
export function parseAuditAction(raw: string | null): Action | null {
  return ACTIONS.find((a) => a === raw) ?? null;
}

/** The change log; `page` counts from 0. */
export function AuditLog({ action, page }: { action: Action | null; page: number }) {
  const { t, lang } = useT();
  const query = useQuery({ ...trpc.review.audit.queryOptions({ action, offset: page * PAGE, limit: PAGE }), placeholderData: keepPreviousData });
  const [status, setStatus] = useState<string | null>(null);
  const total = query.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  const go = (p: number) => navigate((s) => (p > 0 ? s.set('audit_page', String(p + 1)) : s.delete('audit_page')));
  // The same columns as the CSV, so the table and the file say the same thing.
  const columns = auditColumns(lang);
  const text = (row: AuditRow, key: string) => {
    const v = columns.find((c) => c.key === key)!.value!(row);
    return v == null || v === '' ? NONE : String(v);
  };

  const exportCsv = async () => {
    setStatus(t('exporting'));
    try {
      const rows: AuditRow[] = [];
      for (let offset = 0; ; offset += EXPORT_BATCH) {
        const part = await trpcClient.review.audit.query({ action, offset, limit: EXPORT_BATCH });
        rows.push(...part.rows);
        if (part.rows.length < EXPORT_BATCH) break;
      }
      const { download } = await import('../../export/run.ts');
      const stamp = formatTime(new Date().toISOString()).slice(0, 10);
      download(auditCsv(rows, lang), `${t('viewAudit')}-${stamp}.csv`, 'text/csv;charset=utf-8');
      setStatus(t('exported', { format: 'CSV' }));
    } catch (e) {
      setStatus(t('exportFailed', { msg: localizeMessage((e as Error).message, lang) }));
    }
  };

  return (
    <div className="view view-audit">
      <section className="card" data-testid="audit-log">
        <header className="card-head">
          <div>
            <h2 className="card-title">{t('auditTitle')}</h2>
          </div>
          <div className="card-actions">
            <label className="inline-label" htmlFor="audit-action-filter">{t('auditAction')}</label>
            <select id="audit-action-filter" value={action ?? ''} onChange={(e) => navigate((s) => {
              if (e.target.value) s.set('audit_action', e.target.value);
              else s.delete('audit_action');
              s.delete('audit_page');
            })}>
              <option value="">{t('allActions')}</option>
              {ACTIONS.map((a) => <option key={a} value={a}>{t(`action_${a}` as MessageKey)}</option>)}
            </select>
            <button type="button" className="btn btn-small" onClick={() => void exportCsv()} disabled={!total} data-testid="audit-csv">
              {t('exportAuditCsv')}
            </button>
            {status ? <span className="export-status" role="status">{status}</span> : null}
          </div>
        </header>
        <div className="card-body">
          <QueryState query={query} isEmpty={(d) => d.rows.length === 0} empty={t('auditEmpty')}>
            {(data) => (
              <div className="table-wrap">
                <table className="data-table audit-table">
                  <thead>
                    <tr>
                      {['changed_at', 'editor', 'action', 'department', 'target', 'old_value', 'new_value', 'reason'].map((key) => (
                        <th key={key} scope="col">{columns.find((c) => c.key === key)!.label}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {data.rows.map((r) => (
                      <tr key={r.seq} data-action={r.action}>
                        <td className="nowrap">{text(r, 'changed_at')}</td>
                        <td>{r.editor ?? <span className="muted">{t('system')}</span>}</td>
                        <td><span className={`tag audit-${r.action}`}>{text(r, 'action')}</span></td>
                        <td>
                          <AppLink update={openReport(r.report_id)} className="link">{r.department ?? r.source ?? r.report_id.slice(0, 12)}</AppLink>
                          {r.year != null ? <span className="cell-sub">{r.year}</span> : null}
                        </td>
                        <td>{text(r, 'target')}</td>
                        <td className="num">{text(r, 'old_value')}</td>
                        <td className="num"><strong>{text(r, 'new_value')}</strong></td>
                        <td>{text(r, 'reason')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </QueryState>
          <Pager page={page} pages={pages} go={go} />
        </div>
      </section>
    </div>
  );
}
