/**
 * The extraction pool's limits, with a stand-in worker that hangs, exhausts its memory or dies on demand: one bad
 * file fails alone with a clear error, the files around it still finish, and the pool (so the server) carries on.
 */
import { afterEach, expect, test } from 'vitest';
import { createExtractPool, type ExtractOutcome, type ExtractPool } from '../server/store/extract-pool.ts';

const HOSTILE = new URL('./reliability/hostile-worker.mjs', import.meta.url);
const bytes = new Uint8Array([1, 2, 3]);
let pool: ExtractPool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
  delete process.env.HOSTILE_START_MS;
  delete process.env.HOSTILE_START;
});

function timed(work: Promise<ExtractOutcome>): Promise<{ outcome: ExtractOutcome; ms: number }> {
  const t0 = performance.now();
  return work.then((outcome) => ({ outcome, ms: performance.now() - t0 }));
}

function pidOf(outcome: ExtractOutcome): number {
  expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
  // The stand-in worker answers with its pid in place of an extraction.
  return (outcome as unknown as { extraction: { pid: number } }).extraction.pid;
}

test('a file over the time limit fails with TIMEOUT after that limit; the files queued behind it still finish', async () => {
  pool = createExtractPool({ size: 1, timeoutMs: 1500, workerUrl: HOSTILE });
  // Warm up so that the worker's start is not counted in the timings below.
  await pool.extract('warm', bytes);
  const [hang, a, b] = await Promise.all(['hang.pdf', 'a', 'b'].map((name) => timed(pool!.extract(name, bytes))));
  expect(hang.outcome).toEqual({
    ok: false,
    error: { code: 'TIMEOUT', message: 'extraction took longer than 1.5 s', message_zh: '解析超时（超过 1.5 秒）' },
  });
  expect(hang.ms).toBeGreaterThanOrEqual(1400);
  expect(hang.ms).toBeLessThan(5000);
  expect(a.outcome.ok).toBe(true);
  expect(b.outcome.ok).toBe(true);
});

test('the time limit counts from when a file starts, not while it waits behind another in its worker', async () => {
  pool = createExtractPool({ size: 1, timeoutMs: 1500, workerUrl: HOSTILE });
  await pool.extract('warm', bytes);
  const results = await Promise.all([pool.extract('slow-1000', bytes), pool.extract('slow-1000b', bytes)]);
  expect(results.map((r) => r.ok)).toEqual([true, true]);
});

test("a worker's start (loading the extractor) does not count against the files' time limit", async () => {
  // Workers inherit the environment: this one takes 2 s to start, longer than the 1 s limit.
  process.env.HOSTILE_START_MS = '2000';
  pool = createExtractPool({ size: 1, timeoutMs: 1000, workerUrl: HOSTILE });
  const results = await Promise.all(['a', 'b', 'slow-500'].map((name) => pool!.extract(name, bytes)));
  expect(results.map((r) => r.ok)).toEqual([true, true, true]);
});

test('workers that die while starting are replaced; after three in a row the waiting files fail clearly', async () => {
  process.env.HOSTILE_START = 'exit';
  pool = createExtractPool({ size: 1, workerUrl: HOSTILE });
  const results = await Promise.all([pool.extract('a', bytes), pool.extract('b', bytes)]);
  for (const r of results) {
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: 'extraction worker exited (code 1)' } });
  }
  // Once the program is fixed, the same pool works again.
  delete process.env.HOSTILE_START;
  expect((await pool.extract('c', bytes)).ok).toBe(true);
});

test('a file that exhausts the memory limit fails with OUT_OF_MEMORY, alone; the pool goes on', async () => {
  pool = createExtractPool({ size: 1, memoryMb: 64, workerUrl: HOSTILE });
  const [oom, innocent] = await Promise.all([pool.extract('oom.docx', bytes), pool.extract('innocent', bytes)]);
  expect(oom).toEqual({
    ok: false,
    error: {
      code: 'OUT_OF_MEMORY',
      message: 'extraction needed more than the 64 MB memory limit',
      message_zh: '解析所需内存超过 64 MB 上限',
    },
  });
  expect(innocent.ok).toBe(true);
  expect((await pool.extract('after', bytes)).ok).toBe(true);
});

test('a worker that dies fails only the file that killed it: the other file in it is retried alone', async () => {
  pool = createExtractPool({ size: 1, workerUrl: HOSTILE });
  const first = pidOf(await pool.extract('warm', bytes));
  const [exit, innocent] = await Promise.all([pool.extract('exit.txt', bytes), pool.extract('innocent', bytes)]);
  expect(exit).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: 'extraction worker exited (code 3)' } });
  expect(pidOf(innocent)).not.toBe(first);
});

test('closing the pool ends its worker processes and fails what was still waiting', async () => {
  pool = createExtractPool({ size: 2, workerUrl: HOSTILE });
  const pids = await Promise.all([pool.extract('slow-200', bytes), pool.extract('slow-201', bytes)]).then((r) => r.map(pidOf));
  const pending = pool.extract('hang', bytes);
  await pool.close();
  pool = null;
  expect(await pending).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: 'server is shutting down' } });
  for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
});
