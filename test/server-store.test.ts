/**
 * The store across restarts, first-start seeding, the generated editor token, limits, formats and races, and the files
 * it keeps beside its database.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createEditorAuth } from '../server/auth.ts';
import { extractDocument } from '../server/extract/extract.ts';
import { createCaller } from '../server/router.ts';
import { openDB } from '../server/store/db.ts';
import { migrate, REPORT_TABLES } from '../server/store/migrate.ts';
import { stamp, toRows } from '../server/store/rows.ts';
import { sourceFiles, type SourceRef } from '../server/store/source-files.ts';
import { FILES_DIR, openStore, STORE_FILE } from '../server/store/store.ts';
import { createContext } from '../server/trpc.ts';
import { buildDocx, buildPdf } from './fixtures/build-fixtures.ts';
import { createClient, form, revised, seedFiles, startTestServer, tempDir, TOKEN } from './server-helpers.ts';

const SEED_DIR = join(import.meta.dirname, '../data/reports');
const seeds = seedFiles();
const dirs: { dispose(): void }[] = [];
afterAll(() => dirs.forEach((d) => d.dispose()));
function newDataDir(): string {
  const dir = tempDir('store-test-');
  dirs.push(dir);
  return dir.path;
}

describe('restarts', () => {
  test('the first start ingests the bundled reports; a restart keeps the data and does not seed again', async () => {
    const dataDir = newDataDir();
    const a = await startTestServer({ dataDir, seedDir: SEED_DIR });
    const client = createClient(a.url, TOKEN);
    const seeded = await client.dataset.manifest.query();
    expect(seeded.tables.find((t) => t.name === 'reports')!.rows).toBe(seeds.length);
    const [added] = await client.reports.upload.mutate(form({ name: 'extra.txt', bytes: revised(seeds[1]!.bytes, '补充') }));
    const manifest = await client.dataset.manifest.query();
    const removed = (await a.store.db.query<{ id: string }>('SELECT id FROM reports ORDER BY seq LIMIT 1'))[0]!.id;
    await client.reports.remove.mutate({ id: removed });
    const final = await client.dataset.manifest.query();
    expect(final.version).not.toBe(manifest.version);
    await a.close();

    const b = await startTestServer({ dataDir, seedDir: SEED_DIR });
    try {
      const again = createClient(b.url);
      expect(await again.dataset.manifest.query()).toEqual(final);
      expect((await again.reports.get.query({ id: added!.id! })).source).toBe('extra.txt');
      // The removed report is not brought back by seeding.
      expect(await b.store.db.query('SELECT id FROM reports WHERE id = ?', [removed])).toEqual([]);
      const parquet = await fetch(new URL(final.tables[0]!.url, b.url));
      expect(parquet.status).toBe(200);
    } finally {
      await b.close();
    }
  });

  test('without EDITOR_TOKEN a token is generated once, announced once, kept with mode 600 and reused', async () => {
    const dataDir = newDataDir();
    const announced: string[] = [];
    const log = (m: string) => announced.push(m);
    const a = await startTestServer({ dataDir, editorToken: null, log });
    const token = a.editorToken;
    expect(token.length).toBeGreaterThanOrEqual(24);
    expect(announced.filter((m) => m.includes(token))).toHaveLength(1);
    expect(statSync(join(dataDir, 'editor-token')).mode & 0o777).toBe(0o600);
    await a.close();

    const b = await startTestServer({ dataDir, editorToken: null, log });
    try {
      expect(b.editorToken).toBe(token);
      expect(announced.filter((m) => m.includes(token))).toHaveLength(1);
      const [result] = await createClient(b.url, token).reports.upload.mutate(form(seeds[0]!));
      expect(result!.status).toBe('added');
    } finally {
      await b.close();
    }
  });
});

test('files over MAX_UPLOAD_MB fail with a clear error; smaller ones in the same upload still land', async () => {
  const server = await startTestServer({ maxUploadMb: 0.012 });
  try {
    const small = seeds.find((s) => s.bytes.length < 0.012 * 2 ** 20)!;
    const large = seeds.find((s) => s.bytes.length > 0.012 * 2 ** 20)!;
    const results = await createClient(server.url, TOKEN).reports.upload.mutate(form(large, small));
    expect(results[0]).toMatchObject({ ok: false, status: 'failed', error: { code: 'TOO_LARGE' } });
    expect(results[0]!.error!.message).toBe('file is larger than the 12 KB limit');
    expect(results[0]!.error!.message_zh).toBe('文件超过 12 KB 上限');
    expect(results[1]).toMatchObject({ ok: true, status: 'added' });
  } finally {
    await server.dispose();
  }
});

describe('one server', async () => {
  const server = await startTestServer();
  const client = createClient(server.url, TOKEN);
  afterAll(() => server.dispose());

  test('.docx and .pdf uploads are extracted like text', async () => {
    const text = new TextDecoder().decode(seeds[3]!.bytes);
    const results = await client.reports.upload.mutate(
      form({ name: 'report.docx', bytes: await buildDocx(text) }, { name: 'report.pdf', bytes: await buildPdf(text) }),
    );
    expect(results.map((r) => [r.ok, r.error?.message])).toEqual([
      [true, undefined],
      [true, undefined],
    ]);
    const formats = await Promise.all(results.map(async (r) => (await client.reports.get.query({ id: r.id! })).format));
    expect(formats).toEqual(['docx', 'pdf']);
  });

  test('the same new file uploaded twice at once is stored once', async () => {
    const file = { name: 'race.txt', bytes: revised(seeds[2]!.bytes, '并发') };
    const results = (await Promise.all([1, 2, 3].map(() => client.reports.upload.mutate(form(file))))).flat();
    expect(results.map((r) => r.status).sort()).toEqual(['added', 'duplicate', 'duplicate']);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await server.store.db.query('SELECT 1 FROM sources WHERE id = ?', [results[0]!.id!])).toHaveLength(1);
    expect(await server.store.db.query('SELECT 1 FROM reports WHERE id = ?', [results[0]!.id!])).toHaveLength(1);
  });

  test('procedures called in-process through the caller factory see the same store', async () => {
    const services = { store: server.store, auth: createEditorAuth(TOKEN), maxUploadBytes: 2 ** 20 };
    const viewer = createCaller(createContext(services, undefined, 'test'));
    const [{ id }] = (await server.store.db.query<{ id: string }>('SELECT id FROM reports LIMIT 1')) as [{ id: string }];
    expect((await viewer.reports.get({ id })).id).toBe(id);
    await expect(viewer.reports.remove({ id })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const editor = createCaller(createContext(services, `Bearer ${TOKEN}`, 'test'));
    expect(await editor.reports.remove({ id })).toMatchObject({ removed: true });
  });
});

test('old published versions are deleted once retired for a while; the previous one is always kept', async () => {
  const dataDir = newDataDir();
  const store = await openStore(dataDir, { workers: 1 });
  try {
    const versions = [store.manifest().version];
    for (const [i, s] of seeds.slice(0, 3).entries()) {
      await store.ingest([{ name: `${i}.txt`, read: async () => s.bytes }], { maxBytes: 2 ** 20 });
      versions.push(store.manifest().version);
    }
    expect(new Set(versions).size).toBe(4);
    // Recently retired versions all stay.
    expect(readdirSync(store.publishedDir).filter((d) => versions.includes(d)).sort()).toEqual([...versions].sort());

    // Pretend the first three were retired long ago: the next publish keeps only the current and the previous one.
    const statePath = join(store.publishedDir, 'state.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8'));
    for (const r of state.retired) r.at -= 3_600_000;
    writeFileSync(statePath, JSON.stringify(state));
    await store.ingest([{ name: '3.txt', read: async () => seeds[3]!.bytes }], { maxBytes: 2 ** 20 });
    const current = store.manifest().version;
    expect(readdirSync(store.publishedDir).filter((d) => d !== 'state.json').sort()).toEqual([current, versions[3]!].sort());
  } finally {
    await store.close();
  }
});

describe('original files and extractions beside the database', () => {
  const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
  const packs = (dataDir: string) => readdirSync(join(dataDir, FILES_DIR)).filter((f) => f.endsWith('.pack'));

  test('a store written before they moved out (store version 2) is upgraded and keeps serving every report', async () => {
    const dataDir = newDataDir();
    const [seed, other] = seeds;
    const extracted = await Promise.all([seed!, other!].map(async (s) => {
      const id = sha256(s.bytes);
      const x = await extractDocument(s.bytes, s.name);
      x.report.id = id;
      x.report.source = s.name;
      return { ...s, id, x };
    }));
    const db = await openDB(join(dataDir, STORE_FILE));
    try {
      await migrate(db, 2);
      await db.transaction(async (tx) => {
        for (const [k, { id, name, bytes, x }] of extracted.entries()) {
          const rows = stamp(toRows(id, name, x, { pack: '', offset: 0, size: bytes.length, extractionSize: 0 }), k + 1, new Date(), 'current');
          for (const table of REPORT_TABLES.slice(1)) await tx.append(table, rows[table]);
          await tx.append('sources', [[id, name, 'txt', bytes.length, bytes, JSON.stringify(x), 1, new Date()]]);
        }
      });
    } finally {
      await db.close();
    }

    const store = await openStore(dataDir, { workers: 1 });
    try {
      const columns = (await store.db.query<{ name: string }>(
        "SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'sources'",
      )).map((c) => c.name);
      expect(columns).not.toContain('bytes');
      expect(columns).not.toContain('extraction');
      expect(packs(dataDir)).toHaveLength(1);
      const files = sourceFiles(store.db);
      for (const { id, bytes, x } of extracted) {
        expect((await store.get(id))!.extraction).toEqual(x);
        const [ref] = await store.db.query<SourceRef>(
          'SELECT id, pack, pack_offset, size_bytes, extraction_size FROM sources WHERE id = ?',
          [id],
        );
        expect(await files.read(ref!)).toEqual(bytes);
      }
      // The originals are there to extract again.
      expect((await store.reextract()).map((r) => r.ok)).toEqual([true, true]);
      expect((await store.get(extracted[1]!.id))!.extraction).toEqual(extracted[1]!.x);
    } finally {
      await store.close();
    }
  });

  test('a removed report is not served and its bytes are erased; the same file can come back', async () => {
    const dataDir = newDataDir();
    const store = await openStore(dataDir, { workers: 1 });
    try {
      const file = seeds[4]!;
      const [first] = (await store.ingest([{ name: file.name, read: async () => file.bytes }], { maxBytes: 2 ** 20 })).results;
      const [ref] = await store.db.query<SourceRef>('SELECT id, pack, pack_offset, size_bytes, extraction_size FROM sources');
      expect(await store.remove(first!.id!)).toBe(true);
      expect(await store.get(first!.id!)).toBeNull();
      const pack = join(dataDir, FILES_DIR, ref!.pack);
      const erased = async () => readFileSync(pack).subarray(ref!.pack_offset, ref!.pack_offset + ref!.size_bytes + ref!.extraction_size);
      await expect.poll(async () => (await erased()).every((b) => b === 0)).toBe(true);

      const [again] = (await store.ingest([{ name: file.name, read: async () => file.bytes }], { maxBytes: 2 ** 20 })).results;
      expect(again).toMatchObject({ ok: true, status: 'added', id: first!.id });
      expect((await store.get(first!.id!))!.extraction.report.id).toBe(first!.id);
    } finally {
      await store.close();
    }
  });

  test('files no report points to (a crash before the commit) are deleted at the next open; a failed file writes none', async () => {
    const dataDir = newDataDir();
    let store = await openStore(dataDir, { workers: 1 });
    const badFile = { name: 'bad.txt', read: async () => new Uint8Array([0, 1, 2, 3]) };
    const [bad] = (await store.ingest([badFile], { maxBytes: 2 ** 20 })).results;
    expect(bad!.ok).toBe(false);
    expect(existsSync(join(dataDir, FILES_DIR))).toBe(false);
    await store.ingest([{ name: seeds[3]!.name, read: async () => seeds[3]!.bytes }], { maxBytes: 2 ** 20 });
    const kept = packs(dataDir);
    await store.close();

    const orphan = join(dataDir, FILES_DIR, `${randomUUID()}.pack`);
    writeFileSync(orphan, 'bytes of a batch that never committed');
    store = await openStore(dataDir, { workers: 1 });
    try {
      expect(existsSync(orphan)).toBe(false);
      expect(packs(dataDir)).toEqual(kept);
      expect(await store.get(sha256(seeds[3]!.bytes))).not.toBeNull();
    } finally {
      await store.close();
    }
  });
});
