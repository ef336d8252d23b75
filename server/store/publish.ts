/**
 * Publishing: the tables of `server/tables.ts` (current reports only) written as ZSTD Parquet into a directory named by
 * the hash of their contents, so a changed dataset gets new URLs and an unchanged one keeps its version. The previous
 * version stays for browsers still reading it; older ones are deleted once they have been retired for a while.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DASHBOARD_TABLES, FILTER_COLUMNS, PUBLISHED_TABLES, type TableDef } from '../tables.ts';
import { quoteIdent, sqlString, type DB } from './db.ts';
import { correctedSource } from './overrides.ts';
import {
  DASHBOARD_FORMAT, dashboardFileName, FIRST_VIEW_FILE, writeDashboardFiles, type DashboardManifest,
} from './dashboard-files.ts';

/** A published table as listed by `dataset.manifest`. */
export interface ManifestTable {
  name: string;
  rows: number;
  /** Path of the Parquet file on this server (`/data/<version>/<table>.parquet`). */
  url: string;
  bytes: number;
}

/** The current data version and its tables. */
export interface Manifest {
  version: string;
  tables: ManifestTable[];
  /** What the dashboard loads (dashboard-files.ts). */
  dashboard: DashboardManifest;
}

interface PublishState {
  current: Manifest;
  /** Versions replaced by a newer one, newest first, with when they were replaced (ms since epoch). */
  retired: { version: string; at: number }[];
}

/** How long a replaced version stays downloadable beyond the one just before the current. */
const RETIRED_KEEP_MS = 10 * 60_000;
const STATE_FILE = 'state.json';
/** The dashboard files' listing inside a version directory. */
const DASHBOARD_FILE = 'dashboard.json';

/** The Parquet file of one table of one version, or null when the names are not a published version and table. */
export function parquetPath(publishedDir: string, version: string, table: string): string | null {
  if (!/^[0-9a-f]{16}$/.test(version) || !PUBLISHED_TABLES.some((t) => t.name === table)) return null;
  return join(publishedDir, version, `${table}.parquet`);
}

/** What a published file is, by name: its content type, or null when it is not one of a version's files. */
export function dataFileType(file: string): string | null {
  if (PUBLISHED_TABLES.some((t) => file === `${t.name}.parquet`)) return 'application/vnd.apache.parquet';
  if (DASHBOARD_TABLES.some((t) => file === dashboardFileName(t.name))) return 'application/octet-stream';
  if (file === FIRST_VIEW_FILE) return 'application/json';
  return null;
}

/** The path of one published file of one version, or null when the names are not a published version and file. */
export function dataFilePath(publishedDir: string, version: string, file: string): string | null {
  if (!/^[0-9a-f]{16}$/.test(version) || !dataFileType(file)) return null;
  return join(publishedDir, version, file);
}

/** Publishes the current reports and returns the new manifest. */
export async function publish(db: DB, publishedDir: string): Promise<Manifest> {
  await mkdir(publishedDir, { recursive: true });
  const tmp = join(publishedDir, `.tmp-${randomUUID()}`);
  await mkdir(tmp);
  try {
    // One transaction: every table is written from the same snapshot.
    const counts = await db.transaction(async (tx) => {
      const rows: number[] = [];
      for (const def of PUBLISHED_TABLES) {
        const file = sqlString(join(tmp, `${def.name}.parquet`));
        const [result] = await tx.query<{ Count: number }>(
          `COPY (${selectSql(def)}) TO ${file} (FORMAT parquet, COMPRESSION zstd)`,
        );
        rows.push(result?.Count ?? 0);
      }
      return rows;
    });
    const hash = createHash('sha256').update(`dashboard ${DASHBOARD_FORMAT}\0`);
    const files: Buffer[] = [];
    for (const def of PUBLISHED_TABLES) {
      const bytes = await readFile(join(tmp, `${def.name}.parquet`));
      hash.update(def.name).update('\0').update(bytes);
      files.push(bytes);
    }
    const version = hash.digest('hex').slice(0, 16);
    const dir = join(publishedDir, version);
    // The version exists when the data did not change. Its files are not synced to disk, so after a power cut they may
    // be damaged: replace them unless they hold exactly what was just written.
    const kept = existsSync(dir) && (await holds(dir, files)) ? await readDashboard(dir) : null;
    let dashboard: DashboardManifest;
    if (kept) {
      dashboard = kept;
      await rm(tmp, { recursive: true, force: true });
    } else {
      await rm(dir, { recursive: true, force: true });
      dashboard = await writeDashboardFiles(tmp, version);
      await writeFile(join(tmp, DASHBOARD_FILE), JSON.stringify(dashboard));
      await rename(tmp, dir);
    }

    const manifest: Manifest = {
      version,
      tables: PUBLISHED_TABLES.map((def, i) => ({
        name: def.name,
        rows: counts[i]!,
        url: `/data/${version}/${def.name}.parquet`,
        bytes: files[i]!.length,
      })),
      dashboard,
    };
    await retire(publishedDir, manifest);
    return manifest;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function readDashboard(dir: string): Promise<DashboardManifest | null> {
  return readFile(join(dir, DASHBOARD_FILE), 'utf8').then((s) => JSON.parse(s) as DashboardManifest, () => null);
}

/** Whether `dir` holds the published tables with exactly these contents. */
async function holds(dir: string, files: readonly Buffer[]): Promise<boolean> {
  for (const [i, def] of PUBLISHED_TABLES.entries()) {
    const existing = await readFile(join(dir, `${def.name}.parquet`)).catch(() => null);
    if (!existing?.equals(files[i]!)) return false;
  }
  return true;
}

/** The SELECT that produces one published table from the store's tables. */
export function selectSql(def: TableDef): string {
  const filter = new Set<string>(FILTER_COLUMNS.map(([c]) => c));
  const isReports = def.name === 'reports';
  const columns = def.columns.map(([name, type]) => {
    const expr =
      name === 'report_id' ? 'r.id'
      : DERIVED[def.name]?.[name] ?? (isReports || filter.has(name) ? `r.${quoteIdent(name)}` : `t.${quoteIdent(name)}`);
    return `CAST(${expr} AS ${type}) AS ${quoteIdent(name)}`;
  });
  // Editors' corrections (overrides.ts) apply to what is published; the store's tables keep what was extracted.
  const reports = ranked(correctedSource('reports'));
  const from = isReports ? `${reports} r` : `${correctedSource(def.name)} t JOIN ${reports} r ON r.id = t.report_id`;
  return `SELECT ${columns.join(', ')} FROM ${from} WHERE r.status = 'current' ORDER BY r.rk${isReports ? '' : ', t.idx'}`;
}

/**
 * The current reports numbered in the order of tables.ts `rk`: by region and department, so that the rows a filter
 * picks sit together (smaller files, and DuckDB skips row groups by their min/max).
 */
function ranked(reports: string): string {
  return `(SELECT x.*, CAST(row_number() OVER (ORDER BY x.year NULLS FIRST, x.province NULLS FIRST, x.city NULLS FIRST,
    x.county NULLS FIRST, x.department NULLS FIRST, x.seq) - 1 AS INTEGER) AS rk FROM ${reports} x WHERE x.status = 'current')`;
}

/** tables.ts `reports.project_rates`: the stated execution rates of the report `reportId` names, from `projects`. */
export function projectRatesSql(projects: string, reportId: string): string {
  return `coalesce((SELECT list(p.execution_rate_pct ORDER BY p.idx) FROM ${projects} p
    WHERE p.report_id = ${reportId} AND p.execution_rate_pct IS NOT NULL), [])`;
}

/** Published columns computed rather than copied. */
const DERIVED: Record<string, Record<string, string>> = {
  reports: {
    // tables.ts: the stated (corrected) execution rates of the report's projects, in project order.
    project_rates: projectRatesSql(correctedSource('projects'), 'r.id'),
  },
  projects: {
    // tables.ts: execution below 60% with a score of 90 or more (the stated rate, else spent/budget).
    mismatch: 'coalesce(coalesce(t.execution_rate_pct, t.spent_wan / nullif(t.budget_wan, 0) * 100) < 60 AND t.score >= 90, false)',
  },
};

async function retire(publishedDir: string, manifest: Manifest): Promise<void> {
  const now = Date.now();
  const old = await readState(publishedDir);
  const retired = (old?.retired ?? []).filter((r) => r.version !== manifest.version);
  if (old && old.current.version !== manifest.version) retired.unshift({ version: old.current.version, at: now });
  const keep = new Set([manifest.version, ...retired.filter((r, i) => i === 0 || now - r.at < RETIRED_KEEP_MS).map((r) => r.version)]);
  const state: PublishState = { current: manifest, retired: retired.filter((r) => keep.has(r.version)) };
  const tmpState = join(publishedDir, `.${STATE_FILE}.${randomUUID()}`);
  await writeFile(tmpState, JSON.stringify(state, null, 1));
  await rename(tmpState, join(publishedDir, STATE_FILE));
  for (const entry of await readdir(publishedDir)) {
    const path = join(publishedDir, entry);
    // Publishes run one at a time, so a .tmp- directory here is left over from a crash.
    if (entry === STATE_FILE || keep.has(entry)) continue;
    if ((await stat(path)).isDirectory()) await rm(path, { recursive: true, force: true });
  }
}

/** The version the published directory `publishedDir` currently serves, or null when nothing was published there. */
export async function publishedVersion(publishedDir: string): Promise<string | null> {
  return (await readState(publishedDir))?.current?.version ?? null;
}

async function readState(publishedDir: string): Promise<PublishState | null> {
  try {
    return JSON.parse(await readFile(join(publishedDir, STATE_FILE), 'utf8')) as PublishState;
  } catch {
    return null;
  }
}
