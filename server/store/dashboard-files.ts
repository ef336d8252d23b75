/**
 * The files the dashboard loads, written beside a version's Parquet from those very files: each table of
 * `DASHBOARD_TABLES` as a one-table DuckDB database file (DuckDB-WASM attaches it as it is: nothing is converted in the
 * browser), `first-view.json` with the rows of the first page's queries (and of the overview under each first region
 * choice), and a .br and .gz copy of each for HTTP Content-Encoding.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from './db.ts';
import {
  firstViewKey, firstViewQueries, regionChoicesSql, regionViewQueries, type FirstViewEntry, type RegionChoice,
} from '../../client/src/db/first-view.ts';
import {
  DASHBOARD_TABLES, PUBLISHED_TABLES, DASHBOARD_VIEWS, dashboardColumns, dashboardOrder, type DashboardTableDef,
} from '../tables.ts';

/**
 * The storage format of the dashboard's database files: the one of the DuckDB inside @duckdb/duckdb-wasm (1.4), which
 * cannot read a newer one than its own; the server's @duckdb/node-api may be newer (e2e tests attach the files in the
 * page).
 */
const BROWSER_STORAGE_VERSION = 'v1.4.0';

/**
 * Part of a version's hash: changes when these files change shape (the number is bumped by hand) or when the first
 * page's queries, the loaded tables or the derived tables' SQL change (e.g. the default threshold `report_cells` counts
 * low-execution projects at), so that browsers holding old files (cached forever) get new URLs and a first-view.json
 * that answers the queries the page now runs.
 */
export const DASHBOARD_FORMAT = `6 ${BROWSER_STORAGE_VERSION} ${JSON.stringify([
  firstViewQueries().map(firstViewKey), regionChoicesSql().sql, regionViewQueries([{ province: '?', city: '?' }]).map(firstViewKey),
  DASHBOARD_TABLES.map((d) => [d, dashboardColumns(d)]), DASHBOARD_VIEWS,
])}`;
/** The pre-computed first page. */
export const FIRST_VIEW_FILE = 'first-view.json';

/** A dashboard file as listed in the manifest. */
export interface DashboardFile {
  name: string;
  url: string;
  rows: number;
  /** Size as sent to a browser that accepts brotli. */
  bytes: number;
  lazy: boolean;
}

/** The dashboard's files of one version. */
export interface DashboardManifest {
  firstView: string;
  tables: DashboardFile[];
}

/** The file name of a dashboard table. */
export function dashboardFileName(name: string): string {
  return `${name}.duckdb`;
}

/** Writes the dashboard files of the version in `dir` (whose Parquet files are complete) and lists them. */
export async function writeDashboardFiles(dir: string, version: string): Promise<DashboardManifest> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run('SET threads = 1');
    for (const def of PUBLISHED_TABLES) {
      await conn.run(`CREATE VIEW ${def.name} AS SELECT * FROM read_parquet(${sqlString(join(dir, `${def.name}.parquet`))})`);
    }
    await conn.run(DASHBOARD_VIEWS);
    const tables: DashboardFile[] = [];
    for (const def of DASHBOARD_TABLES) {
      const { bytes, rows } = await writeTable(conn, def, join(dir, dashboardFileName(def.name)));
      tables.push({ name: def.name, url: `/data/${version}/${dashboardFileName(def.name)}`, rows, bytes, lazy: def.lazy });
    }
    const entries: FirstViewEntry[] = [];
    const choices = (await conn.runAndReadAll(regionChoicesSql().sql)).getRowObjectsJS() as RegionChoice[];
    for (const built of [...firstViewQueries(), ...regionViewQueries(choices)]) {
      const reader = await conn.runAndReadAll(built.sql, built.params as never);
      entries.push({ key: firstViewKey(built), rows: reader.getRowObjectsJS().map(plainRow) });
    }
    await writeCompressed(join(dir, FIRST_VIEW_FILE), Buffer.from(JSON.stringify(entries)));
    return { firstView: `/data/${version}/${FIRST_VIEW_FILE}`, tables };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Writes one dashboard table, with its contract's columns and row order, as the only table of a DuckDB file. */
async function writeTable(conn: DuckDBConnection, def: DashboardTableDef, file: string): Promise<{ bytes: number; rows: number }> {
  const columns = dashboardColumns(def);
  const order = dashboardOrder(def);
  const table = `out."${def.name}"`;
  await conn.run(`ATTACH ${sqlString(file)} AS out (STORAGE_VERSION '${BROWSER_STORAGE_VERSION}')`);
  try {
    await conn.run(`CREATE TABLE ${table} (${columns.map(([c, t]) => `"${c}" ${t}`).join(', ')})`);
    // One thread: the rows are stored in this order.
    await conn.run(`INSERT INTO ${table} SELECT ${columns.map(([c]) => `"${c}"`).join(', ')} FROM ${def.name} ORDER BY ${order}`);
    const reader = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${table}`);
    const rows = reader.getRowObjectsJS()[0]!.n as number;
    await conn.run('DETACH out');
    return { bytes: await writeCompressedCopies(file, await readFile(file)), rows };
  } catch (e) {
    await conn.run('DETACH DATABASE IF EXISTS out');
    await rm(file, { force: true });
    throw e;
  }
}

/** Writes `bytes` and its .br and .gz copies; returns the brotli size. */
async function writeCompressed(file: string, bytes: Buffer): Promise<number> {
  await writeFile(file, bytes);
  return writeCompressedCopies(file, bytes);
}

/** Writes the .br and .gz copies of `file`, whose content is `bytes`; returns the brotli size. */
async function writeCompressedCopies(file: string, bytes: Buffer): Promise<number> {
  const [br, gz] = await Promise.all([
    promisify(brotliCompress)(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 7, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }),
    promisify(gzip)(bytes, { level: 6 }),
  ]);
  await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
  return br.length;
}

function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));
}
