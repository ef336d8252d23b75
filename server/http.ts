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
import { dataFilePath, dataFileType } from './store/publish.ts';
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
/** Request bodies up to this size (a correction, a removal, a small report) never wait for the upload queue. */
const SMALL_BODY = 2 ** 20;

/** Creates the handler for every request the server answers. */
export function createRequestHandler(services: Services, clientDir: string): RequestListener {
  // Uploads are checked per file (MAX_UPLOAD_MB); this bounds what one multi-file request may buffer.
  const maxBodySize = services.maxUploadBytes * 5 + 2 ** 20;
  // An editor's request body is held in memory (several copies while parsed), so the large bodies being received at
  // once are bounded too: they wait their turn (TCP holds back their bytes meanwhile). Requests without the editor token
  // skip the queue: tRPC refuses them before reading any body (inputs are parsed after the editor check), so they can
  // neither fill memory nor hold up the editor's uploads.
  const writes = createByteGate(maxBodySize);
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize,
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
    if (path === '/trpc' || path.startsWith('/trpc/')) {
      if (req.method !== 'POST' || !services.auth.check(req.headers.authorization)) return trpc(req, res);
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (declared <= SMALL_BODY) return trpc(req, res);
      const bytes = declared >= 0 ? Math.min(declared, maxBodySize) : maxBodySize;
      return void writes.enter(bytes).then((leave) => {
        if (req.destroyed || res.destroyed) return leave();
        res.once('close', leave);
        trpc(req, res);
      });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
      return;
    }
    if (path.startsWith('/data/')) return void serveData(services, req, res, path);
    client(req, res);
  };
}

async function serveData(services: Services, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const m = /^\/data\/([^/]+)\/([^/]+)$/.exec(path);
  const file = m && dataFilePath(services.store.publishedDir, m[1]!, m[2]!);
  if (!file) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  await serveFile(req, res, file, {
    // A version directory never changes once written, so version + file names the content exactly.
    etag: `"${m[1]}-${m[2]!.replace(/\.parquet$/, '')}"`,
    contentType: dataFileType(m[2]!)!,
    cacheControl: IMMUTABLE,
    // The dashboard's files are written with .br/.gz copies (dashboard-files.ts); Parquet is compressed already.
    precompressed: true,
  });
}

/**
 * Admits work of a given size while the admitted total stays within `budget` (one oversized piece is admitted alone),
 * first come first served; `enter` resolves to the function that gives the bytes back.
 */
function createByteGate(budget: number): { enter(bytes: number): Promise<() => void> } {
  let admitted = 0;
  const waiting: { bytes: number; go(): void }[] = [];
  const fits = (bytes: number) => admitted === 0 || admitted + bytes <= budget;
  const drain = () => {
    while (waiting.length > 0 && fits(waiting[0]!.bytes)) {
      const next = waiting.shift()!;
      admitted += next.bytes;
      next.go();
    }
  };
  return {
    async enter(bytes) {
      if (waiting.length === 0 && fits(bytes)) admitted += bytes;
      else await new Promise<void>((go) => waiting.push({ bytes, go }));
      let left = false;
      return () => {
        if (left) return;
        left = true;
        admitted -= bytes;
        drain();
      };
    },
  };
}

function notBuilt(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end('看板尚未构建，请运行 npm run build / The dashboard is not built yet: run `npm run build` (the API is at /trpc)\n');
}
