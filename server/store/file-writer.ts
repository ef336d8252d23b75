/**
 * File writes on a thread of their own, as plain synchronous calls. On Node's shared thread pool (fs/promises) the
 * same writes cost several times the CPU and, worse, held the pool's few threads that DuckDB's statements also run on:
 * with writes and syncs under way, each statement of the ingest writer waited ~10× longer (a SELECT 1 went from 1 ms
 * to 19 ms).
 *
 * One thread per process serves every store; it runs requests in the order they are made (so a sync covers every write
 * requested before it), is started on first use and never keeps the process alive when idle. Writes travel to it in
 * batches (up to a few ms late: waking the thread costs more than a small write; nobody waits for a write before the
 * sync that follows it, which goes at once).
 */
import { Worker } from 'node:worker_threads';

/** What the writer thread (file-writer-thread.mjs) can do. */
export type FileOp =
  /** Writes `bytes` at `offset` of `path`, creating it and its directory (both synced) when `create`. Not synced. */
  | { op: 'write'; path: string; offset: number; bytes: Uint8Array; create: boolean }
  /** Syncs `path` to disk. */
  | { op: 'sync'; path: string }
  /** Overwrites `length` bytes at `offset` of `path` with zeros. */
  | { op: 'erase'; path: string; offset: number; length: number };

/** The writer thread's answer to a request: done, or why not. */
export interface FileOpResult {
  task: number;
  error?: string;
}

const THREAD_URL = new URL('./file-writer-thread.mjs', import.meta.url);

let thread: Worker | null = null;
let nextTask = 0;
const waiting = new Map<number, { resolve(): void; reject(e: Error): void }>();
/** Requests not yet sent, and when they will be. */
let outbox: (FileOp & { task: number })[] = [];
let timer: NodeJS.Timeout | null = null;
let immediate: NodeJS.Immediate | null = null;
/** Writes wait for company at most this long, or until there are this many. */
const BATCH_MS = 5;
const BATCH_OPS = 64;

/**
 * Runs `request` on the writer thread, after every request made before it. A `write` request's bytes are handed over
 * (their buffer is detached): pass bytes made for it.
 */
export function runFileOp(request: FileOp): Promise<void> {
  const task = nextTask++;
  outbox.push({ ...request, task });
  if (request.op !== 'write' || outbox.length >= BATCH_OPS) immediate ??= setImmediate(send);
  else timer ??= setTimeout(send, BATCH_MS);
  return new Promise<void>((resolve, reject) => waiting.set(task, { resolve, reject }));
}

function send(): void {
  if (timer) clearTimeout(timer);
  if (immediate) clearImmediate(immediate);
  timer = immediate = null;
  const batch = outbox;
  outbox = [];
  if (batch.length === 0) return;
  const worker = (thread ??= start());
  worker.ref();
  worker.postMessage(batch, batch.flatMap((r) => (r.op === 'write' ? [r.bytes.buffer as ArrayBuffer] : [])));
}

function start(): Worker {
  const worker = new Worker(THREAD_URL);
  worker.on('message', (results: FileOpResult[]) => {
    for (const { task, error } of results) {
      const w = waiting.get(task);
      waiting.delete(task);
      if (error === undefined) w?.resolve();
      else w?.reject(new Error(error));
    }
    if (waiting.size === 0) worker.unref();
  });
  // A thread that died fails what it held; the next request starts another.
  const fail = (e: Error) => {
    if (thread === worker) thread = null;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the file writer thread exited (code ${code})`)));
  worker.unref();
  return worker;
}
