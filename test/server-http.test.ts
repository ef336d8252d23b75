/** Plain HTTP: the published Parquet files (ETag, 304, ranges), the client with its fallback, security headers. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createClient, expectTRPCError, form, revised, seedFiles, startTestServer, tempDir, TOKEN } from './server-helpers.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let client: ReturnType<typeof createClient>;
const clientDir = tempDir('client-');

beforeAll(async () => {
  mkdirSync(join(clientDir.path, 'assets'));
  writeFileSync(join(clientDir.path, 'index.html'), '<!doctype html><title>看板</title><div id="root"></div>');
  writeFileSync(join(clientDir.path, 'assets', 'app-1a2b3c.js'), 'console.log(1)');
  server = await startTestServer({ clientDir: clientDir.path, seedDir: join(import.meta.dirname, '../data/reports') });
  client = createClient(server.url, TOKEN);
});
afterAll(async () => {
  await server.dispose();
  clientDir.dispose();
});

async function reportsUrl(): Promise<string> {
  const manifest = await client.dataset.manifest.query();
  return new URL(manifest.tables.find((t) => t.name === 'reports')!.url, server.url).href;
}

describe('published Parquet', () => {
  test('is served with a strong ETag, immutable caching and the security headers', async () => {
    const res = await fetch(await reportsUrl());
    expect(res.status).toBe(200);
    const body = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(body.subarray(0, 4))).toBe('PAR1');
    expect(res.headers.get('content-length')).toBe(String(body.length));
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{16}-reports"$/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('If-None-Match with the ETag is answered 304 without a body', async () => {
    const url = await reportsUrl();
    const etag = (await fetch(url, { method: 'HEAD' })).headers.get('etag')!;
    const res = await fetch(url, { headers: { 'If-None-Match': etag } });
    expect(res.status).toBe(304);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    expect((await fetch(url, { headers: { 'If-None-Match': '"something-else"' } })).status).toBe(200);
  });

  test('ranges are answered 206 (including suffix ranges), 416 when out of bounds', async () => {
    const url = await reportsUrl();
    const size = Number((await fetch(url, { method: 'HEAD' })).headers.get('content-length'));
    expect(size).toBeGreaterThan(8);

    const head = await fetch(url, { headers: { Range: 'bytes=0-3' } });
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toBe(`bytes 0-3/${size}`);
    expect(await head.text()).toBe('PAR1');

    // DuckDB reads the footer first: the last 8 bytes are its length and the magic.
    const tail = await fetch(url, { headers: { Range: 'bytes=-4' } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe(`bytes ${size - 4}-${size - 1}/${size}`);
    expect(await tail.text()).toBe('PAR1');

    const open = await fetch(url, { headers: { Range: `bytes=${size - 2}-` } });
    expect(open.status).toBe(206);
    expect((await open.arrayBuffer()).byteLength).toBe(2);

    const beyond = await fetch(url, { headers: { Range: `bytes=${size}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${size}`);

    // If-Range with a stale validator: the whole (new) file, not a splice of two versions.
    const stale = await fetch(url, { headers: { Range: 'bytes=0-3', 'If-Range': '"stale"' } });
    expect(stale.status).toBe(200);
    expect((await stale.arrayBuffer()).byteLength).toBe(size);
  });

  test('anything but a published table is 404, and the store itself is never served', async () => {
    const url = new URL(await reportsUrl());
    const version = url.pathname.split('/')[2];
    for (const path of [
      `/data/${version}/secret.parquet`,
      '/data/0000000000000000/reports.parquet',
      `/data/${version}/../../store.duckdb`,
      '/data/%2e%2e/store.duckdb',
      '/data/editor-token',
      '/store.duckdb',
    ]) {
      const res = await fetch(new URL(path, server.url));
      expect([404, 400], path).toContain(res.status);
      expect(await res.text()).not.toContain(TOKEN);
    }
    expect((await fetch(new URL('/data/x', server.url), { method: 'POST' })).status).toBe(405);
  });

  test('the previous version stays downloadable after a change', async () => {
    const before = await reportsUrl();
    const [first] = seedFiles();
    const [result] = await client.reports.upload.mutate(form({ name: 'v2.txt', bytes: revised(first!.bytes, '新版本') }));
    expect(result!.ok).toBe(true);
    const after = await reportsUrl();
    expect(after).not.toBe(before);
    expect((await fetch(before)).status).toBe(200);
    expect((await fetch(after)).status).toBe(200);
  });
});

describe('the client', () => {
  test('index.html for client routes, with the content security policy', async () => {
    const res = await fetch(new URL('/reports/abc?year=2024', server.url));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>看板</title>');
    const csp = res.headers.get('content-security-policy')!;
    for (const part of ["default-src 'self'", "'wasm-unsafe-eval'", 'worker-src', 'blob:', 'img-src', 'data:']) {
      expect(csp).toContain(part);
    }
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  test('hashed assets are immutable, missing files are 404', async () => {
    const asset = await fetch(new URL('/assets/app-1a2b3c.js', server.url));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(new URL('/assets/missing-000.js', server.url))).status).toBe(404);
  });

  test('GET /trpc/health works without the client', async () => {
    const res = await fetch(new URL('/trpc/health', server.url));
    expect(res.status).toBe(200);
    expect((await res.json()).result.data).toMatchObject({ ok: true, reports: 5 });
  });
});

describe('wrong tokens', () => {
  // Last in this file: it locks this test's address out.
  test('are rate-limited per address: after ten, even the right token is refused for a while', async () => {
    const wrong = createClient(server.url, 'guess');
    for (let i = 0; i < 10; i++) await expectTRPCError(wrong.reports.remove.mutate({ id: 'a'.repeat(64) }), 'UNAUTHORIZED');
    await expectTRPCError(wrong.reports.remove.mutate({ id: 'a'.repeat(64) }), 'TOO_MANY_REQUESTS', /稍后再试 \/ Too many wrong tokens/);
    await expectTRPCError(client.reports.remove.mutate({ id: 'a'.repeat(64) }), 'TOO_MANY_REQUESTS');
    // Reading stays open.
    expect((await client.health.query()).ok).toBe(true);
  });
});
