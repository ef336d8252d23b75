/**
 * The dashboard in headless Chromium (offline, as the e2e tests run it) against the real server in a child process:
 * time to first chart and to fully interactive on cold loads, every DuckDB-WASM query the views run (recorded by the
 * app as `duckdb:<name>` performance measures), cross-filter updates (from an idle page: filter change → every card settled and drawn), and peak
 * memory of the server process and of the page's renderer process (JS heaps + DuckDB-WASM's linear memory).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, offlinePage, ROOT } from '../e2e/helpers.ts';
import { median, percentile } from './stats.ts';

/** One executed dashboard query as the page recorded it. */
export interface QuerySample {
  name: string;
  sql: string;
  params: unknown[];
  ms: number;
}

/** One cold page load. */
export interface PageLoad {
  firstChartMs: number;
  interactiveMs: number;
  /** The app's own marks: engine:ready (DuckDB-WASM compiled and open), dataset:fetched, dataset:loaded. */
  marks: Record<string, number>;
  /** Bytes on the wire by kind (Content-Encoding applied). */
  wire: Record<string, number>;
  /** Bytes after decoding by kind. */
  decoded: Record<string, number>;
  /** The same page opened again in the same browser profile (HTTP cache and compiled-WebAssembly cache warm). */
  warm: { firstChartMs: number; interactiveMs: number; marks: Record<string, number> };
}

/** One cross-filter change and how long until every card settled. */
export interface CrossFilterSample {
  view: string;
  search: string;
  /** Change → the frame in which every card holds the new figures (the budget). */
  ms: number;
  /** Change → that frame drawn (its layout and paint included). */
  drawnMs: number;
}

/** Everything one browser run measured. */
export interface BrowserRun {
  reports: number;
  loads: PageLoad[];
  firstChartMs: number;
  interactiveMs: number;
  /** Every query as it ran in the app (its time includes waiting for the page's main thread to take the result). */
  samples: QuerySample[];
  /** The distinct statements run again one at a time on the idle page (`window.__dashboard.query`). */
  isolated: QuerySample[];
  crossFilter: CrossFilterSample[];
  /** Peak resident memory (VmHWM) of the server process, MB. */
  serverPeakMb: number;
  /** Peak resident memory of the page's renderer process (main thread, DuckDB worker, wasm memory), MB. */
  pagePeakMb: number;
  /** The page's main-thread JS heap after the run (CDP Performance.getMetrics), MB. */
  pageJsHeapMb: number;
  pageErrors: string[];
  blocked: string[];
}

/**
 * Records first chart and fully interactive (dataset loaded, no query in flight, no card busy or loading) in page time.
 * Page scripts are strings: tsx compiles functions with helpers (`__name`) that do not exist in the page.
 */
export const PAGE_PROBE = `
  window.__bench = { firstChart: null, interactive: null };
  const inFlight = () => performance.getEntriesByName('duckdb:start').length
    - performance.getEntriesByType('measure').filter((m) => m.name.startsWith('duckdb:')).length;
  const check = () => {
    const b = window.__bench;
    if (b.firstChart == null && document.querySelector('.chart svg, .chart .bar-row, .chart td')) b.firstChart = performance.now();
    const app = document.querySelector('.app');
    if (b.interactive == null && app && app.dataset.datasetVersion && inFlight() === 0
      && !document.querySelector('[aria-busy="true"], .state-loading')) b.interactive = performance.now();
    if (b.firstChart != null && b.interactive != null) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  document.addEventListener('DOMContentLoaded', () => {
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    check();
  });
`;

/**
 * Waits until every query in flight is done and no card is busy or loading, frame by frame; resolves to the time of
 * that frame (`settled`: the page holds the new figures, measured as before) and of the end of its drawing (`drawn`: a
 * task posted from the frame's callback runs once its style, layout and paint are done), from `t0` (page script).
 */
const SETTLE = `(async (t0) => {
  const inFlight = () => performance.getEntriesByName('duckdb:start').length
    - performance.getEntriesByType('measure').filter((m) => m.name.startsWith('duckdb:')).length;
  for (;;) {
    const done = await new Promise((r) => requestAnimationFrame(() => {
      if (inFlight() > 0 || document.querySelector('[aria-busy="true"], .state-loading, .vtable-loading')) return r(null);
      const settled = performance.now() - t0;
      const next = new MessageChannel();
      next.port1.onmessage = () => r({ settled, drawn: performance.now() - t0 });
      next.port2.postMessage(null);
    }));
    if (done) return done;
    if (performance.now() - t0 > 60000) throw new Error('did not settle in 60 s');
  }
})`;

/**
 * What a user leaves between looking at a result and the next change, ms: changes are measured from an idle page, as
 * a user makes them (back to back, each change would be timed sharing the CPU with the previous one's painting).
 */
const THINK_MS = 300;
/** A user's pause after the page is first ready, before the first change, ms. */
const FIRST_LOOK_MS = 1000;

/** A server (`server/main.ts`) in a child process over `dataDir`. */
async function startServerProcess(dataDir: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, EDITOR_TOKEN: 'bench-editor-token-0123456789' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 180 s:\n${out}`)), 180_000);
    child.stdout!.on('data', () => {
      const m = /Dashboard running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exit.then(() => reject(new Error(`server exited before listening:\n${out}`)));
  });
  return {
    url,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exit;
    },
  };
}

/** VmHWM (peak resident set) of a process, MB; 0 when it is gone. */
async function peakMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : 0;
}

/** Pids of Chromium renderer processes below this process. */
async function rendererPids(): Promise<number[]> {
  const parents = new Map<number, number>();
  const renderers: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const ppid = /PPid:\s+(\d+)/.exec(status);
    if (ppid) parents.set(pid, Number(ppid[1]));
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes('--type=renderer') && !cmd.includes('--extension-process')) renderers.push(pid);
  }
  const below = (pid: number) => {
    for (let p = parents.get(pid); p; p = parents.get(p)) if (p === process.pid) return true;
    return false;
  };
  return renderers.filter(below);
}

/** The largest renderer peak among this run's Chromium renderers, MB. */
async function rendererPeakMb(): Promise<number> {
  let peak = 0;
  for (const pid of await rendererPids()) peak = Math.max(peak, await peakMb(pid));
  return peak;
}

function kindOf(url: string): string {
  const path = new URL(url).pathname;
  if (path.endsWith('.wasm')) return 'wasm';
  if (path.startsWith('/data/')) return 'data';
  if (path.startsWith('/trpc')) return 'api';
  return 'app';
}

/** Polls (from outside: the page's CSP refuses evaluated strings) until the probe saw the page fully interactive. */
async function waitInteractive(page: Page): Promise<void> {
  const t0 = Date.now();
  while (!(await page.evaluate('window.__bench.interactive != null'))) {
    if (Date.now() - t0 > 180_000) throw new Error('the dashboard was not interactive within 180 s');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The page's probe times and the app's marks. */
async function read(page: Page): Promise<{ firstChartMs: number; interactiveMs: number; marks: Record<string, number> }> {
  const t = await page.evaluate('window.__bench') as { firstChart: number; interactive: number };
  const marks = await page.evaluate(`Object.fromEntries(performance.getEntriesByType('mark')
    .filter((m) => m.name !== 'duckdb:start').map((m) => [m.name, Math.round(m.startTime)]))`) as Record<string, number>;
  return { firstChartMs: t.firstChart, interactiveMs: t.interactive, marks };
}

/**
 * A returning user: the dashboard opened once, then again in the same profile (HTTP cache and V8's cache of the
 * compiled engine warm). In a context without request routing, which would bypass the HTTP cache; the app makes no
 * outside request (the cold loads check that), and this machine has no network anyway.
 */
async function warmLoad(browser: Browser, url: string): Promise<PageLoad['warm']> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
  try {
    const page = await context.newPage();
    await page.addInitScript(PAGE_PROBE);
    await page.goto(url);
    await waitInteractive(page);
    // V8 writes its code cache for the engine once it has run a while.
    await new Promise((r) => setTimeout(r, 2000));
    await page.goto('about:blank');
    await page.goto(url);
    await waitInteractive(page);
    return await read(page);
  } finally {
    await context.close();
  }
}

/** Opens the dashboard cold (new context: no HTTP or code cache) and waits until it is fully interactive. */
async function coldLoad(browser: Browser, url: string, errors: string[], blocked: string[]): Promise<PageLoad> {
  const p = await offlinePage(browser);
  try {
    await p.page.addInitScript(PAGE_PROBE);
    const cdp = await p.page.context().newCDPSession(p.page);
    await cdp.send('Network.enable');
    const urls = new Map<string, string>();
    const wire: Record<string, number> = {};
    const decoded: Record<string, number> = {};
    cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
    cdp.on('Network.dataReceived', (e) => {
      const k = kindOf(urls.get(e.requestId) ?? 'http://x/');
      decoded[k] = (decoded[k] ?? 0) + e.dataLength;
    });
    cdp.on('Network.loadingFinished', (e) => {
      const k = kindOf(urls.get(e.requestId) ?? 'http://x/');
      wire[k] = (wire[k] ?? 0) + e.encodedDataLength;
    });
    await p.page.goto(url);
    await waitInteractive(p.page);
    return { ...(await read(p.page)), wire, decoded, warm: await warmLoad(browser, url) };
  } finally {
    errors.push(...p.errors);
    blocked.push(...p.blocked);
    await p.page.context().close();
  }
}

/**
 * Goes to `search` through the app's own navigation (as a link or a filter control does: url-state.ts `navigate`) and
 * waits, frame by frame, until no DuckDB query is running and no card is busy or loading; resolves with the
 * milliseconds until that frame and until it was drawn.
 */
async function changeFilters(page: Page, search: string): Promise<{ settled: number; drawn: number }> {
  return page.evaluate(`(() => {
    const t0 = performance.now();
    window.__dashboard.navigate(${JSON.stringify(search)});
    return ${SETTLE}(t0);
  })()`);
}

/** Runs each distinct statement `times` times, one at a time, on the page's engine; one sample per run. */
export async function replay(page: Page, samples: readonly QuerySample[], times: number): Promise<QuerySample[]> {
  const distinct = [...new Map(samples.map((s) => [JSON.stringify([s.sql, s.params]), s])).values()];
  const out: QuerySample[] = [];
  for (const s of distinct) {
    const ms = await page.evaluate(`(async () => {
      const runs = [];
      for (let i = 0; i < ${times}; i++) {
        const t0 = performance.now();
        await window.__dashboard.query(${JSON.stringify(s.sql)}, ${JSON.stringify(s.params)}, 'bench');
        runs.push(performance.now() - t0);
      }
      return runs;
    })()`) as number[];
    for (const m of ms) out.push({ ...s, ms: m });
  }
  return out;
}

/** The dashboard's views with the filter changes a user makes in each. */
const VIEWS = ['overview', 'regional', 'issues', 'low-execution', 'report'] as const;

/** Runs the browser bench over the store in `dataDir` (which holds `reports` current reports). */
export async function benchBrowser(dataDir: string, reports: number, opts: { loads: number; changesPerView: number; replays: number }): Promise<BrowserRun> {
  const server = await startServerProcess(dataDir);
  const browser = await launchChromium();
  const errors: string[] = [];
  const blocked: string[] = [];
  try {
    const loads: PageLoad[] = [];
    for (let i = 0; i < opts.loads; i++) loads.push(await coldLoad(browser, server.url, errors, blocked));

    // One page for the interaction part: load it, then walk the views changing filters.
    const p = await offlinePage(browser);
    await p.page.addInitScript(PAGE_PROBE);
    await p.page.goto(server.url);
    await waitInteractive(p.page);
    await p.page.waitForTimeout(FIRST_LOOK_MS);
    const choices = await p.page.evaluate(`[...document.querySelectorAll('#filter-province option')]
      .map((o) => o.value).filter(Boolean)`) as string[];
    const years = await p.page.evaluate(`[...document.querySelectorAll('.filter-years .chip')]
      .map((b) => Number(b.textContent)).filter((y) => Number.isInteger(y))`) as number[];
    const crossFilter: CrossFilterSample[] = [];
    let k = 0;
    for (const view of VIEWS) {
      await changeFilters(p.page, `view=${view}`);
      await p.page.waitForTimeout(FIRST_LOOK_MS);
      let province = '';
      for (let i = 0; i < opts.changesPerView; i++, k++) {
        // In turn: a province (with one year), a city of it (with another year), a year alone: every change is new to
        // the query cache. The overview answers a province from first-view.json, a city with the engine.
        const year = years[k % years.length]!;
        let search = `view=${view}&year=${year}`;
        if (i % 3 === 0) {
          province = choices[(k * 7) % choices.length]!;
          search = `view=${view}&province=${encodeURIComponent(province)}&year=${year}`;
        } else if (i % 3 === 1) {
          const cities = await p.page.evaluate(`[...document.querySelectorAll('#filter-city option')].map((o) => o.value).filter(Boolean)`) as string[];
          if (cities.length) search = `view=${view}&province=${encodeURIComponent(province)}&city=${encodeURIComponent(cities[k % cities.length]!)}&year=${year}`;
        }
        const { settled, drawn } = await changeFilters(p.page, search);
        crossFilter.push({ view, search, ms: settled, drawnMs: drawn });
        await p.page.waitForTimeout(THINK_MS);
      }
    }
    const samples = await p.page.evaluate(`performance.getEntriesByType('measure')
      .filter((m) => m.name.startsWith('duckdb:'))
      .map((m) => ({ name: m.name.slice(7), sql: m.detail?.sql ?? '', params: m.detail?.params ?? [], ms: m.duration }))`) as QuerySample[];
    // The app's own idle-time warm-up runs (views/warm-up.ts) are not a view's queries.
    const viewSamples = samples.filter((x) => x.sql && x.name !== 'bench' && !x.name.startsWith('warm-up:'));
    const isolated = await replay(p.page, viewSamples, opts.replays);
    const cdp = await p.page.context().newCDPSession(p.page);
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    const pagePeakMb = await rendererPeakMb();
    errors.push(...p.errors);
    blocked.push(...p.blocked);
    await p.page.context().close();
    return {
      reports,
      loads,
      firstChartMs: median(loads.map((l) => l.firstChartMs)),
      interactiveMs: median(loads.map((l) => l.interactiveMs)),
      samples: viewSamples,
      isolated,
      crossFilter,
      serverPeakMb: await peakMb(server.pid),
      pagePeakMb,
      pageJsHeapMb: heap / 2 ** 20,
      pageErrors: errors,
      blocked,
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

/** p50/p95 of the samples per name. */
export function byName<T extends { name: string; ms: number }>(samples: readonly T[]): Map<string, { n: number; p50: number; p95: number }> {
  const groups = new Map<string, number[]>();
  for (const s of samples) groups.set(s.name, [...(groups.get(s.name) ?? []), s.ms]);
  return new Map([...groups].map(([name, ms]) => [name, { n: ms.length, p50: percentile(ms, 50), p95: percentile(ms, 95) }]));
}
