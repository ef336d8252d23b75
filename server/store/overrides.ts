/**
 * Review: editors' corrections of extracted values (overrides), review marks, and the audit trail of both.
 *
 * The extraction itself is never changed. An override names one field of one report (a report field, a field of a
 * project row, an issue's category), the value the extractor gave it and the corrected value; the published tables
 * and `reports.get` apply the active ones. When a new version of a report arrives (same department, year and kind),
 * the previous version's overrides are copied onto it: active where the new extraction still gives the value the
 * correction replaced, stale (listed, not applied) where it gives another value or the project/issue is gone. Re-running
 * the extractor re-checks them the same way. Every change, by an editor or by the system, is one audit-log row.
 */
import { randomUUID } from 'node:crypto';
import { listValue } from '@duckdb/node-api';
import { computedRate } from '../extract/checks.ts';
import { isNumeric, TARGET_FIELDS, type FieldType, type TargetKind } from '../review-fields.ts';
import {
  checkValue,
  fieldType,
  QueueInput,
  sameValue,
  type AuditAction,
  type AuditInput,
  type CorrectInput,
  type FieldValue,
  type MarkReviewedInput,
  type ReviewState,
  type RevertInput,
} from '../review-schema.ts';
import type { Extraction } from '../schema.ts';
import { cachedCatalog } from './catalog.ts';
import { IN_LIST, type DB, type Params, type Row, type Tx } from './db.ts';
import { sourceFiles, type SourceRef } from './source-files.ts';

/** active: applied; stale: the extracted value changed under it (listed, not applied); reverted/replaced: history. */
export type OverrideStatus = 'active' | 'stale' | 'reverted' | 'replaced';

/** A refusal the editor can act on, with a bilingual message; the router turns it into a tRPC error. */
export class ReviewError extends Error {
  constructor(readonly code: 'NOT_FOUND' | 'BAD_REQUEST' | 'CONFLICT', readonly zh: string, readonly en: string) {
    super(`${zh} / ${en}`);
  }
}

/** One correction as `reports.get` shows it. */
export interface Correction {
  id: string;
  target: TargetKind;
  /** The project/issue index in this version (null for report fields, and for an item this version no longer has). */
  index: number | null;
  /** The project's name or the issue's text as extracted (null for report fields). */
  itemKey: string | null;
  field: string;
  /** The extracted value the correction replaced. */
  extracted: FieldValue;
  /** What this version's extraction gives (differs from `extracted` when stale; null when the item is gone). */
  current: FieldValue;
  itemMissing: boolean;
  value: FieldValue;
  status: 'active' | 'stale';
  editor: string;
  reason: string;
  createdAt: string;
  /** Made on an earlier version and carried to this one. */
  carried: boolean;
}

/** A report's review: its state, mark, corrections and its records with the active corrections applied. */
export interface ReviewInfo {
  state: ReviewState;
  mark: { editor: string; note: string | null; markedAt: string } | null;
  corrections: Correction[];
  corrected: Pick<Extraction, 'report' | 'projects' | 'issues'>;
}

/** One report in the review queue. */
export interface QueueRow {
  report_id: string;
  title: string | null;
  source: string;
  department: string | null;
  year: number | null;
  province: string | null;
  city: string | null;
  county: string | null;
  kind: string;
  review_state: ReviewState;
  flag_count: number;
  low_confidence_count: number;
  correction_count: number;
  stale_count: number;
  reviewed_by: string | null;
  reviewed_at: string | null;
  /** How much needs checking (higher first): see `NEED`. */
  need: number;
}

/** One audit-log entry (values as stored text: numbers in plain notation, null when empty). */
export interface AuditRow {
  seq: number;
  changed_at: string;
  /** Who (null: the system, carrying corrections to a new version). */
  editor: string | null;
  action: AuditAction;
  report_id: string;
  source: string | null;
  department: string | null;
  year: number | null;
  target: TargetKind | null;
  item_idx: number | null;
  item_key: string | null;
  field: string | null;
  old_value: string | null;
  new_value: string | null;
  reason: string | null;
}

interface OverrideRow {
  id: string;
  report_id: string;
  target: TargetKind;
  item_idx: number | null;
  item_key: string | null;
  field: string;
  extracted_value: string | null;
  value: string | null;
  status: OverrideStatus;
  editor: string;
  reason: string;
  created_at: string;
  origin_id: string | null;
}

const OVERRIDE_COLUMNS =
  'id, report_id, target, item_idx, item_key, field, extracted_value, value, status, editor, reason, created_at, origin_id';
const LIVE = "status IN ('active', 'stale')";

type Query = Pick<Tx, 'query'>;

// ---------------------------------------------------------------------------------------------------------------
// Values

const FIELDS = TARGET_FIELDS;

function typeOf(target: TargetKind, field: string): FieldType {
  const type = FIELDS[target][field];
  if (!type) throw new Error(`no correctable field ${target}.${field}`);
  return type;
}

/** Values are stored as text: numbers in JS notation (which DuckDB casts back exactly), null as NULL. */
function encode(v: FieldValue | undefined): string | null {
  return v === null || v === undefined ? null : String(v);
}

function decode(type: FieldType, s: string | null): FieldValue {
  if (s === null) return null;
  return isNumeric(type) ? Number(s) : s;
}

/** The extracted value of a field of the report or of item `idx` (undefined when there is no such item). */
function valueIn(x: Extraction, target: TargetKind, idx: number | null, field: string): FieldValue | undefined {
  if (target === 'report') return ((x.report as Record<string, unknown>)[field] ?? null) as FieldValue;
  const list: readonly object[] = target === 'project' ? x.projects : x.issues;
  const item = idx === null ? undefined : list[idx];
  return item ? (((item as Record<string, unknown>)[field] ?? null) as FieldValue) : undefined;
}

/** What identifies a project or issue across versions: its extracted name or text. */
function itemKey(x: Extraction, target: TargetKind, idx: number | null): string | null {
  if (idx === null) return null;
  return target === 'project' ? (x.projects[idx]?.name ?? null) : target === 'issue' ? (x.issues[idx]?.text ?? null) : null;
}

/** Where an override's item is in `x`: null for report fields, its index, or undefined when `x` has no such item. */
function locate(x: Extraction, o: Pick<OverrideRow, 'target' | 'item_idx' | 'item_key'>): number | null | undefined {
  if (o.target === 'report') return null;
  const keys = o.target === 'project' ? x.projects.map((p) => p.name) : x.issues.map((s) => s.text);
  // The same index when it still holds the item (names can repeat), else the first item of that name.
  if (o.item_idx !== null && keys[o.item_idx] === o.item_key) return o.item_idx;
  const at = keys.indexOf(o.item_key ?? '');
  return at >= 0 ? at : undefined;
}

/** Whether an override applies to extraction `x`, and where. */
function evaluate(x: Extraction, o: OverrideRow): { idx: number | null; current: FieldValue | undefined; applies: boolean } {
  const idx = locate(x, o);
  if (idx === undefined) return { idx: null, current: undefined, applies: false };
  const current = valueIn(x, o.target, idx, o.field);
  return { idx, current, applies: sameValue(decode(typeOf(o.target, o.field), o.extracted_value), current) };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading and writing

interface StoredReport {
  id: string;
  status: string;
  source: string;
  department: string | null;
  year: number | null;
  extraction: Extraction;
}

async function loadReport(db: DB, q: Query, id: string): Promise<StoredReport | null> {
  const [row] = await q.query<Omit<StoredReport, 'extraction'> & SourceRef>(
    `SELECT r.id, r.status, r.source, r.department, r.year, s.pack, s.pack_offset, s.size_bytes, s.extraction_size
     FROM reports r JOIN sources s ON s.id = r.id WHERE r.id = ?`,
    [id],
  );
  if (!row) return null;
  const { pack, pack_offset, size_bytes, extraction_size, ...fields } = row;
  return { ...fields, extraction: await sourceFiles(db).readExtraction({ id, pack, pack_offset, size_bytes, extraction_size }) };
}

async function currentReport(db: DB, tx: Tx, id: string): Promise<StoredReport> {
  const report = await loadReport(db, tx, id);
  if (!report) throw new ReviewError('NOT_FOUND', `未找到报告 ${id}`, `Report ${id} not found`);
  if (report.status !== 'current') {
    throw new ReviewError('CONFLICT', '该报告已被新版本替代，请在当前版本上复核', 'This report was superseded: review its current version');
  }
  return report;
}

interface AuditEntry {
  editor: string | null;
  action: AuditAction;
  report: Pick<StoredReport, 'id' | 'source' | 'department' | 'year'>;
  item?: Pick<OverrideRow, 'target' | 'item_idx' | 'item_key' | 'field'> & { id: string };
  old: string | null;
  new: string | null;
  reason: string | null;
}

async function writeAudit(tx: Tx, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const [{ seq }] = (await tx.query<{ seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM audit_log')) as [{ seq: number }];
  const at = new Date();
  await tx.append('audit_log', entries.map((e, i) => [
    seq + i + 1, at, e.editor, e.action, e.report.id, e.report.source, e.report.department, e.report.year,
    e.item?.target ?? null, e.item?.item_idx ?? null, e.item?.item_key ?? null, e.item?.field ?? null, e.old, e.new,
    e.reason, e.item?.id ?? null,
  ]));
}

function overrideCells(o: OverrideRow): (string | number | Date | null)[] {
  return [
    o.id, o.report_id, o.target, o.item_idx, o.item_key, o.field, o.extracted_value, o.value, o.status, o.editor, o.reason,
    new Date(o.created_at), o.origin_id,
  ];
}

/**
 * Corrects one field. Correcting a field again replaces its correction; correcting it back to the extracted value
 * reverts it. Refused for a superseded version, an unknown item, an invalid value or a value that changes nothing.
 */
export async function correct(db: DB, input: CorrectInput): Promise<{ overrideId: string | null; action: 'correct' | 'revert' }> {
  const { reportId, target, reason, editor } = input;
  const type = fieldType(target);
  const checked = checkValue(type, input.value, { required: target.kind === 'project' && target.field === 'name' });
  if (!checked.ok) throw new ReviewError('BAD_REQUEST', `修正值无效：${checked.zh}`, `Invalid value: ${checked.en}`);
  const value = checked.value;
  return db.transaction(async (tx) => {
    const report = await currentReport(db, tx, reportId);
    const x = report.extraction;
    const idx = target.kind === 'report' ? null : target.index;
    const extracted = valueIn(x, target.kind, idx, target.field);
    if (extracted === undefined) {
      const what = target.kind === 'project' ? ['项目', 'project'] : ['问题', 'issue'];
      throw new ReviewError('BAD_REQUEST', `报告中没有第 ${(idx ?? 0) + 1} 个${what[0]}`, `The report has no ${what[1]} #${(idx ?? 0) + 1}`);
    }
    if (target.kind === 'project' && target.name !== undefined && x.projects[target.index]!.name !== target.name) {
      throw new ReviewError('CONFLICT', '项目与页面显示的不一致，请刷新后重试', 'The project differs from the one shown: reload and try again');
    }
    const key = itemKey(x, target.kind, idx);
    const [existing] = await tx.query<OverrideRow>(
      `SELECT ${OVERRIDE_COLUMNS} FROM overrides WHERE report_id = ? AND target = ? AND item_idx IS NOT DISTINCT FROM ?
         AND item_key IS NOT DISTINCT FROM ? AND field = ? AND ${LIVE}`,
      [reportId, target.kind, idx, key, target.field],
    );
    const before = existing?.status === 'active' ? decode(type, existing.value) : extracted;
    if (sameValue(before, value)) throw new ReviewError('BAD_REQUEST', '新值与当前值相同', 'The new value is the same as the current one');
    const item = { target: target.kind, item_idx: idx, item_key: key, field: target.field };
    const backToExtracted = sameValue(value, extracted);
    if (existing) await tx.query('UPDATE overrides SET status = ? WHERE id = ?', [backToExtracted ? 'reverted' : 'replaced', existing.id]);
    if (existing && backToExtracted) {
      await writeAudit(tx, [{ editor, action: 'revert', report, item: { ...item, id: existing.id }, old: encode(before), new: encode(extracted), reason }]);
      return { overrideId: null, action: 'revert' as const };
    }
    const id = randomUUID();
    const row: OverrideRow = {
      id, report_id: reportId, ...item, extracted_value: encode(extracted), value: encode(value), status: 'active', editor,
      reason, created_at: new Date().toISOString(), origin_id: null,
    };
    await tx.append('overrides', [overrideCells(row)]);
    await writeAudit(tx, [{ editor, action: 'correct', report, item: { ...item, id }, old: encode(before), new: encode(value), reason }]);
    // New versions of this report must now look for corrections to carry (catalog.ts).
    tx.onCommit(() => {
      const catalog = cachedCatalog(db);
      if (catalog) catalog.liveOverrides = true;
    });
    return { overrideId: id, action: 'correct' as const };
  });
}

/** Undoes a correction (active or stale): the extracted value applies again. */
export async function revert(db: DB, { overrideId, reason, editor }: RevertInput): Promise<{ reportId: string }> {
  return db.transaction(async (tx) => {
    const [o] = await tx.query<OverrideRow>(`SELECT ${OVERRIDE_COLUMNS} FROM overrides WHERE id = ?`, [overrideId]);
    if (!o) throw new ReviewError('NOT_FOUND', '未找到该修正', 'Correction not found');
    if (o.status !== 'active' && o.status !== 'stale') {
      throw new ReviewError('CONFLICT', '该修正已撤销或已被新的修正取代', 'The correction was already reverted or replaced');
    }
    const report = await currentReport(db, tx, o.report_id);
    const current = o.target !== 'report' && o.item_idx === null ? null : valueIn(report.extraction, o.target, o.item_idx, o.field);
    await tx.query("UPDATE overrides SET status = 'reverted' WHERE id = ?", [o.id]);
    await writeAudit(tx, [{ editor, action: 'revert', report, item: o, old: o.value, new: encode(current), reason }]);
    return { reportId: o.report_id };
  });
}

/** Marks a report reviewed (已复核), with an optional note; marking again replaces the note. */
export async function markReviewed(db: DB, { reportId, editor, note }: MarkReviewedInput): Promise<{ state: ReviewState }> {
  return db.transaction(async (tx) => {
    const report = await currentReport(db, tx, reportId);
    const before = await stateOf(tx, reportId);
    await tx.query('DELETE FROM review_marks WHERE report_id = ?', [reportId]);
    await tx.append('review_marks', [[reportId, editor, note || null, new Date()]]);
    const after = await stateOf(tx, reportId);
    await writeAudit(tx, [{ editor, action: 'mark_reviewed', report, old: before, new: after, reason: note || null }]);
    return { state: after };
  });
}

async function stateOf(q: Query, reportId: string): Promise<ReviewState> {
  const [row] = await q.query<{ active: number; marked: number }>(
    `SELECT (SELECT count(*) FROM overrides WHERE report_id = $1 AND status = 'active') AS active,
            (SELECT count(*) FROM review_marks WHERE report_id = $1) AS marked`,
    [reportId],
  );
  return row!.active > 0 ? 'corrected' : row!.marked > 0 ? 'reviewed' : 'unreviewed';
}

/** The review of a report: state, mark, live corrections (stale ones included) and the corrected records. */
export async function getReview(db: DB, report: { id: string; extraction: Extraction }): Promise<ReviewInfo> {
  const x = report.extraction;
  const overrides = await db.query<OverrideRow>(
    `SELECT ${OVERRIDE_COLUMNS} FROM overrides WHERE report_id = ? AND ${LIVE} ORDER BY created_at, id`,
    [report.id],
  );
  const [mark] = await db.query<{ editor: string; note: string | null; marked_at: string }>(
    'SELECT editor, note, marked_at FROM review_marks WHERE report_id = ?',
    [report.id],
  );
  const corrections = overrides.map((o): Correction => {
    const type = typeOf(o.target, o.field);
    const missing = o.target !== 'report' && o.item_idx === null;
    return {
      id: o.id, target: o.target, index: o.item_idx, itemKey: o.item_key, field: o.field,
      extracted: decode(type, o.extracted_value),
      current: missing ? null : (valueIn(x, o.target, o.item_idx, o.field) ?? null),
      itemMissing: missing,
      value: decode(type, o.value), status: o.status as 'active' | 'stale', editor: o.editor, reason: o.reason,
      createdAt: o.created_at, carried: o.origin_id !== null,
    };
  });
  const active = corrections.filter((c) => c.status === 'active');
  return {
    state: active.length > 0 ? 'corrected' : mark ? 'reviewed' : 'unreviewed',
    mark: mark ? { editor: mark.editor, note: mark.note, markedAt: mark.marked_at } : null,
    corrections,
    corrected: applyCorrections(x, active),
  };
}

/** The report, projects and issues of `x` with `corrections` applied (the computed rate follows corrected amounts). */
export function applyCorrections(x: Extraction, corrections: readonly Correction[]): ReviewInfo['corrected'] {
  const report = { ...x.report } as Record<string, unknown>;
  const projects = x.projects.map((p) => ({ ...p }) as Record<string, unknown>);
  const issues = x.issues.map((s) => ({ ...s }) as Record<string, unknown>);
  for (const c of corrections) {
    const item = c.target === 'report' ? report : c.index === null ? undefined : (c.target === 'project' ? projects : issues)[c.index];
    if (item) item[c.field] = c.value;
  }
  if (corrections.some((c) => c.target === 'report' && (c.field === 'budget_wan' || c.field === 'spent_wan'))) {
    report.execution_rate_computed_pct = computedRate(report.spent_wan as number | null, report.budget_wan as number | null);
  }
  return { report, projects, issues } as unknown as ReviewInfo['corrected'];
}

// ---------------------------------------------------------------------------------------------------------------
// New versions and re-extraction

/**
 * Copies the live corrections of each new report's previous version (same department, year and kind: `previous`, as
 * the ingest writer knows it) onto it, active where they still apply and stale where not; called inside the ingest
 * transaction, `items` in ingestion order (a previous version may be an earlier item of the same call).
 */
export async function carryOverrides(
  tx: Tx,
  items: readonly { id: string; extraction: Extraction; previous: string | null }[],
): Promise<void> {
  const previous = [...new Set(items.flatMap((i) => i.previous ?? []))];
  if (previous.length === 0) return;
  /** Live corrections by report: the stored ones, then those this call gives to its items. */
  const live = new Map<string, OverrideRow[]>();
  // One bound list, not a `?` per id: binding hundreds of parameters cost DuckDB ~90 ms per group.
  for (const o of await tx.query<OverrideRow>(
    `SELECT ${OVERRIDE_COLUMNS} FROM overrides WHERE report_id IN ${IN_LIST} AND ${LIVE}
     ORDER BY created_at, id`,
    [listValue(previous)],
  )) {
    live.set(o.report_id, [...(live.get(o.report_id) ?? []), o]);
  }
  const rows: OverrideRow[] = [];
  const audit: AuditEntry[] = [];
  for (const item of items) {
    const carried = item.previous === null ? undefined : live.get(item.previous);
    if (!carried?.length) continue;
    const r = item.extraction.report;
    const report = { id: item.id, source: r.source, department: r.department, year: r.year };
    const copies: OverrideRow[] = [];
    for (const o of carried) {
      const { idx, current, applies } = evaluate(item.extraction, o);
      const row: OverrideRow = {
        ...o, id: randomUUID(), report_id: item.id, item_idx: idx, status: applies ? 'active' : 'stale', origin_id: o.origin_id ?? o.id,
      };
      copies.push(row);
      // A correction that was already stale and stays stale is copied quietly.
      if (o.status === 'active' || applies) audit.push(transition(row, report, applies, current));
    }
    rows.push(...copies);
    // In the order a query of the stored rows would give them, should a later item of this call carry them on.
    live.set(item.id, copies.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : 1)));
  }
  await tx.append('overrides', rows.map(overrideCells));
  await writeAudit(tx, audit);
}

/** Re-checks the live corrections of re-extracted reports (same files, new extractor), inside its transaction. */
export async function reconcileOverrides(tx: Tx, items: readonly { id: string; extraction: Extraction }[]): Promise<void> {
  if (items.length === 0) return;
  const byId = new Map(items.map((i) => [i.id, i.extraction]));
  const live = await tx.query<OverrideRow>(
    `SELECT ${OVERRIDE_COLUMNS} FROM overrides WHERE report_id IN (${items.map(() => '?').join(', ')}) AND ${LIVE}
     ORDER BY created_at, id`,
    items.map((i) => i.id),
  );
  const audit: AuditEntry[] = [];
  for (const o of live) {
    const x = byId.get(o.report_id)!;
    const { idx, current, applies } = evaluate(x, o);
    const status = applies ? 'active' : 'stale';
    if (status === o.status && idx === o.item_idx) continue;
    await tx.query('UPDATE overrides SET status = ?, item_idx = ? WHERE id = ?', [status, idx, o.id]);
    if (status !== o.status) {
      const r = x.report;
      audit.push(transition({ ...o, item_idx: idx }, { id: o.report_id, source: r.source, department: r.department, year: r.year }, applies, current));
    }
  }
  await writeAudit(tx, audit);
}

/**
 * The audit entry of a correction carried to a version: applied (the published value goes from the extracted value to
 * the correction) or stale (the published value is the new extracted value, the correction no longer applies).
 */
function transition(o: OverrideRow, report: AuditEntry['report'], applies: boolean, current: FieldValue | undefined): AuditEntry {
  return applies
    ? { editor: null, action: 'carry', report, item: o, old: encode(current), new: o.value, reason: o.reason }
    : { editor: null, action: 'stale', report, item: o, old: o.value, new: encode(current), reason: o.reason };
}

// ---------------------------------------------------------------------------------------------------------------
// Published tables, queue and audit

const SQL_TYPE: Record<FieldType, string> = {
  money: 'DOUBLE', percent: 'DOUBLE', score: 'DOUBLE', year: 'INTEGER', text: 'VARCHAR', grade: 'VARCHAR', kind: 'VARCHAR',
  category: 'VARCHAR',
};

/** Active corrections of one target pivoted to a row per report (or per report item): `has_<field>` and `<field>`. */
function pivot(target: TargetKind, byItem: boolean): string {
  const cols = Object.entries(FIELDS[target]).flatMap(([f, type]) => [
    `bool_or(field = '${f}') AS "has_${f}"`,
    `max(TRY_CAST(value AS ${SQL_TYPE[type]})) FILTER (WHERE field = '${f}') AS "${f}"`,
  ]);
  return `SELECT report_id${byItem ? ', item_idx' : ''}, ${cols.join(', ')}
    FROM overrides WHERE status = 'active' AND target = '${target}' GROUP BY ALL`;
}

const fix = (alias: string, f: string) => `CASE WHEN c."has_${f}" THEN c."${f}" ELSE ${alias}."${f}" END`;
const replace = (alias: string, target: TargetKind) => Object.keys(FIELDS[target]).map((f) => `${fix(alias, f)} AS "${f}"`);

/**
 * A table of the store as published: `reports`, `projects` and `issues` with the active corrections applied (reports
 * also get `review_state`, `correction_count`, `stale_count`, `reviewed_by`, `reviewed_at`), other tables as they are.
 * SQL for a FROM clause.
 */
export function correctedSource(table: string): string {
  if (table === 'reports') {
    const budget = fix('r', 'budget_wan');
    const spent = fix('r', 'spent_wan');
    return `(SELECT r.* REPLACE (${replace('r', 'report').join(', ')},
        CASE WHEN c.has_budget_wan OR c.has_spent_wan
          THEN CASE WHEN ${budget} > 0 AND ${spent} IS NOT NULL THEN round(${spent} / ${budget} * 100, 2) END
          ELSE r.execution_rate_computed_pct END AS execution_rate_computed_pct,
        CASE WHEN coalesce(k.active, 0) > 0 THEN 'corrected' WHEN m.report_id IS NOT NULL THEN 'reviewed'
          ELSE 'unreviewed' END AS review_state),
      CAST(coalesce(k.active, 0) AS INTEGER) AS correction_count, CAST(coalesce(k.stale, 0) AS INTEGER) AS stale_count,
      m.editor AS reviewed_by, m.marked_at AS reviewed_at
      FROM reports r
      LEFT JOIN (${pivot('report', false)}) c ON c.report_id = r.id
      LEFT JOIN (SELECT report_id, count(*) FILTER (WHERE status = 'active') AS active,
          count(*) FILTER (WHERE status = 'stale') AS stale
        FROM overrides WHERE ${LIVE} GROUP BY report_id) k ON k.report_id = r.id
      LEFT JOIN review_marks m ON m.report_id = r.id)`;
  }
  if (table === 'projects' || table === 'issues') {
    const target = table === 'projects' ? 'project' : 'issue';
    return `(SELECT t.* REPLACE (${replace('t', target).join(', ')}) FROM ${table} t
      LEFT JOIN (${pivot(target, true)}) c ON c.report_id = t.report_id AND c.item_idx = t.idx)`;
  }
  return `"${table}"`;
}

/**
 * How much a report needs checking: stale corrections always count; until it is marked reviewed, also its flags,
 * low-confidence fields and the review itself.
 */
const NEED = `stale_count * 5 + CASE WHEN reviewed_by IS NULL THEN flag_count * 3 + low_confidence_count * 2 + 1 ELSE 0 END`;

/** Current reports ranked by how much needs checking, under the dashboard's filters (on corrected values). */
export async function reviewQueue(db: DB, raw: QueueInput): Promise<{ total: number; rows: QueueRow[] }> {
  const input = QueueInput.parse(raw);
  const where = ["status = 'current'"];
  const params: Params = [];
  if (input.years.length) {
    where.push(`year IN (${input.years.map(() => '?').join(', ')})`);
    params.push(...input.years);
  }
  const eq = { province: input.province, city: input.city, county: input.county, department_kind: input.departmentKind, kind: input.kind, review_state: input.state };
  for (const [column, value] of Object.entries(eq)) {
    if (value == null) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  const from = `(SELECT *, ${NEED} AS need FROM ${correctedSource('reports')} q) r WHERE ${where.join(' AND ')}`;
  const [{ total }] = (await db.query<{ total: number }>(`SELECT count(*) AS total FROM ${from}`, params)) as [{ total: number }];
  const rows = await db.query<QueueRow>(
    `SELECT id AS report_id, title, source, department, year, province, city, county, kind, review_state, flag_count,
       low_confidence_count, correction_count, stale_count, reviewed_by,
       -- As text: db.ts cannot convert a NULL timestamp (JSDuckDBValueConverter gives null, then .toISOString()).
       strftime(reviewed_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS reviewed_at, need
     FROM ${from} ORDER BY need DESC, year DESC NULLS LAST, seq DESC LIMIT ? OFFSET ?`,
    [...params, input.limit, input.offset],
  );
  return { total, rows };
}

/** The audit trail, newest first, one page at a time. */
export async function auditLog(db: DB, input: AuditInput): Promise<{ total: number; rows: AuditRow[] }> {
  const where: string[] = [];
  const params: Params = [];
  if (input.reportId) {
    where.push('report_id = ?');
    params.push(input.reportId);
  }
  if (input.action) {
    where.push('action = ?');
    params.push(input.action);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [{ total }] = (await db.query<{ total: number }>(`SELECT count(*) AS total FROM audit_log ${clause}`, params)) as [{ total: number }];
  const rows = await db.query<AuditRow & Row>(
    `SELECT seq, changed_at, editor, action, report_id, source, department, year, target, item_idx, item_key, field, old_value,
       new_value, reason
     FROM audit_log ${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`,
    [...params, input.limit ?? 50, input.offset ?? 0],
  );
  return { total, rows };
}
