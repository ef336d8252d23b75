/**
 * A pool of extraction worker processes (one per core by default). Workers start on first use, are unref'd while idle
 * so they never keep the server alive, and are replaced when they crash, run out of their memory limit or exceed the
 * per-file time limit: one hostile file costs a worker, never the server.
 *
 * Processes rather than worker threads: a worker thread's memory limit (`resourceLimits`) does not always hold, and
 * when V8 cannot stop the thread in time it aborts the whole process ("FATAL ERROR: Reached heap limit"), which a
 * damaged PDF did to the server. A child process that runs out of memory takes only itself down.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
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

/** A message from a worker: ready once it has loaded the extractor, then one answer per file. */
export type WorkerMessage = { ready: true } | { task: number; outcome: ExtractOutcome };

/** Extracts files in worker processes. */
export interface ExtractPool {
  readonly size: number;
  extract(name: string, bytes: Uint8Array): Promise<ExtractOutcome>;
  close(): Promise<void>;
}

/** Settings of a pool; every one has a default. */
export interface ExtractPoolOptions {
  /** Worker processes (default: one per core, at most 8). */
  size?: number;
  /** A file whose extraction runs longer than this fails with TIMEOUT (default 120 s). */
  timeoutMs?: number;
  /** V8 heap limit of each worker; a file needing more fails with OUT_OF_MEMORY (default 512 MB). */
  memoryMb?: number;
  /** The worker script (tests substitute one that hangs or crashes on demand). */
  workerUrl?: URL;
}

interface Job extends ExtractRequest {
  resolve(outcome: ExtractOutcome): void;
  /** It was in a worker that crashed alongside other files: from now on it runs alone, so a second crash is its own. */
  suspect: boolean;
}

interface Slot {
  child: ChildProcess;
  /** The worker has loaded the extractor: until then no job runs and no job's time limit counts. */
  ready: boolean;
  /** Jobs sent and not yet answered, in the order the worker runs them (one at a time): the first is running. */
  jobs: Map<number, Job>;
  /** The time limit of the running job, or of the worker's start. */
  timer: NodeJS.Timeout | null;
  /** Runs a suspect job: no other job joins it. */
  alone: boolean;
  /** The end of what the worker wrote to stderr, to tell an out-of-memory abort from other deaths. */
  stderr: string;
}

const WORKER_URL = new URL('./extract-worker.mjs', import.meta.url);
/** Jobs queued in each worker: the second one starts the moment the first is done, without waiting for this process. */
const JOBS_PER_WORKER = 2;

/** Default per-file time limit. */
export const DEFAULT_TIMEOUT_MS = 120_000;
/**
 * How long a worker may take to load the extractor (about a second of CPU; far longer on a machine that is busy
 * starting many): one that takes longer is stuck and replaced, its files untouched.
 */
const STARTUP_MS = 180_000;
/** Workers in a row that die or stick while starting before the files waiting for them fail: the program is broken. */
const MAX_FAILED_STARTS = 3;
/**
 * Default heap limit per worker. A real report needs well under 100 MB (a 20 MB text file ~200 MB); a 45 MB
 * document.xml, which a 20 MB .docx can hold, needs ~650 MB and fails instead.
 */
export const DEFAULT_MEMORY_MB = 512;

/** Creates a pool; see ExtractPoolOptions for the limits. */
export function createExtractPool({
  size = Math.max(1, Math.min(availableParallelism(), 8)),
  timeoutMs = DEFAULT_TIMEOUT_MS,
  memoryMb = DEFAULT_MEMORY_MB,
  workerUrl = WORKER_URL,
}: ExtractPoolOptions = {}): ExtractPool {
  const slots = new Set<Slot>();
  const queue: Job[] = [];
  let nextTask = 0;
  let closed = false;
  let failedStarts = 0;

  function spawn(): Slot {
    const child = fork(fileURLToPath(workerUrl), [], {
      // Not the server's own flags (a test runner's, an inspector port): only the memory limit.
      execArgv: [`--max-old-space-size=${memoryMb}`],
      // Structured clone: file bytes travel as bytes, not as JSON arrays of numbers.
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    const slot: Slot = { child, ready: false, jobs: new Map(), timer: null, alone: false, stderr: '' };
    child.stderr!.on('data', (chunk: Buffer) => {
      slot.stderr = (slot.stderr + chunk.toString()).slice(-4096);
      process.stderr.write(chunk);
    });
    child.on('message', (message: WorkerMessage) => {
      if ('ready' in message) {
        slot.ready = true;
        failedStarts = 0;
        startClock(slot);
        return;
      }
      const job = slot.jobs.get(message.task);
      if (!job) return;
      slot.jobs.delete(message.task);
      startClock(slot);
      if (slot.jobs.size === 0) {
        slot.alone = false;
        idle(slot, true);
      }
      job.resolve(message.outcome);
      pump();
    });
    child.on('error', (e) => {
      const detail = (e.message.split('\n')[0] ?? '').slice(0, 200);
      crashed(slot, { code: 'INTERNAL', message: `extraction worker failed: ${detail}`, message_zh: `解析进程出错：${detail}` });
    });
    child.on('exit', (code, signal) => {
      if (/heap out of memory|Reached heap limit/i.test(slot.stderr)) {
        crashed(slot, {
          code: 'OUT_OF_MEMORY',
          message: `extraction needed more than the ${memoryMb} MB memory limit`,
          message_zh: `解析所需内存超过 ${memoryMb} MB 上限`,
        });
      } else {
        const how = signal ?? `code ${code}`;
        crashed(slot, { code: 'INTERNAL', message: `extraction worker exited (${how})`, message_zh: `解析进程意外退出（${how}）` });
      }
    });
    slot.timer = setTimeout(() => {
      const s = STARTUP_MS / 1000;
      crashed(slot, { code: 'INTERNAL', message: `extraction worker did not start within ${s} s`, message_zh: `解析进程未能在 ${s} 秒内启动` });
    }, STARTUP_MS).unref();
    idle(slot, true);
    slots.add(slot);
    return slot;
  }

  /** An idle worker must not keep the process alive (a CLI exits when its work is done). */
  function idle(slot: Slot, isIdle: boolean): void {
    // stdio pipes are sockets (typed as plain streams).
    const handles = [slot.child, slot.child.channel, slot.child.stderr as Socket | null];
    for (const h of handles) (isIdle ? h?.unref() : h?.ref());
  }

  /**
   * Starts the time limit of the job now at the head of a ready worker's line (workers run their jobs in order, so
   * that is the one running): a file's limit counts its own extraction only, not its wait or the worker's start.
   */
  function startClock(slot: Slot): void {
    if (!slot.ready) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const head = slot.jobs.keys().next();
    if (head.done) return;
    const task = head.value;
    slot.timer = setTimeout(() => {
      const s = timeoutMs / 1000;
      const error = { code: 'TIMEOUT', message: `extraction took longer than ${s} s`, message_zh: `解析超时（超过 ${s} 秒）` };
      // Only the running file is late; the ones queued behind it go back to the pool.
      for (const [t, job] of retire(slot)) {
        if (t === task) job.resolve({ ok: false, error });
        else queue.unshift(job);
      }
      pump();
    }, timeoutMs);
  }

  /**
   * A worker died (or never started) with files in it. Alone, the file killed it and fails; with others we cannot tell
   * which one did, so all go back to the queue to run alone, and only the one that kills a worker again fails. A worker
   * that dies before it is ready ran none of them: they wait for the next one, unless workers keep failing to start.
   */
  function crashed(slot: Slot, error: FileError): void {
    if (!slots.has(slot)) return;
    const jobs = [...retire(slot)].map(([, job]) => job);
    if (!slot.ready) {
      queue.unshift(...jobs);
      if (++failedStarts >= MAX_FAILED_STARTS) {
        failedStarts = 0;
        for (const job of queue.splice(0)) job.resolve({ ok: false, error });
      }
    } else if (jobs.length === 1) jobs[0]!.resolve({ ok: false, error });
    else {
      for (const job of jobs) job.suspect = true;
      queue.unshift(...jobs);
    }
    pump();
  }

  /** Drops a worker (killed at once: it may be stuck), returning the jobs it held. */
  function retire(slot: Slot): Map<number, Job> {
    slots.delete(slot);
    if (slot.timer) clearTimeout(slot.timer);
    idle(slot, true);
    slot.child.kill('SIGKILL');
    const jobs = new Map(slot.jobs);
    slot.jobs.clear();
    return jobs;
  }

  function pump(): void {
    while (!closed && queue.length > 0) {
      const job = queue[0]!;
      const open = [...slots].filter((s) => !s.alone && s.jobs.size < (job.suspect ? 1 : JOBS_PER_WORKER));
      let slot = open.sort((a, b) => a.jobs.size - b.jobs.size)[0];
      if ((!slot || slot.jobs.size > 0) && slots.size < size) slot = spawn();
      if (!slot) return;
      queue.shift();
      slot.alone = job.suspect;
      slot.jobs.set(job.task, job);
      if (slot.jobs.size === 1) {
        startClock(slot);
        idle(slot, false);
      }
      slot.child.send({ task: job.task, name: job.name, bytes: job.bytes } satisfies ExtractRequest);
    }
  }

  return {
    size,
    extract(name, bytes) {
      if (closed) return Promise.reject(new Error('extraction pool is closed'));
      return new Promise<ExtractOutcome>((resolve) => {
        queue.push({ task: nextTask++, name, bytes, resolve, suspect: false });
        pump();
      });
    },
    async close() {
      closed = true;
      const error = { code: 'INTERNAL', message: 'server is shutting down', message_zh: '服务正在关闭' };
      for (const job of queue.splice(0)) job.resolve({ ok: false, error });
      const all = [...slots];
      const exits = all.map((s) => (s.child.exitCode ?? s.child.signalCode) === null && new Promise((r) => s.child.once('exit', r)));
      for (const slot of all) {
        for (const job of retire(slot).values()) job.resolve({ ok: false, error });
        slot.child.ref(); // wait for it to be gone
      }
      await Promise.all(exits);
    },
  };
}
