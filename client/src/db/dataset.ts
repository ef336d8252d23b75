/** The published dataset: the manifest query and the option factory every DuckDB-backed chart query uses. */
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { Filters } from '../filters/filters.ts';
import { trpc } from '../trpc.ts';
import { loadDataset, query, type Manifest, type Row } from './duckdb.ts';
import type { Sql } from './sql.ts';

/** The manifest query (data version and table URLs). */
export function manifestOptions() {
  return trpc.dataset.manifest.queryOptions(undefined, { staleTime: 30_000, refetchOnWindowFocus: true });
}

/** The current manifest, shared by every view. */
export function useManifest() {
  return useQuery(manifestOptions());
}

/**
 * Query options for one chart query: keyed `['duckdb', name, filters, {…options, version}]`, run after the
 * manifest's tables are loaded into DuckDB-WASM.
 */
export function duckdbOptions<R extends Row>(
  name: string,
  filters: Filters,
  options: Record<string, unknown>,
  built: Sql,
  manifest: Manifest | undefined,
) {
  return queryOptions({
    queryKey: ['duckdb', name, filters, { ...options, version: manifest?.version ?? null }] as const,
    queryFn: async (): Promise<R[]> => {
      await loadDataset(manifest!);
      return query<R>(built.sql, built.params);
    },
    enabled: manifest != null,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
}
