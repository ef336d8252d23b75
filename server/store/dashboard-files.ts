/**
 * The files the dashboard loads, written beside a version's Parquet from those very files: each table of
 * `DASHBOARD_TABLES` as an Arrow IPC stream (strings dictionary-encoded; DuckDB-WASM reads Arrow natively, so the
 * browser decodes nothing in JS), `first-view.json` with the rows of the first page's queries (and of the overview
 * under each first region choice), and a .br and .gz copy of each for HTTP Content-Encoding.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { sqlString } from './db.ts';
import {
  firstViewKey, firstViewQueries, regionChoicesSql, regionViewQueries, type FirstViewEntry, type RegionChoice,
} from '../../client/src/db/first-view.ts';
import {
  DASHBOARD_TABLES, PUBLISHED_TABLES, DASHBOARD_VIEWS, dashboardColumns, type ColumnType, type DashboardTableDef,
} from '../tables.ts';

/**
 * Part of a version's hash: changes when these files change shape (the number is bumped by hand) or when the first
 * page's queries, the loaded tables or the derived tables' SQL change (e.g. the default threshold `report_cells` counts
 * low-execution projects at), so that browsers holding old files (cached forever) get new URLs and a first-view.json
 * that answers the queries the page now runs.
 */
export const DASHBOARD_FORMAT = `3 ${JSON.stringify([
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
  return `${name}.arrow`;
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
      const { bytes, rows } = await writeArrow(conn, def, join(dir, dashboardFileName(def.name)));
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

async function writeArrow(conn: DuckDBConnection, def: DashboardTableDef, file: string): Promise<{ bytes: number; rows: number }> {
  const columns = dashboardColumns(def);
  const order = def.order ?? (def.from === 'reports' ? 'rk' : 'rk, idx');
  const reader = await conn.runAndReadAll(`SELECT ${columns.map(([c]) => `"${c}"`).join(', ')} FROM ${def.name} ORDER BY ${order}`);
  const values = reader.getColumnsJS();
  const vectors: Record<string, arrow.Vector> = {};
  columns.forEach(([name, type], i) => { vectors[name] = vector(type, values[i] ?? []); }); // no rows: no column arrays at all
  const ipc = arrow.tableToIPC(new arrow.Table(vectors), 'stream');
  return { bytes: await writeCompressed(file, Buffer.from(ipc)), rows: reader.currentRowCount };
}

/** Writes `bytes` and its .br and .gz copies; returns the brotli size. */
async function writeCompressed(file: string, bytes: Buffer): Promise<number> {
  const [br, gz] = await Promise.all([
    promisify(brotliCompress)(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 7, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }),
    promisify(gzip)(bytes, { level: 6 }),
  ]);
  await Promise.all([writeFile(file, bytes), writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
  return br.length;
}

/**
 * One Arrow column from plain values (null = missing); strings dictionary-encoded (few distinct values each, and the
 * dictionary travels once). Built with `makeData`: Arrow's builders compile code with `new Function`.
 */
function vector(type: ColumnType, values: readonly unknown[]): arrow.Vector {
  const n = values.length;
  const nullBitmap = new Uint8Array(Math.ceil(n / 8));
  let nullCount = 0;
  const present = (i: number, v: unknown) => {
    if (v == null) {
      nullCount++;
      return false;
    }
    nullBitmap[i >> 3]! |= 1 << (i & 7);
    return true;
  };
  const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.getTime() : Number(v));
  switch (type) {
    case 'DOUBLE': {
      const data = new Float64Array(n);
      values.forEach((v, i) => { if (present(i, v)) data[i] = num(v); });
      return arrow.makeVector(arrow.makeData({ type: new arrow.Float64(), length: n, nullCount, nullBitmap, data }));
    }
    case 'INTEGER': {
      const data = new Int32Array(n);
      values.forEach((v, i) => { if (present(i, v)) data[i] = num(v); });
      return arrow.makeVector(arrow.makeData({ type: new arrow.Int32(), length: n, nullCount, nullBitmap, data }));
    }
    case 'BOOLEAN': {
      const data = new Uint8Array(Math.ceil(n / 8));
      values.forEach((v, i) => { if (present(i, v) && v) data[i >> 3]! |= 1 << (i & 7); });
      return arrow.makeVector(arrow.makeData({ type: new arrow.Bool(), length: n, nullCount, nullBitmap, data }));
    }
    case 'TIMESTAMP': {
      const data = new BigInt64Array(n);
      values.forEach((v, i) => { if (present(i, v)) data[i] = BigInt(Math.round(num(v))); });
      return arrow.makeVector(arrow.makeData({ type: new arrow.TimestampMillisecond(), length: n, nullCount, nullBitmap, data }));
    }
    case 'DOUBLE[]': {
      const valueOffsets = new Int32Array(n + 1);
      const items: number[] = [];
      values.forEach((v, i) => {
        if (present(i, v)) for (const x of v as readonly unknown[]) items.push(x == null ? Number.NaN : num(x));
        valueOffsets[i + 1] = items.length;
      });
      // Rates are never null inside a list (publish.ts keeps only stated ones); a null would arrive as NaN.
      const child = arrow.makeData({ type: new arrow.Float64(), length: items.length, nullCount: 0, data: Float64Array.from(items) });
      const type = new arrow.List(new arrow.Field('item', new arrow.Float64(), true));
      return arrow.makeVector(arrow.makeData({ type, length: n, nullCount, nullBitmap, valueOffsets, child }));
    }
    case 'VARCHAR': {
      const ids = new Map<string, number>();
      const indices = new Int32Array(n);
      values.forEach((v, i) => {
        if (!present(i, v)) return;
        const s = String(v);
        let k = ids.get(s);
        if (k === undefined) ids.set(s, (k = ids.size));
        indices[i] = k;
      });
      const encoder = new TextEncoder();
      const parts = [...ids.keys()].map((s) => encoder.encode(s));
      const valueOffsets = new Int32Array(parts.length + 1);
      parts.forEach((p, i) => { valueOffsets[i + 1] = valueOffsets[i]! + p.length; });
      const data = new Uint8Array(valueOffsets[parts.length]!);
      parts.forEach((p, i) => data.set(p, valueOffsets[i]!));
      const dictionary = arrow.makeVector(arrow.makeData({ type: new arrow.Utf8(), length: parts.length, nullCount: 0, valueOffsets, data }));
      const dict = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
      return arrow.makeVector(arrow.makeData({ type: dict, length: n, nullCount, nullBitmap, data: indices, dictionary }));
    }
  }
}

function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));
}
