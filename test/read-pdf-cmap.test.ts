import { describe, expect, it } from 'vitest';
import { extractDocument } from '../server/extract/extract.ts';
import { readDocument } from '../server/extract/read-document.ts';
import { buildNonEmbeddedCjkPdf } from './fixtures/build-nonembedded-pdf.ts';

describe('PDFs with non-embedded Chinese fonts', () => {
  it('decodes STSong-Light text through the CJK character maps', async () => {
    const pdf = buildNonEmbeddedCjkPdf(['某某县林业局2023年度项目支出绩效自评报告', '预算执行率为98.5%']);
    const { text, format } = await readDocument(pdf);
    expect(format).toBe('pdf');
    expect(text).toBe('某某县林业局2023年度项目支出绩效自评报告\n预算执行率为98.5%');
  });

  it('extracts figures from such a PDF', async () => {
    const pdf = buildNonEmbeddedCjkPdf(['某某县林业局2023年度项目支出绩效自评报告', '全年预算数为120万元，全年执行数为96万元，预算执行率为80%。', '自评得分88分。']);
    const out = await extractDocument(pdf, 'x.pdf');
    expect(out.report).toMatchObject({ year: 2023, budget_wan: 120, spent_wan: 96, execution_rate_pct: 80, score: 88 });
  });
});
