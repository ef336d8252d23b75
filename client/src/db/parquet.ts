/**
 * Decodes a published Parquet file into an Arrow table shaped by the table's contract (server/tables.ts).
 *
 * DuckDB-WASM 1.32 does not link the parquet extension into its bundles (`read_parquet` answers "exists in the
 * parquet extension … INSTALL parquet"), and installing it would fetch from extensions.duckdb.org — which an offline
 * bureau network cannot reach. So the browser decodes Parquet in JS (hyparquet, with fzstd for the ZSTD pages) and
 * hands DuckDB Arrow, which its core reads natively.
 */
import * as arrow from 'apache-arrow';
import { decompress } from 'fzstd';
import { parquetMetadata, parquetRead } from 'hyparquet';
import type { ColumnType, TableDef } from '../../../server/tables.ts';

const compressors = { ZSTD: (input: Uint8Array, outputLength: number) => decompress(input, new Uint8Array(outputLength)) };

const toNumber = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.getTime() : Number(v));

/**
 * One Arrow column from plain values (null = missing). Built with `makeData` rather than Arrow's builders, whose
 * null check is compiled with `new Function` — refused by the server's Content-Security-Policy (no 'unsafe-eval').
 */
function column(type: ColumnType, values: unknown[]): arrow.Vector {
  const n = values.length;
  const nullBitmap = new Uint8Array(Math.ceil(n / 8));
  let nullCount = 0;
  const present = (i: number, v: unknown) => {
    if (v == null) {
      nullCount++;
      return false;
    }
    nullBitmap[i >> 3]! |= 1 << (i & 7);
    return true;
  };
  switch (type) {
    case 'DOUBLE': {
      const data = new Float64Array(n);
      values.forEach((v, i) => { if (present(i, v)) data[i] = toNumber(v); });
      return arrow.makeVector(arrow.makeData({ type: new arrow.Float64(), length: n, nullCount, nullBitmap, data }));
    }
    case 'INTEGER': {
      const data = new Int32Array(n);
      values.forEach((v, i) => { if (present(i, v)) data[i] = toNumber(v); });
      return arrow.makeVector(arrow.makeData({ type: new arrow.Int32(), length: n, nullCount, nullBitmap, data }));
    }
    case 'BOOLEAN': {
      const data = new Uint8Array(Math.ceil(n / 8));
      values.forEach((v, i) => { if (present(i, v) && v) data[i >> 3]! |= 1 << (i & 7); });
      return arrow.makeVector(arrow.makeData({ type: new arrow.Bool(), length: n, nullCount, nullBitmap, data }));
    }
    case 'TIMESTAMP': {
      const data = new BigInt64Array(n);
      values.forEach((v, i) => { if (present(i, v)) data[i] = BigInt(Math.round(toNumber(v))); });
      return arrow.makeVector(arrow.makeData({ type: new arrow.TimestampMillisecond(), length: n, nullCount, nullBitmap, data }));
    }
    case 'VARCHAR': {
      const encoder = new TextEncoder();
      const parts = values.map((v, i) => (present(i, v) ? encoder.encode(String(v)) : null));
      const valueOffsets = new Int32Array(n + 1);
      parts.forEach((p, i) => { valueOffsets[i + 1] = valueOffsets[i]! + (p?.length ?? 0); });
      const data = new Uint8Array(valueOffsets[n]!);
      parts.forEach((p, i) => { if (p) data.set(p, valueOffsets[i]!); });
      return arrow.makeVector(arrow.makeData({ type: new arrow.Utf8(), length: n, nullCount, nullBitmap, valueOffsets, data }));
    }
  }
}

/** Reads `bytes` (one Parquet file) into an Arrow table with exactly the contract's columns and types. */
export async function parquetToArrow(bytes: ArrayBuffer, def: TableDef): Promise<arrow.Table> {
  const metadata = parquetMetadata(bytes);
  const rows = Number(metadata.num_rows);
  const data = new Map<string, unknown[]>(def.columns.map(([name]) => [name, new Array<unknown>(rows).fill(null)]));
  if (rows > 0) {
    await parquetRead({
      file: bytes,
      metadata,
      columns: def.columns.map(([name]) => name).filter((name) => metadata.schema.some((s) => s.name === name)),
      compressors,
      onChunk: ({ columnName, columnData, rowStart, rowEnd }) => {
        const target = data.get(columnName);
        if (!target) return;
        for (let i = rowStart; i < Math.min(rowEnd, rows); i++) target[i] = columnData[i - rowStart];
      },
    });
  }
  const vectors: Record<string, arrow.Vector> = {};
  for (const [name, type] of def.columns) vectors[name] = column(type, data.get(name)!);
  return new arrow.Table(vectors);
}
