/**
 * Ingestion: files → extraction in worker processes → one writer (this process) storing them in input order.
 *
 * A file is identified by the sha256 of its bytes, so the same file twice is one report. A file that fails to read or
 * extract is never written. Files that extracted cleanly are committed in groups (one transaction each, so the sync to
 * disk of a commit is not paid per file); if a group's transaction fails, it is rolled back and its files are retried
 * one transaction each, so every file still lands or fails on its own.
 */
import { createHash } from 'node:crypto';
import { listValue } from '@duckdb/node-api';
import type { DB, Tx } from './db.ts';
import type { ExtractPool } from './extract-pool.ts';
import { toFileError, type FileError } from './file-error.ts';
import { REPORT_TABLES } from './migrate.ts';
import { carryOverrides } from './overrides.ts';
import { toRows, type Extracted, type ReportRows } from './rows.ts';
import { sniffReport } from './sniff.ts';
import { maskPersonalData } from '../extract/normalize.ts';
import { ReadError } from '../extract/read-error.ts';

/** What happened to one file: added (current), duplicate (already stored), superseded_older (added and replaced an
 * older version of the same department/year/kind as the current one), failed. */
export type IngestStatus = 'added' | 'duplicate' | 'superseded_older' | 'failed';

/** The result of one file of a batch. */
export interface IngestResult {
  name: string;
  ok: boolean;
  id?: string;
  status: IngestStatus;
  error?: FileError;
}

/** One file to ingest; `read` is called once, shortly before the file is needed, so batches stream from disk. */
export interface IngestSource {
  name: string;
  read(): Promise<Uint8Array>;
}

/** Options of one ingestion batch. */
export interface IngestOptions {
  /** Files larger than this fail with TOO_LARGE. */
  maxBytes: number;
  /** Ids already in the store (kept by the caller, updated here): lets duplicates skip extraction. */
  known: Set<string>;
  /** Called once per file as soon as its result is known (failures and duplicates come before the group they sit in). */
  onResult?: (result: IngestResult, index: number) => void;
}

/** The outcome of a batch. */
export interface IngestReport {
  results: IngestResult[];
  /** Time spent in the store's write transactions (the rest is reading, extraction and waiting). */
  writeMs: number;
}

type Prepared =
  | { kind: 'failed'; name: string; error: FileError }
  | { kind: 'duplicate'; name: string; id: string }
  | { kind: 'extracted'; item: Extracted };

/** Most files committed in one transaction: a commit costs a sync to disk and a few statements, so group them. */
const GROUP_SIZE = 256;
/**
 * A large batch commits in at most about this many groups: every group pays a commit and a few statements that scan
 * the reports table, so 10,000 files in groups of 256 spent 15% of their ingest time writing (test/bench).
 */
const GROUPS_PER_BATCH = 8;
/** A group is written once its files' bytes and texts reach this, however few (large PDFs are held in memory). */
const GROUP_BYTES = 64 * 2 ** 20;

/** Ingests `sources`, returning one result per source in input order. Does not publish. */
export async function ingest(
  db: DB,
  pool: ExtractPool,
  sources: readonly IngestSource[],
  { maxBytes, known, onResult }: IngestOptions,
): Promise<IngestReport> {
  const results: IngestResult[] = new Array(sources.length);
  const seen = new Map<string, Promise<Prepared>>();
  const pending = new Map<number, Promise<Prepared>>();
  // Read and extract ahead of the writer (so workers stay busy while it writes), but boundedly: memory stays flat
  // however large the batch.
  const window = pool.size * 16;
  let started = 0;
  let consumed = 0;
  const startNext = () => {
    while (started < sources.length && started < consumed + window) {
      const i = started++;
      pending.set(i, prepare(pool, sources[i]!, maxBytes, known, seen));
    }
  };
  let group: { index: number; item: Extracted }[] = [];
  let groupBytes = 0;
  const groupSize = Math.max(GROUP_SIZE, Math.ceil(sources.length / GROUPS_PER_BATCH));
  let writeMs = 0;

  const settle = (index: number, result: IngestResult) => {
    results[index] = result;
    onResult?.(result, index);
  };
  // Groups are written in the background while the next group is gathered; at most one write waits behind another.
  let writing: Promise<void> = Promise.resolve();
  let queuedWrites = 0;
  const flush = async () => {
    if (group.length === 0) return;
    const batch = group;
    group = [];
    groupBytes = 0;
    if (queuedWrites > 0) await writing;
    queuedWrites++;
    writing = writing.then(async () => {
      const t0 = performance.now();
      const written = await writeGroup(db, batch.map((g) => g.item));
      writeMs += performance.now() - t0;
      queuedWrites--;
      for (const [k, result] of written.entries()) {
        if (result.ok) known.add(result.id!);
        settle(batch[k]!.index, result);
      }
    });
  };

  startNext();
  for (let i = 0; i < sources.length; i++) {
    const prepared = await pending.get(i)!;
    pending.delete(i);
    consumed = i + 1;
    startNext();
    if (prepared.kind === 'extracted') {
      group.push({ index: i, item: prepared.item });
      groupBytes += prepared.item.bytes.length + prepared.item.extraction.text.length * 2;
    }
    else if (prepared.kind === 'duplicate') settle(i, { name: prepared.name, ok: true, id: prepared.id, status: 'duplicate' });
    else settle(i, { name: prepared.name, ok: false, status: 'failed', error: prepared.error });
    if (group.length >= groupSize || groupBytes >= GROUP_BYTES) await flush();
  }
  await flush();
  await writing;
  return { results, writeMs };
}

async function prepare(
  pool: ExtractPool,
  source: IngestSource,
  maxBytes: number,
  known: Set<string>,
  seen: Map<string, Promise<Prepared>>,
): Promise<Prepared> {
  const name = displayName(source.name);
  let bytes: Uint8Array;
  let id: string;
  try {
    bytes = await source.read();
    if (bytes.length > maxBytes) {
      const limit = maxBytes >= 2 ** 20 ? `${Math.round((maxBytes / 2 ** 20) * 10) / 10} MB` : `${Math.round(maxBytes / 1024)} KB`;
      throw new ReadError('TOO_LARGE', `file is larger than the ${limit} limit`, `文件超过 ${limit} 上限`);
    }
    sniffReport(bytes);
    id = createHash('sha256').update(bytes).digest('hex');
  } catch (e) {
    return { kind: 'failed', name, error: toFileError(e) };
  }
  if (known.has(id)) return { kind: 'duplicate', name, id };
  // The same bytes twice in one batch: the second copy shares the first one's fate.
  const prior = seen.get(id);
  if (prior) {
    const first = await prior;
    return first.kind === 'failed' ? { ...first, name } : { kind: 'duplicate', name, id };
  }
  const work = extract(pool, name, id, bytes);
  seen.set(id, work);
  return work;
}

async function extract(pool: ExtractPool, name: string, id: string, bytes: Uint8Array): Promise<Prepared> {
  const outcome = await pool.extract(name, bytes).catch((e: unknown) => ({ ok: false as const, error: toFileError(e) }));
  if (!outcome.ok) return { kind: 'failed', name, error: outcome.error };
  const extraction = outcome.extraction;
  extraction.report.id = id;
  extraction.report.source = name;
  return { kind: 'extracted', item: { id, name, bytes, extraction } };
}

/** Writes a group in one transaction; on failure, retries each file alone so one bad write cannot sink the others. */
async function writeGroup(db: DB, items: readonly Extracted[]): Promise<IngestResult[]> {
  try {
    return await db.transaction((tx) => insertReports(tx, items));
  } catch (e) {
    if (items.length === 1) {
      const detail = toFileError(e);
      const error = {
        code: 'STORE',
        message: `could not save the report: ${detail.message}`,
        message_zh: `无法保存报告：${detail.message_zh}`,
      };
      return [{ name: items[0]!.name, ok: false, id: items[0]!.id, status: 'failed', error }];
    }
    const results: IngestResult[] = [];
    for (const item of items) results.push(...(await writeGroup(db, [item])));
    return results;
  }
}

async function insertReports(tx: Tx, items: readonly Extracted[]): Promise<IngestResult[]> {
  // Checked again inside the transaction: two uploads of the same file may have raced past `prepare`.
  const existing = new Set(
    (await tx.query<{ id: string }>(`SELECT id FROM reports WHERE id IN ${IN_LIST}`, [listValue(items.map((x) => x.id))]))
      .map((r) => r.id),
  );
  const fresh = items.filter((x) => !existing.has(x.id));
  const [{ seq }] = (await tx.query<{ seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM reports')) as [{ seq: number }];
  const now = new Date();
  await appendAll(tx, fresh.map((item, k) => toRows(item, seq + k + 1, now)));
  await refreshStatus(tx, fresh.map((x) => x.extraction.report.department));
  // Editors' corrections of the previous version move to the new one (stale where the extracted value changed).
  await carryOverrides(tx, fresh);

  // Whether each new report has an older version (lower seq) of the same department/year/kind: in input order, so the
  // answer does not depend on how files were grouped into transactions.
  const older = new Map<string, number>();
  if (fresh.length > 0) {
    const rows = await tx.query<{ id: string; older: number }>(
      `SELECT r.id, (SELECT count(*) FROM reports o
         WHERE o.department = r.department AND o.year = r.year AND o.kind = r.kind AND o.seq < r.seq) AS older
       FROM reports r WHERE r.id IN ${IN_LIST}`,
      [listValue(fresh.map((x) => x.id))],
    );
    for (const row of rows) older.set(row.id, row.older);
  }
  return items.map((x): IngestResult => {
    const n = older.get(x.id);
    if (n === undefined) return { name: x.name, ok: true, id: x.id, status: 'duplicate' };
    return { name: x.name, ok: true, id: x.id, status: n > 0 ? 'superseded_older' : 'added' };
  });
}

/** Appends many reports' rows with one appender per table. */
export async function appendAll(tx: Tx, reports: readonly ReportRows[]): Promise<void> {
  for (const table of REPORT_TABLES) await tx.append(table, reports.flatMap((r) => r[table]));
}

/**
 * Marks the latest version (highest seq) of each department/year/kind as current and older ones as superseded, for the
 * given departments (all when null). Reports without a department or year cannot be matched, so they stay current.
 */
export async function refreshStatus(tx: Tx, departments: readonly (string | null)[] | null): Promise<void> {
  const names = departments ? [...new Set(departments.filter((d): d is string => d !== null))] : null;
  if (names?.length === 0) return;
  await tx.query(
    `UPDATE reports SET status = v.status
     FROM (
       SELECT id, CASE WHEN department IS NULL OR year IS NULL
                        OR row_number() OVER (PARTITION BY department, year, kind ORDER BY seq DESC) = 1
                  THEN 'current' ELSE 'superseded' END AS status
       FROM reports ${names ? `WHERE department IN ${IN_LIST}` : ''}
     ) v
     WHERE reports.id = v.id AND reports.status <> v.status`,
    names ? [listValue(names)] : [],
  );
}

/**
 * Membership in one bound list of strings: a thousand `?` in an IN list cost DuckDB ~30 ms to bind, the list ~8 ms.
 */
const IN_LIST = '(SELECT unnest(CAST(? AS VARCHAR[])))';

/** `?, ?, …` for `n` bound values. */
export function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/**
 * A file name fit for display, and only for display (it is never used as a path): its last path segment, without
 * control or text-direction characters, phone numbers masked as in report text, at most 200 characters.
 */
export function displayName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').trim().slice(0, 200);
  return /^\.*$/.test(clean) ? 'unnamed' : maskPersonalData(clean);
}
