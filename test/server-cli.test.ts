/** `npm run ingest` as a user runs it: a child process over a folder, against a temporary DATA_DIR. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { openStore } from '../server/store/store.ts';
import { ROOT, SEED_DIR, seedFiles, startTestServer, tempDir } from './server-helpers.ts';

const work = tempDir('ingest-cli-');
afterAll(() => work.dispose());
const seeds = seedFiles();

function ingest(...args: string[]) {
  const res = spawnSync('npm', ['run', '--silent', 'ingest', '--', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: join(work.path, 'store') },
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

test('ingests a folder recursively, prints a line per file, and is idempotent', () => {
  const folder = join(work.path, 'in');
  mkdirSync(join(folder, 'nested'), { recursive: true });
  for (const [i, s] of seeds.entries()) copyFileSync(join(SEED_DIR, s.name), join(folder, i % 2 ? 'nested' : '.', s.name));
  writeFileSync(join(folder, 'notes.md'), '不是报告');

  const first = ingest(folder);
  expect(first.code, first.err).toBe(0);
  for (const s of seeds) expect(first.out).toMatch(new RegExp(`✓ added {2}${s.name.replace('.', '\\.')} {2}[0-9a-f]{12}`));
  expect(first.out).not.toContain('notes.md');
  expect(first.out).toMatch(new RegExp(`${seeds.length} added in`));

  const second = ingest(folder);
  expect(second.code).toBe(0);
  expect(second.out).toMatch(new RegExp(`${seeds.length} duplicate in`));

  // Re-running the (deterministic) extractor over the stored originals changes nothing visible.
  const version = /data version ([0-9a-f]{16})/.exec(second.out)![1];
  const again = ingest('--reextract');
  expect(again.code, again.err).toBe(0);
  expect(again.out).toMatch(new RegExp(`${seeds.length} reextracted in .*data version ${version}`));
});

test('a bad file gets its own error line and a non-zero exit; the good ones still land', async () => {
  const folder = join(work.path, 'mixed');
  mkdirSync(folder);
  writeFileSync(join(folder, 'a-empty.txt'), '');
  writeFileSync(join(folder, 'b-new.txt'), new Uint8Array([...seeds[0]!.bytes, ...new TextEncoder().encode('\n更正\n')]));

  const run = ingest(folder);
  expect(run.code).toBe(1);
  expect(run.out).toMatch(/✗ failed {2}a-empty\.txt {2}EMPTY 空文件 \/ empty file/);
  expect(run.out).toMatch(/✓ superseded_older {2}b-new\.txt/);

  const store = await openStore(join(work.path, 'store'));
  try {
    expect(store.manifest().tables.find((t) => t.name === 'reports')!.rows).toBe(seeds.length);
    expect(await store.db.query("SELECT 1 FROM reports WHERE status = 'superseded'")).toHaveLength(1);
  } finally {
    await store.close();
  }
});

test('explains itself when a server holds the store, or when called without files', async () => {
  const server = await startTestServer({ dataDir: join(work.path, 'store') });
  try {
    const locked = ingest(join(SEED_DIR, seeds[0]!.name));
    expect(locked.code).toBe(1);
    expect(locked.err).toMatch(/存储正被另一个进程使用.* \/ The store .* is in use by another process/);
  } finally {
    await server.close();
  }
  const usage = ingest();
  expect(usage.code).toBe(2);
  expect(usage.err).toContain('usage: npm run ingest');
});

test('backup and restore round-trip the store: same reports, same published version', async () => {
  const run = (script: string, ...args: string[]) =>
    spawnSync('npm', ['run', '--silent', script, '--', ...args], { cwd: ROOT, encoding: 'utf8' });
  const from = join(work.path, 'store');
  const backup = join(work.path, 'backup');
  const to = join(work.path, 'restored');

  const made = run('backup', '--data-dir', from, backup);
  expect(made.status, made.stderr).toBe(0);
  const restored = run('restore', '--data-dir', to, backup);
  expect(restored.status, restored.stderr).toBe(0);
  expect(run('restore', '--data-dir', to, backup).stderr).toContain('--force');

  const [a, b] = [await openStore(from), await openStore(to)];
  try {
    // The same version, tables and files; a dashboard file's compressed size may differ by a few bytes (a DuckDB file
    // holds a random database identifier).
    const files = (s: typeof a) => ({ ...s.manifest(), dashboard: { ...s.manifest().dashboard, tables: s.manifest().dashboard.tables.map(({ bytes: _, ...t }) => t) } });
    expect(files(b)).toEqual(files(a));
    const ids = (s: typeof a) => s.db.query('SELECT id, seq, status, ingested_at FROM reports ORDER BY seq');
    expect(await ids(b)).toEqual(await ids(a));
    const [{ id }] = (await a.db.query<{ id: string }>('SELECT id FROM reports LIMIT 1')) as [{ id: string }];
    expect(await b.get(id)).toEqual(await a.get(id));
  } finally {
    await a.close();
    await b.close();
  }
});
