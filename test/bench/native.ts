/**
 * The reference: the same SQL the page ran, on native DuckDB (@duckdb/node-api, default threads) over the same
 * published version (its Parquet tables loaded into memory, plus `report_ids` and `report_cells`), timed the same way:
 * prepare, bind, run, read the rows into JS.
 */
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DASHBOARD_TABLES, DASHBOARD_VIEWS, PUBLISHED_TABLES } from '../../server/tables.ts';
import type { QuerySample } from './browser.ts';

/** Times every sample's SQL on native DuckDB over the version in `versionDir`; returns samples with native times. */
export async function timeNative(versionDir: string, samples: readonly QuerySample[]): Promise<QuerySample[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    for (const def of PUBLISHED_TABLES) {
      const file = join(versionDir, `${def.name}.parquet`).replaceAll("'", "''");
      await conn.run(`CREATE TABLE ${def.name} AS SELECT * FROM read_parquet('${file}')`);
    }
    await conn.run(DASHBOARD_VIEWS);
    // Tables the page loads ready-made (report_cells) are tables here too, not views computed per query.
    for (const def of DASHBOARD_TABLES.filter((d) => d.columns)) {
      await conn.run(`CREATE TABLE ${def.name}_t AS SELECT * FROM ${def.name}; DROP VIEW ${def.name}; ALTER TABLE ${def.name}_t RENAME TO ${def.name}`);
    }
    const out: QuerySample[] = [];
    for (const s of samples) {
      const t0 = performance.now();
      const reader = await conn.runAndReadAll(s.sql, s.params as never);
      reader.getRowObjectsJS();
      out.push({ ...s, ms: performance.now() - t0 });
    }
    return out;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
