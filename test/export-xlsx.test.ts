/** XLSX exports read back with the same library (ExcelJS): numbers stay numeric, formulas never appear. */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { tabulate } from '../client/src/export/table.ts';
import { buildXlsx } from '../client/src/export/xlsx.ts';

async function readBack(bytes: Uint8Array) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return wb;
}

describe('buildXlsx', () => {
  it('round-trips Chinese text and numbers, negative numbers as numeric cells', async () => {
    const table = tabulate([{ key: 'region', label: '地区' }, { key: 'rate', label: '执行率 (%)' }, { key: 'delta', label: '变化' }], [
      { region: '河北省', rate: 87.654321, delta: -12.5 },
      { region: null, rate: null, delta: 0 },
    ]);
    const wb = await readBack(await buildXlsx([{ name: '执行率排名（省份）', table }], { title: '执行率排名' }));
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('执行率排名（省份）');
    expect(ws.getRow(1).values).toEqual([undefined, '地区', '执行率 (%)', '变化']);
    expect(ws.getCell('A2').value).toBe('河北省');
    expect(ws.getCell('B2').value).toBe(87.654321);
    expect(ws.getCell('C2').value).toBe(-12.5);
    expect(ws.getCell('C2').type).toBe(ExcelJS.ValueType.Number);
    expect(ws.getCell('A3').value).toBeNull();
    expect(ws.getCell('C3').value).toBe(0);
    expect(ws.rowCount).toBe(3);
  });

  it('stores text that looks like a formula as plain text with an apostrophe, never as a formula', async () => {
    const table = tabulate([{ key: 'name', label: '项目' }], [
      { name: '=1+2' }, { name: '+SUM(A1:A2)' }, { name: '-3' }, { name: '@x' }, { name: '\tx' },
    ]);
    const ws = (await readBack(await buildXlsx([{ name: 'x', table }]))).worksheets[0]!;
    const cells = [2, 3, 4, 5, 6].map((r) => ws.getCell(`A${r}`));
    expect(cells.map((c) => c.value)).toEqual(["'=1+2", "'+SUM(A1:A2)", "'-3", "'@x", "'\tx"]);
    expect(cells.every((c) => c.type === ExcelJS.ValueType.String)).toBe(true);
  });

  it('gives every sheet a valid, unique name', async () => {
    const table = tabulate([{ key: 'a', label: 'a' }], [{ a: 1 }]);
    const long = '地区 × 问题类别（区县）/ a very long sheet name that Excel would refuse';
    const wb = await readBack(await buildXlsx([{ name: long, table }, { name: long, table }]));
    const names = wb.worksheets.map((w) => w.name);
    expect(names[0]!.length).toBeLessThanOrEqual(31);
    expect(names[0]).not.toMatch(/[/\\?*[\]:]/);
    expect(new Set(names).size).toBe(2);
  });
});
