/** SQL for the overview's KPI cards: one row of figures per year (the year filter is applied when picking rows). */
import type { Filters } from '../../filters/filters.ts';
import { latestSelectedYear } from '../../filters/filters.ts';
import { DEFAULT_BANDS } from '../../charts/bands.ts';
import {
  byCells, CELL_RATE, CELL_SCORE, filterClause, lowExecProjects, NOT_IN_CELLS, REPORT_RATE, REVIEWED, weightedRate, type Sql,
} from '../../db/sql.ts';

/** The KPI figures of one year (year null: reports whose year is not known). */
export interface OverviewRow extends Record<string, unknown> {
  year: number | null;
  reports: number;
  departments: number;
  budget_wan: number | null;
  exec_rate: number | null;
  avg_score: number | null;
  flagged: number;
  low_exec: number;
  /** Reports an editor reviewed or corrected (the review badge). */
  reviewed: number;
}

/**
 * KPI figures per year under every filter but the year; `threshold` is the low-execution bound in percent. Read from
 * `report_cells` (the reports summed per year and region) when the filters and the threshold allow — a fifth of the rows
 * at 100,000 reports and none of their text: a city change's query took 15–20 ms on the reports in DuckDB-WASM, ~8 on
 * the cells (test/bench) — else from the reports, the same figures. Projects below the threshold are counted from
 * each report's `project_rates`, so the page needs no project table. A department is its name in its region.
 */
export function overviewSql(filters: Filters, opts: { threshold: number }): Sql {
  if (byCells(filters) && opts.threshold === DEFAULT_BANDS.exec.red) {
    const r = filterClause(filters, { omit: ['years', ...NOT_IN_CELLS] });
    const total = (c: string) => `CAST(coalesce(sum(${c}), 0) AS BIGINT) AS ${c}`;
    return {
      sql: `SELECT year, ${total('reports')}, ${total('departments')}, sum(budget_wan) AS budget_wan,
        ${CELL_RATE} AS exec_rate, ${CELL_SCORE} AS avg_score, ${total('flagged')}, ${total('reviewed')}, ${total('low_exec')}
      FROM report_cells WHERE ${r.sql} GROUP BY year
      ORDER BY year NULLS FIRST`,
      params: r.params,
    };
  }
  return overviewFromReportsSql(filters, opts);
}

/** `overviewSql` read from the reports, whatever the filters and threshold. */
export function overviewFromReportsSql(filters: Filters, opts: { threshold: number }): Sql {
  const r = filterClause(filters, { omit: ['years'] });
  return {
    sql: `SELECT year, count(*) AS reports,
        count(DISTINCT (province, city, county, department)) FILTER (WHERE department IS NOT NULL) AS departments,
        sum(budget_wan) AS budget_wan, ${weightedRate(REPORT_RATE)} AS exec_rate, avg(score) AS avg_score,
        count(*) FILTER (WHERE flag_count > 0) AS flagged,
        count(*) FILTER (WHERE ${REVIEWED}) AS reviewed,
        ${lowExecProjects(opts.threshold)} AS low_exec
      FROM reports WHERE ${r.sql} GROUP BY year
      ORDER BY year NULLS FIRST`,
    params: r.params,
  };
}

/**
 * The rows the KPI cards compare: the latest selected year (else the latest year in the data) and the year before.
 * When no report has a known year, the unknown-year row stands alone.
 */
export function pickKpiYears(rows: OverviewRow[], filters: Filters): { year: number | null; current?: OverviewRow; previous?: OverviewRow } {
  const known = rows.filter((r) => r.year != null);
  const year = latestSelectedYear(filters) ?? (known.length ? Math.max(...known.map((r) => r.year!)) : null);
  if (year == null) return { year: null, current: rows.find((r) => r.year == null) };
  return { year, current: rows.find((r) => r.year === year), previous: rows.find((r) => r.year === year - 1) };
}
