/**
 * `npm run export -- --partitioned DIR` as a user runs it, beside a running server: the hive-partitioned data set reads
 * back with a fresh DuckDB (hive partitioning on) as exactly the published tables, laid out year=…/province=… in plain
 * UTF-8, NULL years and provinces included; bad arguments and foreign folders are refused with nothing written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hiveEscape } from '../server/store/partitioned.ts';
import { PUBLISHED_TABLES } from '../server/tables.ts';
import { ROOT, SEED_DIR, seedFiles, startTestServer, tempDir } from './server-helpers.ts';

const work = tempDir('partitioned-');
const dataDir = join(work.path, 'store');
const out = join(work.path, 'out');
const enc = (s: string) => new TextEncoder().encode(s);
/** A multi-year evaluation (no year) and a report naming no place (no province), beside the bundled reports. */
const extra = [
  { name: 'multi-year.txt', bytes: enc('杭州市西湖区财政局2019-2021年度项目支出绩效评价报告\n一、基本情况\n项目预算资金 320.5 万元，实际支出 300.2 万元，预算执行率 93.67%。\n二、存在的问题\n（一）绩效目标设置不够细化。\n') },
  { name: 'no-place.txt', bytes: enc('某某局2022年度部门整体支出绩效自评报告\n一、基本情况\n年度预算 88 万元，实际支出 80 万元。\n自评得分 91 分。\n') },
];
const NULL = '__HIVE_DEFAULT_PARTITION__';

let server: Awaited<ReturnType<typeof startTestServer>>;
let ids: Record<string, string> = {};
let db: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  server = await startTestServer({ dataDir, seedDir: SEED_DIR });
  const { results } = await server.store.ingest(extra.map((f) => ({ name: f.name, read: async () => f.bytes })), { maxBytes: 2 ** 20 });
  expect(results.map((r) => r.status)).toEqual(['added', 'added']);
  ids = Object.fromEntries(results.map((r) => [r.name, r.id!]));
  expect(server.store.manifest().tables.find((t) => t.name === 'reports')!.rows).toBe(seedFiles().length + extra.length);
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
});

afterAll(async () => {
  conn?.closeSync();
  db?.closeSync();
  await server?.dispose();
  work.dispose();
});

function runExport(args: string[], env: Record<string, string> = { DATA_DIR: dataDir }) {
  const res = spawnSync('npm', ['run', '--silent', 'export', '--', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

const rows = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJson();
const published = (table: string) => `read_parquet('${join(server.store.publishedDir, server.store.manifest().version, `${table}.parquet`)}')`;
const partitioned = (table: string) => `read_parquet('${join(out, table)}/**/*.parquet', hive_partitioning = true)`;

/** The `year=…/province=…/file` paths under a table's folder. */
function layout(table: string): string[] {
  return (readdirSync(join(out, table), { recursive: true }) as string[]).filter((p) => p.endsWith('.parquet')).sort();
}

describe('an export of the bundled reports plus a NULL-year and a NULL-province report', () => {
  let run: ReturnType<typeof runExport>;
  beforeAll(() => {
    run = runExport(['--partitioned', out]);
  });

  test('prints the version, and rows, files and bytes per table', () => {
    expect(run.code, run.err).toBe(0);
    const { version, tables } = server.store.manifest();
    expect(run.out).toContain(`Exported data version ${version}`);
    for (const t of tables) expect(run.out).toMatch(new RegExp(`\\n  ${t.name} +${t.rows} rows +\\d+ files +[\\d.]+ KB\\n`));
    const info = JSON.parse(readFileSync(join(out, '_export.json'), 'utf8')) as { version: string; tables: { name: string; rows: number; files: number }[] };
    expect(info.version).toBe(version);
    expect(info.tables.map((t) => [t.name, t.rows, t.files])).toEqual(tables.map((t) => [t.name, t.rows, layout(t.name).length]));
  });

  test('lays every table out as year=…/province=… folders in plain UTF-8, one folder per pair, NULL as Hive writes it', async () => {
    const version = server.store.manifest().version;
    for (const def of PUBLISHED_TABLES) {
      const pairs = await rows(`SELECT DISTINCT 'year=' || coalesce(CAST(year AS VARCHAR), '${NULL}') || '/province=' || coalesce(province, '${NULL}') AS dir FROM ${published(def.name)}`);
      const files = layout(def.name);
      expect(new Set(files.map((f) => f.slice(0, f.lastIndexOf('/')))), def.name).toEqual(new Set(pairs.map((p) => p.dir)));
      for (const f of files) expect(f, def.name).toMatch(new RegExp(`^year=[^/]+/province=[^/]+/part-${version}-\\d+\\.parquet$`));
    }
    const reports = layout('reports');
    expect(reports).toContainEqual(expect.stringMatching(new RegExp(`^year=2025/province=河北省/`)));
    expect(reports).toContainEqual(expect.stringMatching(new RegExp(`^year=${NULL}/province=浙江省/`)));
    expect(reports).toContainEqual(expect.stringMatching(new RegExp(`^year=2022/province=${NULL}/`)));
  });

  test('reads back with hive partitioning as the published tables: same rows, same counts and sums per year and province', async () => {
    for (const def of PUBLISHED_TABLES) {
      const cols = def.columns.map(([c]) => `"${c}"`).join(', ');
      const a = `SELECT ${cols} FROM ${published(def.name)}`;
      const b = `SELECT ${cols} FROM ${partitioned(def.name)}`;
      const [diff] = await rows(`SELECT (SELECT count(*) FROM (${a} EXCEPT ALL ${b})) AS missing, (SELECT count(*) FROM (${b} EXCEPT ALL ${a})) AS extra`);
      expect(diff, def.name).toEqual({ missing: '0', extra: '0' });

      const sums = def.columns.filter(([, type]) => type === 'DOUBLE').map(([c]) => `round(sum("${c}"), 6) AS "${c}"`);
      const perPartition = (from: string) => rows(
        `SELECT CAST(year AS INTEGER) AS year, province, count(*) AS n, sum(rk) AS rk${sums.map((s) => `, ${s}`).join('')}
         FROM ${from} GROUP BY ALL ORDER BY year NULLS FIRST, province NULLS FIRST`,
      );
      const expected = await perPartition(published(def.name));
      expect(expected.length, def.name).toBeGreaterThan(0);
      expect(await perPartition(partitioned(def.name)), def.name).toEqual(expected);
      expect(expected.reduce((n, r) => n + Number(r.n), 0), def.name).toBe(server.store.manifest().tables.find((t) => t.name === def.name)!.rows);
    }
  });

  test('keeps the NULL-year and the NULL-province reports, with their child rows', async () => {
    const nulls = await rows(
      `SELECT report_id, CAST(year AS INTEGER) AS year, province, budget_wan, filename FROM ${partitioned('reports')}
       WHERE year IS NULL OR province IS NULL ORDER BY year NULLS FIRST`,
    );
    expect(nulls.map((r) => [r.report_id, r.year, r.province, r.budget_wan])).toEqual([
      [ids['multi-year.txt'], null, '浙江省', 320.5],
      [ids['no-place.txt'], 2022, null, 88],
    ]);
    expect(nulls[0]!.filename).toContain(`/reports/year=${NULL}/province=浙江省/`);
    const [issues] = await rows(`SELECT count(*) AS n FROM ${partitioned('issues')} WHERE year IS NULL AND report_id = '${ids['multi-year.txt']}'`);
    expect(Number(issues!.n)).toBeGreaterThan(0);
  });

  test('keeps year and province in the folder names only, as Spark and Trino expect', async () => {
    const file = join(out, 'reports', layout('reports')[0]!);
    // parquet_schema: the file's own columns (read_parquet would add the ones in the path).
    const columns = (await rows(`SELECT name FROM parquet_schema('${file}')`)).map((r) => r.name);
    expect(columns).toContain('budget_wan');
    expect(columns).not.toContain('year');
    expect(columns).not.toContain('province');
  });

  test('a second export replaces the first whole, leaving nothing beside it', () => {
    const stale = join(out, 'reports', 'year=1999', 'province=x');
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, 'part-old-0.parquet'), 'stale');
    const again = runExport(['--partitioned', out]);
    expect(again.code, again.err).toBe(0);
    expect(existsSync(join(out, 'reports', 'year=1999'))).toBe(false);
    expect(layout('reports').length).toBeGreaterThan(0);
    expect(readdirSync(work.path).sort()).toEqual(['out', 'store']);
  });
});

describe('refusals leave everything as it was', () => {
  const usage = /No export folder given\nusage: npm run export -- --partitioned DIR/;

  test('a missing or empty DIR', () => {
    for (const args of [[], ['--partitioned'], ['--partitioned', ''], ['--partitioned', '--data-dir', dataDir]]) {
      const run = runExport(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.err, args.join(' ')).toMatch(usage);
    }
  });

  test('a DATA_DIR that is not a store, or does not exist', () => {
    const empty = join(work.path, 'not-a-store');
    mkdirSync(empty);
    for (const dir of [empty, join(work.path, 'missing')]) {
      const target = join(work.path, 'never');
      const run = runExport(['--partitioned', target], { DATA_DIR: dir });
      expect(run.code, dir).toBe(2);
      expect(run.err).toContain(`不是数据目录 / No store in ${dir}`);
      expect(existsSync(target)).toBe(false);
    }
    expect(readdirSync(empty)).toEqual([]);
    expect(readdirSync(work.path).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  test('a DIR holding something other than an earlier export', () => {
    const other = join(work.path, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'keep.txt'), 'mine');
    const run = runExport(['--partitioned', other]);
    expect(run.code).toBe(2);
    expect(run.err).toContain(`${other} exists and is not an earlier export`);
    expect(readdirSync(other)).toEqual(['keep.txt']);
    expect(readdirSync(work.path).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

test('partition values are escaped as Hive escapes them: place names stay as written', () => {
  expect(hiveEscape('内蒙古自治区')).toBe('内蒙古自治区');
  expect(hiveEscape('a/b=c%d:e')).toBe('a%2Fb%3Dc%25d%3Ae');
});
