/**
 * The dashboard end to end: the real server over the bundled reports, the built client in Debian's Chromium with every
 * non-local request blocked (so DuckDB-WASM, Parquet, fonts and charts must all work offline).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, type Filters } from '../../client/src/filters/filters.ts';
import { DUCKDB_WORKERS, stripEngineExports } from '../../client/build/duckdb-engine.ts';
import { formatPct } from '../../client/src/format.ts';
import { lowExecPageSql, DEFAULT_SORT, reportIdSql, type LowExecRow } from '../../client/src/views/low-execution/low-execution-sql.ts';
import { overviewSql, pickKpiYears, type OverviewRow } from '../../client/src/views/overview/overview-sql.ts';
import { regionalSql, type RegionRow } from '../../client/src/views/regional/regional-sql.ts';
import {
  EDITOR_TOKEN, launchChromium, offlinePage, publishedDB, ROOT, screenshot, startTestServer,
  waitForDataset,
} from './helpers.ts';

let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;
const blocked: string[] = [];
const errors: string[] = [];

const f = (x: Partial<Filters> = {}): Filters => ({ ...EMPTY_FILTERS, ...x });

async function open(path: string): Promise<Page> {
  const p = await offlinePage(browser);
  p.page.on('close', () => { blocked.push(...p.blocked); errors.push(...p.errors); });
  await p.page.goto(server.url + path);
  await waitForDataset(p.page);
  return p.page;
}

/** The KPI figures the overview must show for `filters`, computed by the same SQL in node DuckDB. */
async function expectedKpis(filters: Filters, threshold = 60) {
  const db = await publishedDB(server);
  try {
    return pickKpiYears(await db.run<OverviewRow>(overviewSql(filters, { threshold })), filters);
  } finally {
    db.close();
  }
}

async function kpi(page: Page, id: string): Promise<number | null> {
  const raw = await page.locator(`[data-testid="kpi-${id}"] .kpi-value`).getAttribute('data-value');
  return raw ? Number(raw) : null;
}

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe('dashboard (offline Chromium against the real server)', () => {
  it('loads DuckDB-WASM and the Parquet tables from our own server and shows the overview KPIs', async () => {
    const page = await open('/');
    const requested: string[] = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await page.reload();
    const version = await waitForDataset(page);
    expect(version).toBe(server.store.manifest().version);
    expect(requested.some((p) => /^\/assets\/duckdb-(eh|mvp)-.*\.wasm$/.test(p))).toBe(true);
    expect(requested.filter((p) => p.startsWith(`/data/${version}/`) && p.endsWith('.duckdb')).length).toBeGreaterThan(0);
    // The engine never reaches for extensions (the bureau's network is offline), files or URLs, and cannot be told to.
    const sql = (text: string) => page.evaluate((q) => (window as unknown as { __dashboard: { query(sql: string, params: unknown[], name: string): Promise<unknown> } })
      .__dashboard.query(q, [], 'settings').then((rows) => ({ rows }), (e: Error) => ({ error: e.message })), text);
    expect(await sql(`SELECT current_setting('autoinstall_known_extensions') AS install,
      current_setting('autoload_known_extensions') AS load, current_setting('enable_external_access') AS outside`))
      .toEqual({ rows: [{ install: false, load: false, outside: false }] });
    expect(await sql(`SELECT array_to_string(current_setting('allowed_directories'), ',') AS dirs`)).toEqual({ rows: [{ dirs: '/dataset/' }] });
    // Refused by the settings (not by the blocked network): extensions, files (but the table files the page registered
    // under /dataset/), and turning access back on or widening it.
    for (const refused of ['LOAD spatial', 'LOAD json', "SELECT * FROM read_csv('/etc/hostname')", "ATTACH '/tmp/x.duckdb' AS x",
      "SELECT * FROM read_csv('/dataset/../etc/hostname')", `SELECT * FROM read_csv('${server.url}/index.html')`,
      'SET enable_external_access = true', "SET allowed_directories = ['/']", "SET allowed_paths = ['/etc/hostname']"]) {
      expect(await sql(refused), refused).toEqual({ error: expect.stringMatching(/disabled through configuration|disabled by configuration|Cannot change (enable_external_access|allowed_directories|allowed_paths)/) });
    }
    expect(await sql('SELECT count(*) AS n FROM reports')).toEqual({ rows: [{ n: server.store.manifest().tables.find((t) => t.name === 'reports')!.rows }] });
    // The engine and its worker that answered are the build's (client/build/duckdb-engine.ts): the worker patched, the
    // engine without the exports no script calls.
    const workerPath = requested.find((p) => /^\/assets\/duckdb-browser-(eh|mvp)\.worker-.*\.js$/.test(p));
    expect(workerPath).toBeDefined();
    expect(await (await fetch(server.url + workerPath)).text()).toContain('GOT[r]&&(t||GOT[r].value==0)&&');
    const wasmPath = requested.find((p) => /^\/assets\/duckdb-(eh|mvp)-.*\.wasm$/.test(p))!;
    const served = new Uint8Array(await (await fetch(server.url + wasmPath, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer());
    const installed = (f: string) => readFileSync(join(ROOT, 'node_modules/@duckdb/duckdb-wasm/dist', f));
    const bundle = /duckdb-(eh|mvp)-/.exec(wasmPath)![1]!;
    const stripped = stripEngineExports(installed(`duckdb-${bundle}.wasm`), DUCKDB_WORKERS.map((w) => installed(w).toString('utf8')));
    expect(Buffer.from(served).equals(Buffer.from(stripped.bytes))).toBe(true);
    expect(served.length).toBeLessThan(installed(`duckdb-${bundle}.wasm`).length);

    const want = await expectedKpis(f());
    expect(want.current, 'the bundled reports give the latest year some reports').toBeDefined();
    await expect.poll(() => kpi(page, 'reports')).toBe(want.current!.reports);
    expect(await kpi(page, 'departments')).toBe(want.current!.departments);
    expect(await kpi(page, 'budget')).toBeCloseTo(want.current!.budget_wan ?? Number.NaN, 6);
    if (want.current!.exec_rate != null) {
      expect(await page.locator('[data-testid="kpi-rate"] .kpi-value').innerText()).toBe(formatPct(want.current!.exec_rate));
    }
    await expect.poll(() => page.locator('[data-testid="kpis"] .card-subtitle').innerText()).toContain(`${want.year} 年度`);
    // The yearly trend: a budget bar per year with a budget, the rate and score lines through the years.
    const rows = (await (async () => {
      const db = await publishedDB(server);
      try { return await db.run<OverviewRow>(overviewSql(f(), { threshold: 60 })); } finally { db.close(); }
    })()).filter((r) => r.year != null);
    const trend = page.locator('[data-testid="yearly-trend"] svg');
    await trend.waitFor();
    expect(await trend.locator('g[fill="#c8d6e5"] rect').count()).toBe(rows.filter((r) => r.budget_wan != null).length);
    expect(await trend.locator('.trend-line').count()).toBe(2);
    expect(await trend.locator('.trend-line').first().locator('circle').count()).toBe(rows.filter((r) => r.exec_rate != null).length);
    expect(await trend.locator('text').allTextContents()).toEqual(expect.arrayContaining(rows.map((r) => String(r.year))));
    await screenshot(page, 'e2e-overview');
    await page.close();
  });

  it('restores filters from the URL, and the KPIs follow them', async () => {
    const all = await expectedKpis(f());
    const db = await publishedDB(server);
    const provinces = (await db.run<{ province: string }>({ sql: 'SELECT DISTINCT province FROM reports WHERE province IS NOT NULL ORDER BY 1', params: [] })).map((r) => r.province);
    db.close();
    expect(provinces.length).toBeGreaterThan(1);
    // A province whose latest-year figures differ from the whole data set's, so the change is visible.
    let chosen: { province: string; want: Awaited<ReturnType<typeof expectedKpis>> } | null = null;
    for (const province of provinces) {
      const want = await expectedKpis(f({ province }));
      if (want.year !== all.year || want.current?.reports !== all.current?.reports) { chosen = { province, want }; break; }
    }
    expect(chosen).not.toBeNull();
    const { province, want } = chosen!;

    const page = await open(`/?view=overview&province=${encodeURIComponent(province)}`);
    await expect.poll(() => kpi(page, 'reports')).toBe(want.current?.reports ?? null);
    expect(await page.locator('#filter-province').inputValue()).toBe(province);
    await page.reload();
    await waitForDataset(page);
    expect(await page.locator('#filter-province').inputValue()).toBe(province);
    await expect.poll(() => kpi(page, 'reports')).toBe(want.current?.reports ?? null);

    // A year from the URL: the cards show that year and compare it with the year before.
    const year = want.year!;
    await page.goto(`${server.url}/?view=overview&province=${encodeURIComponent(province)}&year=${year}`);
    await waitForDataset(page);
    await expect.poll(() => page.locator('[data-testid="kpis"] .card-subtitle').innerText()).toContain(`${year} 年度`);
    expect(await page.locator('.chip[aria-pressed="true"]').innerText()).toBe(String(year));

    // Changing a filter in the bar writes it to the URL.
    await page.locator('#filter-province').selectOption('');
    await expect.poll(() => new URL(page.url()).searchParams.get('province')).toBeNull();
    await expect.poll(() => kpi(page, 'reports')).toBe((await expectedKpis(f({ years: [year] }))).current?.reports ?? null);
    await page.close();
  });

  it('answers a province choice in the overview from first-view.json, with no query, and a city choice from the engine', async () => {
    const db = await publishedDB(server);
    const regions = await db.run<{ province: string; city: string }>({ sql: `SELECT province, min(city) AS city FROM reports
      WHERE province IS NOT NULL AND city IS NOT NULL GROUP BY province ORDER BY count(*) DESC, province LIMIT 1`, params: [] });
    db.close();
    const { province, city } = regions[0]!;
    // Opened on the province: the first page comes from the file, the engine runs no overview query.
    const page = await open(`/?view=overview&province=${encodeURIComponent(province)}`);
    const want = await expectedKpis(f({ province }));
    await expect.poll(() => kpi(page, 'reports')).toBe(want.current!.reports);
    expect(await kpi(page, 'departments')).toBe(want.current!.departments);
    expect(await kpi(page, 'flagged')).toBe(want.current!.flagged);
    const overviewRuns = () => page.evaluate(() => performance.getEntriesByName('duckdb:overview').length);
    expect(await overviewRuns()).toBe(0);
    // Back to every region and to the province again, through the app's navigation: still no query.
    const go = (search: string) => page.evaluate((q) => (window as unknown as { __dashboard: { navigate(s: string): void } }).__dashboard.navigate(q), search);
    await go('view=overview');
    await expect.poll(() => kpi(page, 'reports')).toBe((await expectedKpis(f())).current!.reports);
    await go(`view=overview&province=${encodeURIComponent(province)}`);
    await expect.poll(() => kpi(page, 'reports')).toBe(want.current!.reports);
    expect(await overviewRuns()).toBe(0);
    // A city is not answered ahead (national data: the provinces are): the engine runs the same SQL.
    await go(`view=overview&province=${encodeURIComponent(province)}&city=${encodeURIComponent(city)}`);
    const wantCity = await expectedKpis(f({ province, city }));
    await expect.poll(overviewRuns).toBe(1);
    await expect.poll(() => kpi(page, 'reports')).toBe(wantCity.current!.reports);
    expect(await kpi(page, 'departments')).toBe(wantCity.current!.departments);
    await page.close();
  });

  it('writes every change into the browser history once it is shown: Back and Forward step through them, a reload keeps the last', async () => {
    const page = await open('/?view=overview');
    const provinces = (await page.locator('#filter-province option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).filter(Boolean);
    const province = provinces[0]!;
    const all = await expectedKpis(f());
    const inProvince = await expectedKpis(f({ province }));
    const year = inProvince.year!;
    const inYear = await expectedKpis(f({ province, years: [year] }));
    await expect.poll(() => kpi(page, 'reports')).toBe(all.current?.reports ?? null);
    const entries = () => page.evaluate(() => history.length);
    const before = await entries();

    // The app's state leads the address bar: in the task of the change the bar still shows the old query string.
    const inTask = await page.evaluate((p) => {
      const select = document.querySelector<HTMLSelectElement>('#filter-province')!;
      select.value = p;
      select.dispatchEvent(new Event('change', { bubbles: true }));
      return location.search;
    }, province);
    expect(inTask).toBe('?view=overview');
    await expect.poll(() => new URL(page.url()).searchParams.get('province')).toBe(province);
    await expect.poll(() => kpi(page, 'reports')).toBe(inProvince.current?.reports ?? null);
    await page.locator('.filter-years .chip', { hasText: String(year) }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('year')).toBe(String(year));
    await expect.poll(() => kpi(page, 'reports')).toBe(inYear.current?.reports ?? null);
    // One entry per change, in order.
    expect(await entries()).toBe(before + 2);
    // The skip link moves focus to the views without adding an entry or a fragment.
    await page.locator('.skip-link').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
    expect(await entries()).toBe(before + 2);
    expect(new URL(page.url()).hash).toBe('');

    await page.goBack();
    await expect.poll(() => page.locator('.chip[aria-pressed="true"]').allInnerTexts()).toEqual(['全部年度']);
    expect(new URL(page.url()).searchParams.get('year')).toBeNull();
    expect(await page.locator('#filter-province').inputValue()).toBe(province);
    await expect.poll(() => kpi(page, 'reports')).toBe(inProvince.current?.reports ?? null);
    await page.goBack();
    await expect.poll(() => page.locator('#filter-province').inputValue()).toBe('');
    await expect.poll(() => kpi(page, 'reports')).toBe(all.current?.reports ?? null);
    expect(new URL(page.url()).search).toBe('?view=overview');
    await page.goForward();
    await expect.poll(() => page.locator('#filter-province').inputValue()).toBe(province);
    await expect.poll(() => kpi(page, 'reports')).toBe(inProvince.current?.reports ?? null);

    // A change after going back replaces the entries ahead, as on any site; leaving the page writes it at once, and a
    // reload keeps it.
    const onLeave = await page.evaluate((y) => {
      [...document.querySelectorAll<HTMLElement>('.filter-years .chip')].find((c) => c.textContent === y)!.click();
      const during = location.search;
      window.dispatchEvent(new PageTransitionEvent('pagehide'));
      return { during, left: location.search };
    }, String(year));
    expect(new URLSearchParams(onLeave.during).get('year')).toBeNull();
    expect(new URLSearchParams(onLeave.left).get('year')).toBe(String(year));
    await page.reload();
    await waitForDataset(page);
    expect(await page.locator('#filter-province').inputValue()).toBe(province);
    expect(await page.locator('.chip[aria-pressed="true"]').innerText()).toBe(String(year));
    await expect.poll(() => kpi(page, 'reports')).toBe(inYear.current?.reports ?? null);
    await page.close();
  });

  it('sends a filter change\'s queries at once and draws the page once, when their answers are in', async () => {
    const page = await open('/?view=regional');
    await page.locator('[data-testid="rate-trend"] svg').first().waitFor();
    const provinces = (await page.locator('#filter-province option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).filter(Boolean);
    const change = (search: string) => page.evaluate((q) => {
      // The view's queries (not the page's own idle-time warm-up runs, views/warm-up.ts).
      const done = () => performance.getEntriesByType('measure')
        .filter((m) => m.name.startsWith('duckdb:') && !m.name.startsWith('duckdb:warm-up')).length;
      const before = { sent: performance.getEntriesByName('duckdb:start').length, done: done() };
      // When the ranking first changes, how many of the change's queries had answered (the filter bar itself shows the
      // new choice at once).
      const w = window as unknown as { answeredAtRender?: number | null };
      w.answeredAtRender = null;
      const seen = new MutationObserver(() => {
        w.answeredAtRender ??= done() - before.done;
        seen.disconnect();
      });
      seen.observe(document.querySelector('[data-testid="rate-ranking"]')!, { subtree: true, childList: true, attributes: true, characterData: true });
      history.pushState(null, '', `${location.pathname}?${q}`);
      window.dispatchEvent(new Event('urlchange'));
      // Counted before this task ends: React has not rendered the change yet.
      const labels = [...document.querySelectorAll('[data-testid="rate-ranking"] .bar-label')].map((c) => c.textContent);
      return { marks: performance.getEntriesByName('duckdb:start').length - before.sent, labels };
    }, search);
    const labels = () => page.locator('[data-testid="rate-ranking"] .bar-label').allInnerTexts();
    const before = await labels();
    // A province: one query (the region × year sums the ranking and the trend are both made of), sent in the same
    // task; the ranking is rewritten once, with its answer in.
    const sent = await change(`view=regional&province=${encodeURIComponent(provinces[0]!)}`);
    expect(sent).toEqual({ marks: 1, labels: before });
    await expect.poll(() => page.evaluate(() => (window as unknown as { answeredAtRender?: number }).answeredAtRender)).toBe(1);
    const order = await page.evaluate(() => performance.getEntriesByType('measure')
      .filter((m) => m.name.startsWith('duckdb:') && !m.name.startsWith('duckdb:warm-up')).slice(-1).map((m) => m.name));
    expect(order).toEqual(['duckdb:regional-cells']);
    await expect.poll(labels).not.toEqual(before);
    // A year: no query at all (the sums cover every year); the ranking and the chip follow at once.
    const year = Number(await page.locator('.filter-years .chip', { hasText: /^\d{4}$/ }).first().innerText());
    const again = await change(`view=regional&province=${encodeURIComponent(provinces[0]!)}&year=${year}`);
    expect(again.marks).toBe(0);
    await expect.poll(() => page.locator('.chip[aria-pressed="true"]').innerText()).toBe(String(year));
    // …and the ranking is that year's, as the ranking's own SQL gives it.
    const db = await publishedDB(server);
    try {
      const want = (await db.run<RegionRow>(regionalSql(f({ province: provinces[0]!, years: [year] }))))
        .filter((r) => r.exec_rate != null).map((r) => `${r.rate_rank}. ${r.region ?? '未识别地区'}`);
      await expect.poll(async () => (await labels()).sort()).toEqual([...want].sort());
    } finally {
      db.close();
    }
    await page.close();
  });

  it('builds a quick second filter choice on the first: the filter bar shows each choice at once', async () => {
    const page = await open('/?view=overview');
    await page.locator('[data-testid="yearly-trend"] svg').waitFor();
    const years = await page.locator('.filter-years .chip', { hasText: /^\d{4}$/ }).allInnerTexts();
    expect(years.length).toBeGreaterThan(1);
    // Two clicks a task apart, the second while the first change's queries are still running.
    const pressedBetween = await page.evaluate(async ([a, b]) => {
      const chip = (y: string) => [...document.querySelectorAll<HTMLElement>('.filter-years .chip')].find((c) => c.textContent === y)!;
      chip(a!).click();
      await new Promise((r) => setTimeout(r, 0));
      const pressed = chip(a!).getAttribute('aria-pressed');
      chip(b!).click();
      return pressed;
    }, [years[0], years[1]]);
    expect(pressedBetween).toBe('true');
    await expect.poll(() => new URL(page.url()).searchParams.getAll('year').join(',')).toBe(`${years[0]},${years[1]}`);
    await expect.poll(() => page.locator('.chip[aria-pressed="true"]').allInnerTexts()).toEqual([years[0], years[1]]);
    await page.close();
  });

  it('narrows the city and county lists to the chosen region once the change is shown, and widens them back', async () => {
    const page = await open('/?view=overview');
    await page.locator('[data-testid="yearly-trend"] svg').waitFor();
    const db = await publishedDB(server);
    const cities = async (province: string | null) => (await db.run<{ city: string }>({
      sql: `SELECT DISTINCT city FROM reports WHERE city IS NOT NULL ${province ? 'AND province = ?' : ''} ORDER BY 1`,
      params: province ? [province] : [],
    })).map((r) => r.city);
    const provinces = (await db.run<{ province: string }>({ sql: 'SELECT DISTINCT province FROM reports WHERE province IS NOT NULL ORDER BY 1', params: [] })).map((r) => r.province);
    const listed = (id: string) => page.locator(`#${id} option`).evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean).sort());
    const all = await cities(null);
    await expect.poll(() => listed('filter-city')).toEqual([...all].sort());
    // A province whose cities are fewer than all of them.
    const province = (await Promise.all(provinces.map(async (p) => [p, await cities(p)] as const))).find(([, c]) => c.length > 0 && c.length < all.length)!;
    expect(province).toBeDefined();
    await page.locator('#filter-province').selectOption(province[0]);
    await expect.poll(() => listed('filter-city')).toEqual([...province[1]].sort());
    await page.locator('#filter-city').selectOption(province[1][0]!);
    const counties = (await db.run<{ county: string }>({ sql: 'SELECT DISTINCT county FROM reports WHERE city = ? AND county IS NOT NULL ORDER BY 1', params: [province[1][0]!] })).map((r) => r.county);
    await expect.poll(() => listed('filter-county')).toEqual([...counties].sort());
    expect(await page.locator('#filter-city').inputValue()).toBe(province[1][0]);
    await page.locator('#filter-province').selectOption('');
    await expect.poll(() => listed('filter-city')).toEqual([...all].sort());
    db.close();
    await page.close();
  });

  it('draws the regional trend as one line per region, with a tooltip, a legend that hides lines and lines that drill down', async () => {
    const page = await open('/?view=regional');
    const trend = page.locator('[data-testid="rate-trend"]');
    await trend.locator('svg').waitFor();
    const db = await publishedDB(server);
    const regions = (await db.run<RegionRow>(regionalSql(f()))).sort((a, b) => (b.budget_wan ?? 0) - (a.budget_wan ?? 0) || b.reports - a.reports);
    db.close();
    const lines = trend.locator('.trend-line');
    expect(await lines.count()).toBe(Math.min(10, regions.length));
    expect(await trend.locator('.trend-key').allInnerTexts()).toEqual(regions.slice(0, 10).map((r) => r.region ?? '未识别地区'));
    // Hovering a year shows every line's value for it.
    const box = (await trend.locator('svg').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await trend.locator('.trend-tooltip').waitFor();
    expect(await trend.locator('.trend-tooltip-row').count()).toBe(Math.min(10, regions.length));
    // The legend hides a line and shows it again.
    await trend.locator('.trend-key').first().click();
    expect(await lines.count()).toBe(Math.min(10, regions.length) - 1);
    expect(await trend.locator('.trend-key').first().getAttribute('aria-pressed')).toBe('false');
    await trend.locator('.trend-key').first().click();
    expect(await lines.count()).toBe(Math.min(10, regions.length));
    // A line drills into its region (the last drawn: no other line lies over its points).
    await lines.last().locator('circle').first().click();
    await expect.poll(() => new URL(page.url()).searchParams.get('province')).toBe(regions[Math.min(10, regions.length) - 1]!.region);
    await page.close();
  });

  it('renders every view with data, in Chinese and in English', async () => {
    const page = await open('/?view=regional');
    await page.locator('[data-testid="rate-ranking"] .bar-list').waitFor();
    await page.locator('[data-testid="rate-trend"] svg').first().waitFor();
    await screenshot(page, 'e2e-regional');

    // Clicking the top bar of the ranking drills into that region; the breadcrumb goes back.
    const db = await publishedDB(server);
    const ranked = (await db.run<RegionRow>(regionalSql(f()))).filter((r) => r.exec_rate != null);
    db.close();
    const top = ranked[0];
    const bars = page.locator('[data-testid="rate-ranking"] .bar-button');
    expect(await bars.count()).toBe(ranked.length);
    expect(await bars.first().locator('.bar-label').innerText()).toBe(`${top!.rate_rank}. ${top!.region}`);
    expect(await bars.first().locator('.bar-value').innerText()).toBe(formatPct(top!.exec_rate));
    // Coloured by its warning band (≥ 90%: green), as wide as its share of 100%.
    const fill = bars.first().locator('.bar-fill');
    expect(await fill.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(top!.exec_rate! >= 90 ? 'rgb(46, 139, 87)' : top!.exec_rate! >= 60 ? 'rgb(212, 160, 23)' : 'rgb(192, 57, 43)');
    expect(await fill.evaluate((el) => (el as HTMLElement).style.width)).toBe(`${Math.min(100, top!.exec_rate!)}%`);
    // The band thresholds (60% red, 90% amber) are dashed lines across every bar, on the axis' 60 and 90, and leave the
    // bars clickable.
    const ranking = page.locator('[data-testid="rate-ranking"]');
    const marks = await ranking.locator('.bar-mark').evaluateAll((els) => els.map((el) => {
      const r = el.getBoundingClientRect();
      return { x: r.left, top: r.top, bottom: r.bottom, color: getComputedStyle(el).borderLeftColor, style: getComputedStyle(el).borderLeftStyle };
    }));
    // Where a value lies on the axis, from its first and last tick (0 and the full-length value).
    const ticks = await ranking.locator('.bar-ticks > span').evaluateAll((els) => els.map((el) => {
      const r = el.getBoundingClientRect();
      return { value: Number(el.textContent), x: r.left + r.width / 2 };
    }));
    const [first, last] = [ticks[0]!, ticks[ticks.length - 1]!];
    const onAxis = (v: number) => first.x + ((last.x - first.x) * (v - first.value)) / (last.value - first.value);
    const rows = await bars.evaluateAll((els) => ({ top: els[0]!.getBoundingClientRect().top, bottom: els[els.length - 1]!.getBoundingClientRect().bottom }));
    expect(marks.map((m) => [m.color, m.style])).toEqual([['rgb(192, 57, 43)', 'dashed'], ['rgb(212, 160, 23)', 'dashed']]);
    expect(Math.abs(marks[0]!.x - onAxis(60))).toBeLessThan(1.5);
    expect(Math.abs(marks[1]!.x - onAxis(90))).toBeLessThan(1.5);
    for (const m of marks) expect([m.top <= rows.top + 4, m.bottom >= rows.bottom - 4]).toEqual([true, true]);
    await bars.first().click();
    await expect.poll(() => new URL(page.url()).searchParams.get('province')).toBe(top!.region);
    await page.locator('.breadcrumb [aria-current="page"]', { hasText: top!.region! }).waitFor();
    await page.locator('.breadcrumb').getByRole('button', { name: '全国' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('province')).toBeNull();

    await page.getByRole('link', { name: '常见问题' }).click();
    await page.locator('[data-testid="issue-heatmap"] .heat-table').waitFor();
    // A cell of the heat table selects its region and category; the sentences behind it list below.
    const cell = page.locator('[data-testid="issue-heatmap"] .heat-cell').first();
    const cellCount = Number(await cell.innerText());
    await cell.click();
    await expect.poll(() => new URL(page.url()).searchParams.has('region')).toBe(true);
    expect(new URL(page.url()).searchParams.get('category')).toMatch(/^[A-Z_]+$/);
    await expect.poll(() => page.locator('[data-testid="issue-sentences"] .sentence-list li').count()).toBe(cellCount);
    expect(await page.locator('[data-testid="issue-heatmap"] .heat-selected').count()).toBe(1);
    // Open the frequency table and pick the top category: its sentences list with links to their reports.
    // Clicking the top frequency bar selects its category (in the URL); clicking it again clears it.
    const topBar = page.locator('[data-testid="issue-frequency"] .bar-button').first();
    await topBar.click();
    await expect.poll(() => new URL(page.url()).searchParams.get('category')).toMatch(/^[A-Z_]+$/);
    await topBar.click();
    await expect.poll(() => new URL(page.url()).searchParams.get('category')).toBeNull();
    await page.locator('[data-testid="issue-frequency"]').getByRole('button', { name: '查看数据表' }).click();
    await page.locator('[data-testid="issue-frequency"] tbody tr').first().getByRole('button').click();
    await page.locator('[data-testid="issue-sentences"] .sentence-list li').first().waitFor();
    expect(await page.locator('[data-testid="issue-sentences"] a', { hasText: '查看报告' }).count()).toBeGreaterThan(0);
    await screenshot(page, 'e2e-issues');

    await page.getByRole('link', { name: '低执行率项目' }).click();
    await page.locator('[data-testid="low-exec-count"][data-count]:not([data-count=""])').waitFor();
    await screenshot(page, 'e2e-low-execution');

    await page.getByRole('button', { name: '切换到英文' }).click();
    await expect.poll(() => page.locator('.tab-active').innerText()).toBe('Low execution');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.locator('[data-testid="kpi-reports"] .kpi-label', { hasText: 'Reports' }).waitFor();
    await screenshot(page, 'e2e-overview-en');
    await page.getByRole('button', { name: 'Switch to Chinese' }).click();
    await page.close();
  });

  it('keeps warning thresholds in the URL and remembers them locally', async () => {
    const page = await open('/?view=regional&exec_red=95&exec_amber=99');
    const legend = page.locator('[data-testid="rate-ranking"] .band-legend');
    await expect.poll(() => legend.innerText()).toContain('<95%');
    await page.locator('.band-settings summary').click();
    await page.locator('#band-exec-red').fill('70');
    await expect.poll(() => new URL(page.url()).searchParams.get('exec_red')).toBe('70');
    await expect.poll(() => legend.innerText()).toContain('70–99%');
    // Opened again without parameters, the remembered thresholds apply.
    await page.goto(`${server.url}/?view=regional`);
    await waitForDataset(page);
    await expect.poll(() => page.locator('[data-testid="rate-ranking"] .band-legend').innerText()).toContain('<70%');
    await page.locator('.band-settings summary').click();
    await page.getByRole('button', { name: '恢复默认' }).click();
    await expect.poll(() => page.locator('[data-testid="rate-ranking"] .band-legend').innerText()).toContain('<60%');
    await page.close();
  });

  it('drills from a region to a low-execution project to its highlighted sentence', async () => {
    const db = await publishedDB(server);
    const regions = await db.run<RegionRow>(regionalSql(f()));
    // The province holding the worst project (lowest execution rate) among those under 60%.
    const [worst] = await db.run<LowExecRow>(lowExecPageSql(f(), { threshold: 60, sort: DEFAULT_SORT, offset: 0, limit: 1 }));
    expect(worst, 'the bundled reports contain a project under 60% execution').toBeDefined();
    const province = worst!.province!;
    expect(regions.some((r) => r.region === province)).toBe(true);
    const [first] = await db.run<LowExecRow>(lowExecPageSql(f({ province }), { threshold: 60, sort: DEFAULT_SORT, offset: 0, limit: 1 }));
    const [{ report_id: firstReport }] = (await db.run<{ report_id: string }>(reportIdSql(first!.rk))) as [{ report_id: string }];
    db.close();

    const page = await open('/?view=regional');
    const ranking = page.locator('[data-testid="rate-ranking"]');
    await ranking.locator('.bar-list').waitFor();
    // Keyboard-reachable drill-down through the chart's table view.
    await ranking.getByRole('button', { name: '查看数据表' }).click();
    await ranking.getByRole('button', { name: new RegExp(`^${province}`) }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('province')).toBe(province);
    await page.locator('.breadcrumb [aria-current="page"]', { hasText: province }).waitFor();
    expect(await page.locator('[data-testid="rate-ranking"] .card-title').innerText()).toContain('城市');

    await page.getByRole('link', { name: '低执行率项目' }).click();
    const row = page.locator('.vtable-row[data-index="0"]');
    await row.locator('.cell-name', { hasText: first!.name ?? '' }).waitFor();
    await row.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('report')).toBe(firstReport);
    expect(new URL(page.url()).searchParams.get('focus')).toBe(`project:${first!.idx}`);

    const detail = await (await fetch(`${server.url}/trpc/reports.get?input=${encodeURIComponent(JSON.stringify({ id: firstReport }))}`)).json() as {
      result: { data: { extraction: { text: string; projects: { spans: Record<string, { start: number; end: number }> }[] } } };
    };
    const x = detail.result.data.extraction;
    const span = x.projects[first!.idx]!.spans.execution_rate_pct;
    expect(span, 'the extractor gives the project rate a span').toBeDefined();
    const figure = x.text.slice(span!.start, span!.end);
    const sentence = page.locator('[data-testid="active-sentence"]');
    await sentence.waitFor();
    await expect.poll(() => sentence.isVisible()).toBe(true);
    expect(await sentence.innerText()).toContain(figure);
    expect(await sentence.locator('mark.hl-focus').first().innerText()).toBe(figure);
    // Scrolled into view, both inside the text pane and in the window (the scroll is smooth: wait for it).
    await expect.poll(() => sentence.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const pane = el.closest('.source-text')!.getBoundingClientRect();
      return box.bottom > pane.top && box.top < pane.bottom && box.top >= 0 && box.top < window.innerHeight;
    })).toBe(true);
    await screenshot(page, 'e2e-report');

    // Another figure from the records panel: its sentence takes over the highlight.
    const other = page.locator('.records button.figure[aria-pressed="false"]').first();
    const otherText = (await other.innerText()).trim();
    await other.click();
    await expect.poll(() => page.locator('.records button.figure[aria-pressed="true"]').count()).toBe(1);
    await expect.poll(() => sentence.innerText()).not.toBe('');
    await expect.poll(() => new URL(page.url()).searchParams.get('focus')).not.toBe(`project:${first!.idx}`);
    expect(otherText.length).toBeGreaterThan(0);
    await page.close();
  });

  it('lets an editor upload a report and moves the dashboard to the new data version without a reload', async () => {
    const before = server.store.manifest();
    const page = await open('/?view=upload');
    await page.evaluate(() => { (window as unknown as { marker: number }).marker = 42; });
    await page.locator('#editor-token').fill(EDITOR_TOKEN);
    // A new department's report (same shape as a bundled one), dropped onto the drop zone.
    const text = readFileSync(join(ROOT, 'data/reports/000_96c3a7fa7083f9aa.txt'), 'utf8').replaceAll('医疗保障局', '教育局');
    const drop = await page.evaluateHandle((content) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], '鹿泉区教育局2025年度自评报告.txt', { type: 'text/plain' }));
      return dt;
    }, text);
    await page.locator('[data-testid="dropzone"]').dispatchEvent('drop', { dataTransfer: drop });
    await page.locator('[data-testid="upload-item"]').waitFor();
    await page.getByRole('button', { name: '上传', exact: true }).click();
    await page.locator('[data-testid="upload-item"][data-state="done"]').waitFor({ timeout: 60_000 });
    const status = await page.locator('[data-testid="upload-item"] .upload-status').innerText();
    expect(status).toMatch(/已入库/);
    const after = server.store.manifest();
    expect(after.version).not.toBe(before.version);
    await page.locator('[data-testid="upload-notice"]', { hasText: after.version }).waitFor();
    await waitForDataset(page, after.version);
    expect(await page.getByTestId('data-version').innerText()).toBe(after.version);
    await screenshot(page, 'e2e-upload');

    await page.getByRole('link', { name: '总览' }).click();
    const want = await expectedKpis(f());
    await expect.poll(() => kpi(page, 'reports')).toBe(want.current!.reports);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(await page.evaluate(() => sessionStorage.getItem('dashboard.editorToken'))).toBe(EDITOR_TOKEN);
    await page.close();
  });

  it('refuses an upload from a viewer without a token, in plain words', async () => {
    const before = server.store.manifest().version;
    const page = await open('/?view=upload');
    expect(await page.locator('#editor-token').inputValue()).toBe('');
    await page.locator('#upload-files').setInputFiles({ name: 'x.txt', mimeType: 'text/plain', buffer: Buffer.from('某某局2024年度部门整体支出绩效自评报告') });
    await page.getByRole('button', { name: '上传', exact: true }).click();
    await page.locator('[data-testid="upload-item"][data-state="error"]').waitFor();
    expect(await page.locator('[data-testid="upload-item"] .upload-status').innerText()).toContain('没有上传权限');
    expect(server.store.manifest().version).toBe(before);
    await screenshot(page, 'e2e-upload-refused');
    await page.close();
  });

  it('never reached beyond localhost and logged no errors', () => {
    expect(blocked).toEqual([]);
    expect(errors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
  });
});
