/**
 * Runs the statements of the views on the eagerly loaded table once, while the page is idle after the data has loaded:
 * the first page is answered from first-view.json, so without this the user's first filter change would be the
 * engine's first run of those statements, and DuckDB-WASM's first run of a statement compiles its WebAssembly
 * functions on the way (the first overview change took 60–110 ms, later ones 20–40: test/bench). Views on lazily
 * loaded tables (projects, issues, report titles) are left alone: warming them would fetch their tables.
 */
import { query, whenIdle, type Manifest } from '../db/duckdb.ts';
import { prefetchFirstView } from '../db/dataset.ts';
import { firstViewKey } from '../db/first-view.ts';
import { filterOptionsSql, type FilterOptionRow } from '../filters/filter-options-sql.ts';
import { EMPTY_FILTERS, type Filters } from '../filters/filters.ts';
import { DEFAULT_SORT } from './low-execution/low-execution-sql.ts';
import { viewQueries } from './view-queries.ts';

/** The views whose statements read only `reports`. */
const WARMED = ['overview', 'regional'] as const;

let warmed: string | null = null;

/** How long after the data has loaded the warm-up starts, ms (the page's own first queries go first). */
const AFTER_LOAD_MS = 500;

/** Once per data version, when the page is idle: each warmed view's statements under a typical filter. */
export function warmUpWhenIdle(manifest: Manifest, threshold: number): void {
  if (warmed === manifest.version) return;
  warmed = manifest.version;
  setTimeout(() => void warmUp(manifest, threshold).catch(() => undefined), AFTER_LOAD_MS);
}

async function warmUp(manifest: Manifest, threshold: number): Promise<void> {
  const options = ((await prefetchFirstView(manifest)).get(firstViewKey(filterOptionsSql())) ?? []) as FilterOptionRow[];
  const province = options.find((r) => r.dim === 'province')?.value ?? null;
  const years = options.filter((r) => r.dim === 'year').map((r) => Number(r.value)).filter(Number.isFinite);
  // A province and a year: the plans a filter change runs (a region level below the country, one year).
  const filters: Filters = { ...EMPTY_FILTERS, province, years: years.length ? [Math.max(...years)] : [] };
  const seen = new Set<string>();
  for (const view of WARMED) {
    for (const q of viewQueries({ view, filters, threshold, sort: DEFAULT_SORT, report: null }, manifest)) {
      const [, name, sql, params] = q.queryKey;
      if (seen.has(sql)) continue;
      seen.add(sql);
      // One at a time when nothing else runs, each labelled: a query the user sends meanwhile waits behind one at most.
      await whenIdle();
      await query(sql, params as never, `warm-up:${name}`);
    }
  }
}
