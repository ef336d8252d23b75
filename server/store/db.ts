/**
 * The server's DuckDB module: one embedded database file with several connections, each running one statement at a
 * time through its own queue: one for write transactions, a few for single statements (reads, side by side). DuckDB
 * isolates transactions (MVCC), so a read never waits for a write in progress and never sees one before it commits.
 * `query(sql, params)` returns plain rows: BigInt and decimals as numbers, timestamps as ISO strings.
 */
import { dirname, join } from 'node:path';
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

/** A SQL string literal of `value` (file paths in COPY and read_parquet, which take no parameters). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Membership in one bound list of strings (`x IN ${IN_LIST}` with a `listValue(...)` parameter): a thousand `?` in an
 * IN list cost DuckDB ~30 ms to bind, the list ~8 ms.
 */
export const IN_LIST = '(SELECT unnest(CAST(? AS VARCHAR[])))';

/** Statements that run inside one transaction, with the queue already held. */
export interface Tx {
  query<T = Row>(sql: string, params?: Params): Promise<T[]>;
  /**
   * Appends rows (cells in the table's column order) through a DuckDB appender: one call per table, not per row. Any
   * iterable, so that rows spread over many objects need not be gathered into one array first.
   */
  append(table: string, rows: Iterable<readonly Cell[]>): Promise<void>;
  /**
   * Runs `fn` once the transaction has committed, before the next transaction starts (never when it rolls back): for
   * state kept beside the database that must follow its committed contents (catalog.ts).
   */
  onCommit(fn: () => void): void;
}

/** An open database. */
export interface DB {
  /** Runs one statement in a transaction of its own (on a reading connection: it sees committed data only). */
  query<T = Row>(sql: string, params?: Params): Promise<T[]>;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back (store unchanged) when it throws. Transactions
   * run one after another; a commit is in DuckDB's write-ahead log, synced to disk, when the promise resolves.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Where the store keeps the files its tables point to (original files and extractions: source-files.ts). */
  readonly filesDir: string;
  close(): Promise<void>;
}

/** Connections for single statements: reads run side by side on DuckDB's threads rather than queue behind each other. */
const READERS = 4;

/**
 * Opens (creating if needed) the database file at `path`; its files live in `filesDir` (default: `sources/` beside the
 * database file).
 */
export async function openDB(path: string, { filesDir = join(dirname(path), 'sources') }: { filesDir?: string } = {}): Promise<DB> {
  const instance = await DuckDBInstance.create(path);
  const writer = await instance.connect();
  const writes = serial();
  const readers = await Promise.all(
    Array.from({ length: READERS }, async () => ({ conn: await instance.connect(), run: serial(), pending: 0 })),
  );
  let closed = false;
  const open = () => {
    if (closed) throw new Error('database is closed');
  };
  const read = <T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> => {
    const r = readers.reduce((a, b) => (b.pending < a.pending ? b : a));
    r.pending++;
    return r.run(() => (open(), fn(r.conn))).finally(() => r.pending--);
  };

  let committed: (() => void)[] = [];
  const tx: Tx = {
    query: (sql, params) => runQuery(writer, sql, params),
    append: (table, rows) => appendRows(writer, table, rows),
    onCommit: (fn) => void committed.push(fn),
  };

  return {
    filesDir,
    query: (sql, params) => read((conn) => runQuery(conn, sql, params)),
    transaction: (fn) =>
      writes(async () => {
        open();
        committed = [];
        await writer.run('BEGIN TRANSACTION');
        let result;
        try {
          result = await fn(tx);
          await writer.run('COMMIT');
        } catch (e) {
          committed = [];
          await writer.run('ROLLBACK').catch(() => undefined);
          throw e;
        }
        for (const done of committed.splice(0)) done();
        return result;
      }),
    async close() {
      if (closed) return;
      closed = true;
      // Let what is queued on every connection finish (or fail as closed) first.
      await Promise.all([writes(async () => undefined), ...readers.map((r) => r.run(async () => undefined))]);
      for (const r of readers) r.conn.closeSync();
      writer.closeSync();
      instance.closeSync();
    },
  };
}

/** A queue running the functions given to it one at a time, in order. */
function serial(): <T>(fn: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
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

async function appendRows(conn: DuckDBConnection, table: string, rows: Iterable<readonly Cell[]>): Promise<void> {
  let appender: DuckDBAppender | null = null;
  try {
    let types: DuckDBTypeId[] = [];
    for (const row of rows) {
      if (!appender) {
        appender = await conn.createAppender(table);
        const a = appender;
        types = Array.from({ length: a.columnCount }, (_, i) => a.columnType(i).typeId);
      }
      if (row.length !== types.length) throw new Error(`${table}: row has ${row.length} cells, table has ${types.length} columns`);
      for (let i = 0; i < types.length; i++) appendCell(appender, types[i]!, row[i]);
      appender.endRow();
    }
    appender?.flushSync();
  } finally {
    appender?.closeSync();
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
