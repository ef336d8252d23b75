/**
 * What the dashboard downloads: the DuckDB .wasm and the data files go out precompressed (brotli or gzip, by the
 * browser's Accept-Encoding), first-view.json holds exactly what the first page's SQL gives over the full published
 * tables, the dashboard's database files hold the published rows, and the page still works offline from all of it.
 */
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  firstViewKey, firstViewQueries, regionChoicesSql, regionViewQueries, type FirstViewEntry, type RegionChoice,
} from '../../client/src/db/first-view.ts';
import { DASHBOARD_TABLES, dashboardColumns, dashboardOrder } from '../../server/tables.ts';
import { launchChromium, offlinePage, pageQuery, publishedDB, startTestServer, waitForDataset } from './helpers.ts';

let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;

/** A raw GET (no automatic decoding) with the given Accept-Encoding. */
function get(path: string, acceptEncoding: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { headers: { 'Accept-Encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The databases the page's engine has attached besides its own memory (the table files not yet copied). */
function attachedFiles(page: Page): Promise<string[]> {
  return pageQuery<{ path: string }>(page, `SELECT path FROM duckdb_databases() WHERE NOT internal AND database_name <> 'memory'`)
    .then((rows) => rows.map((r) => r.path));
}

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe('dashboard data files', () => {
  it('answers the first page from first-view.json with the rows its SQL gives over the full tables', async () => {
    const manifest = server.store.manifest();
    const entries = JSON.parse(readFileSync(join(server.store.publishedDir, manifest.version, 'first-view.json'), 'utf8')) as FirstViewEntry[];
    const db = await publishedDB(server);
    try {
      // The first page, then the overview under each first region choice: the bundled reports span several provinces.
      const choices = await db.run<RegionChoice>(regionChoicesSql());
      const provinces = await db.run<{ n: number }>({ sql: 'SELECT count(DISTINCT province) AS n FROM reports', params: [] });
      expect(provinces[0]!.n).toBeGreaterThan(1);
      expect(choices.length).toBe(provinces[0]!.n);
      expect(choices.every((c) => c.province && c.city == null)).toBe(true);
      const queries = [...firstViewQueries(), ...regionViewQueries(choices)];
      expect(queries.length).toBe(firstViewQueries().length + choices.length);
      expect(entries.map((e) => e.key)).toEqual(queries.map(firstViewKey));
      for (const [i, built] of queries.entries()) expect(entries[i]!.rows).toEqual(await db.run(built));
      expect(entries[0]!.rows.length, 'the overview has a row per year').toBeGreaterThan(0);
      for (const c of choices) {
        const entry = entries.find((e) => e.key === firstViewKey(regionViewQueries([c])[0]!))!;
        expect(entry.rows.reduce((n, r) => n + Number(r.reports), 0), c.province).toBeGreaterThan(0);
      }
    } finally {
      db.close();
    }
  });

  it('publishes each dashboard table as a DuckDB file with the published rows, sent as brotli or gzip', async () => {
    const manifest = server.store.manifest();
    const db = await publishedDB(server);
    const tmp = mkdtempSync(join(tmpdir(), 'dashboard-files-'));
    try {
      for (const def of DASHBOARD_TABLES) {
        const file = manifest.dashboard.tables.find((t) => t.name === def.name)!;
        const published = manifest.tables.find((t) => t.name === def.from)!;
        // A derived table (report_cells) has a row per year and region, holding every report once.
        if (def.columns) expect(file.rows).toBeLessThanOrEqual(published.rows);
        else expect(file.rows).toBe(published.rows);
        const plain = await get(file.url, 'identity');
        expect(plain.status).toBe(200);
        expect(plain.headers['content-encoding']).toBeUndefined();
        expect(plain.headers['content-type']).toBe('application/octet-stream');
        // The file read back by DuckDB: the contract's columns and types, and the rows the same SQL gives over the
        // published Parquet.
        const path = join(tmp, `${def.name}.duckdb`);
        writeFileSync(path, plain.body);
        const name = `"${def.name}"`;
        await db.run({ sql: `ATTACH '${path}' AS f (READ_ONLY)`, params: [] });
        const columns = await db.run<{ column_name: string; column_type: string }>({ sql: `DESCRIBE f.${name}`, params: [] });
        expect(columns.map((c) => [c.column_name, c.column_type])).toEqual(dashboardColumns(def).map(([c, t]) => [c, t]));
        const [{ n }] = await db.run<{ n: number }>({ sql: `SELECT count(*) AS n FROM f.${name}`, params: [] }) as [{ n: number }];
        expect(n).toBe(file.rows);
        // In the table's order (the low-execution view's scans skip by it).
        const list = columns.map((c) => `"${c.column_name}"`).join(', ');
        const stored = await db.run({ sql: `SELECT ${list} FROM (SELECT rowid AS r, * FROM f.${name}) ORDER BY r`, params: [] });
        expect(stored, `${def.name}: the published rows in order`).toEqual(await db.run({ sql: `SELECT ${list} FROM ${name} ORDER BY ${dashboardOrder(def)}`, params: [] }));
        if (def.name === 'issue_cells') {
          const [issues] = await db.run<{ n: number }>({ sql: 'SELECT count(*) AS n FROM issues WHERE category IS NOT NULL', params: [] });
          expect(issues!.n).toBeGreaterThan(0);
          const [sum] = await db.run<{ n: number }>({ sql: 'SELECT sum(occurrences) AS n FROM f.issue_cells', params: [] });
          expect(sum!.n).toBe(issues!.n);
        }
        if (def.name === 'report_cells') {
          expect(file.rows).toBeGreaterThan(0);
          const [sum] = await db.run<{ n: number }>({ sql: 'SELECT sum(reports) AS n FROM f.report_cells', params: [] });
          expect(sum!.n).toBe(published.rows);
        }
        await db.run({ sql: 'DETACH f', params: [] });

        const br = await get(file.url, 'gzip, deflate, br');
        expect(br.headers['content-encoding']).toBe('br');
        expect(br.headers.vary).toBe('Accept-Encoding');
        expect(br.body.length).toBe(file.bytes);
        expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
        const gz = await get(file.url, 'gzip');
        expect(gz.headers['content-encoding']).toBe('gzip');
        expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
        expect(new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]).size, 'one validator per encoding').toBe(3);
      }
    } finally {
      db.close();
      rmSync(tmp, { recursive: true, force: true });
    }
    // Parquet files have no compressed copies: they go out as they are.
    const parquet = await get(manifest.tables[0]!.url, 'gzip, br');
    expect(parquet.status).toBe(200);
    expect(parquet.headers['content-encoding']).toBeUndefined();
  });

  it('serves the DuckDB .wasm precompressed, and the page loads offline from compressed files', async () => {
    const { page, blocked, errors } = await offlinePage(browser);
    const encodings = new Map<string, string | undefined>();
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.endsWith('.wasm') || path.startsWith('/data/')) encodings.set(path, r.headers()['content-encoding']);
    });
    await page.goto(server.url);
    await waitForDataset(page);
    await page.locator('[data-testid="yearly-trend"] svg').first().waitFor();
    const wasmPath = [...encodings.keys()].find((p) => /\/assets\/duckdb-(eh|mvp)-.*\.wasm$/.test(p));
    expect(wasmPath, 'the engine came from our server').toBeDefined();
    // Chromium accepts brotli from a local (secure-context) origin.
    expect(encodings.get(wasmPath!)).toBe('br');
    // The tables the first page needs (the reports and their sums per year and region); `projects`, `issues` and
    // `report_ids` wait for a query that names them.
    const files = () => [...encodings].filter(([p]) => p.endsWith('.duckdb')).map(([p, e]) => `${p.split('/').pop()} ${e}`).sort();
    expect(files()).toEqual(['report_cells.duckdb br', 'reports.duckdb br']);
    // Once the page is idle it runs the overview's and regional view's statements once (views/warm-up.ts), which reads
    // only those tables.
    await expect.poll(() => page.evaluate(() => performance.getEntriesByType('measure')
      .filter((m) => m.name.startsWith('duckdb:warm-up:')).map((m) => m.name).sort()), { timeout: 10_000 })
      .toEqual(['duckdb:warm-up:overview', 'duckdb:warm-up:regional-cells']);
    expect(files()).toEqual(['report_cells.duckdb br', 'reports.duckdb br']);
    // The files are attached to answer at once, then copied into the engine's memory while idle and let go.
    await expect.poll(() => attachedFiles(page), { timeout: 10_000 }).toEqual([]);
    expect(await pageQuery(page, 'SELECT count(*) AS n FROM reports')).toEqual([{ n: server.store.manifest().dashboard.tables.find((t) => t.name === 'reports')!.rows }]);
    await page.getByRole('link', { name: '低执行率项目' }).click();
    await page.locator('[data-testid="low-exec-count"][data-count]:not([data-count=""])').waitFor();
    // Its rows come from the projects alone; the reports' ids load when a row is opened.
    expect(files()).toEqual(['projects.duckdb br', 'report_cells.duckdb br', 'reports.duckdb br']);
    await page.locator('.vtable-row[data-index="0"]').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('report')).toMatch(/^[0-9a-f]{64}$/);
    expect(files()).toEqual(['projects.duckdb br', 'report_cells.duckdb br', 'report_ids.duckdb br', 'reports.duckdb br']);
    // The issues view's heatmap and frequencies come from the issue sums; the issues themselves (a county's heatmap,
    // the sentences) load after it, while the page is idle.
    await page.getByRole('link', { name: '常见问题' }).click();
    await page.locator('[data-testid="issue-heatmap"] table').first().waitFor();
    const heatSql = await page.evaluate(() => performance.getEntriesByName('duckdb:issue-heatmap')
      .map((m) => ((m as PerformanceMeasure).detail as { sql: string }).sql));
    expect(heatSql.length).toBeGreaterThan(0);
    expect(heatSql.every((q) => q.includes('FROM issue_cells') && !/\bissues\b/.test(q))).toBe(true);
    await expect.poll(files).toContain('issues.duckdb br');
    const order = [...encodings.keys()].filter((p) => /\/(issue_cells|issues)\.duckdb$/.test(p)).map((p) => p.split('/').pop());
    expect(order).toEqual(['issue_cells.duckdb', 'issues.duckdb']);
    // A city chosen: the heatmap's rows are its counties, counted in the issues.
    const db = await publishedDB(server);
    const [place] = await db.run<{ province: string; city: string }>({ sql: `SELECT province, city FROM issues
      WHERE province IS NOT NULL AND city IS NOT NULL ORDER BY rk LIMIT 1`, params: [] });
    db.close();
    await page.evaluate((q) => (window as unknown as { __dashboard: { navigate(s: string): void } }).__dashboard.navigate(q),
      `view=issues&province=${encodeURIComponent(place!.province)}&city=${encodeURIComponent(place!.city)}`);
    await expect.poll(() => page.evaluate(() => performance.getEntriesByName('duckdb:issue-heatmap')
      .map((m) => ((m as PerformanceMeasure).detail as { sql: string }).sql).filter((q) => /FROM issues\b/.test(q)).length)).toBe(1);
    await expect.poll(() => page.locator('[data-testid="issue-heatmap"] .card-title').innerText()).toContain('区县');
    await expect.poll(() => attachedFiles(page), { timeout: 10_000 }).toEqual([]);
    const raw = await get(wasmPath!, 'gzip');
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(raw.headers['content-type']).toBe('application/wasm');
    expect(raw.body.length).toBeLessThan(12 * 2 ** 20);
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
