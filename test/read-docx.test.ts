import { readdirSync, readFileSync } from 'node:fs';
import { strToU8 } from 'fflate';
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import { describe, expect, it } from 'vitest';
import { readDocument } from '../server/extract/read-document.ts';
import { MAX_XML_DEPTH } from '../server/extract/read-docx.ts';
import { buildDocx, buildDocxFromXml, buildZip, wrapDocumentXml } from './fixtures/build-fixtures.ts';
import { expectReadError } from './fixtures/expect-read-error.ts';

const REPORTS = new URL('../data/reports/', import.meta.url);
const seeds = readdirSync(REPORTS)
  .filter((name) => name.endsWith('.txt'))
  .map((name) => ({ name, text: readFileSync(new URL(name, REPORTS), 'utf8') }));
const seed = seeds.find((s) => s.text.includes('预算执行率') && s.text.includes('889.39'))!;

const paragraph = (xml: string) => `<w:p>${xml}</w:p>`;
const run = (text: string) => `<w:r><w:t xml:space="preserve">${text}</w:t></w:r>`;
const cell = (xml: string, span = 1) =>
  `<w:tc><w:tcPr>${span > 1 ? `<w:gridSpan w:val="${span}"/>` : ''}</w:tcPr>${xml || paragraph('')}</w:tc>`;
const row = (...cells: string[]) => `<w:tr><w:trPr/>${cells.join('')}</w:tr>`;
const table = (...rows: string[]) => `<w:tbl><w:tblPr/><w:tblGrid/>${rows.join('')}</w:tbl>`;
const readXml = async (body: string) => (await readDocument(buildDocxFromXml(wrapDocumentXml(body)))).text;

describe('readDocument on .docx files', () => {
  it.each(seeds.map((s) => [s.name, s.text]))(
    'reads %s back line for line: paragraphs as lines, table rows as tab-joined cells',
    async (_name, text) => {
      const result = await readDocument(await buildDocx(text));
      expect(result.format).toBe('docx');
      expect(result.encoding).toBeNull();
      // Cells come out trimmed; everything else exactly as in the seed.
      const expected = text
        .split('\n')
        .map((line) => (line.includes('\t') ? line.split('\t').map((c) => c.trim()).join('\t') : line))
        .join('\n');
      expect(result.text).toBe(expected);
    },
  );

  it('gives the sentences and figures a user looks for', async () => {
    const lines = (await readDocument(await buildDocx(seed.text))).text.split('\n');
    expect(lines).toContain('\t预算执行率');
    expect(lines).toContain('\t889.39');
    expect(lines.some((line) => line.includes('合水县医疗保障局') && line.includes('绩效评价'))).toBe(true);
  });

  it('puts each table row on one line with its cells separated by tabs', async () => {
    const text = '资金情况\n项目名称\t预算数（万元）\t执行数（万元）\t执行率\n某某专项经费\t889.39\t774.79\t87.11%\n合计';
    const lines = (await readDocument(await buildDocx(text))).text.split('\n');
    expect(lines).toEqual(['资金情况', '项目名称\t预算数（万元）\t执行数（万元）\t执行率', '某某专项经费\t889.39\t774.79\t87.11%', '合计']);
  });

  it('puts a nested table on its own rows after the row that holds it', async () => {
    const nested = new Table({
      rows: [
        new TableRow({ children: ['预算安排资金', '889.39'].map((t) => new TableCell({ children: [new Paragraph(t)] })) }),
        new TableRow({ children: ['实际到位资金', '774.79'].map((t) => new TableCell({ children: [new Paragraph(t)] })) }),
      ],
    });
    const outer = new Table({
      rows: [
        new TableRow({
          children: [
            new TableCell({ children: [new Paragraph('资金情况（万元）')] }),
            new TableCell({ children: [new Paragraph('见下表'), nested] }),
          ],
        }),
        new TableRow({ children: ['预算执行率', '100%'].map((t) => new TableCell({ children: [new Paragraph(t)] })) }),
      ],
    });
    const doc = new Document({ sections: [{ children: [new Paragraph('二、资金'), outer] }] });
    const text = (await readDocument(new Uint8Array(await Packer.toBuffer(doc)))).text;
    expect(text.split('\n')).toEqual([
      '二、资金',
      '资金情况（万元）\t见下表',
      '预算安排资金\t889.39',
      '实际到位资金\t774.79',
      '预算执行率\t100%',
    ]);
  });

  it('keeps the lines of a one-cell layout table as lines', async () => {
    const text = await readXml(
      table(row(cell(paragraph(run('一、部门基本情况')) + paragraph(run('（一）部门概况')) + table(row(cell(paragraph(run('预算数'))), cell(paragraph(run('889.39')))))))) +
        paragraph(run('二、绩效目标')),
    );
    expect(text.split('\n')).toEqual(['一、部门基本情况', '（一）部门概况', '预算数\t889.39', '二、绩效目标']);
  });

  it('turns w:br into a new line and w:tab into a tab; in a cell both become spaces', async () => {
    const text = await readXml(
      paragraph(`${run('全年预算数')}<w:r><w:tab/></w:r>${run('52.30')}<w:r><w:br/></w:r>${run('全年执行数')}<w:r><w:tab/><w:t>51.78</w:t></w:r>`) +
        table(row(cell(paragraph(`${run('执行率')}<w:r><w:br/></w:r>${run('（%）')}`) + paragraph(run('备注'))), cell(paragraph(`${run('99')}<w:r><w:tab/></w:r>${run('%')}`)))),
    );
    expect(text.split('\n')).toEqual(['全年预算数\t52.30', '全年执行数\t51.78', '执行率 （%） 备注\t99 %']);
  });

  it('keeps merged cells in their columns, reads text boxes once, and skips deleted text and field codes', async () => {
    const textBox = (content: string) =>
      `<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">` +
      `<mc:Choice Requires="wps"><w:drawing><wps:wsp xmlns:wps="x"><wps:txbx><w:txbxContent>${paragraph(run(content))}</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>` +
      `<mc:Fallback><w:pict><v:textbox xmlns:v="y"><w:txbxContent>${paragraph(run(content))}</w:txbxContent></v:textbox></w:pict></mc:Fallback>` +
      `</mc:AlternateContent></w:r>`;
    const text = await readXml(
      table(row(cell(paragraph(run('部门名称')), 2), cell(paragraph(run('某某县林业局')))), row(cell(''), cell(''), cell(paragraph(run('48.5'))))) +
        paragraph(run('评价结论') + textBox('自评得分98')) +
        paragraph(`${run('预算执行率')}<w:del><w:r><w:delText>90%</w:delText></w:r></w:del><w:ins><w:r><w:t>100%</w:t></w:r></w:ins>`) +
        paragraph(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>${run('3')}<w:r><w:fldChar w:fldCharType="end"/></w:r>`),
    );
    expect(text.split('\n')).toEqual(['部门名称\t\t某某县林业局', '\t\t48.5', '评价结论', '自评得分98', '预算执行率100%', '3']);
  });

  it('decodes character references once, never twice', async () => {
    const text = await readXml(paragraph(run('&#x9884;&#31639; A&amp;B &lt;p&gt; &amp;#20013;')));
    expect(text).toBe('预算 A&B <p> &#20013;');
  });

  it('reads a docx whose namespace prefix is not w:', async () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><ns0:document xmlns:ns0="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
      '<ns0:body><ns0:p><ns0:r><ns0:t>预算执行率100%</ns0:t></ns0:r></ns0:p></ns0:body></ns0:document>';
    expect((await readDocument(buildDocxFromXml(xml))).text).toBe('预算执行率100%');
  });

  it('refuses a zip archive that is not a .docx', async () => {
    const zip = buildZip({ 'report.txt': seed.text, 'xl/workbook.xml': '<workbook/>' });
    await expectReadError(readDocument(zip), 'UNSUPPORTED', /zip archive that is not a \.docx/);
    await expectReadError(readDocument(buildZip({})), 'UNSUPPORTED', /zip archive that is not a \.docx/);
  });

  it('refuses a zip bomb named .docx without unpacking it', async () => {
    const xml = new Uint8Array(51 * 1024 * 1024).fill(0x20); // 51 MB of blanks packs into ~50 kB
    xml.set(strToU8(wrapDocumentXml(paragraph(run('预算执行率100%')))));
    const bomb = buildDocxFromXml(xml);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expectReadError(readDocument(bomb), 'TOO_LARGE', /more than 20 MB/);
    // The same bomb lying about its size in the zip directory is stopped while unpacking.
    await expectReadError(readDocument(declareSize(bomb, 'word/document.xml', 1000)), 'TOO_LARGE', /more than 20 MB/);
  });

  it('refuses deeply nested XML in document.xml quickly', async () => {
    const deep = (depth: number) => wrapDocumentXml('<w:sdt><w:sdtContent>'.repeat(depth) + paragraph(run('x')) + '</w:sdtContent></w:sdt>'.repeat(depth));
    expect((await readDocument(buildDocxFromXml(deep(20)))).text).toBe('x');
    const started = performance.now();
    await expectReadError(readDocument(buildDocxFromXml(deep(MAX_XML_DEPTH))), 'CORRUPT', /nested more than/);
    await expectReadError(readDocument(buildDocxFromXml('<w:p>'.repeat(1_000_000))), 'CORRUPT', /nested more than/);
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('refuses a truncated or damaged .docx as damaged', async () => {
    const docx = await buildDocx(seed.text);
    await expectReadError(readDocument(docx.slice(0, docx.length >> 1)), 'CORRUPT', /damaged or incomplete/);
    const damaged = buildDocxFromXml(strToU8(wrapDocumentXml(paragraph(run('预算执行率')).repeat(2000))));
    const start = findLocalData(damaged, 'word/document.xml');
    for (let i = start + 10; i < start + 60; i++) damaged[i] = 0xff;
    await expectReadError(readDocument(damaged), 'CORRUPT', /damaged/);
  });

  it('refuses a .docx whose text is encrypted inside the zip, saying so', async () => {
    const docx = await buildDocx(seed.text);
    await expectReadError(readDocument(setFlags(docx, 'word/document.xml', 0x0001)), 'ENCRYPTED', /password-protected/);
  });

  it('refuses a .docx with no text', async () => {
    await expectReadError(readDocument(buildDocxFromXml(wrapDocumentXml(paragraph('') + '<w:sectPr/>'))), 'NO_TEXT', /contains no text/);
  });

  it('is pure: the same bytes give the same text', async () => {
    const docx = await buildDocx(seed.text);
    const copy = docx.slice();
    expect(await readDocument(docx)).toEqual(await readDocument(docx));
    expect(docx).toEqual(copy);
  });
});

/** Rewrites the uncompressed size that the zip's central directory and local header declare for one member. */
function declareSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  return patchCentralEntry(zip, name, (view, entry) => {
    view.setUint32(entry + 24, size, true);
    view.setUint32(view.getUint32(entry + 42, true) + 22, size, true);
  });
}

/** Sets general-purpose flag bits (bit 0: encrypted) on one member in the central directory. */
function setFlags(zip: Uint8Array, name: string, flags: number): Uint8Array {
  return patchCentralEntry(zip, name, (view, entry) => view.setUint16(entry + 8, view.getUint16(entry + 8, true) | flags, true));
}

function patchCentralEntry(zip: Uint8Array, name: string, patch: (view: DataView, entry: number) => void): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  let eocd = out.length - 22;
  while (view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  let offset = view.getUint32(eocd + 16, true);
  for (let i = 0; i < view.getUint16(eocd + 10, true); i++) {
    const nameLength = view.getUint16(offset + 28, true);
    if (Buffer.from(out.subarray(offset + 46, offset + 46 + nameLength)).toString() === name) patch(view, offset);
    offset += 46 + nameLength + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
  }
  return out;
}

/** Offset of the compressed data of one member (found through its local header). */
function findLocalData(zip: Uint8Array, name: string): number {
  const view = new DataView(zip.buffer, zip.byteOffset);
  let offset = 0;
  while (view.getUint32(offset, true) === 0x04034b50) {
    const nameLength = view.getUint16(offset + 26, true);
    const dataStart = offset + 30 + nameLength + view.getUint16(offset + 28, true);
    if (Buffer.from(zip.subarray(offset + 30, offset + 30 + nameLength)).toString() === name) return dataStart;
    offset = dataStart + view.getUint32(offset + 18, true);
  }
  throw new Error(`${name} not in zip`);
}
