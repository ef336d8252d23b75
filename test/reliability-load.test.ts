/**
 * A bounded load test on loopback only: 20 uploaders and 50 readers (manifest, Parquet downloads, reports.get) against
 * the server in a child process for LOAD_SECONDS (default 20). No upload acknowledged ok is lost, the same file sent
 * by all uploaders at once is stored once, and every manifest read names files that exist with the stated bytes and
 * row counts. Prints the throughput and latencies it held and writes them to test-results/load.json.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { openDB } from '../server/store/db.ts';
import type { IngestResult } from '../server/store/ingest.ts';
import { openStore } from '../server/store/store.ts';
import { mb, sampleMemory, startChildServer } from './reliability/child-server.ts';
import { expectConsistentStore } from './reliability/store-check.ts';
import { createClient, form, revised, ROOT, seedFiles, tempDir, TOKEN } from './server-helpers.ts';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 20);
const UPLOADERS = 20;
const READERS = 50;
/** Every this many uploads, each uploader sends the shared file of that round (all at about the same time). */
const SHARED_EVERY = 4;

const work = tempDir('load-');
afterAll(() => work.dispose());

type Op = 'upload' | 'manifest' | 'parquet' | 'reports.get';

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;
}

test(`${UPLOADERS} uploaders, ${READERS} readers for ${SECONDS} s: nothing lost or doubled, manifests consistent`, async () => {
  const dataDir = join(work.path, 'store');
  const server = await startChildServer(dataDir);
  // Loopback only: this test must never load anything but the server it started.
  expect(new URL(server.url).hostname).toBe('127.0.0.1');
  const memory = sampleMemory(server.pid, 250);
  const seeds = seedFiles();
  const latencies: Record<Op, number[]> = { upload: [], manifest: [], parquet: [], 'reports.get': [] };
  const errors: string[] = [];
  const acknowledged = new Map<string, string>();
  // The server seeds the bundled reports on first start; a report's id is the sha256 of its file.
  const seeded = seeds.map((s) => createHash('sha256').update(s.bytes).digest('hex'));
  const shared = new Map<number, IngestResult[]>();
  /** Every (version, table) a reader downloaded: the bytes, and what the manifest said of them. */
  const downloads = new Map<string, { bytes: Uint8Array; rows: number }>();
  let stop = false;

  const time = async <T>(op: Op, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await work();
    latencies[op].push(performance.now() - t0);
    return result;
  };

  const uploader = async (u: number) => {
    const client = createClient(server.url, TOKEN);
    for (let i = 0; !stop; i++) {
      const round = Math.floor(i / SHARED_EVERY);
      const isShared = i % SHARED_EVERY === 0;
      const seed = seeds[(u + i) % seeds.length]!;
      const file = isShared
        ? { name: `shared-${round}-from-${u}.txt`, bytes: revised(seeds[round % seeds.length]!.bytes, `共同 ${round}`) }
        : { name: `u${u}-${i}.txt`, bytes: revised(seed.bytes, `上传者 ${u} 第 ${i} 次`) };
      try {
        const [result] = await time('upload', () => client.reports.upload.mutate(form(file)));
        if (!result!.ok) errors.push(`upload ${file.name}: ${result!.error?.message}`);
        else acknowledged.set(result!.id!, file.name);
        if (isShared) shared.set(round, [...(shared.get(round) ?? []), result!]);
      } catch (e) {
        errors.push(`upload ${file.name}: ${(e as Error).message}`);
      }
    }
  };

  const reader = async (r: number) => {
    const client = createClient(server.url);
    for (let i = 0; !stop; i++) {
      try {
        if ((r + i) % 3 === 2) {
          const known = [...seeded, ...acknowledged.keys()];
          const id = known[(r * 7 + i) % known.length]!;
          const report = await time('reports.get', () => client.reports.get.query({ id }));
          if (report.id !== id) errors.push(`reports.get ${id} answered ${report.id}`);
          continue;
        }
        const manifest = await time('manifest', () => client.dataset.manifest.query());
        const table = manifest.tables[(r + i) % manifest.tables.length]!;
        const res = await time('parquet', () => fetch(new URL(table.url, server.url)));
        const bytes = new Uint8Array(await res.arrayBuffer());
        if (res.status !== 200) errors.push(`GET ${table.url}: ${res.status}`);
        else if (bytes.length !== table.bytes) errors.push(`GET ${table.url}: ${bytes.length} bytes, manifest says ${table.bytes}`);
        else downloads.set(table.url, { bytes, rows: table.rows });
      } catch (e) {
        errors.push(`reader ${r}: ${(e as Error).message}`);
      }
    }
  };

  const t0 = performance.now();
  const running = [
    ...Array.from({ length: UPLOADERS }, (_, u) => uploader(u)),
    ...Array.from({ length: READERS }, (_, r) => reader(r)),
  ];
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  stop = true;
  await Promise.all(running);
  const elapsed = (performance.now() - t0) / 1000;
  const peak = memory.stop();

  // The same file from every uploader at once: one report, every answer naming it, only one of them not a duplicate.
  for (const [round, results] of shared) {
    const ok = results.filter((r) => r.ok);
    expect(new Set(ok.map((r) => r.id)).size, `shared round ${round}`).toBeLessThanOrEqual(1);
    expect(ok.filter((r) => r.status !== 'duplicate').length, `shared round ${round}`).toBeLessThanOrEqual(1);
  }
  expect(errors.slice(0, 10)).toEqual([]);

  // No acknowledged upload is lost: each one is served.
  const viewer = createClient(server.url);
  for (const id of acknowledged.keys()) expect((await viewer.reports.get.query({ id })).id).toBe(id);

  // Every Parquet file a manifest named holds the row count the manifest stated.
  const db = await openDB(':memory:');
  const scratch = join(work.path, 'check.parquet');
  try {
    for (const [url, { bytes, rows }] of downloads) {
      writeFileSync(scratch, bytes);
      const [{ n } = { n: -1 }] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM read_parquet('${scratch}')`);
      expect(n, url).toBe(rows);
    }
  } finally {
    await db.close();
  }

  expect(await server.stop()).toBe(0);
  const store = await openStore(dataDir);
  try {
    const ids = await expectConsistentStore(store);
    for (const id of acknowledged.keys()) expect(ids.has(id)).toBe(true);
  } finally {
    await store.close();
  }

  const summary = Object.fromEntries(
    (Object.entries(latencies) as [Op, number[]][]).map(([op, list]) => {
      const sorted = [...list].sort((a, b) => a - b);
      const stats = {
        count: list.length,
        per_second: round1(list.length / elapsed),
        p50_ms: round1(percentile(sorted, 50)),
        p95_ms: round1(percentile(sorted, 95)),
        max_ms: round1(sorted.at(-1) ?? 0),
      };
      return [op, stats];
    }),
  );
  const report = {
    seconds: round1(elapsed),
    uploaders: UPLOADERS,
    readers: READERS,
    uploads_acknowledged: acknowledged.size,
    shared_rounds: shared.size,
    versions_checked: new Set([...downloads.keys()].map((u) => u.split('/')[2])).size,
    peak_rss_mb: mb(peak),
    ops: summary,
  };
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  writeFileSync(join(ROOT, 'test-results', 'load.json'), JSON.stringify(report, null, 2) + '\n');
  console.log('load test:', JSON.stringify(report, null, 2));
  expect(acknowledged.size).toBeGreaterThan(0);
  expect(downloads.size).toBeGreaterThan(0);
}, (SECONDS + 120) * 1000);

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
