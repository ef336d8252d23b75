/**
 * What the ingest writer needs to know about the stored reports, kept in memory so that writing a group of new reports
 * scans nothing: every stored id, the highest seq, the latest version (highest seq) of each department/year/kind, and
 * whether any correction may need carrying to a new version.
 *
 * It replaces, per group, a check of the ids against the reports table, a window over every report of the touched
 * departments to recompute which version is current, and a correlated count of older versions: ~0.85 s of the ingest
 * writer's ~5 s for 10,000 reports, and growing with the store.
 *
 * Loaded from the store once (when it is opened, or by the first write after `forgetCatalog`), then changed only in
 * `tx.onCommit` by the writers that change the reports table (ingest, remove, re-extract) or add corrections, so it
 * always describes what is committed: a transaction that rolls back leaves it as it was.
 */
import type { DB, Tx } from './db.ts';

/** One stored version of a department/year/kind. */
export interface Version {
  id: string;
  seq: number;
}

/** The stored reports, as the writer needs them. */
export interface Catalog {
  ids: Set<string>;
  /** The highest seq ever given in this store (0 when empty): the next report gets seq + 1. */
  seq: number;
  /** The latest version of each department/year/kind, by `versionKey`. */
  latest: Map<string, Version>;
  /**
   * Whether the store may hold live (active or stale) corrections, which new versions must carry: false only when it
   * holds none, so that ingests of a store nobody has reviewed skip looking (set by whatever adds a correction).
   */
  liveOverrides: boolean;
}

const catalogs = new WeakMap<DB, Catalog>();

/**
 * The key of a report's department/year/kind, or null when the department or year is unknown: such a report has no
 * other versions and stays current (as `refreshStatus` in ingest.ts decides).
 */
export function versionKey(r: { department: string | null; year: number | null; kind: string }): string | null {
  return r.department === null || r.year === null ? null : JSON.stringify([r.department, r.year, r.kind]);
}

/** The catalog of `db`, read through `q` (inside a write transaction: the writer's own view) when not yet loaded. */
export async function loadCatalog(db: DB, q: Pick<Tx, 'query'> = db): Promise<Catalog> {
  const cached = catalogs.get(db);
  if (cached) return cached;
  const rows = await q.query<Version & { department: string | null; year: number | null; kind: string }>(
    'SELECT id, seq, department, year, kind FROM reports',
  );
  const [{ n }] = (await q.query<{ n: number }>(
    "SELECT count(*) AS n FROM overrides WHERE status IN ('active', 'stale')",
  )) as [{ n: number }];
  const catalog: Catalog = { ids: new Set(), seq: 0, latest: new Map(), liveOverrides: n > 0 };
  for (const r of rows) {
    catalog.ids.add(r.id);
    catalog.seq = Math.max(catalog.seq, r.seq);
    const key = versionKey(r);
    if (key !== null && r.seq > (catalog.latest.get(key)?.seq ?? 0)) catalog.latest.set(key, { id: r.id, seq: r.seq });
  }
  catalogs.set(db, catalog);
  return catalog;
}

/** The catalog of `db` if it is loaded (a writer that changes reports keeps it up to date). */
export function cachedCatalog(db: DB): Catalog | undefined {
  return catalogs.get(db);
}

/** Drops the catalog of `db` (after a change too broad to follow): the next write loads it again. */
export function forgetCatalog(db: DB): void {
  catalogs.delete(db);
}
