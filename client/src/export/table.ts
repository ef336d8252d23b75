/** The exported form of rows: labelled columns of plain cells (text, numbers, empty), shared by CSV, XLSX and slides. */

/** One exported cell: numbers stay numbers so spreadsheets can sum them. */
export type Cell = string | number | null;

/** One exported column: its header and how to read a row's cell (default: the field `key`). */
export interface ExportColumn<R = Record<string, unknown>> {
  key: string;
  label: string;
  value?: (row: R) => unknown;
}

/** A header row and body rows of cells. */
export interface Table {
  header: string[];
  body: Cell[][];
}

/** A value as a cell: finite numbers stay numbers, booleans and dates become text, anything missing is empty. */
export function toCell(v: unknown): Cell {
  if (v == null) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** Lays `rows` out under `columns`. */
export function tabulate<R>(columns: ExportColumn<R>[], rows: R[]): Table {
  return {
    header: columns.map((c) => c.label),
    body: rows.map((row) => columns.map((c) => toCell(c.value ? c.value(row) : (row as Record<string, unknown>)[c.key]))),
  };
}

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell made safe against formula injection (OWASP "CSV injection"): text starting with = + - @ tab or CR gets
 * a leading apostrophe, so Excel/WPS show it as text instead of evaluating it. Numbers are never passed here.
 */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A file-name-safe version of `name` (keeps Chinese; drops characters Windows refuses). */
export function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').replace(/\s+/g, ' ').trim().slice(0, 120) || 'export';
}
