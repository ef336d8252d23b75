/** A small "已复核 x/y 份报告 (z%)" badge: how much of the data behind a chart an editor has vouched for. */
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { duckdbOptions, useManifest } from '../db/dataset.ts';
import { reviewCoverageSql, type ReviewCoverageRow } from '../db/review-coverage-sql.ts';
import type { Filters } from '../filters/filters.ts';
import { useT } from '../i18n.ts';

/** The badge for the reports under `filters` (nothing while loading or when there are no reports). */
export function ReviewBadge({ filters }: { filters: Filters }) {
  const { t } = useT();
  const manifest = useManifest();
  const built = useMemo(() => reviewCoverageSql(filters), [filters]);
  // Keyed by the filters only: every card with the same filters shares one query.
  const query = useQuery(duckdbOptions<ReviewCoverageRow>('review-coverage', filters, {}, built, manifest.data));
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
