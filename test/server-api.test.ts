/** The tRPC API end to end: a real server on a random port, the real client, the published Parquet read back. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createClient,
  expectTRPCError,
  form,
  readPublished,
  revised,
  seedFiles,
  startTestServer,
  storeFingerprint,
  TOKEN,
} from './server-helpers.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let editor: ReturnType<typeof createClient>;
let viewer: ReturnType<typeof createClient>;
const [first, second] = seedFiles();

beforeAll(async () => {
  server = await startTestServer();
  editor = createClient(server.url, TOKEN);
  viewer = createClient(server.url);
});
afterAll(() => server.dispose());

async function publishedReports(): Promise<{ report_id: string; department: string | null; year: number | null }[]> {
  const manifest = await viewer.dataset.manifest.query();
  const table = manifest.tables.find((t) => t.name === 'reports')!;
  return (await readPublished(server.url, table.url, 'SELECT report_id, department, year FROM t')) as never;
}

describe('reading', () => {
  test('health, the empty manifest and the taxonomy', async () => {
    expect(await viewer.health.query()).toMatchObject({ ok: true, reports: 0 });
    const manifest = await viewer.dataset.manifest.query();
    expect(manifest.version).toMatch(/^[0-9a-f]{16}$/);
    expect(manifest.tables.map((t) => t.name).sort()).toEqual(['flags', 'indicators', 'issues', 'projects', 'reports']);
    for (const t of manifest.tables) {
      expect(t).toMatchObject({ rows: 0, url: `/data/${manifest.version}/${t.name}.parquet` });
      expect(t.bytes).toBeGreaterThan(0);
    }
    const taxonomy = await viewer.taxonomy.list.query();
    expect(taxonomy.categories.find((c) => c.code === 'EXEC_SLOW')).toMatchObject({ zh: '预算执行进度慢' });
  });

  test('an unknown report is NOT_FOUND and a malformed id is BAD_REQUEST, in both languages', async () => {
    await expectTRPCError(viewer.reports.get.query({ id: 'f'.repeat(64) }), 'NOT_FOUND', /未找到报告.* \/ Report .* not found/);
    await expectTRPCError(viewer.reports.get.query({ id: '../../etc/passwd' }), 'BAD_REQUEST', /输入无效 \/ Invalid input/);
  });
});

describe('uploading', () => {
  let firstId: string;

  test('an upload adds the report and publishes a new version holding its rows', async () => {
    const before = await viewer.dataset.manifest.query();
    const [result] = await editor.reports.upload.mutate(form(first!));
    expect(result).toMatchObject({ name: first!.name, ok: true, status: 'added' });
    expect(result!.id).toMatch(/^[0-9a-f]{64}$/);
    firstId = result!.id!;

    const after = await viewer.dataset.manifest.query();
    expect(after.version).not.toBe(before.version);
    expect(after.tables.find((t) => t.name === 'reports')!.rows).toBe(1);
    const rows = await publishedReports();
    expect(rows.map((r) => r.report_id)).toEqual([firstId]);
    expect(rows[0]!.department).toBeTruthy();
    expect(await viewer.health.query()).toMatchObject({ reports: 1, version: after.version });
  });

  test('reports.get returns the extraction, its normalised text and spans, status and history', async () => {
    const report = await viewer.reports.get.query({ id: firstId });
    expect(report).toMatchObject({ id: firstId, source: first!.name, status: 'current', format: 'txt' });
    expect(report.extraction.report.id).toBe(firstId);
    expect(report.extraction.text).toContain(report.extraction.report.department!);
    for (const span of Object.values(report.extraction.report.spans)) {
      expect(span.end).toBeLessThanOrEqual(report.extraction.text.length);
    }
    expect(report.history.map((v) => v.id)).toEqual([firstId]);
  });

  test('uploading the same file again is idempotent: same id, no new rows, same version', async () => {
    const before = await viewer.dataset.manifest.query();
    const [result] = await editor.reports.upload.mutate(form({ ...first!, name: 'renamed copy.txt' }));
    expect(result).toMatchObject({ ok: true, status: 'duplicate', id: firstId });
    expect((await viewer.dataset.manifest.query()).version).toBe(before.version);
    expect((await publishedReports()).filter((r) => r.report_id === firstId)).toHaveLength(1);
    expect(await server.store.db.query('SELECT id FROM reports')).toHaveLength(1);
  });

  test('a newer file for the same department, year and kind supersedes the older, which stays in history', async () => {
    const newer = { name: 'revised.txt', bytes: revised(first!.bytes, '（修订版）') };
    const [result] = await editor.reports.upload.mutate(form(newer));
    expect(result).toMatchObject({ ok: true, status: 'superseded_older' });
    const newerId = result!.id!;

    const history = await viewer.reports.history.query({ id: firstId });
    expect(history.map((v) => [v.id, v.status])).toEqual([
      [newerId, 'current'],
      [firstId, 'superseded'],
    ]);
    expect((await viewer.reports.get.query({ id: firstId })).status).toBe('superseded');
    // Only current reports are published.
    expect((await publishedReports()).map((r) => r.report_id)).toEqual([newerId]);

    // Removing the newer one makes the older current again.
    const removed = await editor.reports.remove.mutate({ id: newerId });
    expect(removed).toMatchObject({ id: newerId, removed: true });
    expect((await publishedReports()).map((r) => r.report_id)).toEqual([firstId]);
    expect((await viewer.reports.history.query({ id: firstId })).map((v) => [v.id, v.status])).toEqual([[firstId, 'current']]);
    await expectTRPCError(viewer.reports.get.query({ id: newerId }), 'NOT_FOUND');
  });

  test('bad files get a clear per-file error and leave the store exactly as it was', async () => {
    const before = await storeFingerprint(server);
    const version = (await viewer.dataset.manifest.query()).version;
    const results = await editor.reports.upload.mutate(
      form(
        { name: 'noise.pdf', bytes: new Uint8Array(randomBytes(4096)) },
        { name: 'empty.txt', bytes: new Uint8Array() },
        { name: 'picture.txt', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48]) },
      ),
    );
    expect(results.map((r) => [r.name, r.ok, r.status, r.error?.code])).toEqual([
      ['noise.pdf', false, 'failed', 'UNSUPPORTED'],
      ['empty.txt', false, 'failed', 'EMPTY'],
      ['picture.txt', false, 'failed', 'UNSUPPORTED'],
    ]);
    for (const r of results) {
      expect(r.id).toBeUndefined();
      expect(r.error!.message).toMatch(/^[^\n]{5,200}$/);
      expect(r.error!.message_zh).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await storeFingerprint(server)).toEqual(before);
    expect((await viewer.dataset.manifest.query()).version).toBe(version);
  });

  test('a batch reports per file: good files land, bad ones fail, order is kept', async () => {
    const results = await editor.reports.upload.mutate(
      form({ name: 'empty.txt', bytes: new Uint8Array() }, second!, { ...second!, name: 'again.txt' }),
    );
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['empty.txt', 'failed'],
      [second!.name, 'added'],
      ['again.txt', 'duplicate'],
    ]);
    expect(results[2]!.id).toBe(results[1]!.id);
    expect((await publishedReports()).map((r) => r.report_id)).toContain(results[1]!.id);
  });

  test('file names are display strings only: paths and control characters are stripped', async () => {
    const bytes = revised(second!.bytes, '另一版本');
    const [result] = await editor.reports.upload.mutate(form({ name: '../../etc/\u0007evil\u202e.txt', bytes }));
    expect(result!.name).toBe('evil.txt');
    expect((await viewer.reports.get.query({ id: result!.id! })).source).toBe('evil.txt');
  });

  test('an upload without a file field is a BAD_REQUEST', async () => {
    const fd = new FormData();
    fd.append('note', 'no file here');
    await expectTRPCError(editor.reports.upload.mutate(fd), 'BAD_REQUEST', /没有文件.* \/ No file/);
  });
});

describe('the editor token', () => {
  test('upload and remove without a token or with a wrong one are UNAUTHORIZED and change nothing', async () => {
    const before = await storeFingerprint(server);
    const [{ id }] = (await server.store.db.query<{ id: string }>('SELECT id FROM reports LIMIT 1')) as [{ id: string }];
    const wrong = createClient(server.url, 'not-the-token');
    const file = { name: 'x.txt', bytes: revised(first!.bytes, '未授权') };
    for (const client of [viewer, wrong]) {
      await expectTRPCError(client.reports.upload.mutate(form(file)), 'UNAUTHORIZED', /未授权：需要编辑令牌 \/ Unauthorized: editor token required/);
      await expectTRPCError(client.reports.remove.mutate({ id }), 'UNAUTHORIZED');
    }
    expect(await storeFingerprint(server)).toEqual(before);
  });
});
