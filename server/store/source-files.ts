/**
 * The original files and whole extractions of the stored reports, kept beside the database in its files directory
 * (`db.filesDir`) rather than in it: appended to pack files (`<uuid>.pack`), each report's original bytes followed by
 * its extraction as gzip'd JSON, at an offset that its `sources` row names.
 *
 * Why not in DuckDB: they were the bulk of what an ingest wrote (appended, logged in the write-ahead log,
 * checkpointed), all of it by the single writer while it held the write transaction, for data no query scans. Here
 * they are written by the ingest's reading side, in parallel with extraction (file-writer.ts), and the writer only
 * syncs them to disk before its transaction.
 *
 * Why packs rather than a file per report: a file per report cost a disk sync each (a journal commit, several ms when
 * the disk is busy, which held up the whole ingest) and ~0.5 ms of kernel time to create on a file system that has
 * just deleted many (ext4 skips recently freed inodes); a pack costs one sync per group of reports.
 *
 * Crash safety: the bytes a row points to are synced before the transaction that writes the row commits, so a
 * committed row always finds them, even after a power cut. A process only ever appends to packs it created, at offsets
 * it gave out, so what a crash leaves is at worst bytes no row points to: packs no row points to are deleted when the
 * store is next opened. A removed report's files are overwritten with zeros once the removal has committed (never
 * served again, and not recoverable from the disk either). A re-extracted report gets its files appended anew, and the
 * old copy is overwritten the same way.
 */
import { createHash, randomUUID } from 'node:crypto';
import { open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Extraction } from '../schema.ts';
import type { DB, Tx } from './db.ts';
import { runFileOp } from './file-writer.ts';
import { gunzipExtraction } from './rows.ts';

/** Where a stored report's files are, as the `sources` table says: the original, then the gzip'd extraction. */
export interface SourceRef {
  id: string;
  pack: string;
  pack_offset: number;
  size_bytes: number;
  extraction_size: number;
}

/** Where `save` puts a report's files (known at once), and the write (not yet synced: see `durable`). */
export interface Saved {
  pack: string;
  offset: number;
  written: Promise<void>;
}

/** A pack file's name. */
const PACK = /^[0-9a-f-]{36}\.pack$/;
/** A pack takes new reports until it reaches this size; then a new one is started. */
const PACK_BYTES = 256 * 2 ** 20;
/**
 * Bytes written after which the writer thread syncs them in the background: the sync before each transaction then has
 * little left to wait for.
 */
const SYNC_AHEAD_BYTES = 2 ** 20;

/** Whether `name` is a pack file's name (and so safe as a path inside the files directory). */
export function isPackName(name: string): boolean {
  return PACK.test(name);
}

/** Reading and writing the files of one store (one instance per open database: `sourceFiles(db)`). */
export class SourceFiles {
  /** The pack being appended to, and how far. */
  private current: { name: string; size: number } | null = null;
  /** Bytes written since the last background sync. */
  private unsyncedBytes = 0;
  /**
   * Packs a sync failed on: what was written to them may be lost (a failed sync can drop the pages it could not write,
   * and a later one then succeed), so no row may point into them any more.
   */
  private readonly broken = new Map<string, unknown>();

  constructor(readonly dir: string) {}

  /**
   * Appends a report's original bytes and its gzip'd extraction (`gzipExtraction`) to the current pack: where, at once;
   * written, once `written` resolves; on disk, once `durable` has synced the pack.
   */
  save(original: Uint8Array, extractionGz: Uint8Array): Saved {
    const size = original.length + extractionGz.length;
    if (!this.current || this.current.size + size > PACK_BYTES) this.current = { name: `${randomUUID()}.pack`, size: 0 };
    // The offset is given out here, in this process's order; the writer thread writes at it.
    const { name } = this.current;
    const offset = this.current.size;
    this.current.size += size;
    const bytes = new Uint8Array(size);
    bytes.set(original);
    bytes.set(extractionGz, original.length);
    const path = join(this.dir, name);
    const written = runFileOp({ op: 'write', path, offset, bytes, create: offset === 0 }).catch((e: unknown) => {
      // The next report goes to a new pack rather than after a failed write (which may have been the pack's creation).
      this.retire(name);
      throw e;
    });
    // Marked handled: whoever points to these bytes awaits `written` before committing.
    written.catch(() => undefined);
    if ((this.unsyncedBytes += size) >= SYNC_AHEAD_BYTES) {
      this.unsyncedBytes = 0;
      void this.sync(name).catch(() => undefined);
    }
    return { pack: name, offset, written };
  }

  /** Syncs these packs to disk: call before committing rows that point into them (their writes done). */
  async durable(packs: Iterable<string>): Promise<void> {
    await Promise.all([...new Set(packs)].map((name) => this.sync(name)));
  }

  private async sync(name: string): Promise<void> {
    if (this.broken.has(name)) throw this.broken.get(name);
    try {
      await runFileOp({ op: 'sync', path: join(this.dir, name) });
    } catch (e) {
      this.broken.set(name, e);
      this.retire(name);
      throw e;
    }
  }

  /** Sends the next report to a new pack. */
  private retire(name: string): void {
    if (this.current?.name === name) this.current = null;
  }

  /** A report's original bytes; throws when they are missing or damaged. */
  async read(ref: SourceRef): Promise<Uint8Array> {
    const bytes = await this.range(ref, ref.pack_offset, ref.size_bytes);
    if (createHash('sha256').update(bytes).digest('hex') !== ref.id) throw new Error(`the stored original of ${ref.id} is damaged`);
    return bytes;
  }

  /** A report's extraction; throws when it is missing or damaged (gzip checks its contents). */
  async readExtraction(ref: SourceRef): Promise<Extraction> {
    return gunzipExtraction(await this.range(ref, ref.pack_offset + ref.size_bytes, ref.extraction_size));
  }

  /**
   * Overwrites a removed report's files with zeros (call once the removal has committed). Best effort: resolves either
   * way, the report being gone from the store already.
   */
  async erase(ref: SourceRef): Promise<void> {
    const length = ref.size_bytes + ref.extraction_size;
    await runFileOp({ op: 'erase', path: join(this.dir, ref.pack), offset: ref.pack_offset, length }).catch(() => undefined);
  }

  private async range(ref: SourceRef, offset: number, size: number): Promise<Uint8Array> {
    const file = await open(join(this.dir, ref.pack), 'r');
    const bytes = new Uint8Array(size);
    try {
      const { bytesRead } = await file.read(bytes, 0, size, offset);
      if (bytesRead !== size) throw new Error(`the stored files of ${ref.id} are cut short`);
    } finally {
      await file.close();
    }
    return bytes;
  }

  /** Deletes the packs no row points to (left by crashes, or emptied by removals). Call before anything is saved. */
  async collectGarbage(referenced: ReadonlySet<string>): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const garbage = names.filter((name) => PACK.test(name) && !referenced.has(name) && name !== this.current?.name);
    await Promise.all(garbage.map((name) => rm(join(this.dir, name), { force: true })));
  }
}

const instances = new WeakMap<DB, SourceFiles>();

/** The files of the store open as `db` (one instance per database: it gives out the offsets). */
export function sourceFiles(db: DB): SourceFiles {
  let files = instances.get(db);
  if (!files) instances.set(db, (files = new SourceFiles(db.filesDir)));
  return files;
}

/** Every pack the store's rows point to. */
export async function referencedPacks(q: Pick<Tx, 'query'>): Promise<Set<string>> {
  return new Set((await q.query<{ pack: string }>('SELECT DISTINCT pack FROM sources')).map((r) => r.pack));
}
