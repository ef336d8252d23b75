/** View · 复核队列: current reports ranked by how much needs checking, under the shared filters and a review state. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { AppLink, openReport } from '../../AppLink.tsx';
import type { Filters } from '../../filters/filters.ts';
import { formatCount, NONE } from '../../format.ts';
import { useT } from '../../i18n.ts';
import { trpc } from '../../trpc.ts';
import { navigate } from '../../url-state.ts';
import { Pager, QueryState } from '../../charts/QueryState.tsx';
import { EditorSignIn } from './EditorSignIn.tsx';
import { ReviewStateBadge } from './ReviewPanel.tsx';

/** Reports per page. */
const PAGE = 50;
const STATES = ['unreviewed', 'reviewed', 'corrected'] as const;

/** Reads the review-state filter from the URL (`review_state`). */
export function parseReviewState(raw: string | null): (typeof STATES)[number] | null {
  return STATES.find((s) => s === raw) ?? null;
}

/** The review queue; `page` counts from 0. */
export function ReviewQueue({ filters, state, page }: { filters: Filters; state: (typeof STATES)[number] | null; page: number }) {
  const { t } = useT();
  const input = { ...filters, state, offset: page * PAGE, limit: PAGE };
  const query = useQuery({ ...trpc.review.queue.queryOptions(input), placeholderData: keepPreviousData });
  const total = query.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  const go = (p: number) => navigate((s) => (p > 0 ? s.set('queue_page', String(p + 1)) : s.delete('queue_page')));

  return (
    <div className="view view-review">
      <EditorSignIn />
      <section className="card" data-testid="review-queue">
        <header className="card-head">
          <div>
            <h2 className="card-title">{t('queueTitle')}</h2>
            <p className="card-subtitle">{t('queueHint')}</p>
          </div>
          <div className="card-actions">
            <label className="inline-label" htmlFor="review-state-filter">{t('reviewState')}</label>
            <select id="review-state-filter" value={state ?? ''} onChange={(e) => navigate((s) => {
              if (e.target.value) s.set('review_state', e.target.value);
              else s.delete('review_state');
              s.delete('queue_page');
            })}>
              <option value="">{t('allStates')}</option>
              {STATES.map((v) => <option key={v} value={v}>{t(`review_${v}`)}</option>)}
            </select>
            <span className="hint" data-testid="queue-count" data-count={query.data ? total : ''}>{t('queueCount', { n: formatCount(total) })}</span>
          </div>
        </header>
        <div className="card-body">
          <QueryState query={query} isEmpty={(d) => d.rows.length === 0}>
            {(data) => (
              <div className="table-wrap">
                <table className="data-table">
                  <thead>
                    <tr>
                      <th scope="col" className="num">{t('need')}</th>
                      <th scope="col">{t('department')}</th>
                      <th scope="col" className="num">{t('year')}</th>
                      <th scope="col">{t('region')}</th>
                      <th scope="col">{t('reviewState')}</th>
                      <th scope="col" className="num">{t('staleCount')}</th>
                      <th scope="col" className="num">{t('flagCount')}</th>
                      <th scope="col" className="num">{t('lowConfCount')}</th>
                      <th scope="col" className="num">{t('correctionCount')}</th>
                      <th scope="col">{t('reviewer')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.rows.map((r) => (
                      <tr key={r.report_id} data-report={r.report_id}>
                        <td className="num"><strong>{r.need}</strong></td>
                        <td><AppLink update={openReport(r.report_id)} className="link">{r.department ?? r.title ?? r.source}</AppLink></td>
                        <td className="num">{r.year ?? NONE}</td>
                        <td>{[r.province, r.city, r.county].filter(Boolean).join(' ') || NONE}</td>
                        <td><ReviewStateBadge state={r.review_state} /></td>
                        <td className="num">{r.stale_count ? <span className="tag tag-warn">{r.stale_count}</span> : ''}</td>
                        <td className="num">{r.flag_count || ''}</td>
                        <td className="num">{r.low_confidence_count || ''}</td>
                        <td className="num">{r.correction_count || ''}</td>
                        <td>{r.reviewed_by ? `${r.reviewed_by} · ${new Date(r.reviewed_at!).toLocaleDateString('zh-CN')}` : ''}</td>
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
