/**
 * Ingestion: files → extraction in worker processes → one writer (this process) storing them in input order.
 *
 * A file is identified by the sha256 of its bytes, so the same file twice is one report. A file that fails to read or
 * extract is never written. A file that extracted cleanly has its original bytes and its extraction written out
 * (source-files.ts) on the reading side, alongside extraction, and is then committed with the others of its group in
 * one transaction (so the syncs to disk of the files and of the commit are not paid per file); if a group's
 * transaction fails, it is rolled back and its files are retried one transaction each, so every file still lands or
 * fails on its own.
 */
import { createHash } from 'node:crypto';
import { listValue } from '@duckdb/node-api';
import { cachedCatalog, loadCatalog, versionKey, type Catalog, type Version } from './catalog.ts';
import { IN_LIST, type DB, type Tx } from './db.ts';
import type { ExtractPool } from './extract-pool.ts';
import { toFileError, type FileError } from './file-error.ts';
import { REPORT_TABLES } from './migrate.ts';
import { carryOverrides } from './overrides.ts';
import { gzipExtraction, stamp, toRows, type Extracted, type ReportRows } from './rows.ts';
import { sniffReport } from './sniff.ts';
import { sourceFiles, type SourceFiles } from './source-files.ts';
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
  /** Called once per file as soon as its result is known (failures and duplicates come before the group they sit in). */
  onResult?: (result: IngestResult, index: number) => void;
}

/** The outcome of a batch. */
export interface IngestReport {
  results: IngestResult[];
  /**
   * The writer's time, summed over the groups: from the moment a group is handed to it until its transaction has
   * committed (rows appended, versions and corrections updated, the group's files and the commit synced to disk). Not
   * in it: reading, hashing and extraction, and what the reading side does for each file in parallel with extraction
   * before its group is written: compressing the extraction, building the rows, writing the bytes out
   * (source-files.ts). Those count in the batch's total time.
   */
  writeMs: number;
}

/** A file ready for the writer: extracted, its files being written to `pack` (not yet synced to disk). */
interface Ready {
  item: Extracted;
  pack: string;
  written: Promise<void>;
}

type Prepared =
  | { kind: 'failed'; name: string; error: FileError }
  | { kind: 'duplicate'; name: string; id: string }
  | ({ kind: 'extracted' } & Ready);

/** Fewest files committed together (but for a batch's last group): a commit costs syncs to disk and a few statements. */
const GROUP_SIZE = 256;
/**
 * A batch commits in about this many groups. Every group pays two syncs to disk (its files', its commit's) and a few
 * statements, ~15-30 ms on the 2-core bench machine, so few groups are cheaper (1,000 files spent ~2% of their ingest
 * time more writing in 4 groups than in 2); but the last one is written after extraction ends, not beside it.
 */
const GROUPS_PER_BATCH = 2;
/** A group is written once its files' texts reach this, however few (the extractions are held in memory). */
const GROUP_BYTES = 64 * 2 ** 20;

/** Ingests `sources`, returning one result per source in input order. Does not publish. */
export async function ingest(
  db: DB,
  pool: ExtractPool,
  sources: readonly IngestSource[],
  { maxBytes, onResult }: IngestOptions,
): Promise<IngestReport> {
  const results: IngestResult[] = new Array(sources.length);
  // Files already stored skip extraction (the writer checks again, in its own order, when it writes a group).
  await loadCatalog(db);
  const stored = (id: string) => cachedCatalog(db)?.ids.has(id) ?? false;
  const files = sourceFiles(db);
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
      pending.set(i, prepare(pool, files, sources[i]!, maxBytes, stored, seen));
    }
  };
  let group: (Ready & { index: number })[] = [];
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
      const written = await writeGroup(db, files, batch);
      writeMs += performance.now() - t0;
      queuedWrites--;
      for (const [k, result] of written.entries()) settle(batch[k]!.index, result);
    });
  };

  startNext();
  for (let i = 0; i < sources.length; i++) {
    const prepared = await pending.get(i)!;
    pending.delete(i);
    consumed = i + 1;
    startNext();
    if (prepared.kind === 'extracted') {
      group.push({ index: i, item: prepared.item, pack: prepared.pack, written: prepared.written });
      groupBytes += prepared.item.extraction.text.length * 2;
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
  files: SourceFiles,
  source: IngestSource,
  maxBytes: number,
  stored: (id: string) => boolean,
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
  if (stored(id)) return { kind: 'duplicate', name, id };
  // The same bytes twice in one batch: the second copy shares the first one's fate.
  const prior = seen.get(id);
  if (prior) {
    const first = await prior;
    return first.kind === 'failed' ? { ...first, name } : { kind: 'duplicate', name, id };
  }
  const work = extract(pool, files, name, id, bytes);
  seen.set(id, work);
  return work;
}

async function extract(pool: ExtractPool, files: SourceFiles, name: string, id: string, bytes: Uint8Array): Promise<Prepared> {
  const outcome = await pool.extract(name, bytes).catch((e: unknown) => ({ ok: false as const, error: toFileError(e) }));
  if (!outcome.ok) return { kind: 'failed', name, error: outcome.error };
  const extraction = outcome.extraction;
  extraction.report.id = id;
  extraction.report.source = name;
  // Written in the background (the writer makes sure it is on disk before its commit): extraction goes on meanwhile.
  // The rows are built here too, leaving the writer only what it decides (seq, status, time).
  const gz = gzipExtraction(extraction);
  const { pack, offset, written } = files.save(bytes, gz);
  const rows = toRows(id, name, extraction, { pack, offset, size: bytes.length, extractionSize: gz.length });
  return { kind: 'extracted', item: { id, name, extraction, rows }, pack, written };
}

/**
 * Writes a group in one transaction; on failure, retries each file alone so one bad write cannot sink the others. The
 * files' bytes must be on disk before the commit that points to them: their last writes and the sync run while the
 * rows are appended.
 */
async function writeGroup(db: DB, files: SourceFiles, group: readonly Ready[]): Promise<IngestResult[]> {
  try {
    return await db.transaction(async (tx) => {
      const durable = Promise.all(group.map((g) => g.written)).then(() => files.durable(group.map((g) => g.pack)));
      durable.catch(() => undefined);
      const results = await insertReports(tx, await loadCatalog(db, tx), group.map((g) => g.item));
      await durable;
      return results;
    });
  } catch (e) {
    if (group.length === 1) {
      const { name, id } = group[0]!.item;
      return [{ name, ok: false, id, status: 'failed', error: storeError(e) }];
    }
    const results: IngestResult[] = [];
    for (const g of group) results.push(...(await writeGroup(db, files, [g])));
    return results;
  }
}

/** A file that could not be stored, as its result says. */
function storeError(e: unknown): FileError {
  const detail = toFileError(e);
  const message = `could not save the report: ${detail.message}`;
  return { code: 'STORE', message, message_zh: `无法保存报告：${detail.message_zh}` };
}

/**
 * Appends the new reports of a group with their status already decided, from the catalog rather than from scans of
 * the reports table: in input order, each new report is the latest version of its department/year/kind, superseding
 * the previous latest (stored, or earlier in the group), so the outcome does not depend on how files were grouped.
 */
async function insertReports(tx: Tx, catalog: Catalog, items: readonly Extracted[]): Promise<IngestResult[]> {
  // Checked again here (in the writer's order): two uploads of the same file may have raced past `prepare`.
  const fresh = items.filter((x) => !catalog.ids.has(x.id));
  let seq = catalog.seq;
  /** The latest version of each department/year/kind this group touches. */
  const latest = new Map<string, Version>();
  const previous = new Map<string, string>();
  const seqs = fresh.map((item) => {
    seq++;
    const key = versionKey(item.extraction.report);
    if (key !== null) {
      const prev = latest.get(key) ?? catalog.latest.get(key);
      if (prev) previous.set(item.id, prev.id);
      latest.set(key, { id: item.id, seq });
    }
    return seq;
  });
  const now = new Date();
  await appendAll(tx, fresh.map((item, k) => {
    const key = versionKey(item.extraction.report);
    const current = key === null || latest.get(key)!.id === item.id;
    return stamp(item.rows, seqs[k]!, now, current ? 'current' : 'superseded');
  }));
  // Stored reports that were the latest of their department/year/kind (and so current) and are not any more. By seq
  // (unique, and in insertion order, so DuckDB skips the row groups that cannot hold them), as numbers in the SQL.
  const superseded = [...latest.keys()].flatMap((key) => catalog.latest.get(key)?.seq ?? []);
  if (superseded.length > 0) await tx.query(`UPDATE reports SET status = 'superseded' WHERE seq IN (${superseded.join(', ')})`);
  // Editors' corrections of the previous version move to the new one (stale where the extracted value changed).
  if (catalog.liveOverrides) {
    await carryOverrides(tx, fresh.map((x) => ({ id: x.id, extraction: x.extraction, previous: previous.get(x.id) ?? null })));
  }
  tx.onCommit(() => {
    for (const x of fresh) catalog.ids.add(x.id);
    catalog.seq = seq;
    for (const [key, version] of latest) catalog.latest.set(key, version);
  });

  const added = new Set(fresh.map((x) => x.id));
  return items.map((x): IngestResult => {
    if (!added.has(x.id)) return { name: x.name, ok: true, id: x.id, status: 'duplicate' };
    return { name: x.name, ok: true, id: x.id, status: previous.has(x.id) ? 'superseded_older' : 'added' };
  });
}

/** Appends many reports' rows with one appender per table. */
export async function appendAll(tx: Tx, reports: readonly ReportRows[]): Promise<void> {
  for (const table of REPORT_TABLES) await tx.append(table, (function* () {
    for (const r of reports) yield* r[table];
  })());
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
