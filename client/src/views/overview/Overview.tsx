/** View 1 · 总览: KPI cards for the latest selected year with 同比, and the yearly trend. */
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { TrendChart } from '../../charts/TrendChart.tsx';
import { ChartCard } from '../../charts/ChartCard.tsx';
import type { Column } from '../../charts/DataTable.tsx';
import { useManifest } from '../../db/dataset.ts';
import { overviewQuery } from '../view-queries.ts';
import { coverageFromRows } from '../../db/review-coverage-sql.ts';
import type { Filters } from '../../filters/filters.ts';
import { formatCount, formatDelta, formatPct, formatScore, formatWan, NONE, yoy, type DeltaKind } from '../../format.ts';
import { useT, type T } from '../../i18n.ts';
import { yearlyTrend } from './overview-chart.ts';
import { pickKpiYears, type OverviewRow } from './overview-sql.ts';

interface Kpi {
  id: string;
  label: string;
  field: Exclude<keyof OverviewRow, number | symbol>;
  format: (v: unknown) => string;
  delta: DeltaKind;
  /** Whether a rise is good news (green) or bad news (red). */
  higherIsBetter: boolean | null;
}

function kpis(t: T, threshold: number): Kpi[] {
  return [
    { id: 'reports', label: t('kpiReports'), field: 'reports', format: formatCount, delta: 'relative', higherIsBetter: null },
    { id: 'departments', label: t('kpiDepartments'), field: 'departments', format: formatCount, delta: 'relative', higherIsBetter: null },
    { id: 'budget', label: t('kpiBudget'), field: 'budget_wan', format: formatWan, delta: 'relative', higherIsBetter: null },
    { id: 'rate', label: t('kpiRate'), field: 'exec_rate', format: formatPct, delta: 'pp', higherIsBetter: true },
    { id: 'score', label: t('kpiScore'), field: 'avg_score', format: formatScore, delta: 'points', higherIsBetter: true },
    { id: 'low-exec', label: t('kpiLowExec', { t: threshold }), field: 'low_exec', format: formatCount, delta: 'relative', higherIsBetter: false },
    { id: 'flagged', label: t('kpiFlagged'), field: 'flagged', format: formatCount, delta: 'relative', higherIsBetter: false },
  ];
}

/** The overview view: KPI cards and the yearly trend. */
export function Overview({ filters, threshold }: { filters: Filters; threshold: number }) {
  const { t, lang } = useT();
  const manifest = useManifest();
  const query = useQuery(overviewQuery(filters, threshold, manifest.data));
  const trend = useMemo(() => yearlyTrend(query.data ?? [], t), [query.data, lang]);
  // The review badge from the rows (one per year, every report under the other filters).
  const coverage = query.data ? coverageFromRows(query.data, filters, true) : null;

  const columns: Column<OverviewRow>[] = [
    { key: 'year', label: t('year'), render: (r) => (r.year == null ? NONE : String(r.year)) },
    ...kpis(t, threshold).map((k) => ({ key: k.field, label: k.label, numeric: true, render: (r: OverviewRow) => k.format(r[k.field]) })),
  ];

  return (
    <div className="view view-overview">
      <ChartCard id="kpis" title={t('viewOverview')} query={query} columns={columns} className="card-kpis" coverage={coverage}
        exportAs={{ chart: 'kpis', filters, options: { threshold } }}
        subtitle={<KpiSubtitle rows={query.data} filters={filters} />}>
        {(rows) => <KpiCards rows={rows} filters={filters} threshold={threshold} />}
      </ChartCard>
      <ChartCard id="yearly-trend" title={t('trendByYear')} query={query} columns={columns} coverage={coverage}
        exportAs={{ chart: 'yearly-trend', filters, options: { threshold } }}
        isEmpty={(rows) => !rows.some((r) => r.year != null)}>
        {() => <TrendChart {...trend} shaded={filters.years.map(String)} label={t('trendByYear')} height={300} />}
      </ChartCard>
    </div>
  );
}

function KpiSubtitle({ rows, filters }: { rows?: OverviewRow[]; filters: Filters }) {
  const { t } = useT();
  if (!rows) return null;
  const { year, previous } = pickKpiYears(rows, filters);
  if (year == null) return <>{t('kpiNoYear')}</>;
  return <>{t('kpiYear', { year })}{previous ? ` · ${t('yoy')} ${t('yoyVs', { year: year - 1 })}` : ''}</>;
}

function KpiCards({ rows, filters, threshold }: { rows: OverviewRow[]; filters: Filters; threshold: number }) {
  const { t, lang } = useT();
  const { current, previous } = pickKpiYears(rows, filters);
  return (
    <div className="kpi-grid">
      {kpis(t, threshold).map((k) => {
        const value = current?.[k.field] ?? null;
        const delta = yoy(value, previous?.[k.field], k.delta);
        const tone = delta == null || delta === 0 || k.higherIsBetter == null
          ? 'neutral' : (delta > 0) === k.higherIsBetter ? 'good' : 'bad';
        return (
          <div key={k.id} className="kpi" data-testid={`kpi-${k.id}`}>
            <div className="kpi-label">{k.label}</div>
            <div className="kpi-value" data-value={typeof value === 'number' ? value : ''}>{k.format(value)}</div>
            <div className={`kpi-delta kpi-${tone}`} data-delta={delta ?? ''}>
              <span className="kpi-delta-label">{t('yoy')}</span>
              <span aria-hidden>{delta == null ? '' : delta > 0 ? '▲ ' : delta < 0 ? '▼ ' : ''}</span>
              {delta == null ? t('noComparison') : formatDelta(delta, k.delta, lang)}
            </div>
          </div>
        );
      })}
    </div>
  );
}
