/** CSV that Excel and WPS open correctly: UTF-8 with a BOM, CRLF rows, RFC 4180 quoting, formulas neutralised. */
import { neutralizeFormula, type Cell, type Table } from './table.ts';

/** The UTF-8 byte order mark, which tells Excel the file is UTF-8 (without it Chinese turns to mojibake). */
export const BOM = '\ufeff';

function field(cell: Cell): string {
  if (cell == null) return '';
  // Numbers (negative ones included) stay numbers; only text can smuggle a formula.
  const text = typeof cell === 'number' ? String(cell) : neutralizeFormula(cell);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The table as CSV text, starting with the BOM. */
export function toCsv(table: Table): string {
  return BOM + [table.header, ...table.body].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
