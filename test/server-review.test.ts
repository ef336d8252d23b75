/**
 * Review end to end through the API: a real server on a random port, the real tRPC client, the published Parquet read
 * back with DuckDB. Corrections, re-ingesting (same file, newer versions), reverts, review marks, the queue, the audit
 * trail and its CSV, and the editor token.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditCsv } from '../client/src/views/audit/audit-csv.ts';
import { migrate } from '../server/store/migrate.ts';
import { openDB } from '../server/store/db.ts';
import {
  createClient,
  expectTRPCError,
  form,
  readPublished,
  seedFiles,
  startTestServer,
  tempDir,
  TOKEN,
} from './server-helpers.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let editor: ReturnType<typeof createClient>;
let viewer: ReturnType<typeof createClient>;

const seeds = seedFiles();
/** 乐山市金口河区医疗保障局 2025: execution rate 90.52 stated once in the text, score 94.17. */
const leshan = seeds.find((s) => s.name.startsWith('001_'))!;
/** 承德市医疗保障局 2023 project evaluation: 11 projects, 4 issues, 2 flags. */
const chengde = seeds.find((s) => s.name.startsWith('004_'))!;
/** 合水县医疗保障局 2024: one flag, no low-confidence field. */
const heshui = seeds.find((s) => s.name.startsWith('003_'))!;

const ids: Record<string, string> = {};

/** The same report with a line appended: a newer version whose extracted figures are unchanged. */
function appended(bytes: Uint8Array, note: string): Uint8Array {
  return new Uint8Array([...bytes, ...new TextEncoder().encode(`\n${note}\n`)]);
}

/** The same report with the stated execution rate changed: a newer version that extracts another rate. */
function restated(bytes: Uint8Array, rate: string): Uint8Array {
  const text = new TextDecoder().decode(bytes);
  expect(text).toContain('执行率为 90.52%');
  return new TextEncoder().encode(text.replace('执行率为 90.52%', `执行率为 ${rate}%`));
}

async function upload(name: string, bytes: Uint8Array) {
  const [result] = await editor.reports.upload.mutate(form({ name, bytes }));
  expect(result!.ok, JSON.stringify(result)).toBe(true);
  return result!;
}

async function published(table: string, sql: string) {
  const manifest = await viewer.dataset.manifest.query();
  return readPublished(server.url, manifest.tables.find((t) => t.name === table)!.url, sql);
}

async function publishedReport(id: string) {
  const [row] = await published('reports', `SELECT * FROM t WHERE report_id = '${id}'`);
  return row!;
}

beforeAll(async () => {
  server = await startTestServer();
  editor = createClient(server.url, TOKEN);
  viewer = createClient(server.url);
  for (const f of [leshan, chengde, heshui]) ids[f.name] = (await upload(f.name, f.bytes)).id!;
});
afterAll(() => server.dispose());

describe('a fresh store', () => {
  test('publishes every report unreviewed, with its counts of flags and low-confidence fields', async () => {
    const rows = await published('reports', 'SELECT report_id, review_state, flag_count, low_confidence_count, correction_count FROM t');
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r).toMatchObject({ review_state: 'unreviewed', correction_count: 0 });
    const by = (f: { name: string }) => rows.find((r) => r.report_id === ids[f.name])!;
    expect(by(leshan)).toMatchObject({ low_confidence_count: 1, flag_count: 0 }); // the grade is derived from the score
    expect(by(chengde)).toMatchObject({ flag_count: 2 });
    expect(by(heshui)).toMatchObject({ low_confidence_count: 0, flag_count: 1 });
  });
});

describe('corrections', () => {
  test('a correction changes the published value; reports.get shows the extracted and the corrected value', async () => {
    const id = ids[leshan.name]!;
    const before = (await viewer.dataset.manifest.query()).version;
    const result = await editor.review.correct.mutate({
      reportId: id,
      target: { kind: 'report', field: 'execution_rate_pct' },
      value: 75,
      reason: '核对决算表，执行率应为 75%',
      editor: '张三',
    });
    expect(result).toMatchObject({ action: 'correct' });
    expect(result.version).not.toBe(before);
    expect(await publishedReport(id)).toMatchObject({ execution_rate_pct: 75, review_state: 'corrected', correction_count: 1 });

    const report = await viewer.reports.get.query({ id });
    expect(report.extraction.report.execution_rate_pct).toBe(90.52);
    expect(report.review.corrected.report.execution_rate_pct).toBe(75);
    expect(report.review_state).toBe('corrected');
    expect(report.review.corrections).toEqual([
      expect.objectContaining({
        target: 'report', field: 'execution_rate_pct', extracted: 90.52, current: 90.52, value: 75, status: 'active',
        editor: '张三', reason: '核对决算表，执行率应为 75%', carried: false,
      }),
    ]);
  });

  test('a project figure and an issue category are corrected in the published projects and issues', async () => {
    const id = ids[chengde.name]!;
    const report = await viewer.reports.get.query({ id });
    const idx = report.extraction.projects.findIndex((p) => p.name === '2023年度省级困难群众补助医疗救助项目');
    expect(idx).toBeGreaterThanOrEqual(0);
    await editor.review.correct.mutate({
      reportId: id,
      target: { kind: 'project', index: idx, name: report.extraction.projects[idx]!.name, field: 'execution_rate_pct' },
      value: 40,
      reason: '原文“4%”漏录一位',
      editor: '李四',
    });
    await editor.review.correct.mutate({
      reportId: id, target: { kind: 'issue', index: 1, field: 'category' }, value: 'MANAGEMENT', reason: '属于管理问题', editor: '李四',
    });
    const [project] = await published('projects', `SELECT execution_rate_pct, mismatch FROM t WHERE report_id = '${id}' AND idx = ${idx}`);
    expect(project).toMatchObject({ execution_rate_pct: 40, mismatch: true });
    // The report's list of project rates (what the overview counts low-execution projects from) carries it too.
    const rates = await published('projects', `SELECT execution_rate_pct AS r FROM t WHERE report_id = '${id}' AND execution_rate_pct IS NOT NULL ORDER BY idx`);
    const [listed] = await published('reports', `SELECT project_rates FROM t WHERE report_id = '${id}'`);
    expect(rates.length).toBeGreaterThan(1);
    expect(listed!.project_rates).toEqual(rates.map((x) => x.r));
    const issues = await published('issues', `SELECT idx, category FROM t WHERE report_id = '${id}' ORDER BY idx`);
    expect(issues.map((r) => r.category)).toEqual(['EXEC_SLOW', 'MANAGEMENT', 'TARGET_SETTING', 'TARGET_MISSED']);
    expect(await publishedReport(id)).toMatchObject({ review_state: 'corrected', correction_count: 2 });
  });

  test('invalid corrections are refused with a reason, in both languages', async () => {
    const reportId = ids[leshan.name]!;
    const base = { reportId, reason: '核对', editor: '张三' };
    await expectTRPCError(
      editor.review.correct.mutate({ ...base, target: { kind: 'report', field: 'score' }, value: 150 }),
      'BAD_REQUEST', /修正值无效：数值应在 0–100 之间 \/ Invalid value: the value must be between 0 and 100/,
    );
    await expectTRPCError(
      editor.review.correct.mutate({ ...base, target: { kind: 'report', field: 'grade' }, value: '很好' }),
      'BAD_REQUEST', /可选值/,
    );
    await expectTRPCError(
      editor.review.correct.mutate({ ...base, reason: '  ', target: { kind: 'report', field: 'score' }, value: 90 }),
      'BAD_REQUEST', /reason required/,
    );
    await expectTRPCError(
      editor.review.correct.mutate({ ...base, editor: '', target: { kind: 'report', field: 'score' }, value: 90 }),
      'BAD_REQUEST', /editor name required/,
    );
    await expectTRPCError(
      editor.review.correct.mutate({ ...base, target: { kind: 'project', index: 99, field: 'score' }, value: 90 }),
      'BAD_REQUEST', /报告中没有第 100 个项目/,
    );
    await expectTRPCError(
      editor.review.correct.mutate({ ...base, target: { kind: 'report', field: 'execution_rate_pct' }, value: 75 }),
      'BAD_REQUEST', /新值与当前值相同/,
    );
  });

  test('viewers and wrong tokens cannot correct, revert or mark: UNAUTHORIZED, nothing changes', async () => {
    const reportId = ids[heshui.name]!;
    const [{ id: overrideId }] = (await server.store.db.query<{ id: string }>("SELECT id FROM overrides WHERE status = 'active' LIMIT 1")) as [{ id: string }];
    const count = async () => (await server.store.db.query<{ n: number }>('SELECT (SELECT count(*) FROM overrides) + (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM review_marks) AS n'))[0]!.n;
    const before = await count();
    const version = (await viewer.dataset.manifest.query()).version;
    for (const client of [viewer, createClient(server.url, 'not-the-token')]) {
      await expectTRPCError(
        client.review.correct.mutate({ reportId, target: { kind: 'report', field: 'score' }, value: 80, reason: 'x', editor: '王五' }),
        'UNAUTHORIZED', /未授权：需要编辑令牌/,
      );
      await expectTRPCError(client.review.revert.mutate({ overrideId, reason: 'x', editor: '王五' }), 'UNAUTHORIZED');
      await expectTRPCError(client.review.markReviewed.mutate({ reportId, editor: '王五' }), 'UNAUTHORIZED');
      await expectTRPCError(client.review.checkToken.query(), 'UNAUTHORIZED');
    }
    expect(await count()).toBe(before);
    expect((await viewer.dataset.manifest.query()).version).toBe(version);
    expect(await editor.review.checkToken.query()).toEqual({ editor: true });
  });
});

describe('re-ingesting', () => {
  test('the same file again keeps the correction', async () => {
    const [result] = await editor.reports.upload.mutate(form({ name: 'again.txt', bytes: leshan.bytes }));
    expect(result).toMatchObject({ status: 'duplicate', id: ids[leshan.name] });
    expect(await publishedReport(ids[leshan.name]!)).toMatchObject({ execution_rate_pct: 75, review_state: 'corrected' });
  });

  let v2: string;
  test('a newer version with the same extracted value carries the correction over', async () => {
    const result = await upload('乐山修订版.txt', appended(leshan.bytes, '（修订版）'));
    expect(result.status).toBe('superseded_older');
    v2 = result.id!;
    const rows = await published('reports', `SELECT report_id, execution_rate_pct, review_state FROM t WHERE department LIKE '乐山%'`);
    expect(rows).toEqual([{ report_id: v2, execution_rate_pct: 75, review_state: 'corrected' }]);
    const report = await viewer.reports.get.query({ id: v2 });
    expect(report.review.corrections).toEqual([
      expect.objectContaining({ field: 'execution_rate_pct', value: 75, status: 'active', editor: '张三', carried: true }),
    ]);
    const { rows: audit } = await viewer.review.audit.query({ reportId: v2 });
    expect(audit).toEqual([expect.objectContaining({ action: 'carry', editor: null, field: 'execution_rate_pct', old_value: '90.52', new_value: '75' })]);
  });

  test('a newer version whose extracted value changed shows the correction as stale and does not apply it', async () => {
    // A second correction on v2 (score) that the next version leaves alone.
    await editor.review.correct.mutate({
      reportId: v2, target: { kind: 'report', field: 'score' }, value: 93, reason: '扣分项漏计', editor: '张三',
    });
    const result = await upload('乐山第三版.txt', appended(restated(leshan.bytes, '88.10'), '（第三版）'));
    expect(result.status).toBe('superseded_older');
    const v3 = result.id!;
    expect(await publishedReport(v3)).toMatchObject({ execution_rate_pct: 88.1, score: 93, review_state: 'corrected', correction_count: 1 });

    const report = await viewer.reports.get.query({ id: v3 });
    expect(report.review.corrected.report).toMatchObject({ execution_rate_pct: 88.1, score: 93 });
    const by = (field: string) => report.review.corrections.find((c) => c.field === field);
    expect(by('execution_rate_pct')).toMatchObject({ status: 'stale', extracted: 90.52, current: 88.1, value: 75, carried: true });
    expect(by('score')).toMatchObject({ status: 'active', extracted: 94.17, current: 94.17, value: 93 });
    const { rows: audit } = await viewer.review.audit.query({ reportId: v3 });
    expect(audit.map((a) => [a.action, a.field, a.old_value, a.new_value])).toEqual(expect.arrayContaining([
      ['stale', 'execution_rate_pct', '75', '88.1'],
      ['carry', 'score', '94.17', '93'],
    ]));
    ids.v3 = v3;

    // The queue puts the report with a stale correction first.
    const queue = await viewer.review.queue.query({});
    expect(queue.total).toBe(3);
    expect(queue.rows[0]).toMatchObject({ report_id: v3, stale_count: 1, correction_count: 1, review_state: 'corrected' });
  });

  test('re-running the extractor keeps the corrections and re-checks them', async () => {
    await server.store.reextract();
    const report = await viewer.reports.get.query({ id: ids.v3! });
    expect(report.review.corrections.map((c) => [c.field, c.status])).toEqual(
      expect.arrayContaining([['execution_rate_pct', 'stale'], ['score', 'active']]),
    );
    expect(await publishedReport(ids.v3!)).toMatchObject({ execution_rate_pct: 88.1, score: 93 });
  });
});

describe('reverting and marking reviewed', () => {
  test('reverting a stale correction removes it from the list; reverting an active one restores the extracted value', async () => {
    const id = ids.v3!;
    const corrections = (await viewer.reports.get.query({ id })).review.corrections;
    const stale = corrections.find((c) => c.status === 'stale')!;
    const active = corrections.find((c) => c.status === 'active')!;
    await editor.review.revert.mutate({ overrideId: stale.id, reason: '新版本已改正', editor: '赵六' });
    await editor.review.revert.mutate({ overrideId: active.id, reason: '复核后原值无误', editor: '赵六' });
    await expectTRPCError(editor.review.revert.mutate({ overrideId: active.id, reason: '再次', editor: '赵六' }), 'CONFLICT', /已撤销/);
    expect((await viewer.reports.get.query({ id })).review.corrections).toEqual([]);
    expect(await publishedReport(id)).toMatchObject({ execution_rate_pct: 88.1, score: 94.17, review_state: 'unreviewed', correction_count: 0 });
  });

  test('marking reviewed publishes 已复核 and takes the report down the queue', async () => {
    const id = ids.v3!;
    const result = await editor.review.markReviewed.mutate({ reportId: id, editor: '赵六', note: '已与原文逐项核对' });
    expect(result.state).toBe('reviewed');
    expect(await publishedReport(id)).toMatchObject({ review_state: 'reviewed' });
    const report = await viewer.reports.get.query({ id });
    expect(report.review.mark).toMatchObject({ editor: '赵六', note: '已与原文逐项核对' });
    const queue = await viewer.review.queue.query({});
    expect(queue.rows.at(-1)).toMatchObject({ report_id: id, need: 0, reviewed_by: '赵六' });
    // Filters: the state and a province.
    expect((await viewer.review.queue.query({ state: 'reviewed' })).rows.map((r) => r.report_id)).toEqual([id]);
    expect((await viewer.review.queue.query({ province: '甘肃省' })).rows.map((r) => r.report_id)).toEqual([ids[heshui.name]]);
    expect((await viewer.review.queue.query({ years: [2023] })).rows.map((r) => r.report_id)).toEqual([ids[chengde.name]]);
  });

  test('the queue ranks by need: flags and low-confidence fields count until the report is reviewed', async () => {
    const { rows } = await viewer.review.queue.query({});
    const needs = rows.map((r) => r.need);
    expect(needs).toEqual([...needs].sort((a, b) => b - a));
    const by = (id: string) => rows.find((r) => r.report_id === id)!;
    // 承德: 2 flags × 3 + 1 unreviewed; 合水: 1 flag × 3 + 1.
    expect(by(ids[chengde.name]!)).toMatchObject({ flag_count: 2, need: 7 });
    expect(by(ids[heshui.name]!)).toMatchObject({ flag_count: 1, low_confidence_count: 0, need: 4 });
  });

  test('a superseded version cannot be corrected', async () => {
    await expectTRPCError(
      editor.review.correct.mutate({ reportId: ids[leshan.name]!, target: { kind: 'report', field: 'score' }, value: 90, reason: 'x', editor: '张三' }),
      'CONFLICT', /已被新版本替代/,
    );
  });
});

describe('the audit trail', () => {
  test('lists who, when, old and new values and the reason, newest first, page by page', async () => {
    const all = await viewer.review.audit.query({ limit: 1000 });
    expect(all.total).toBe(all.rows.length);
    const seqs = all.rows.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(all.rows[0]).toMatchObject({ action: 'mark_reviewed', editor: '赵六', reason: '已与原文逐项核对', old_value: 'unreviewed', new_value: 'reviewed' });
    const first = all.rows.find((r) => r.action === 'correct' && r.field === 'execution_rate_pct' && r.report_id === ids[leshan.name]);
    expect(first).toMatchObject({ editor: '张三', old_value: '90.52', new_value: '75', reason: '核对决算表，执行率应为 75%', department: '乐山市金口河区医疗保障局', year: 2025 });
    expect(Date.parse(first!.changed_at)).toBeGreaterThan(Date.now() - 10 * 60_000);
    const reverts = all.rows.filter((r) => r.action === 'revert');
    expect(reverts.map((r) => [r.editor, r.field, r.old_value, r.new_value, r.reason])).toEqual([
      ['赵六', 'score', '93', '94.17', '复核后原值无误'],
      ['赵六', 'execution_rate_pct', '75', '88.1', '新版本已改正'],
    ]);

    const page1 = await viewer.review.audit.query({ limit: 3, offset: 0 });
    const page2 = await viewer.review.audit.query({ limit: 3, offset: 3 });
    expect(page1.total).toBe(all.total);
    expect([...page1.rows, ...page2.rows].map((r) => r.seq)).toEqual(seqs.slice(0, 6));
    expect((await viewer.review.audit.query({ action: 'stale' })).rows.map((r) => r.action)).toEqual(['stale']);
  });

  test('the CSV has a BOM, the columns in Chinese, and formulas neutralised', async () => {
    await editor.review.correct.mutate({
      reportId: ids[heshui.name]!, target: { kind: 'report', field: 'department' }, value: '合水县医疗保障局（本级）',
      reason: '=HYPERLINK("http://evil")', editor: '@admin',
    });
    const { rows } = await viewer.review.audit.query({ limit: 1000 });
    const csv = auditCsv(rows, 'zh');
    expect(csv.startsWith('\ufeff时间,操作人,操作,部门,年度,对象,原值,新值,原因 / 备注,文件,报告编号\r\n')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(rows.length + 1);
    expect(lines[1]).toContain(`'@admin,修正,合水县医疗保障局,2024,部门,合水县医疗保障局,合水县医疗保障局（本级）,"'=HYPERLINK(""http://evil"")"`);
    expect(csv).toContain('张三,修正,乐山市金口河区医疗保障局,2025,执行率,90.5%,75.0%,核对决算表，执行率应为 75%');
    expect(csv).toContain('系统,修正沿用至新版本');
  });
});

describe('an older store', () => {
  test('is upgraded: reports unreviewed, low-confidence fields counted from the stored extraction', async () => {
    const dir = tempDir('review-migrate-');
    const db = await openDB(`${dir.path}/store.duckdb`);
    try {
      await migrate(db, 1);
      const extraction = JSON.stringify({ report: { spans: { score: { start: 0, end: 2 } }, confidence: { score: 'low', grade: 'low', budget_wan: 'high' } }, text: '"confidence":{"x":"low"}' });
      await db.transaction(async (tx) => {
        await tx.query("INSERT INTO sources VALUES ('a', 'a.txt', 'txt', 1, '\\x00'::BLOB, ?, 1, now())", [extraction]);
        await tx.query("INSERT INTO reports (id, seq, status, review_state, ingested_at, source, format, kind, project_count, issue_count, flag_count) VALUES ('a', 1, 'current', 'needs_review', now(), 'a.txt', 'txt', 'project', 0, 0, 0)");
      });
      await migrate(db);
      expect(await db.query('SELECT review_state, low_confidence_count FROM reports')).toEqual([{ review_state: 'unreviewed', low_confidence_count: 2 }]);
      expect(await db.query('SELECT count(*) AS n FROM overrides')).toEqual([{ n: 0 }]);
    } finally {
      await db.close();
      dir.dispose();
    }
  });
});
