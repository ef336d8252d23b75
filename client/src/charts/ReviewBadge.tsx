/** A small "已复核 x/y 份报告 (z%)" badge: how much of the data behind a chart an editor has vouched for. */
import { useQuery } from '@tanstack/react-query';
import { useManifest } from '../db/dataset.ts';
import type { Filters } from '../filters/filters.ts';
import { useT } from '../i18n.ts';
import { reviewCoverageQuery } from '../views/view-queries.ts';

/** The badge for the reports under `filters` (nothing while loading or when there are no reports). */
export function ReviewBadge({ filters }: { filters: Filters }) {
  const { t } = useT();
  const manifest = useManifest();
  const query = useQuery(reviewCoverageQuery(filters, manifest.data));
  const row = query.data?.[0];
  if (!row || row.total === 0) return null;
  const pct = Math.round((row.reviewed / row.total) * 100);
  return (
    <span className={`review-badge${row.reviewed === row.total ? ' review-badge-full' : ''}`} data-testid="review-badge"
      data-reviewed={row.reviewed} data-total={row.total} title={t('reviewedBadgeTitle')}>
      {t('reviewedBadge', { x: row.reviewed, y: row.total, z: pct })}
    </span>
  );
}
