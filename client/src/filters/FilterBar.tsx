/** The filter bar shared by all views: years (multi), province → city → county, department kind, report kind. */
import { memo, useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { duckdbOptions, useManifest } from '../db/dataset.ts';
import { useT, type MessageKey } from '../i18n.ts';
import { afterChangeShown, navigate, useLiveSearch } from '../url-state.ts';
import { choicesFor, filterOptionsSql, parentsOf, type FilterOptionRow } from './filter-options-sql.ts';
import { EMPTY_FILTERS, parseFilters, writeFilters, type Filters } from './filters.ts';

function setFilters(next: Filters): void {
  navigate((s) => {
    writeFilters(s, next);
    // A region selection made in a chart belongs to the old filters.
    s.delete('region');
    s.delete('category');
  });
}

const OPTIONS_SQL = filterOptionsSql();

/**
 * The filter bar; every change goes to the URL. It shows the URL as it is now, ahead of the figures (which follow when
 * their data is in: url-state.ts), so a choice shows at once and a second quick one builds on the first.
 */
export const FilterBar = memo(function FilterBar() {
  const { t } = useT();
  const search = useLiveSearch();
  const filters = useMemo(() => parseFilters(new URLSearchParams(search)), [search]);
  const manifest = useManifest();
  // One list per data version (answered by first-view.json), narrowed here: a filter change runs no query.
  const options = useQuery(duckdbOptions<FilterOptionRow>('filter-options', OPTIONS_SQL, manifest.data));
  const rows = options.data ?? [];
  const { province, city } = filters;
  const choices = useMemo(() => choicesFor(rows, { province, city }), [rows, province, city]);
  const years = choices.year.map(Number);
  for (const y of filters.years) if (!years.includes(y)) years.push(y);
  years.sort((a, b) => a - b);

  const toggleYear = (y: number) => {
    const has = filters.years.includes(y);
    setFilters({ ...filters, years: has ? filters.years.filter((v) => v !== y) : [...filters.years, y].sort((a, b) => a - b) });
  };
  const pick = (dim: FilterOptionRow['dim'], value: string) => {
    const v = value || null;
    if (dim === 'province') setFilters({ ...filters, province: v, city: null, county: null });
    else if (dim === 'city') {
      setFilters({ ...filters, city: v, county: null, province: v ? parentsOf(rows, 'city', v, filters).province ?? filters.province : filters.province });
    } else if (dim === 'county') {
      const parents = v ? parentsOf(rows, 'county', v, filters) : null;
      setFilters({
        ...filters, county: v,
        city: parents?.city ?? filters.city,
        province: parents?.province ?? filters.province,
      });
    } else if (dim === 'department_kind') setFilters({ ...filters, departmentKind: v });
    else setFilters({ ...filters, kind: v });
  };

  const select = (dim: FilterOptionRow['dim'], label: MessageKey, current: string | null, text?: (v: string) => string) => {
    const listed = choices[dim];
    const id = `filter-${dim}`;
    return (
      <div className="filter-field">
        <label htmlFor={id}>{t(label)}</label>
        <select id={id} name={dim} value={current ?? ''} disabled={listed === null && !current}
          title={listed === null ? t('chooseParentFirst') : undefined} onChange={(e) => pick(dim, e.target.value)}>
          <option value="">{listed === null ? t('chooseParentFirst') : t('all')}</option>
          <Options values={listed ?? []} current={current} text={text} />
        </select>
      </div>
    );
  };

  const kindText = (v: string) => (v === 'department_overall' || v === 'project' ? t(`kind_${v}`) : v);
  const any = filters.years.length > 0 || filters.province || filters.city || filters.county
    || filters.departmentKind || filters.kind;

  return (
    <div className="filter-bar" role="search" aria-label={t('filters')}>
      <div className="filter-field filter-years">
        <span className="filter-label" id="filter-year-label">{t('year')}</span>
        <div className="chips" role="group" aria-labelledby="filter-year-label">
          <button
            type="button"
            className="chip"
            aria-pressed={filters.years.length === 0}
            onClick={() => setFilters({ ...filters, years: [] })}
          >
            {t('allYears')}
          </button>
          {years.map((y) => (
            <button key={y} type="button" className="chip" aria-pressed={filters.years.includes(y)} onClick={() => toggleYear(y)}>
              {y}
            </button>
          ))}
        </div>
      </div>
      {select('province', 'province', filters.province)}
      {select('city', 'city', filters.city)}
      {select('county', 'county', filters.county)}
      {select('department_kind', 'departmentKind', filters.departmentKind)}
      {select('kind', 'reportKind', filters.kind, kindText)}
      <button type="button" className="btn btn-ghost filter-clear" disabled={!any} onClick={() => setFilters(EMPTY_FILTERS)}>
        {t('clearFilters')}
      </button>
    </div>
  );
});

/**
 * A select's options; unchanged lists are not rebuilt when other filters change, and a changed one is rebuilt once the
 * views show the change and it is drawn (`afterChangeShown`): choosing a province or going back to the whole country
 * swaps ~330 city options, 10–20 ms of rendering and layout that shared the two cores with the engine's queries and
 * delayed the new figures (test/bench). Until then the list holds the current choice as well.
 */
const Options = memo(function Options({ values, current, text }: { values: string[]; current: string | null; text?: (v: string) => string }) {
  const [shown, setShown] = useState(values);
  useEffect(() => (sameList(shown, values) ? undefined : afterChangeShown(() => setShown(values))), [shown, values]);
  const all = current && !shown.includes(current) ? [current, ...shown] : shown;
  return <>{all.map((v) => <option key={v} value={v}>{text ? text(v) : v}</option>)}</>;
}, (a, b) => a.current === b.current && a.text === b.text && sameList(a.values, b.values));

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((v, i) => v === b[i]));
}
