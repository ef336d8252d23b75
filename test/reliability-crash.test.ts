/**
 * Crash safety: `npm run ingest` and the server killed with SIGKILL in the middle of a batch. After each kill the store
 * opens, every report in it is whole (rows match its extraction, no orphans, no duplicates), the Parquet published at
 * open matches the store, every upload acknowledged before the kill is there, and re-running the batch completes it
 * with exactly the reports of a run that was never interrupted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openStore } from '../server/store/store.ts';
import { childrenOf, isAlive, spawnTs, startChildServer } from './reliability/child-server.ts';
import { expectConsistentStore } from './reliability/store-check.ts';
import { createClient, form, revised, seedFiles, tempDir, TOKEN } from './server-helpers.ts';

const work = tempDir('crash-');
afterAll(() => work.dispose());
const folder = join(work.path, 'reports');

/**
 * ~300 files: each bundled report with its year moved (a distinct report each), a few revisions of the same report
 * (which supersede one another) and exact copies under other names (duplicates).
 */
function writeReports(): { name: string; bytes: Uint8Array }[] {
  mkdirSync(folder);
  const seeds = seedFiles();
  const files: { name: string; bytes: Uint8Array }[] = [];
  for (let i = 0; i < 285; i++) {
    const seed = seeds[i % seeds.length]!;
    const text = new TextDecoder().decode(seed.bytes);
    const year = /20\d\d/.exec(text.slice(0, 400))?.[0] ?? '2025';
    const moved = text.replaceAll(year, String(2030 + Math.floor(i / 5)));
    files.push({ name: `r${String(i).padStart(3, '0')}.txt`, bytes: new TextEncoder().encode(moved) });
  }
  for (let i = 0; i < 10; i++) files.push({ name: `rev${i}.txt`, bytes: revised(seeds[1]!.bytes, `修订 ${i}`) });
  for (let i = 0; i < 5; i++) files.push({ name: `copy${i}.txt`, bytes: files[i * 7]!.bytes });
  for (const f of files) writeFileSync(join(folder, f.name), f.bytes);
  return files;
}

/** When to SIGKILL an ingest: some ms after it starts, or some ms after it prints its first committed report. */
type KillAt = { afterStartMs: number } | { afterFirstCommitMs: number };

/** Runs the ingest CLI over the folder, killing it as `kill` says; `killed` tells whether it was still running. */
async function ingest(
  dataDir: string,
  kill?: KillAt,
): Promise<{ code: number | null; out: string; killed: boolean; workers: number[] }> {
  const child = spawnTs('server/cli/ingest.ts', [folder], { DATA_DIR: dataDir });
  let out = '';
  let killed = false;
  let workers: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  const killIn = (ms: number) => {
    timer ??= setTimeout(() => {
      workers = childrenOf(child.pid!);
      killed = child.kill('SIGKILL');
    }, ms);
  };
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    // The CLI prints an added report only once its transaction has committed.
    if (kill && 'afterFirstCommitMs' in kill && /^✓ /m.test(out)) killIn(kill.afterFirstCommitMs);
  });
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (kill && 'afterStartMs' in kill) killIn(kill.afterStartMs);
  const code = await exit;
  clearTimeout(timer);
  return { code, out, killed: killed && code === null, workers };
}

async function storeIds(dataDir: string): Promise<Set<string>> {
  const store = await openStore(dataDir);
  try {
    return await expectConsistentStore(store);
  } finally {
    await store.close();
  }
}

async function waitGone(pids: readonly number[]): Promise<void> {
  for (let i = 0; i < 50 && pids.some(isAlive); i++) await new Promise((r) => setTimeout(r, 100));
  expect(pids.filter(isAlive), 'extraction workers outlived their killed parent').toEqual([]);
}

let files: { name: string; bytes: Uint8Array }[];
let reference: Set<string>;
let fullRunMs: number;

beforeAll(async () => {
  files = writeReports();
  // The same batch, never interrupted: what every interrupted store must end up as.
  const t0 = performance.now();
  const run = await ingest(join(work.path, 'reference'));
  fullRunMs = performance.now() - t0;
  expect(run.code, run.out).toBe(0);
  reference = await storeIds(join(work.path, 'reference'));
  expect(reference.size).toBe(files.length - 5);
}, 180_000);

describe('kill -9 during npm run ingest', () => {
  test('after each kill the store is whole; re-running completes the batch with no duplicates', async () => {
    const dataDir = join(work.path, 'killed-ingest');
    // Before anything is committed; just after the first group (256 files) commits, while the rest is extracted;
    // on the re-run, as the remaining files commit and the new version is being published.
    const kills: KillAt[] = [{ afterStartMs: Math.round(fullRunMs / 2) }, { afterFirstCommitMs: 0 }, { afterFirstCommitMs: 0 }];
    const rounds: { kill: KillAt; killed: boolean; stored: number }[] = [];
    for (const kill of kills) {
      const run = await ingest(dataDir, kill);
      await waitGone(run.workers);
      const ids = await storeIds(dataDir);
      for (const id of ids) expect(reference.has(id), 'a stored report the uninterrupted run does not have').toBe(true);
      rounds.push({ kill, killed: run.killed, stored: ids.size });
    }
    console.log(`ingest of ${files.length} files takes ${Math.round(fullRunMs)} ms uninterrupted; kills:`, rounds);
    expect(rounds.filter((r) => r.killed).length, 'runs actually killed').toBeGreaterThanOrEqual(2);
    // Some kills left a partly ingested batch behind (neither nothing nor everything).
    expect(rounds.some((r) => r.killed && r.stored > 0 && r.stored < reference.size)).toBe(true);

    const final = await ingest(dataDir);
    expect(final.code, final.out).toBe(0);
    expect(final.out).not.toMatch(/✗ failed/);
    expect(await storeIds(dataDir)).toEqual(reference);
  }, 240_000);
});

describe('kill -9 of the server during uploads', () => {
  test('every upload acknowledged before the kill is there after a restart, and the store is whole', async () => {
    const dataDir = join(work.path, 'killed-server');
    const server = await startChildServer(dataDir);
    const workers = new Set<number>();
    const acknowledged = new Map<string, string>();
    const client = createClient(server.url, TOKEN);
    let stop = false;
    // Three uploaders, five files a request, until the kill.
    const uploaders = [0, 1, 2].map(async (u) => {
      for (let i = u * 5; !stop && i < files.length; i += 15) {
        for (const w of childrenOf(server.pid)) workers.add(w);
        const results = await client.reports.upload.mutate(form(...files.slice(i, i + 5))).catch(() => null);
        if (!results || stop) return;
        for (const r of results) if (r.ok) acknowledged.set(r.id!, r.name);
      }
    });
    await new Promise((r) => setTimeout(r, 2500));
    await server.kill();
    stop = true;
    await Promise.all(uploaders);
    await waitGone([...workers]);
    expect(acknowledged.size, 'nothing was uploaded before the kill').toBeGreaterThan(0);

    // The restarted server publishes at open: what it serves is what the store holds.
    const again = await startChildServer(dataDir);
    try {
      const viewer = createClient(again.url);
      for (const id of acknowledged.keys()) expect((await viewer.reports.get.query({ id })).id).toBe(id);
      const manifest = await viewer.dataset.manifest.query();
      expect((await viewer.health.query()).version).toBe(manifest.version);
    } finally {
      expect(await again.stop()).toBe(0);
    }
    const ids = await storeIds(dataDir);
    for (const id of acknowledged.keys()) expect(ids.has(id)).toBe(true);
    console.log(`server killed after ${acknowledged.size} acknowledged uploads; ${ids.size} reports in the store after restart`);
  }, 120_000);
});
