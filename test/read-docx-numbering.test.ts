import { describe, expect, it } from 'vitest';
import { formatNumber } from '../server/extract/docx-numbering.ts';
import { extractDocument } from '../server/extract/extract.ts';
import { readDocument } from '../server/extract/read-document.ts';
import { buildDocxFromXml, wrapDocumentXml } from './fixtures/build-fixtures.ts';

const NUMBERING = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
  <w:abstractNum w:abstractNumId="0">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="1">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="2">
    <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
  <w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>
</w:numbering>`;

const p = (text: string, numId?: number, ilvl = 0) =>
  `<w:p>${numId ? `<w:pPr><w:numPr><w:ilvl w:val="${ilvl}"/><w:numId w:val="${numId}"/></w:numPr></w:pPr>` : ''}<w:r><w:t>${text}</w:t></w:r></w:p>`;

describe('Word automatic numbering', () => {
  it('formats counters the way Word does', () => {
    expect([1, 10, 12, 20, 21].map((n) => formatNumber(n, 'chineseCounting'))).toEqual(['一', '十', '十二', '二十', '二十一']);
    expect(formatNumber(3, 'upperRoman')).toBe('III');
  });

  it('writes the generated numbers in front of their paragraphs', async () => {
    const body = [
      p('某某局2024年度项目支出绩效自评报告'),
      p('基本情况', 1), p('项目概况', 1, 1), p('资金情况', 1, 1),
      p('存在的问题', 1), p('部分项目支出进度较慢。', 2), p('要点', 3),
    ].join('');
    const { text } = await readDocument(buildDocxFromXml(wrapDocumentXml(body), { 'word/numbering.xml': NUMBERING }));
    expect(text.split('\n')).toEqual([
      '某某局2024年度项目支出绩效自评报告', '一、基本情况', '（一）项目概况', '（二）资金情况', '二、存在的问题', '1.部分项目支出进度较慢。', '要点',
    ]);
  });

  it('lets the extractor see auto-numbered project paragraphs', async () => {
    const body = [
      p('某某局2024年度项目支出绩效自评报告'),
      p('某某设备购置经费：年初预算资金 20 万元，执行率为 100%，该项目自评得分 98 分。', 2),
      p('某某道路维修经费：年初预算资金 50 万元，执行率为 40%，该项目自评得分 91 分。', 2),
    ].join('');
    const out = await extractDocument(buildDocxFromXml(wrapDocumentXml(body), { 'word/numbering.xml': NUMBERING }), 'x.docx');
    expect(out.projects.map((x) => [x.name, x.budget_wan, x.execution_rate_pct, x.score])).toEqual([
      ['某某设备购置经费', 20, 100, 98],
      ['某某道路维修经费', 50, 40, 91],
    ]);
  });
});
