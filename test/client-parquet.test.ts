import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parquetToArrow } from '../client/src/db/parquet.ts';
import { PUBLISHED_TABLES } from '../server/tables.ts';
import { openFixtureDB, REPORTS } from './sql-duckdb.ts';

const dir = mkdtempSync(join(tmpdir(), 'parquet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parquetToArrow', () => {
  it('decodes the ZSTD Parquet the server publishes into the contract columns', async () => {
    const db = await openFixtureDB();
    await db.insert('reports', REPORTS.map((r) => ({ ...r, ingested_at: new Date('2025-03-01T08:00:00Z'), title: r.report_id === 'r2' ? '报告 "二"' : null })));
    const file = join(dir, 'reports.parquet');
    await db.conn.run(`COPY (SELECT * FROM reports ORDER BY report_id) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
    db.close();
    const bytes = readFileSync(file);
    const def = PUBLISHED_TABLES.find((t) => t.name === 'reports')!;
    const table = await parquetToArrow(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), def);
    expect(table.numRows).toBe(REPORTS.length);
    expect(table.schema.fields.map((f) => f.name)).toEqual(def.columns.map(([c]) => c));
    const rows = table.toArray().map((r) => r.toJSON());
    expect(rows[1]).toMatchObject({ report_id: 'r2', year: 2024, province: '河北省', budget_wan: 200, score: 85, title: '报告 "二"' });
    expect(rows[4]).toMatchObject({ report_id: 'r5', budget_wan: null, score: null, kind: 'project' });
    expect(rows[6]).toMatchObject({ report_id: 'r7', year: null, province: null });
    expect(Number(rows[0]!.ingested_at)).toBe(Date.parse('2025-03-01T08:00:00Z'));
  });

  it('gives an empty file every column and no rows', async () => {
    const db = await openFixtureDB();
    const file = join(dir, 'flags.parquet');
    await db.conn.run(`COPY (SELECT * FROM flags) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
    db.close();
    const bytes = readFileSync(file);
    const def = PUBLISHED_TABLES.find((t) => t.name === 'flags')!;
    const table = await parquetToArrow(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), def);
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(def.columns.map(([c]) => c));
  });
});
