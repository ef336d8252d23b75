import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../server/extract/extract.ts';
import { buildDocx, buildPdf } from './fixtures/build-fixtures.ts';

// The same report as .txt, .docx and .pdf must give the same records: readers feed one pipeline.
const REPORTS = join(import.meta.dirname, '..', 'data', 'reports');
const FIELDS = ['department', 'province', 'city', 'county', 'admin_code', 'year', 'kind', 'budget_wan', 'funds_received_wan', 'spent_wan', 'execution_rate_pct', 'score', 'grade'] as const;

describe.each(readdirSync(REPORTS).filter((f) => f.endsWith('.txt')))('%s as .docx and .pdf', (file) => {
  const bytes = new Uint8Array(readFileSync(join(REPORTS, file)));
  const text = new TextDecoder().decode(bytes);
  const summary = async (b: Uint8Array, name: string) => {
    const out = await extractDocument(b, name);
    return {
      report: Object.fromEntries(FIELDS.map((k) => [k, out.report[k]])),
      format: out.report.format,
      projects: out.projects.map((p) => [p.name, p.budget_wan, p.spent_wan, p.execution_rate_pct, p.score]),
      issues: [...new Set(out.issues.map((i) => i.category))].sort(),
    };
  };

  it('gives the same report, projects and issues', async () => {
    const txt = await summary(bytes, file);
    const docx = await summary(await buildDocx(text), file.replace('.txt', '.docx'));
    const pdf = await summary(await buildPdf(text), file.replace('.txt', '.pdf'));
    expect(docx.format).toBe('docx');
    expect(pdf.format).toBe('pdf');
    expect({ ...docx, format: 'txt' }).toEqual(txt);
    expect({ ...pdf, format: 'txt' }).toEqual(txt);
  });
});
