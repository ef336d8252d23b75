/** View 2 · 地区对比: ranked execution rate and score by region, drill-down with breadcrumb, trend per region. */
import { useCallback, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { BarList, type Bar } from '../../charts/BarList.tsx';
import { TrendChart, type TrendSeries } from '../../charts/TrendChart.tsx';
import { BAND_COLOR, PALETTE } from '../../charts/theme.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
import type { Column } from '../../charts/DataTable.tsx';
import { bandOf, type Bands, type Thresholds } from '../../charts/bands.ts';
import { BandSettings } from '../../charts/BandSettings.tsx';
import { useManifest } from '../../db/dataset.ts';
import { regionalCellsQuery } from '../view-queries.ts';
import { coverageFromRows } from '../../db/review-coverage-sql.ts';
import { regionLevel, UNKNOWN_REGION_KEY, type RegionLevel } from '../../db/sql.ts';
import { writeFilters, type Filters } from '../../filters/filters.ts';
import { formatCount, formatPct, formatScore, formatWan, NONE } from '../../format.ts';
import { useT } from '../../i18n.ts';
import { navigate } from '../../url-state.ts';
import { rankedRows, rankingMax, rankOf, TREND_LIMIT } from './regional-chart.ts';
import { regionsFromCells, trendFromCells, type RegionCellRow, type RegionRow, type RegionYearRow } from './regional-sql.ts';

/** Sets the region filters to `next` (drill down or breadcrumb back); a chart selection is dropped. */
function goToRegion(filters: Filters, next: Pick<Filters, 'province' | 'city' | 'county'>): void {
  navigate((s) => {
    writeFilters(s, { ...filters, ...next });
    s.delete('region');
  });
}

/** Drills into `region` one level down; at county level it toggles the highlighted region instead. */
export function drill(filters: Filters, level: RegionLevel, region: string | null, selected: string | null): void {
  if (region == null) return;
  if (level === 'province') goToRegion(filters, { province: region, city: null, county: null });
  else if (level === 'city') goToRegion(filters, { province: filters.province, city: region, county: null });
  else navigate((s) => (selected === region ? s.delete('region') : s.set('region', region)));
}

/** The regional comparison view. */
export function Regional({ filters, bands, selected }: { filters: Filters; bands: Bands; selected: string | null }) {
  const { t, lang } = useT();
  const manifest = useManifest();
  const level = regionLevel(filters);
  const label = (r: string | null) => r ?? t('unknownRegion');

  // One query per region filter: the ranking sums its rows over the selected years, the trend shows them per year.
  const toRegions = useCallback((cells: RegionCellRow[]) => regionsFromCells(cells, filters), [filters]);
  // While a region's cells load, the previous cells stand in — given anew on every render so that `select` runs on them
  // with the filters of now (TanStack Query reuses an earlier placeholder's selected rows when the option is the same).
  const previous = (cells: RegionCellRow[] | undefined) => cells;
  const query = useQuery({ ...regionalCellsQuery(filters, manifest.data), select: toRegions, placeholderData: previous });
  const trend = useQuery({ ...regionalCellsQuery(filters, manifest.data), select: trendFromCells, placeholderData: previous });

  const rows = query.data ?? [];
  // The review badges from the ranking's rows (one per region, every report under the filters).
  const coverage = query.data ? coverageFromRows(query.data, filters) : null;
  const onPick = (key: string) => drill(filters, level, key === UNKNOWN_REGION_KEY ? null : key, selected);
  /** A ranking as band-coloured bars, rank 1 on top, the band thresholds marked. */
  const ranking = (metric: 'exec_rate' | 'avg_score', title: string) => {
    const thresholds = metric === 'exec_rate' ? bands.exec : bands.score;
    const format = metric === 'exec_rate' ? formatPct : formatScore;
    const ranked = rankedRows(rows, metric);
    const bars: Bar[] = ranked.map((r) => ({
      key: r.region ?? UNKNOWN_REGION_KEY,
      label: `${r[rankOf(metric)]}. ${label(r.region)}`,
      value: r[metric]!,
      text: format(r[metric]),
      color: BAND_COLOR[bandOf(r[metric], thresholds)],
      dim: selected != null && selected !== r.region,
    }));
    return (
      <BarList bars={bars} max={rankingMax(ranked, metric)} label={title}
        marks={[{ value: thresholds.red, color: BAND_COLOR.red }, { value: thresholds.amber, color: BAND_COLOR.amber }]}
        onPick={onPick} pickTitle={level === 'county' ? undefined : t('drillDown')} />
    );
  };
  const byBudget = useMemo(
    () => [...rows].sort((a, b) => (b.budget_wan ?? 0) - (a.budget_wan ?? 0) || b.reports - a.reports).map((r) => r.region),
    [rows],
  );
  // One line per region (the largest by budget), over the years.
  const lines = useMemo(() => {
    const data = trend.data ?? [];
    const years = [...new Set(data.map((r) => r.year))].sort((a, b) => a - b);
    const series: TrendSeries[] = byBudget.slice(0, TREND_LIMIT).map((region, i) => {
      const byYear = new Map(data.filter((r) => r.region === region).map((r) => [r.year, r.exec_rate]));
      return {
        key: region ?? UNKNOWN_REGION_KEY, name: label(region), type: 'line', color: PALETTE[i % PALETTE.length]!,
        values: years.map((y) => byYear.get(y) ?? null), format: formatPct,
        strong: selected === region, dim: selected != null && selected !== region,
      };
    });
    return { categories: years.map(String), series };
  }, [trend.data, byBudget, selected, lang]);

  const drillCell = (r: { region: string | null }) => (
    r.region == null ? label(null) : (
      <button type="button" className="link-button" onClick={() => drill(filters, level, r.region, selected)}
        title={level === 'county' ? undefined : t('drillDown')}>
        {label(r.region)}{level === 'county' ? '' : ' ›'}
      </button>
    )
  );
  const bandCell = (v: number | null, kind: 'exec' | 'score', text: string) => (
    <span className={`band band-${bandOf(v, bands[kind])}`}>{text}</span>
  );
  const columns: Column<RegionRow>[] = [
    { key: 'rate_rank', label: t('rank'), numeric: true, render: (r) => (r.rate_rank == null ? NONE : String(r.rate_rank)) },
    { key: 'region', label: t(`level_${level}`), render: drillCell },
    { key: 'reports', label: t('reports'), numeric: true, render: (r) => formatCount(r.reports) },
    { key: 'budget_wan', label: t('budgetWan'), numeric: true, render: (r) => formatWan(r.budget_wan) },
    { key: 'spent_wan', label: t('spentWan'), numeric: true, render: (r) => formatWan(r.spent_wan) },
    { key: 'exec_rate', label: t('rate'), numeric: true, render: (r) => bandCell(r.exec_rate, 'exec', formatPct(r.exec_rate)) },
    { key: 'avg_score', label: t('score'), numeric: true, render: (r) => bandCell(r.avg_score, 'score', formatScore(r.avg_score)) },
    { key: 'score_rank', label: `${t('score')}${t('rank')}`, numeric: true, render: (r) => (r.score_rank == null ? NONE : String(r.score_rank)) },
  ];
  const trendColumns: Column<RegionYearRow>[] = [
    { key: 'region', label: t(`level_${level}`), render: drillCell },
    { key: 'year', label: t('year'), numeric: true, render: (r) => String(r.year) },
    { key: 'exec_rate', label: t('rate'), numeric: true, render: (r) => formatPct(r.exec_rate) },
    { key: 'avg_score', label: t('score'), numeric: true, render: (r) => formatScore(r.avg_score) },
  ];

  const crumbs: { label: string; next: Pick<Filters, 'province' | 'city' | 'county'> }[] = [
    { label: t('breadcrumbAll'), next: { province: null, city: null, county: null } },
  ];
  if (filters.province) crumbs.push({ label: filters.province, next: { province: filters.province, city: null, county: null } });
  if (filters.city) crumbs.push({ label: filters.city, next: { province: filters.province, city: filters.city, county: null } });
  if (filters.county) crumbs.push({ label: filters.county, next: { province: filters.province, city: filters.city, county: filters.county } });

  const levelName = t(`level_${level}`);

  return (
    <div className="view view-regional">
      <div className="toolbar">
        <nav aria-label="breadcrumb" className="breadcrumb">
          <ol>
            {crumbs.map((c, i) => (
              <li key={i}>
                {i === crumbs.length - 1
                  ? <span aria-current="page">{c.label}</span>
                  : <button type="button" className="link-button" onClick={() => goToRegion(filters, c.next)}>{c.label}</button>}
              </li>
            ))}
          </ol>
        </nav>
        <span className="hint">{levelName} · {level === 'county' ? '' : t('drillHint')}</span>
        <BandSettings bands={bands} />
      </div>
      <div className="grid-2">
        <ChartCard id="rate-ranking" title={`${t('rateRanking')}（${levelName}）`} query={query} columns={columns} coverage={coverage}
          exportAs={{ chart: 'rate-ranking', filters, options: { bands } }}
          isEmpty={(r) => !r.some((x) => x.exec_rate != null)} subtitle={<BandLegend t={bands.exec} unit="%" />}>
          {() => ranking('exec_rate', t('rateRanking'))}
        </ChartCard>
        <ChartCard id="score-ranking" title={`${t('scoreRanking')}（${levelName}）`} query={query} columns={columns} coverage={coverage}
          exportAs={{ chart: 'score-ranking', filters, options: { bands } }}
          isEmpty={(r) => !r.some((x) => x.avg_score != null)} subtitle={<BandLegend t={bands.score} unit="" />}>
          {() => ranking('avg_score', t('scoreRanking'))}
        </ChartCard>
      </div>
      <ChartCard id="rate-trend" title={`${t('rateTrend')}（${levelName}）`} query={trend} columns={trendColumns} coverage={coverage}
        exportAs={{ chart: 'rate-trend', filters, options: {} }}
        isEmpty={(r) => !r.some((x) => x.exec_rate != null)}>
        {() => (
          <TrendChart {...lines} axes={[{ min: 0, max: 100, format: (v) => `${v}%` }]} shaded={filters.years.map(String)} label={t('rateTrend')} height={320}
            onPick={onPick} pickTitle={level === 'county' ? undefined : t('drillDown')} />
        )}
      </ChartCard>
    </div>
  );
}

/** The three bands with their bounds, e.g. 红色预警 <60% · 黄色预警 60–90% · 正常 ≥90%. */
function BandLegend({ t: th, unit }: { t: Thresholds; unit: string }) {
  const { t } = useT();
  const range = { red: `<${th.red}${unit}`, amber: `${th.red}–${th.amber}${unit}`, green: `≥${th.amber}${unit}` };
  return (
    <span className="band-legend">
      {(['red', 'amber', 'green'] as const).map((b) => (
        <span key={b} className="band-key"><span className={`swatch swatch-${b}`} aria-hidden />{t(`band_${b}`)} {range[b]}</span>
      ))}
    </span>
  );
}
