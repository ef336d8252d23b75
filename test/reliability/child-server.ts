/**
 * The server as a user runs it (`server/main.ts`) in a child process on a random loopback port, so that a test can
 * measure its memory, kill -9 it, and restart it on the same data directory.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, TOKEN } from '../server-helpers.ts';

/** A running child server. */
export interface ChildServer {
  url: string;
  pid: number;
  process: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Whether it has exited. */
  exited(): boolean;
  /** SIGTERM (a clean stop: in-flight work finishes, the store is closed) and wait for the exit. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a power cut would, and wait for the exit. */
  kill(): Promise<void>;
}

/** Runs a TypeScript entry point with Node itself (not the tsx CLI, which would put a second process in between). */
export function spawnTs(script: string, args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts `server/main.ts` on 127.0.0.1 with a free port over `dataDir` and waits until it listens. */
export async function startChildServer(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<ChildServer> {
  const child = spawnTs('server/main.ts', [], {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    EDITOR_TOKEN: TOKEN,
    ...env,
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let done = false;
  void exit.then(() => (done = true));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 120 s:\n${out}`)), 120_000);
    const check = () => {
      const m = /Dashboard running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}`));
    });
  });

  return {
    url,
    pid: child.pid!,
    process: child,
    output: () => out,
    exited: () => done,
    async stop() {
      if (!done) child.kill('SIGTERM');
      return exit;
    },
    async kill() {
      if (!done) child.kill('SIGKILL');
      await exit;
    },
  };
}

/** The ids of a process's live child processes (its extraction workers, for a server). */
export function childrenOf(pid: number): number[] {
  try {
    // Children forked by the main thread (Node spawns from it); cheaper than running ps while sampling.
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').map(Number).filter((n) => n > 0);
  } catch {
    // Not Linux, or no such process.
  }
  const ps = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  return ps.stdout.split('\n').map((s) => Number(s.trim())).filter((n) => n > 0);
}

/** Whether a process exists (and is not a zombie). */
export function isAlive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** Resident memory in bytes of a process and its children (a server and its extraction workers). */
export function treeRss(pid: number): number {
  return [pid, ...childrenOf(pid)].reduce((sum, p) => sum + rssOf(p), 0);
}

function rssOf(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    const ps = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
    return (Number(ps.stdout.trim()) || 0) * 1024;
  }
}

/** Samples `treeRss(pid)` every `ms` until stopped; `peak` is the largest sample. */
export function sampleMemory(pid: number, ms = 100): { peak(): number; stop(): number } {
  let peak = treeRss(pid);
  const timer = setInterval(() => (peak = Math.max(peak, treeRss(pid))), ms);
  return {
    peak: () => peak,
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** Bytes as MB with one decimal. */
export function mb(bytes: number): number {
  return Math.round((bytes / 2 ** 20) * 10) / 10;
}
