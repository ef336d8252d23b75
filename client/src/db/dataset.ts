/** The published dataset: the manifest query and the option factory every DuckDB-backed chart query uses. */
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { trpc } from '../trpc.ts';
import { datasetLoaded, loadDataset, query, startEngine, type Manifest, type Row } from './duckdb.ts';
import { firstViewKey, type FirstViewEntry } from './first-view.ts';
import type { Sql } from './sql.ts';

let firstView: { version: string; rows: Promise<Map<string, Row[]>>; loaded?: Map<string, Row[]> } | null = null;

/**
 * The rows of `built` from the version's first-view.json (the first page's queries, computed at publish time by the
 * same SQL), or null when the file does not have them: the first charts draw before DuckDB-WASM has loaded.
 */
async function firstViewRows(manifest: Manifest, built: Sql): Promise<Row[] | null> {
  return (await prefetchFirstView(manifest)).get(firstViewKey(built)) ?? null;
}

/** Starts (once per version) downloading first-view.json; resolves to its rows by query key (empty when unavailable). */
export function prefetchFirstView(manifest: Manifest): Promise<Map<string, Row[]>> {
  if (firstView?.version !== manifest.version) {
    const rows = fetch(manifest.dashboard.firstView)
      .then((res) => (res.ok ? (res.json() as Promise<FirstViewEntry[]>) : []))
      .then((entries) => new Map(entries.map((e) => [e.key, e.rows])), () => new Map<string, Row[]>());
    const entry: NonNullable<typeof firstView> = { version: manifest.version, rows };
    void rows.then((map) => { entry.loaded = map; });
    firstView = entry;
  }
  return firstView.rows;
}

/** The manifest query (data version and table URLs). */
export function manifestOptions() {
  // Built once: every card asks for it on every render, and tRPC builds its options through a chain of proxies.
  manifest ??= buildManifestOptions();
  return manifest;
}
const buildManifestOptions = () => trpc.dataset.manifest.queryOptions(undefined, { staleTime: 30_000, refetchOnWindowFocus: true });
let manifest: ReturnType<typeof buildManifestOptions> | undefined;

/** The current manifest, shared by every view. */
export function useManifest() {
  return useQuery(manifestOptions());
}

/**
 * Query options for one chart query: keyed by its SQL and parameters (`['duckdb', name, sql, params, version]`, so
 * filter changes that leave a query's SQL as it was — a year for a chart of every year — reuse its rows), answered from
 * the version's first-view.json when it holds the query, else run after the manifest's tables are loaded into
 * DuckDB-WASM.
 */
export function duckdbOptions<R extends Row>(name: string, built: Sql, manifest: Manifest | undefined) {
  return queryOptions({
    queryKey: ['duckdb', name, built.sql, built.params, manifest?.version ?? null] as const,
    queryFn: (): Promise<R[]> => {
      // Once first-view.json and the tables are in, the query goes to the engine in this very task (duckdb.ts).
      const known = firstView?.version === manifest!.version ? firstView.loaded : undefined;
      if (known && !known.has(firstViewKey(built)) && datasetLoaded(manifest!)) return query<R>(built.sql, built.params, name);
      return (async () => {
        const pre = await firstViewRows(manifest!, built);
        if (pre) return pre as R[];
        startEngine();
        await loadDataset(manifest!);
        return query<R>(built.sql, built.params, name);
      })();
    },
    enabled: manifest != null,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
}
