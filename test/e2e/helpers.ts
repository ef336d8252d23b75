/** End-to-end helpers: start the real server on a temp store, drive offline Chromium (global-setup.ts builds the client). */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/server.ts';
import { DASHBOARD_VIEWS } from '../../server/tables.ts';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where screenshots go. */
export const RESULTS = join(ROOT, 'test-results');
/** The editor token the test servers use. */
export const EDITOR_TOKEN = 'e2e-editor-token-0123456789';

/** A server on a random port over a fresh data dir seeded from data/reports. */
export async function startTestServer(): Promise<RunningServer & { dataDir: string; dispose(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dashboard-e2e-'));
  const server = await startServer({
    dataDir, port: 0, host: '127.0.0.1', editorToken: EDITOR_TOKEN, workers: 2, log: () => {},
  });
  return {
    ...server,
    dataDir,
    async dispose() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, with background traffic switched off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
}

/**
 * A page that may only reach 127.0.0.1/localhost: anything else is aborted and recorded in `blocked`.
 * @param opts.acceptDownloads let the page save files (the export tests read them back).
 */
export async function offlinePage(browser: Browser, opts: { acceptDownloads?: boolean } = {}): Promise<{ page: Page; blocked: string[]; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', acceptDownloads: opts.acceptDownloads ?? false,
  });
  const blocked: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
    if (local || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    blocked.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  return { page, blocked, errors };
}

/** Waits until DuckDB-WASM has loaded the dataset (the app marks the loaded version on its root). */
export async function waitForDataset(page: Page, version?: string): Promise<string> {
  const selector = version ? `.app[data-dataset-version="${version}"]` : '.app[data-dataset-version]:not([data-dataset-version=""])';
  await page.waitForSelector(selector, { timeout: 60_000 });
  return (await page.getAttribute('.app', 'data-dataset-version'))!;
}

/** Runs `sql` on the page's own DuckDB-WASM (`window.__dashboard.query`, main.tsx) and returns its rows. */
export function pageQuery<T = Record<string, unknown>>(page: Page, sql: string): Promise<T[]> {
  return page.evaluate((q) => (window as unknown as { __dashboard: { query(sql: string): Promise<unknown[]> } }).__dashboard.query(q), sql) as Promise<T[]>;
}

/** Saves a full-page screenshot as test-results/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(RESULTS, { recursive: true });
  const path = join(RESULTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A node DuckDB reading the server's current published Parquet, to compute the figures the dashboard must show. */
export async function publishedDB(server: RunningServer): Promise<{ run<T = Record<string, unknown>>(built: { sql: string; params: unknown[] }): Promise<T[]>; close(): void }> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const manifest = server.store.manifest();
  for (const t of manifest.tables) {
    const file = join(server.store.publishedDir, manifest.version, `${t.name}.parquet`).replaceAll("'", "''");
    await conn.run(`CREATE VIEW ${t.name} AS SELECT * FROM read_parquet('${file}')`);
  }
  await conn.run(DASHBOARD_VIEWS);
  return {
    async run<T>(built: { sql: string; params: unknown[] }): Promise<T[]> {
      const reader = await conn.runAndReadAll(built.sql, built.params as never);
      return reader.getRowObjectsJS().map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]))) as T[];
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
