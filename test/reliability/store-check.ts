/**
 * Whole-store consistency, checked the way a crash could break it: every report fully present (its rows match its
 * stored extraction, its original bytes are there) or absent, no orphan or duplicate rows, one current version per
 * department/year/kind, and the published Parquet equal to what the store says should be published.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { PUBLISHED_TABLES } from '../../server/tables.ts';
import type { DB } from '../../server/store/db.ts';
import { REPORT_TABLES } from '../../server/store/migrate.ts';
import { selectSql } from '../../server/store/publish.ts';
import { sourceFiles, type SourceRef } from '../../server/store/source-files.ts';
import type { Store } from '../../server/store/store.ts';

/** Asserts the store is consistent; returns the ids it holds. */
export async function expectConsistentStore(store: Store): Promise<Set<string>> {
  const db = store.db;
  const count = async (sql: string) => ((await db.query<{ n: number }>(sql))[0]?.n ?? 0);

  // No duplicates: one sources row and one reports row per id, one row per (report, idx).
  expect(await count('SELECT count(*) - count(DISTINCT id) AS n FROM sources'), 'duplicate sources').toBe(0);
  expect(await count('SELECT count(*) - count(DISTINCT id) AS n FROM reports'), 'duplicate reports').toBe(0);
  for (const table of REPORT_TABLES.slice(2)) {
    expect(await count(`SELECT count(*) - count(DISTINCT (report_id, idx)) AS n FROM ${table}`), `duplicate ${table}`).toBe(0);
    // No orphans: every row belongs to a stored report.
    const orphans = await count(`SELECT count(*) AS n FROM ${table} WHERE report_id NOT IN (SELECT id FROM reports)`);
    expect(orphans, `orphan ${table}`).toBe(0);
  }
  const sourceIds = (await db.query<{ id: string }>('SELECT id FROM sources ORDER BY id')).map((r) => r.id);
  const reportIds = (await db.query<{ id: string }>('SELECT id FROM reports ORDER BY id')).map((r) => r.id);
  expect(reportIds, 'every report has its source and every source its report').toEqual(sourceIds);
  // Every report's original bytes are in its pack, whole.
  const files = sourceFiles(db);
  for (const ref of await db.query<SourceRef>('SELECT id, pack, pack_offset, size_bytes, extraction_size FROM sources')) {
    await expect(files.read(ref), `${ref.id} original`).resolves.toHaveLength(ref.size_bytes);
  }

  // Every report's rows are exactly its extraction's.
  await expectRowsMatchExtractions(db);

  // One current version per department/year/kind, the latest one.
  expect(
    await count(`SELECT count(*) AS n FROM (
      SELECT department, year, kind, count(*) FILTER (WHERE status = 'current') AS c, max(seq) AS top,
             max(seq) FILTER (WHERE status = 'current') AS cur
      FROM reports WHERE department IS NOT NULL AND year IS NOT NULL GROUP BY ALL) WHERE c <> 1 OR top <> cur`),
    'groups without exactly one current version, the latest',
  ).toBe(0);

  await expectPublishedMatchesStore(store);
  return new Set(reportIds);
}

async function expectRowsMatchExtractions(db: DB): Promise<void> {
  const rows = await db.query<SourceRef & { project_count: number; issue_count: number; flag_count: number }>(
    `SELECT r.id, s.pack, s.pack_offset, s.size_bytes, s.extraction_size, r.project_count, r.issue_count, r.flag_count
     FROM reports r JOIN sources s ON s.id = r.id`,
  );
  const columns = async (table: string, col: string) => {
    const byReport = new Map<string, unknown[]>();
    const rows = await db.query<{ report_id: string; v: unknown }>(
      `SELECT report_id, ${col} AS v FROM ${table} ORDER BY report_id, idx`,
    );
    for (const r of rows) {
      byReport.set(r.report_id, [...(byReport.get(r.report_id) ?? []), r.v]);
    }
    return (id: string) => byReport.get(id) ?? [];
  };
  const [projects, issues, flags, indicators] = await Promise.all([
    columns('projects', 'name'),
    columns('issues', 'text'),
    columns('flags', 'code'),
    columns('indicators', 'level3'),
  ]);
  for (const row of rows) {
    const x = await sourceFiles(db).readExtraction(row);
    expect(x.report.id, 'stored extraction belongs to its report').toBe(row.id);
    expect([row.project_count, row.issue_count, row.flag_count], row.id).toEqual([x.projects.length, x.issues.length, x.flags.length]);
    expect(projects(row.id), `${row.id} projects`).toEqual(x.projects.map((p) => p.name));
    expect(issues(row.id), `${row.id} issues`).toEqual(x.issues.map((i) => i.text));
    expect(flags(row.id), `${row.id} flags`).toEqual(x.flags.map((f) => f.code));
    expect(indicators(row.id), `${row.id} indicators`).toEqual(x.indicators.map((i) => i.level3));
  }
}

/** The manifest's Parquet files hold exactly the rows the store publishes now, with the stated row counts. */
export async function expectPublishedMatchesStore(store: Store): Promise<void> {
  const manifest = store.manifest();
  for (const def of PUBLISHED_TABLES) {
    const entry = manifest.tables.find((t) => t.name === def.name)!;
    const file = join(store.publishedDir, manifest.version, `${def.name}.parquet`).replaceAll("'", "''");
    const parquet = `SELECT * FROM read_parquet('${file}')`;
    const [{ n } = { n: -1 }] = await store.db.query<{ n: number }>(`SELECT count(*) AS n FROM read_parquet('${file}')`);
    expect(n, `${def.name}.parquet rows`).toBe(entry.rows);
    const [{ d } = { d: -1 }] = await store.db.query<{ d: number }>(
      `WITH a AS (${parquet}), b AS (${selectSql(def)})
       SELECT (SELECT count(*) FROM (FROM a EXCEPT ALL FROM b)) + (SELECT count(*) FROM (FROM b EXCEPT ALL FROM a)) AS d`,
    );
    expect(d, `${def.name}.parquet differs from the store`).toBe(0);
  }
}
