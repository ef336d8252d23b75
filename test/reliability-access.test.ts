/**
 * Access and exposure: every mutation needs the editor token (viewers are read-only everywhere), the token check and
 * its lock-out, file names that never become paths, upload size and type limits, report text returned as data,
 * the Content-Security-Policy on every response, and no personal data in API answers, published tables or manifest.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createEditorAuth } from '../server/auth.ts';
import { appRouter, createCaller } from '../server/router.ts';
import { createContext } from '../server/trpc.ts';
import { buildZip } from './fixtures/build-fixtures.ts';
import {
  createClient,
  expectTRPCError,
  form,
  readPublished,
  revised,
  seedFiles,
  startTestServer,
  storeFingerprint,
  tempDir,
  TOKEN,
} from './server-helpers.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const root = tempDir('access-');
const dataDir = join(root.path, 'data');
const clientDir = join(root.path, 'client');
let server: Server;
let editor: ReturnType<typeof createClient>;
let viewer: ReturnType<typeof createClient>;
const seeds = seedFiles();
const encoder = new TextEncoder();

/** A report made about 400 kB long by repeating its body text (still one report, with the same figures first). */
function padded(bytes: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(bytes);
  return encoder.encode(text + '\n' + '附注：'.concat(text.slice(text.length / 2)).repeat(Math.ceil(400_000 / bytes.length)));
}

beforeAll(async () => {
  mkdirSync(clientDir);
  writeFileSync(join(clientDir, 'index.html'), '<!doctype html><title>看板</title><div id="root"></div>');
  server = await startTestServer({ dataDir, clientDir, seedDir: join(import.meta.dirname, '../data/reports') });
  editor = createClient(server.url, TOKEN);
  viewer = createClient(server.url);
});
afterAll(async () => {
  await server.dispose();
  root.dispose();
});

/** Every procedure of the router with its type, from the router itself (a procedure added later is covered too). */
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>).map(
  ([path, p]) => ({ path, type: p._def.type }),
);
const mutations = procedures.filter((p) => p.type === 'mutation').map((p) => p.path);

describe('viewers are read-only everywhere', () => {
  test('the router is enumerated: it has the mutations we know of, and no other kind of procedure', () => {
    expect(mutations).toEqual(expect.arrayContaining(['reports.remove', 'reports.upload']));
    expect(procedures.filter((p) => p.type !== 'query' && p.type !== 'mutation')).toEqual([]);
  });

  test('every mutation refuses a request without the token or with a wrong one, over HTTP and in-process', async () => {
    const before = await storeFingerprint(server);
    const [{ id }] = (await server.store.db.query<{ id: string }>('SELECT id FROM reports LIMIT 1')) as [{ id: string }];
    const inputs: Record<string, () => unknown> = {
      'reports.upload': () => form({ name: 'x.txt', bytes: revised(seeds[0]!.bytes, '未授权') }),
      'reports.remove': () => ({ id }),
    };
    for (const path of mutations) {
      const input = inputs[path]?.() ?? {};
      const isForm = input instanceof FormData;
      // Over HTTP, as the browser would send it (JSON body, or a multipart form), with no token and with a wrong one.
      for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${btoa(`editor:${TOKEN}`)}`, TOKEN]) {
        const res = await fetch(`${server.url}/trpc/${path}`, {
          method: 'POST',
          headers: {
            ...(authorization ? { Authorization: authorization } : {}),
            ...(isForm ? {} : { 'Content-Type': 'application/json' }),
          },
          body: isForm ? input : JSON.stringify(input),
        });
        expect(res.status, `${path} with ${authorization}`).toBe(401);
        expect((await res.json()).error.message).toMatch(/未授权：需要编辑令牌 \/ Unauthorized: editor token required/);
      }
      // A mutation cannot be reached by GET either (so no link or image tag can trigger one).
      const query = encodeURIComponent(JSON.stringify(isForm ? {} : input));
      const get = await fetch(`${server.url}/trpc/${path}?input=${query}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(get.status, `GET ${path}`).toBe(405);
      // In-process through the caller factory: the same guard.
      const services = { store: server.store, auth: createEditorAuth(TOKEN), maxUploadBytes: 2 ** 20 };
      const caller = createCaller(createContext(services, undefined, 'viewer'));
      const call = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
      await expect((call as (i: unknown) => Promise<unknown>)(input)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
    expect(await storeFingerprint(server)).toEqual(before);
  });

  test('calling every query, as a viewer and as the editor, changes nothing', async () => {
    const before = await storeFingerprint(server);
    const [{ id }] = (await server.store.db.query<{ id: string }>('SELECT id FROM reports LIMIT 1')) as [{ id: string }];
    for (const { path, type } of procedures) {
      if (type !== 'query') continue;
      for (const headers of [{}, { Authorization: `Bearer ${TOKEN}` }] as Record<string, string>[]) {
        const res = await fetch(`${server.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ id }))}`, { headers });
        // Answered (or refused as bad input or for the editor only), never a server error.
        expect(res.status, path).toBeLessThan(500);
      }
    }
    expect(await storeFingerprint(server)).toEqual(before);
  });
});

describe('the editor token', () => {
  test('only the exact token in a Bearer header is accepted', () => {
    const auth = createEditorAuth('s3cret-Token_value');
    expect(auth.check('Bearer s3cret-Token_value')).toBe(true);
    expect(auth.check('bearer   s3cret-Token_value  ')).toBe(true);
    for (const wrong of [
      undefined,
      '',
      's3cret-Token_value',
      'Bearer',
      'Bearer s3cret-Token_valu',
      'Bearer s3cret-Token_value0',
      'Bearer S3CRET-TOKEN_VALUE',
      'Bearer s3cret-Token_value extra',
      'Basic s3cret-Token_value',
      `Bearer ${'x'.repeat(10_000)}`,
    ]) {
      expect(auth.check(wrong), String(wrong).slice(0, 40)).toBe(false);
    }
  });

  test('ten wrong tokens lock an address out for 15 minutes; other addresses and a later retry are unaffected', () => {
    vi.useFakeTimers({ now: new Date('2025-01-01T00:00:00Z') });
    try {
      const auth = createEditorAuth('t');
      for (let i = 0; i < 9; i++) auth.recordFailure('10.0.0.1');
      expect(auth.isLocked('10.0.0.1')).toBe(false);
      auth.recordFailure('10.0.0.1');
      expect(auth.isLocked('10.0.0.1')).toBe(true);
      expect(auth.isLocked('10.0.0.2')).toBe(false);
      vi.advanceTimersByTime(14 * 60_000);
      expect(auth.isLocked('10.0.0.1')).toBe(true);
      vi.advanceTimersByTime(2 * 60_000);
      expect(auth.isLocked('10.0.0.1')).toBe(false);
      // A success clears the count.
      for (let i = 0; i < 9; i++) auth.recordFailure('10.0.0.3');
      auth.recordSuccess('10.0.0.3');
      auth.recordFailure('10.0.0.3');
      expect(auth.isLocked('10.0.0.3')).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  test('requests without any token do not count towards the lock-out: viewers cannot lock the editor out', async () => {
    for (let i = 0; i < 15; i++) await expectTRPCError(viewer.reports.remove.mutate({ id: 'a'.repeat(64) }), 'UNAUTHORIZED');
    await expectTRPCError(editor.reports.remove.mutate({ id: 'a'.repeat(64) }), 'NOT_FOUND');
  });
});

describe('file names never become paths', () => {
  const hostileNames = [
    '../../etc/passwd',
    '..\\..\\windows\\system32\\drivers\\etc\\hosts',
    'C:\\x',
    '/var/lib/important.txt',
    'a\u0000b.txt',
    'line\nbreak\r.txt',
    '..',
    '',
    `${'长'.repeat(3000)}.txt`,
    'store.duckdb',
    'editor-token',
    'published/../../escape.txt',
  ];

  /** Every file under `dir`, relative to it. */
  function listFiles(dir: string): string[] {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => statSync(join(dir, f)).isFile())
      .map((f) => relative(dir, join(dir, f)))
      .sort();
  }

  test('hostile upload names are stored as sanitised display names and nothing is written outside DATA_DIR', async () => {
    const outside = () => readdirSync(root.path).sort();
    const before = outside();
    const files = hostileNames.map((name, i) => ({ name, bytes: revised(seeds[i % seeds.length]!.bytes, `名称 ${i}`) }));
    const results = await editor.reports.upload.mutate(form(...files));
    expect(results).toHaveLength(files.length);
    for (const r of results) {
      expect(r.ok, JSON.stringify(r)).toBe(true);
      expect(r.name).not.toMatch(/[/\\\u0000-\u001f]/);
      expect(r.name.length).toBeGreaterThan(0);
      expect(r.name.length).toBeLessThanOrEqual(200);
      expect(r.name).not.toBe('..');
      expect((await viewer.reports.get.query({ id: r.id! })).source).toBe(r.name);
    }
    expect(results.map((r) => r.name).slice(0, 4)).toEqual(['passwd', 'hosts', 'x', 'important.txt']);

    // A hand-made multipart body, so that the name arrives exactly as written (FormData would escape some of it).
    const boundary = 'x-boundary-1234';
    const body = new Uint8Array([
      ...encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="../../../../tmp/evil\u0000.txt"\r\n\r\n`),
      ...revised(seeds[2]!.bytes, '手工'),
      ...encoder.encode(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await fetch(`${server.url}/trpc/reports.upload`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    const [raw] = (await res.json()).result.data as { name: string; ok: boolean }[];
    expect(raw).toMatchObject({ ok: true, name: 'evil.txt' });

    // The data directory holds only the store's own files, and nothing appeared beside it.
    expect(outside()).toEqual(before);
    const storeFile =
      /^(store\.duckdb(\.wal)?|editor-token|sources\/[0-9a-f-]{36}\.pack|published\/state\.json|published\/[0-9a-f]{16}\/[a-z0-9_-]+(\.[a-z0-9]+)+)$/;
    // …and none named after an upload (the store's own fixed names aside, which two of the uploads borrowed).
    const uploaded = new Set([...results.map((r) => r.name), raw!.name].filter((n) => !['store.duckdb', 'editor-token'].includes(n)));
    for (const file of listFiles(dataDir)) {
      expect(file).toMatch(storeFile);
      expect(uploaded.has(file.split('/').pop()!), file).toBe(false);
    }
  });
});

describe('uploads are limited in size and type', () => {
  test('a request body over the limit is refused with 413 before it is buffered; the server carries on', async () => {
    const small = await startTestServer({ maxUploadMb: 0.05 });
    try {
      const client = createClient(small.url, TOKEN);
      // The body limit is five files' worth plus 1 MB: 1.25 MB here.
      const big = { name: 'big.txt', bytes: new Uint8Array(2 * 2 ** 20).fill(0x41) };
      await expectTRPCError(client.reports.upload.mutate(form(big)), 'PAYLOAD_TOO_LARGE', /请求体过大.*\/ Request body too large/);
      const [one] = await client.reports.upload.mutate(form({ name: 'one.txt', bytes: new Uint8Array(60 * 1024).fill(0x41) }));
      expect(one).toMatchObject({ ok: false, error: { code: 'TOO_LARGE', message: 'file is larger than the 51 KB limit' } });
      expect((await client.health.query()).ok).toBe(true);
    } finally {
      await small.dispose();
    }
  });

  test('an upload without the token is refused before its body is read (nothing of it is buffered)', async () => {
    const url = new URL(server.url);
    const answer = new Promise<number>((resolve) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: '/trpc/reports.upload',
          method: 'POST',
          headers: { 'Content-Type': 'multipart/form-data; boundary=b', 'Content-Length': String(100 * 2 ** 20) },
        },
        (res) => {
          resolve(res.statusCode!);
          req.destroy();
        },
      );
      req.on('error', () => undefined);
      // 5 bytes of the 100 MB announced: the answer must not wait for the rest.
      req.write('--b\r\n');
    });
    const late = new Promise<string>((resolve) => setTimeout(() => resolve('no answer within 5 s'), 5000));
    expect(await Promise.race([answer, late])).toBe(401);
  });

  test('large uploads sent at once are received in turn and all complete', async () => {
    const small = await startTestServer({ maxUploadMb: 0.5 });
    try {
      const client = createClient(small.url, TOKEN);
      // Four requests of ~1.2 MB against a 3.5 MB body budget: some must wait for others, none may be lost.
      const requests = [0, 1, 2, 3].map((r) =>
        form(
          ...[0, 1, 2].map((f) => ({
            name: `big-${r}-${f}.txt`,
            bytes: padded(revised(seeds[(r + f) % seeds.length]!.bytes, `大 ${r}-${f}`)),
          })),
        ),
      );
      const results = (await Promise.all(requests.map((fd) => client.reports.upload.mutate(fd)))).flat();
      expect(results.map((r) => [r.name, r.ok, r.error?.message])).toEqual(results.map((r) => [r.name, true, undefined]));
      expect(new Set(results.map((r) => r.id)).size).toBe(12);
    } finally {
      await small.dispose();
    }
  });

  test('more than 200 files in one request are refused', async () => {
    const many = Array.from({ length: 201 }, (_, i) => ({ name: `${i}.txt`, bytes: encoder.encode('报告') }));
    await expectTRPCError(editor.reports.upload.mutate(form(...many)), 'BAD_REQUEST', /一次最多上传 200 个文件/);
  });

  test('types are judged by content, not by name: archives, images and programs are refused', async () => {
    const before = await storeFingerprint(server);
    const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52);
    const results = await editor.reports.upload.mutate(
      form(
        { name: 'report.docx', bytes: buildZip({ 'data.csv': 'a,b\n1,2\n' }) },
        { name: 'report.pdf', bytes: png },
        { name: 'report.txt', bytes: Uint8Array.of(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array(200).fill(0)) },
        { name: 'report.doc', bytes: Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(504).fill(0)) },
      ),
    );
    expect(results.map((r) => [r.ok, r.error?.code])).toEqual([
      [false, 'UNSUPPORTED'],
      [false, 'UNSUPPORTED'],
      [false, 'UNSUPPORTED'],
      [false, 'UNSUPPORTED'],
    ]);
    expect(await storeFingerprint(server)).toEqual(before);
  });
});

describe('report text is data, never markup', () => {
  const markup = [
    '<script>alert("x")</script>',
    '<img src=x onerror=alert("img")>',
    '"><svg onload=alert("svg")>',
    "'; DROP TABLE reports; --",
  ];

  test('HTML and script in a report come back verbatim as JSON strings and Parquet values', async () => {
    const text = new TextDecoder()
      .decode(seeds[3]!.bytes)
      .replace('部分资金未拨付到位。', `部分资金未拨付到位${markup.join('')}。`);
    expect(text).toContain(markup[0]);
    const name = '<img src=x onerror=alert(5)>报告.txt';
    const [result] = await editor.reports.upload.mutate(form({ name, bytes: encoder.encode(text) }));
    expect(result).toMatchObject({ ok: true, name });

    // The API answers JSON (never HTML), which browsers are told not to sniff.
    const res = await fetch(`${server.url}/trpc/reports.get?input=${encodeURIComponent(JSON.stringify({ id: result!.id }))}`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const report = (await res.json()).result.data as { source: string; extraction: { text: string; issues: { text: string }[] } };
    for (const m of markup) expect(report.extraction.text).toContain(m);
    expect(report.extraction.issues.some((i) => i.text.includes(markup.join('')))).toBe(true);
    expect(report.source).toBe(name);

    // The published tables carry the same strings as plain values; the tables themselves are intact.
    const manifest = await viewer.dataset.manifest.query();
    const issues = manifest.tables.find((t) => t.name === 'issues')!;
    const rows = await readPublished(server.url, issues.url, `SELECT text FROM t WHERE report_id = '${result!.id}'`);
    expect(rows.some((r) => String(r.text).includes(markup.join('')))).toBe(true);
    const reports = manifest.tables.find((t) => t.name === 'reports')!;
    expect(await readPublished(server.url, reports.url, `SELECT source FROM t WHERE report_id = '${result!.id}'`)).toEqual([
      { source: name },
    ]);
    const parquet = await fetch(new URL(reports.url, server.url));
    expect(parquet.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    expect(parquet.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('Content-Security-Policy', () => {
  function directives(csp: string | null): Map<string, string[]> {
    expect(csp).toBeTruthy();
    return new Map(csp!.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));
  }

  test('is on every response (HTML, API, data, errors) and forbids inline and foreign scripts', async () => {
    const manifest = await viewer.dataset.manifest.query();
    const responses = {
      html: await fetch(new URL('/', server.url)),
      'client route': await fetch(new URL('/reports/x', server.url)),
      api: await fetch(new URL('/trpc/health', server.url)),
      'api error': await fetch(new URL('/trpc/reports.get?input={}', server.url)),
      data: await fetch(new URL(manifest.tables[0]!.url, server.url)),
      'data 404': await fetch(new URL('/data/0000000000000000/reports.parquet', server.url)),
      '405': await fetch(new URL('/data/x', server.url), { method: 'DELETE' }),
      upload: await fetch(new URL('/trpc/reports.upload', server.url), { method: 'POST' }),
    };
    for (const [what, res] of Object.entries(responses)) {
      const csp = directives(res.headers.get('content-security-policy'));
      const scripts = csp.get('script-src') ?? csp.get('default-src')!;
      expect(scripts, what).not.toContain("'unsafe-inline'");
      expect(scripts, what).not.toContain("'unsafe-eval'");
      expect(scripts, what).not.toContain('*');
      expect(scripts.filter((s) => /^(https?:|data:|blob:)/.test(s)), what).toEqual([]);
      expect(csp.get('object-src'), what).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors'), what).toEqual(["'none'"]);
      expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
    }
    expect(responses.html.headers.get('content-type')).toMatch(/^text\/html/);
  });
});

describe('personal data', () => {
  const people = ['张三', '李四', '王五'];
  const phones = ['13812345678', '13987654321', '0311-85123456', '85123456', '010-66554433'];

  test('contact names and phone numbers never reach API answers, published tables or the manifest', async () => {
    const base = new TextDecoder().decode(seeds[4]!.bytes);
    const texts = [
      `${base}\n联系人：张三    联系电话：13812345678\n`,
      `${base}\n联系人 李四\n联系电话 0311-85123456\n手机：13987654321\n`,
      base.replace(/。/, '。（经办人：王五，电话：010-66554433）') + '\n联系人\t张三\t联系电话\t0311-85123456\n',
    ];
    const results = await editor.reports.upload.mutate(
      form(...texts.map((t, i) => ({ name: `contact-${i}-13812345678.txt`, bytes: encoder.encode(t) }))),
    );
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);

    const exposed: string[] = [];
    const scan = (where: string, text: string) => {
      for (const s of [...people, ...phones]) if (text.includes(s)) exposed.push(`${s} in ${where}`);
    };
    for (const r of results) {
      scan(`upload answer ${r.name}`, JSON.stringify(r));
      scan(`reports.get ${r.name}`, JSON.stringify(await viewer.reports.get.query({ id: r.id! })));
      scan(`reports.history ${r.name}`, JSON.stringify(await viewer.reports.history.query({ id: r.id! })));
    }
    const manifest = await viewer.dataset.manifest.query();
    scan('manifest', JSON.stringify(manifest));
    scan('health', JSON.stringify(await viewer.health.query()));
    for (const table of manifest.tables) scan(`${table.name}.parquet`, JSON.stringify(await readPublished(server.url, table.url)));
    expect(exposed).toEqual([]);
  });
});
