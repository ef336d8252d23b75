/**
 * A pool of extraction worker threads (one per core by default). Workers start on first use, are unref'd while idle so
 * they never keep a process alive, and are replaced when they crash or exceed the per-file time limit.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Extraction } from '../schema.ts';
import type { FileError } from './file-error.ts';

/** A message to a worker. */
export interface ExtractRequest {
  task: number;
  name: string;
  bytes: Uint8Array;
}

/** What a worker answers for one file. */
export type ExtractOutcome = { ok: true; extraction: Extraction } | { ok: false; error: FileError };

/** Extracts files on worker threads. */
export interface ExtractPool {
  readonly size: number;
  extract(name: string, bytes: Uint8Array): Promise<ExtractOutcome>;
  close(): Promise<void>;
}

interface Job extends ExtractRequest {
  resolve(outcome: ExtractOutcome): void;
}

interface Slot {
  worker: Worker;
  /** Jobs sent and not yet answered, each with its time limit. */
  jobs: Map<number, { job: Job; timer: NodeJS.Timeout }>;
}

const WORKER_URL = new URL('./extract-worker.mjs', import.meta.url);
/** Jobs queued in each worker: the second one starts the moment the first is done, without waiting for this thread. */
const JOBS_PER_WORKER = 2;

/** Creates a pool of `size` workers; a file taking longer than `timeoutMs` fails with TIMEOUT. */
export function createExtractPool({
  size = Math.max(1, Math.min(availableParallelism(), 8)),
  timeoutMs = 120_000,
}: { size?: number; timeoutMs?: number } = {}): ExtractPool {
  const slots = new Set<Slot>();
  const queue: Job[] = [];
  let nextTask = 0;
  let closed = false;

  function spawn(): Slot {
    const slot: Slot = { worker: new Worker(WORKER_URL), jobs: new Map() };
    slot.worker.on('message', ({ task, outcome }: { task: number; outcome: ExtractOutcome }) => {
      const entry = slot.jobs.get(task);
      if (!entry) return;
      clearTimeout(entry.timer);
      slot.jobs.delete(task);
      if (slot.jobs.size === 0) slot.worker.unref();
      entry.job.resolve(outcome);
      pump();
    });
    const crashed = (message: string, message_zh: string) => retire(slot, null, { code: 'INTERNAL', message, message_zh });
    slot.worker.on('error', (e) => crashed(`extraction worker crashed: ${e.message}`, `解析进程崩溃：${e.message}`));
    slot.worker.on('exit', () => crashed('extraction worker exited', '解析进程意外退出'));
    slot.worker.unref();
    slots.add(slot);
    return slot;
  }

  /**
   * Drops a worker that crashed or hung. On a time-out only the late file fails and the worker's other files go back
   * in the queue; on a crash we cannot tell which file caused it, so all of its files fail.
   */
  function retire(slot: Slot, late: number | null, error: FileError): void {
    if (!slots.delete(slot)) return;
    void slot.worker.terminate();
    for (const [task, { job, timer }] of slot.jobs) {
      clearTimeout(timer);
      if (late === null || task === late) job.resolve({ ok: false, error });
      else queue.unshift(job);
    }
    slot.jobs.clear();
    pump();
  }

  function pump(): void {
    while (!closed && queue.length > 0) {
      let slot = [...slots].sort((a, b) => a.jobs.size - b.jobs.size)[0];
      if ((!slot || slot.jobs.size > 0) && slots.size < size) slot = spawn();
      if (!slot || slot.jobs.size >= JOBS_PER_WORKER) return;
      const job = queue.shift()!;
      const current = slot;
      const timer = setTimeout(() => {
        const s = timeoutMs / 1000;
        retire(current, job.task, { code: 'TIMEOUT', message: `extraction took longer than ${s} s`, message_zh: `解析超时（超过 ${s} 秒）` });
      }, timeoutMs);
      slot.jobs.set(job.task, { job, timer });
      slot.worker.ref();
      slot.worker.postMessage({ task: job.task, name: job.name, bytes: job.bytes } satisfies ExtractRequest);
    }
  }

  return {
    size,
    extract(name, bytes) {
      if (closed) return Promise.reject(new Error('extraction pool is closed'));
      return new Promise<ExtractOutcome>((resolve) => {
        queue.push({ task: nextTask++, name, bytes, resolve });
        pump();
      });
    },
    async close() {
      closed = true;
      const error = { code: 'INTERNAL', message: 'server is shutting down', message_zh: '服务正在关闭' };
      for (const job of queue.splice(0)) job.resolve({ ok: false, error });
      const all = [...slots];
      slots.clear();
      for (const slot of all) {
        for (const { job, timer } of slot.jobs.values()) {
          clearTimeout(timer);
          job.resolve({ ok: false, error });
        }
      }
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}
