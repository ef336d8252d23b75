/**
 * Entry, kept small: fetches the manifest and the first view (first-view.json, computed at publish time) before the
 * app's bundle has even arrived, then loads and mounts the dashboard (mount.tsx). DuckDB-WASM and the tables start
 * loading once the first chart is drawn (compiling 34 MB of WebAssembly beside it slows it down by half).
 */
import { manifestOptions, prefetchFirstView } from './db/dataset.ts';
import { initDB, loadDataset, query, startEngine } from './db/duckdb.ts';
import { queryClient } from './trpc.ts';

// Errors surface where the app uses these (its queries retry).
void initDB().catch(() => undefined);
void queryClient.fetchQuery(manifestOptions()).then((manifest) => {
  void prefetchFirstView(manifest);
  void loadDataset(manifest).catch(() => undefined);
}, () => undefined);
// A page with no chart to draw first (upload, briefing) starts the engine anyway.
setTimeout(startEngine, 1500);
// The dashboard's engine for DevTools and the bench (test/bench): `await __dashboard.query('SELECT …', [params])`
// (mount.tsx adds `navigate`).
(window as unknown as { __dashboard: { query: typeof query } }).__dashboard = { query };
void import('./mount.tsx');
