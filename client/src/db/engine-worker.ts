/**
 * The DuckDB-WASM worker, started through this shim: DuckDB's worker script (its URL in `?engine=`) with
 * `TransformStream` taken away first. When it exists, the worker pipes the 34 MB engine download through one only to
 * report progress (which the dashboard does not show) and compiles the re-wrapped Response, which has no URL, so
 * Chromium never caches the compiled engine (every visit compiled it again) and the worker spent ~100 ms in the pipe.
 * Without it, the worker compiles the fetch's own Response as it streams in. Nothing else in the worker uses it.
 */
const scope = self as unknown as { TransformStream?: unknown; importScripts(url: string): void; location: Location };
const engine = new URL(scope.location.href).searchParams.get('engine');
if (!engine || new URL(engine, scope.location.href).origin !== scope.location.origin) throw new Error('engine-worker: no same-origin ?engine= script');
delete scope.TransformStream;
scope.importScripts(engine);
