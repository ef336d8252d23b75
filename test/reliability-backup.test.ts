/**
 * `npm run backup -- FILE` and `npm run restore -- FILE` as an administrator runs them: a store with every kind of
 * row round-trips through one backup file with nothing lost (every table, the published version), the editor token
 * stays out of the file, and both refuse what would lose data (a running server, an occupied data dir, a damaged or
 * foreign file).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { REPORT_TABLES } from '../server/store/migrate.ts';
import { openStore } from '../server/store/store.ts';
import { buildDocx, buildPdf } from './fixtures/build-fixtures.ts';
import { createClient, form, revised, ROOT, SEED_DIR, seedFiles, startTestServer, tempDir, TOKEN } from './server-helpers.ts';

const work = tempDir('backup-');
afterAll(() => work.dispose());
const source = join(work.path, 'source');
const file = join(work.path, 'store-backup.tar');
/** A token kept in the data dir (not from the environment), to show that it does not travel with a backup. */
const KEPT_TOKEN = 'kept-editor-token-do-not-copy-0123456789';

function run(script: 'backup' | 'restore', ...args: string[]) {
  const env = { ...process.env, EDITOR_TOKEN: '' };
  const res = spawnSync('npm', ['run', '--silent', script, '--', ...args], { cwd: ROOT, encoding: 'utf8', env });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

/** Every row of every store table (BLOBs as hex), and the manifest: what a restore must give back exactly. */
async function snapshot(dataDir: string): Promise<{
  tables: Record<string, unknown[]>;
  manifest: { version: string; tables: unknown[]; dashboard?: unknown };
  published: Record<string, string>;
}> {
  const store = await openStore(dataDir);
  try {
    const tables: Record<string, unknown[]> = {};
    const names = await store.db.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE'",
    );
    expect(names.map((n) => n.name)).toEqual(expect.arrayContaining(['meta', ...REPORT_TABLES]));
    for (const { name: table } of names) {
      const rows = await store.db.query(`SELECT * FROM ${table} ORDER BY ALL`);
      const hex = (v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v);
      tables[table] = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, hex(v)])));
    }
    const manifest = store.manifest();
    // The dashboard's derived files are rebuilt on restore: compare what they hold (names, row counts), not their bytes.
    const { dashboard, ...published } = manifest as typeof manifest & { dashboard?: { tables: { name: string; rows: number }[] } };
    const comparable = { ...published, dashboard: dashboard?.tables.map((t) => ({ name: t.name, rows: t.rows })) };
    const parquet = Object.fromEntries(
      manifest.tables.map((t) => {
        const bytes = readFileSync(join(store.publishedDir, manifest.version, `${t.name}.parquet`));
        return [t.name, bytes.toString('hex')];
      }),
    );
    return { tables, manifest: comparable, published: parquet };
  } finally {
    await store.close();
  }
}

let original: Awaited<ReturnType<typeof snapshot>>;

beforeAll(async () => {
  // A store with all kinds of rows: seeded text reports, .docx and .pdf, a superseded version and a removed report.
  mkdirSync(source);
  writeFileSync(join(source, 'editor-token'), KEPT_TOKEN + '\n', { mode: 0o600 });
  const server = await startTestServer({ dataDir: source, seedDir: SEED_DIR, editorToken: null });
  expect(server.editorToken).toBe(KEPT_TOKEN);
  try {
    const editor = createClient(server.url, server.editorToken);
    const seeds = seedFiles();
    const text = new TextDecoder().decode(seeds[2]!.bytes);
    const results = await editor.reports.upload.mutate(
      form(
        { name: 'report.docx', bytes: await buildDocx(text) },
        { name: 'report.pdf', bytes: await buildPdf(text) },
        { name: 'revised.txt', bytes: revised(seeds[0]!.bytes, '修订版') },
      ),
    );
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    await editor.reports.remove.mutate({ id: results[0]!.id! });

    // Refused while the server holds the store, and no file is left behind.
    const refused = run('backup', '--data-dir', source, file);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/存储正被另一个进程使用.* \/ The store .* is in use by another process/);
    expect(existsSync(file)).toBe(false);
  } finally {
    await server.close();
  }
  original = await snapshot(source);
  expect(original.tables.reports!.length).toBeGreaterThan(5);
}, 120_000);

test('backup writes one file without the editor token; restore into an empty dir gives back every row and version', async () => {
  const made = run('backup', '--data-dir', source, file);
  expect(made.code, made.err).toBe(0);
  expect(made.out).toMatch(/已备份 \d+ 份报告 \/ Backed up \d+ reports/);
  expect(readdirSync(work.path).filter((f) => f.startsWith('store-backup'))).toEqual(['store-backup.tar']);
  const bytes = readFileSync(file);
  expect(bytes.includes(KEPT_TOKEN)).toBe(false);
  expect(bytes.includes('editor-token')).toBe(false);
  // A standard tar: any tar lists it.
  const listing = spawnSync('tar', ['-tf', file], { encoding: 'utf8' });
  if (listing.status === 0) expect(listing.stdout.trim().split('\n')).toContain('backup.json');

  // Never overwrites.
  expect(run('backup', '--data-dir', source, file).err).toMatch(/备份文件已存在 \/ The backup file already exists/);

  // Wipe, restore, compare everything.
  const copy = await snapshot(source);
  rmSync(source, { recursive: true, force: true });
  const restored = run('restore', '--data-dir', source, file);
  expect(restored.code, restored.err).toBe(0);
  expect(restored.out).toMatch(/已恢复 \d+ 份报告 \/ Restored \d+ reports .*\(same as when backed up\)/);
  expect(existsSync(join(source, 'editor-token'))).toBe(false);
  const back = await snapshot(source);
  expect(back.tables).toEqual(copy.tables);
  expect(back.manifest).toEqual(original.manifest);
  expect(back.published).toEqual(original.published);

  // The restored store serves: a server starts on it and returns its reports.
  const server = await startTestServer({ dataDir: source, seedDir: SEED_DIR });
  try {
    const viewer = createClient(server.url);
    const served = await viewer.dataset.manifest.query();
    expect({ version: served.version, tables: served.tables }).toEqual({
      version: original.manifest.version,
      tables: original.manifest.tables,
    });
    const id = (original.tables.reports![0] as { id: string }).id;
    expect((await viewer.reports.get.query({ id })).id).toBe(id);
  } finally {
    await server.close();
  }
}, 120_000);

test('restore refuses an occupied data dir without --force, and keeps the old store aside with it', async () => {
  const target = join(work.path, 'occupied');
  const server = await startTestServer({ dataDir: target });
  const [only] = await createClient(server.url, TOKEN).reports.upload.mutate(form(seedFiles()[4]!));
  // Refused while a server holds it, even with --force.
  const busy = run('restore', '--data-dir', target, '--force', file);
  expect(busy.code).toBe(1);
  expect(busy.err).toMatch(/in use by another process/);
  await server.close();

  const refused = run('restore', '--data-dir', target, file);
  expect(refused.code).toBe(2);
  expect(refused.err).toMatch(/数据目录非空.* \/ .* is not empty; add --force/);
  const forced = run('restore', '--data-dir', target, '--force', file);
  expect(forced.code, forced.err).toBe(0);
  expect(forced.out).toMatch(/The previous store is kept as .*store\.duckdb\.before-restore-/);
  expect((await snapshot(target)).manifest).toEqual(original.manifest);
  const aside = readdirSync(target).find((f) => f.startsWith('store.duckdb.before-restore-') && !f.endsWith('.wal'))!;
  expect(aside).toBeTruthy();
  expect(only!.ok).toBe(true);
}, 120_000);

test('a damaged or foreign file is refused and the data dir is left without a half-restored store', async () => {
  const damaged = join(work.path, 'damaged.tar');
  const bytes = readFileSync(file);
  // Flip a byte inside the sources table (100 bytes into the data of that tar entry).
  bytes[bytes.indexOf('sources.parquet') + 512 + 100]! ^= 0xff;
  writeFileSync(damaged, bytes);
  // And, in another copy, inside the first report's original file.
  const damagedOriginal = join(work.path, 'damaged-original.tar');
  const original = readFileSync(file);
  original[original.indexOf('sources/') + 512 + 10]! ^= 0xff;
  writeFileSync(damagedOriginal, original);
  const notATar = join(work.path, 'notes.tar');
  writeFileSync(notATar, '这不是备份');
  for (const [path, message] of [
    [damaged, /备份文件已损坏.* \/ The backup file is damaged: table sources/],
    [damagedOriginal, /备份文件已损坏.* \/ The backup file is damaged: original file sources\/.* is altered/],
    [notATar, /备份文件已损坏|不是本系统的备份文件/],
    [join(work.path, 'missing.tar'), /找不到备份文件 \/ No such backup file/],
  ] as const) {
    const target = join(work.path, `restore-${path.split('/').pop()}`);
    const res = run('restore', '--data-dir', target, path);
    expect(res.code, res.out).toBe(2);
    expect(res.err).toMatch(message);
    expect(existsSync(join(target, 'store.duckdb'))).toBe(false);
    expect(existsSync(target) ? readdirSync(target) : []).toEqual([]);
  }
}, 120_000);
