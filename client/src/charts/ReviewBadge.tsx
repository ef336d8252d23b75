/** A small "已复核 x/y 份报告 (z%)" badge: how much of the data behind a chart an editor has vouched for. */
import { useQuery } from '@tanstack/react-query';
import { useManifest } from '../db/dataset.ts';
import type { Filters } from '../filters/filters.ts';
import { useT } from '../i18n.ts';
import { reviewCoverageQuery } from '../views/view-queries.ts';
import type { ReviewCoverageRow } from '../db/review-coverage-sql.ts';

/**
 * The badge for the reports under `filters` (nothing while loading or when there are no reports): from `coverage` when
 * the card's own rows give it (the overview, the regional view; null while they load), else from its own query.
 */
export function ReviewBadge({ filters, coverage }: { filters: Filters; coverage?: ReviewCoverageRow | null }) {
  if (coverage !== undefined) return coverage ? <Badge row={coverage} /> : null;
  return <QueriedBadge filters={filters} />;
}

function QueriedBadge({ filters }: { filters: Filters }) {
  const manifest = useManifest();
  const query = useQuery(reviewCoverageQuery(filters, manifest.data));
  return query.data?.[0] ? <Badge row={query.data[0]} /> : null;
}

function Badge({ row }: { row: ReviewCoverageRow }) {
  const { t } = useT();
  if (row.total === 0) return null;
  const pct = Math.round((row.reviewed / row.total) * 100);
  return (
    <span className={`review-badge${row.reviewed === row.total ? ' review-badge-full' : ''}`} data-testid="review-badge"
      data-reviewed={row.reviewed} data-total={row.total} title={t('reviewedBadgeTitle')}>
      {t('reviewedBadge', { x: row.reviewed, y: row.total, z: pct })}
    </span>
  );
}
