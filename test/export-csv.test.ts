/** CSV exports: a BOM for Excel, RFC 4180 quoting, and text that could run as a formula neutralised (numbers kept). */
import { describe, expect, it } from 'vitest';
import { BOM, toCsv } from '../client/src/export/csv.ts';
import { neutralizeFormula, safeFileName, tabulate, type ExportColumn } from '../client/src/export/table.ts';

interface Row { name: string | null; amount: number | null; flag?: boolean }

const columns: ExportColumn<Row>[] = [
  { key: 'name', label: '项目' },
  { key: 'amount', label: '金额（万元）' },
  { key: 'flag', label: 'Flag' },
];

describe('toCsv', () => {
  it('starts with the UTF-8 BOM and ends rows with CRLF, Chinese intact', () => {
    const csv = toCsv(tabulate(columns, [{ name: '河北省教育局', amount: 12.5 }]));
    expect(csv.startsWith(BOM)).toBe(true);
    expect(new TextEncoder().encode(csv).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    expect(csv.slice(1)).toBe('项目,金额（万元）,Flag\r\n河北省教育局,12.5,\r\n');
  });

  it('quotes commas, quotes, newlines and edge spaces', () => {
    const csv = toCsv(tabulate(columns, [{ name: 'a,"b"\nc', amount: null }, { name: ' x ', amount: 0 }]));
    expect(csv.split('\r\n').slice(1, 3)).toEqual(['"a,""b""\nc",,', '" x ",0,']);
  });

  it('neutralises text starting with = + - @ tab or CR, but keeps negative numbers as numbers', () => {
    const rows: Row[] = [
      { name: '=HYPERLINK("http://x","y")', amount: -3.5 },
      { name: '+1', amount: null },
      { name: '-2', amount: null },
      { name: '@SUM(A1)', amount: null },
      { name: '\tcmd', amount: null },
      { name: '\rcmd', amount: null },
      { name: '正常-文本', amount: -0.25 },
    ];
    const lines = toCsv(tabulate(columns, rows)).slice(1).split('\r\n');
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://x"",""y"")",-3.5,`);
    expect(lines[2]).toBe("'+1,,");
    expect(lines[3]).toBe("'-2,,");
    expect(lines[4]).toBe("'@SUM(A1),,");
    expect(lines[5]).toBe("'\tcmd,,");
    expect(lines[6]).toBe(`"'\rcmd",,`);
    expect(lines[7]).toBe('正常-文本,-0.25,');
  });

  it('writes booleans as TRUE/FALSE and leaves missing cells empty', () => {
    const csv = toCsv(tabulate(columns, [{ name: null, amount: Number.NaN, flag: true }]));
    expect(csv.slice(1).split('\r\n')[1]).toBe(',,TRUE');
  });
});

describe('helpers', () => {
  it('neutralizeFormula leaves ordinary text alone', () => {
    expect(neutralizeFormula('预算执行率')).toBe('预算执行率');
    expect(neutralizeFormula('=1+1')).toBe("'=1+1");
  });

  it('safeFileName keeps Chinese and drops what Windows refuses', () => {
    expect(safeFileName('执行率排名（省份）: a/b*?')).toBe('执行率排名（省份）_ a_b_');
  });
});
