/** Helpers for the server tests: a real server on a random port over a temporary store, and a real tRPC client. */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTRPCClient, httpBatchLink, httpLink, isNonJsonSerializable, splitLink, TRPCClientError } from '@trpc/client';
import { expect } from 'vitest';
import type { AppRouter } from '../server/router.ts';
import { startServer, type RunningServer, type ServerOptions } from '../server/server.ts';
import { openDB, type Row } from '../server/store/db.ts';
import { REPORT_TABLES } from '../server/store/migrate.ts';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const SEED_DIR = join(ROOT, 'data/reports');
export const TOKEN = 'test-editor-token-0123456789';

/** The bundled reports: name and bytes. */
export function seedFiles(): { name: string; bytes: Uint8Array }[] {
  return readdirSync(SEED_DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(SEED_DIR, name))) }));
}

/** `bytes` with a line appended: a new file (new hash) that is still the same report (department, year, kind). */
export function revised(bytes: Uint8Array, note: string): Uint8Array {
  return new Uint8Array([...bytes, ...new TextEncoder().encode(`\n${note}\n`)]);
}

/** A temporary directory removed by `dispose`. */
export function tempDir(prefix: string): { path: string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}

/** A started server over a fresh data dir (not seeded unless asked), with the test token and a quiet log. */
export async function startTestServer(
  opts: Partial<ServerOptions> = {},
): Promise<RunningServer & { dataDir: string; dispose(): Promise<void> }> {
  const dir = opts.dataDir ? null : tempDir('server-test-');
  const dataDir = opts.dataDir ?? dir!.path;
  const server = await startServer({ port: 0, editorToken: TOKEN, seedDir: null, workers: 2, log: () => {}, ...opts, dataDir });
  return {
    ...server,
    dataDir,
    async dispose() {
      await server.close();
      dir?.dispose();
    },
  };
}

/** The tRPC client the browser uses: FormData through httpLink, everything else batched. */
export function createClient(url: string, token?: string) {
  const headers = () => (token ? { Authorization: `Bearer ${token}` } : {});
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => isNonJsonSerializable(op.input),
        true: httpLink({ url: `${url}/trpc`, headers }),
        false: httpBatchLink({ url: `${url}/trpc`, headers }),
      }),
    ],
  });
}

/** A multipart form with one `file` field per file. */
export function form(...files: { name: string; bytes: Uint8Array }[]): FormData {
  const fd = new FormData();
  for (const f of files) fd.append('file', new File([f.bytes as Uint8Array<ArrayBuffer>], f.name));
  return fd;
}

/** Downloads a published table over HTTP and reads it back with DuckDB. */
export async function readPublished(baseUrl: string, tableUrl: string, sql = 'SELECT * FROM t'): Promise<Row[]> {
  const res = await fetch(new URL(tableUrl, baseUrl));
  expect(res.status).toBe(200);
  const dir = tempDir('parquet-');
  try {
    const file = join(dir.path, 'table.parquet');
    await writeFile(file, new Uint8Array(await res.arrayBuffer()));
    const db = await openDB(':memory:');
    try {
      await db.query(`CREATE VIEW t AS SELECT * FROM read_parquet('${file.replaceAll("'", "''")}')`);
      return await db.query(sql);
    } finally {
      await db.close();
    }
  } finally {
    dir.dispose();
  }
}

/** A digest of every row of every store table, to show that a failed operation changed nothing. */
export async function storeFingerprint(server: RunningServer): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of REPORT_TABLES) {
    const [row] = await server.store.db.query<{ n: number; digest: string | null }>(
      `SELECT count(*) AS n, md5(string_agg(CAST(x AS VARCHAR), '|' ORDER BY CAST(x AS VARCHAR))) AS digest FROM ${table} x`,
    );
    out[table] = `${row!.n}:${row!.digest}`;
  }
  out.published = readdirSync(server.store.publishedDir).sort().join(',');
  return out;
}

/** Awaits `work` and expects a tRPC error with `code` and a message in Chinese and English (and no stack). */
export async function expectTRPCError(work: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected a ${code} error`).toBeInstanceOf(TRPCClientError);
  const e = error as TRPCClientError<AppRouter>;
  expect(e.data?.code).toBe(code);
  expect(e.message).toMatch(/[\u4e00-\u9fff].* \/ [A-Za-z]/);
  if (message) expect(e.message).toMatch(message);
  expect(JSON.stringify(e.shape)).not.toMatch(/stack|node_modules|\.ts:\d+/);
}
