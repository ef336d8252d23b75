/**
 * The server's DuckDB module: one embedded database file, one connection, and every statement serialised through one
 * queue (a DuckDB connection runs one statement at a time, and a reader must never see a writer's open transaction).
 * `query(sql, params)` returns plain rows: BigInt and decimals as numbers, timestamps as ISO strings.
 */
import {
  DuckDBInstance,
  DuckDBTimestampValue,
  DuckDBTypeId,
  JSDuckDBValueConverter,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBValue,
  type DuckDBValueConverter,
} from '@duckdb/node-api';

/** One result row with plain JS values. */
export type Row = Record<string, unknown>;
/** Values bound to `?` / `$1` placeholders (or `$name` with an object). */
export type Params = DuckDBValue[] | Record<string, DuckDBValue>;
/** A value the appender accepts for a column of the matching type; null and undefined append NULL. */
export type Cell = string | number | boolean | bigint | Date | Uint8Array | null | undefined;

/** Statements that run inside one transaction, with the queue already held. */
export interface Tx {
  query<T = Row>(sql: string, params?: Params): Promise<T[]>;
  /** Appends rows (cells in the table's column order) through a DuckDB appender: one call per table, not per row. */
  append(table: string, rows: readonly (readonly Cell[])[]): Promise<void>;
}

/** An open database. */
export interface DB {
  query<T = Row>(sql: string, params?: Params): Promise<T[]>;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back (store unchanged) when it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Opens (creating if needed) the database file at `path`. */
export async function openDB(path: string): Promise<DB> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(() => {
      if (closed) throw new Error('database is closed');
      return fn();
    });
    queue = run.catch(() => undefined);
    return run;
  }

  const tx: Tx = {
    query: (sql, params) => runQuery(conn, sql, params),
    append: (table, rows) => appendRows(conn, table, rows),
  };

  return {
    query: (sql, params) => exclusive(() => runQuery(conn, sql, params)),
    transaction: (fn) =>
      exclusive(async () => {
        await conn.run('BEGIN TRANSACTION');
        try {
          const result = await fn(tx);
          await conn.run('COMMIT');
          return result;
        } catch (e) {
          await conn.run('ROLLBACK').catch(() => undefined);
          throw e;
        }
      }),
    close: () =>
      exclusive(async () => {
        closed = true;
        conn.closeSync();
        instance.closeSync();
      }),
  };
}

async function runQuery<T>(conn: DuckDBConnection, sql: string, params?: Params): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params);
  return reader.convertRowObjects(toPlain) as T[];
}

const toPlain: DuckDBValueConverter<unknown> = (value, type, converter) => {
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return Number(value);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return (JSDuckDBValueConverter(value, type, JSDuckDBValueConverter) as Date).toISOString();
    default:
      return JSDuckDBValueConverter(value, type, converter as typeof JSDuckDBValueConverter);
  }
};

async function appendRows(conn: DuckDBConnection, table: string, rows: readonly (readonly Cell[])[]): Promise<void> {
  if (rows.length === 0) return;
  const appender = await conn.createAppender(table);
  try {
    const types = Array.from({ length: appender.columnCount }, (_, i) => appender.columnType(i).typeId);
    for (const row of rows) {
      if (row.length !== types.length) throw new Error(`${table}: row has ${row.length} cells, table has ${types.length} columns`);
      for (let i = 0; i < types.length; i++) appendCell(appender, types[i]!, row[i]);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

function appendCell(appender: DuckDBAppender, type: DuckDBTypeId, value: Cell): void {
  if (value === null || value === undefined) return appender.appendNull();
  switch (type) {
    case DuckDBTypeId.VARCHAR:
      return appender.appendVarchar(String(value));
    case DuckDBTypeId.DOUBLE:
      return appender.appendDouble(Number(value));
    case DuckDBTypeId.INTEGER:
      return appender.appendInteger(Number(value));
    case DuckDBTypeId.BIGINT:
      return appender.appendBigInt(BigInt(value as number | bigint));
    case DuckDBTypeId.BOOLEAN:
      return appender.appendBoolean(Boolean(value));
    case DuckDBTypeId.TIMESTAMP: {
      const ms = value instanceof Date ? value.getTime() : Number(value);
      return appender.appendTimestamp(new DuckDBTimestampValue(BigInt(ms) * 1000n));
    }
    case DuckDBTypeId.BLOB:
      return appender.appendBlob(value as Uint8Array);
    default:
      throw new Error(`appendCell: unsupported column type ${DuckDBTypeId[type]}`);
  }
}
