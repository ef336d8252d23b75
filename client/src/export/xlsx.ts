/** XLSX workbooks (ExcelJS): one sheet per table, numbers as numeric cells, text neutralised against formulas. */
import type { Workbook } from 'exceljs';
import { neutralizeFormula, type Table } from './table.ts';

/** One sheet to write. */
export interface Sheet {
  name: string;
  table: Table;
}

/** A sheet name Excel accepts: at most 31 characters, none of : \ / ? * [ ], unique in the workbook. */
function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[:\\/?*[\]]/g, ' ').trim().slice(0, 31) || 'Sheet';
  let out = base;
  for (let i = 2; taken.has(out.toLowerCase()); i++) out = `${base.slice(0, 31 - String(i).length - 1)}-${i}`;
  taken.add(out.toLowerCase());
  return out;
}

/** Builds the workbook and returns the .xlsx bytes. */
export async function buildXlsx(sheets: Sheet[], meta: { title?: string } = {}): Promise<Uint8Array> {
  const { Workbook: WorkbookClass } = await loadExcelJs();
  const wb: Workbook = new WorkbookClass();
  wb.creator = '预算绩效评价报告分析看板';
  if (meta.title) wb.title = meta.title;
  const taken = new Set<string>();
  for (const { name, table } of sheets) {
    const ws = wb.addWorksheet(sheetName(name, taken), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(table.header.map(neutralizeFormula)).font = { bold: true };
    for (const row of table.body) ws.addRow(row.map((c) => (typeof c === 'string' ? neutralizeFormula(c) : c)));
    ws.columns.forEach((col, i) => {
      const longest = Math.max(...[table.header[i] ?? '', ...table.body.slice(0, 500).map((r) => r[i])].map((c) => displayWidth(c)));
      col.width = Math.min(60, Math.max(8, longest + 2));
    });
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** Width in Excel character units: CJK characters take two. */
function displayWidth(c: string | number | null): number {
  if (c == null) return 0;
  const s = String(c);
  let w = 0;
  for (const ch of s) w += ch.codePointAt(0)! > 0x2e80 ? 2 : 1;
  return w;
}

/** ExcelJS: its browser build in the app, its Node build in tests (both export the same Workbook). */
async function loadExcelJs(): Promise<typeof import('exceljs')> {
  const mod = await import('exceljs');
  return ((mod as { default?: typeof import('exceljs') }).default ?? mod) as typeof import('exceljs');
}
