/** The extraction pipeline: bytes → text → normalised text → sections → records → checks. Pure: same bytes, same result. */
import { createHash } from 'node:crypto';
import { SCHEMA_VERSION, type Extraction, type SourceFormat } from '../schema.ts';
import { readDocument } from './read-document.ts';

/** Extracts one report file. Throws ReadError for input it cannot read. */
export async function extractDocument(bytes: Uint8Array, source: string): Promise<Extraction> {
  const { text, format } = await readDocument(bytes);
  const id = createHash('sha256').update(bytes).digest('hex');
  return extractText(text, { id, source, format });
}

/** Extracts records from already-read report text. */
export function extractText(raw: string, meta: { id: string; source: string; format: SourceFormat }): Extraction {
  return {
    schema_version: SCHEMA_VERSION,
    report: {
      ...meta, title: null, department: null, supervisor: null, department_kind: null,
      province: null, city: null, county: null, admin_code: null, year: null, kind: 'department_overall',
      budget_wan: null, funds_received_wan: null, spent_wan: null, execution_rate_pct: null,
      execution_rate_computed_pct: null, score: null, grade: null, grade_stated: null, spans: {}, confidence: {},
    },
    projects: [], indicators: [], issues: [], suggestions: [], flags: [], text: raw,
  };
}
