/**
 * The HTTP request handler: `/trpc/*` (the API), `/data/<version>/<table>.parquet` (the published tables, immutable),
 * and the built client with a fallback to index.html for the client's own routes. Security headers on everything.
 */
import { existsSync } from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import sirv from 'sirv';
import { appRouter } from './router.ts';
import { serveFile } from './serve-file.ts';
import { parquetPath } from './store/publish.ts';
import { createContext, type Services } from './trpc.ts';

const SECURITY_HEADERS = {
  // DuckDB-WASM compiles WebAssembly and runs in (blob:) workers; ECharts draws with inline styles and data: images.
  'Content-Security-Policy': [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Creates the handler for every request the server answers. */
export function createRequestHandler(services: Services, clientDir: string): RequestListener {
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    // Uploads are checked per file (MAX_UPLOAD_MB); this bounds what one multi-file request may buffer.
    maxBodySize: services.maxUploadBytes * 5 + 2 ** 20,
    createContext: ({ req }) => createContext(services, req.headers.authorization, req.socket.remoteAddress ?? 'unknown'),
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`[trpc] ${path ?? '?'}:`, error.cause ?? error);
    },
  });
  const client = existsSync(join(clientDir, 'index.html'))
    ? sirv(clientDir, {
        single: true,
        etag: true,
        // Serve build-time .br/.gz siblings when present (the DuckDB .wasm files are tens of MB).
        brotli: true,
        gzip: true,
        // Vite's hashed assets never change; index.html must be revalidated so new builds are picked up.
        setHeaders: (res, pathname) => res.setHeader('Cache-Control', pathname.startsWith('/assets/') ? IMMUTABLE : 'no-cache'),
      })
    : notBuilt;

  return (req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/trpc' || path.startsWith('/trpc/')) return trpc(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
      return;
    }
    if (path.startsWith('/data/')) return void serveData(services, req, res, path);
    client(req, res);
  };
}

async function serveData(services: Services, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const m = /^\/data\/([^/]+)\/([^/]+)\.parquet$/.exec(path);
  const file = m && parquetPath(services.store.publishedDir, m[1]!, m[2]!);
  if (!file) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  await serveFile(req, res, file, {
    // A version directory never changes once written, so version + table names the content exactly.
    etag: `"${m[1]}-${m[2]}"`,
    contentType: 'application/vnd.apache.parquet',
    cacheControl: IMMUTABLE,
  });
}

function notBuilt(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end('看板尚未构建，请运行 npm run build / The dashboard is not built yet: run `npm run build` (the API is at /trpc)\n');
}
