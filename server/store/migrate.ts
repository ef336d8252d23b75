/**
 * The store's tables and their migrations. Every table is keyed by the report id (sha256 of the source bytes); the
 * published tables of `server/tables.ts` are views of these, restricted to current reports.
 */
import type { DB, Tx } from './db.ts';
import { gzipExtractionJson } from './rows.ts';
import { sourceFiles } from './source-files.ts';

/** One step: SQL, or a function for what SQL cannot do (writing files), run inside the migration's transaction. */
type Migration = string | ((tx: Tx, db: DB) => Promise<void>);

/** Each entry upgrades the store by one version; append, never edit, once a store in the wild has run it. */
const MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
  -- Original bytes (content-addressed) and the whole Extraction JSON (normalised text, spans, suggestions).
  CREATE TABLE sources (
    id VARCHAR NOT NULL, name VARCHAR NOT NULL, format VARCHAR NOT NULL, size_bytes BIGINT NOT NULL,
    bytes BLOB NOT NULL, extraction VARCHAR NOT NULL, schema_version INTEGER NOT NULL, extracted_at TIMESTAMP NOT NULL
  );
  CREATE TABLE reports (
    id VARCHAR NOT NULL, seq BIGINT NOT NULL, status VARCHAR NOT NULL, review_state VARCHAR NOT NULL,
    ingested_at TIMESTAMP NOT NULL, source VARCHAR NOT NULL, format VARCHAR NOT NULL, title VARCHAR,
    department VARCHAR, supervisor VARCHAR, department_kind VARCHAR, province VARCHAR, city VARCHAR, county VARCHAR,
    admin_code VARCHAR, year INTEGER, kind VARCHAR NOT NULL, budget_wan DOUBLE, funds_received_wan DOUBLE,
    spent_wan DOUBLE, execution_rate_pct DOUBLE, execution_rate_computed_pct DOUBLE, score DOUBLE, grade VARCHAR,
    grade_stated VARCHAR, project_count INTEGER NOT NULL, issue_count INTEGER NOT NULL, flag_count INTEGER NOT NULL
  );
  CREATE TABLE projects (
    report_id VARCHAR NOT NULL, idx INTEGER NOT NULL, name VARCHAR NOT NULL, budget_wan DOUBLE,
    funds_received_wan DOUBLE, spent_wan DOUBLE, execution_rate_pct DOUBLE, score DOUBLE
  );
  CREATE TABLE indicators (
    report_id VARCHAR NOT NULL, idx INTEGER NOT NULL, level1 VARCHAR, level2 VARCHAR, level3 VARCHAR NOT NULL,
    operator VARCHAR, target_value DOUBLE, target_text VARCHAR, unit VARCHAR, weight DOUBLE, actual_value DOUBLE,
    actual_text VARCHAR
  );
  CREATE TABLE issues (report_id VARCHAR NOT NULL, idx INTEGER NOT NULL, category VARCHAR NOT NULL, text VARCHAR NOT NULL);
  CREATE TABLE flags (
    report_id VARCHAR NOT NULL, idx INTEGER NOT NULL, code VARCHAR NOT NULL, project VARCHAR,
    message_zh VARCHAR NOT NULL, message_en VARCHAR NOT NULL, figures VARCHAR NOT NULL
  );
  `,
  // 2 · Review (server/store/overrides.ts): editors' corrections, review marks, the audit trail; per report the number
  // of low-confidence fields (counted from the stored extraction's confidence map for reports already stored).
  `
  ALTER TABLE reports ADD COLUMN low_confidence_count INTEGER DEFAULT 0;
  UPDATE reports SET review_state = 'unreviewed', low_confidence_count = coalesce((
    SELECT len(regexp_extract_all(regexp_extract(s.extraction, '"confidence":[{][^}]*[}]'), ':"low"'))
    FROM sources s WHERE s.id = reports.id), 0);
  CREATE TABLE overrides (
    id VARCHAR NOT NULL, report_id VARCHAR NOT NULL, target VARCHAR NOT NULL, item_idx INTEGER, item_key VARCHAR,
    field VARCHAR NOT NULL, extracted_value VARCHAR, value VARCHAR, status VARCHAR NOT NULL, editor VARCHAR NOT NULL,
    reason VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, origin_id VARCHAR
  );
  CREATE TABLE review_marks (report_id VARCHAR NOT NULL, editor VARCHAR NOT NULL, note VARCHAR, marked_at TIMESTAMP NOT NULL);
  CREATE TABLE audit_log (
    seq BIGINT NOT NULL, changed_at TIMESTAMP NOT NULL, editor VARCHAR, action VARCHAR NOT NULL, report_id VARCHAR NOT NULL,
    source VARCHAR, department VARCHAR, year INTEGER, target VARCHAR, item_idx INTEGER, item_key VARCHAR, field VARCHAR,
    old_value VARCHAR, new_value VARCHAR, reason VARCHAR, override_id VARCHAR
  );
  `,
  // 3 · The original files and extractions move out of the database into pack files (source-files.ts), the
  // extractions gzip'd as `gzipExtraction` does.
  async (tx, db) => {
    await tx.query(`CREATE TABLE sources_v3 (
      id VARCHAR NOT NULL, name VARCHAR NOT NULL, format VARCHAR NOT NULL, size_bytes BIGINT NOT NULL,
      pack VARCHAR NOT NULL, pack_offset BIGINT NOT NULL, extraction_size BIGINT NOT NULL, schema_version INTEGER NOT NULL,
      extracted_at TIMESTAMP NOT NULL
    )`);
    const files = sourceFiles(db);
    const packs = new Set<string>();
    // A chunk at a time: the bytes of a whole store need not fit in memory.
    for (let after = -1; ; ) {
      const rows = await tx.query<{
        rowid: number; id: string; name: string; format: string; size_bytes: number; bytes: Uint8Array; extraction: string;
        schema_version: number; extracted_at: string;
      }>('SELECT rowid, * FROM sources WHERE rowid > ? ORDER BY rowid LIMIT 256', [after]);
      if (rows.length === 0) break;
      after = rows.at(-1)!.rowid;
      const gz = rows.map((r) => gzipExtractionJson(r.extraction));
      const saved = rows.map((r, k) => files.save(r.bytes, gz[k]!));
      await Promise.all(saved.map((x) => x.written));
      for (const x of saved) packs.add(x.pack);
      await tx.append('sources_v3', rows.map((r, k) => [
        r.id, r.name, r.format, r.size_bytes, saved[k]!.pack, saved[k]!.offset, gz[k]!.length, r.schema_version,
        new Date(r.extracted_at),
      ]));
    }
    await files.durable(packs);
    await tx.query('DROP TABLE sources; ALTER TABLE sources_v3 RENAME TO sources');
  },
];

/** The tables holding one report's rows, in the order they are written. */
export const REPORT_TABLES = ['sources', 'reports', 'projects', 'indicators', 'issues', 'flags'] as const;

/** The review tables (corrections, review marks, audit trail): kept when a report's rows are replaced or removed. */
export const REVIEW_TABLES = ['overrides', 'review_marks', 'audit_log'] as const;

/** The first store version whose original files and extractions are kept outside the database (source-files.ts). */
export const FILES_OUTSIDE_VERSION = 3;

/** The store version this program writes. */
export const STORE_VERSION = MIGRATIONS.length;

/** Brings the store's tables up to `target` (default: the latest version). */
export async function migrate(db: DB, target = STORE_VERSION): Promise<void> {
  await db.transaction(async (tx) => {
    const [{ n }] = (await tx.query<{ n: number }>(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'meta' AND table_schema = 'main'",
    )) as [{ n: number }];
    let version = 0;
    if (n > 0) {
      const rows = await tx.query<{ value: string }>("SELECT value FROM meta WHERE key = 'store_version'");
      version = Number(rows[0]?.value ?? 0);
    }
    if (version > MIGRATIONS.length) {
      throw new Error(`the store was written by a newer version of this program (store version ${version})`);
    }
    for (let v = version; v < target; v++) {
      const step = MIGRATIONS[v]!;
      await (typeof step === 'string' ? tx.query(step) : step(tx, db));
    }
    if (version < target) await tx.query("INSERT OR REPLACE INTO meta VALUES ('store_version', ?)", [String(target)]);
  });
}

/** Reads one value from the store's key-value table. */
export async function getMeta(db: Pick<DB | Tx, 'query'>, key: string): Promise<string | null> {
  const rows = await db.query<{ value: string }>('SELECT value FROM meta WHERE key = ?', [key]);
  return rows[0]?.value ?? null;
}

/** Writes one value to the store's key-value table. */
export async function setMeta(db: DB, key: string, value: string): Promise<void> {
  await db.query('INSERT OR REPLACE INTO meta VALUES (?, ?)', [key, value]);
}
