/** Starts the one process the product needs: API, data files and the built client on one port. */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createEditorAuth, loadEditorToken } from './auth.ts';
import { createRequestHandler } from './http.ts';
import { fileSource, listReportFiles } from './store/files.ts';
import { getMeta, setMeta } from './store/migrate.ts';
import { openStore, type Store } from './store/store.ts';

/** What `startServer` needs; everything but the data directory has a default. */
export interface ServerOptions {
  dataDir: string;
  /** 0 picks a free port. Default 3000. */
  port?: number;
  host?: string;
  /** null (default): generate one on first start and keep it in the data directory. */
  editorToken?: string | null;
  maxUploadMb?: number;
  /** The built client (default dist/client). */
  clientDir?: string;
  /** Reports ingested on first start into an empty store (default data/reports); null to start empty. */
  seedDir?: string | null;
  /** Extraction worker processes (default: one per core, at most 8). */
  workers?: number;
  /** Per-file extraction time limit in seconds (default 120). */
  extractTimeoutS?: number;
  /** Heap limit of each extraction worker in MB (default 512). */
  extractMemoryMb?: number;
  log?: (message: string) => void;
}

/** A running server. */
export interface RunningServer {
  url: string;
  editorToken: string;
  store: Store;
  close(): Promise<void>;
}

const ROOT = new URL('../', import.meta.url);

/** Opens the store (seeding it on first start), then listens. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const maxUploadBytes = Math.round((opts.maxUploadMb ?? 20) * 2 ** 20);
  const store = await openStore(opts.dataDir, {
    workers: opts.workers,
    timeoutMs: opts.extractTimeoutS === undefined ? undefined : opts.extractTimeoutS * 1000,
    memoryMb: opts.extractMemoryMb,
  });
  try {
    const editorToken = await loadEditorToken(opts.dataDir, opts.editorToken ?? null, (token, file) =>
      log(`编辑令牌（仅显示这一次）/ Editor token (shown once): ${token}\n  saved in ${file}`),
    );
    const seedDir = opts.seedDir === undefined ? fileURLToPath(new URL('data/reports/', ROOT)) : opts.seedDir;
    if (seedDir) await seed(store, seedDir, maxUploadBytes, log);

    const handler = createRequestHandler(
      { store, auth: createEditorAuth(editorToken), maxUploadBytes },
      opts.clientDir ?? fileURLToPath(new URL('dist/client/', ROOT)),
    );
    const server = createServer(handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 3000, opts.host ?? '127.0.0.1', () => resolve());
    });
    const { address, port } = server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    return {
      url: `http://${host}:${port}`,
      editorToken,
      store,
      async close() {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await store.close();
      },
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** On the very first start, ingests the bundled reports so a new user sees a working dashboard at once. */
async function seed(store: Store, dir: string, maxBytes: number, log: (m: string) => void): Promise<void> {
  if ((await getMeta(store.db, 'seeded')) !== null) return;
  const [{ n }] = (await store.db.query<{ n: number }>('SELECT count(*) AS n FROM reports')) as [{ n: number }];
  if (n === 0 && existsSync(dir)) {
    const { results } = await store.ingest((await listReportFiles([dir])).map(fileSource), { maxBytes });
    const added = results.filter((r) => r.ok).length;
    log(`已导入 ${added} 份示例报告 / Ingested ${added} bundled reports from ${dir}`);
    for (const r of results) if (r.error) log(`  ${r.name}: ${r.error.message_zh} / ${r.error.message}`);
  }
  await setMeta(store.db, 'seeded', new Date().toISOString());
}
