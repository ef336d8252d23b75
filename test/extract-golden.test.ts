import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../server/extract/extract.ts';
import { Extraction } from '../server/schema.ts';

// Hand-checked labels of the bundled reports (copied from the shared gold set), compared the way the scorer does.
const GOLD_DIR = join(import.meta.dirname, 'golden');
const REPORTS = join(import.meta.dirname, '..', 'data', 'reports');
const NUMERIC = ['budget_wan', 'funds_received_wan', 'spent_wan', 'execution_rate_pct', 'score'] as const;
const norm = (s: unknown) => String(s ?? '').replace(/[\s\u3000"“”'‘’《》「」()（）、，,。.:：;；-]/g, '');

function expectSame(got: unknown, want: unknown, what: string) {
  if (want === null) return expect(got ?? null, what).toBeNull();
  if (typeof want === 'number') {
    expect(typeof got, what).toBe('number');
    return expect(Math.abs((got as number) - want), what).toBeLessThanOrEqual(Math.max(0.011, 0.001 * Math.abs(want)));
  }
  expect(norm(got), what).toBe(norm(want));
}

interface Gold {
  source: string;
  report: Record<string, unknown>;
  optional?: Record<string, unknown>;
  projects: Array<Record<string, unknown> & { name: string; optional?: Record<string, unknown> }>;
  issue_categories: string[];
}

describe.each(readdirSync(GOLD_DIR).filter((f) => f.endsWith('.json')))('bundled report %s', (file) => {
  const gold = JSON.parse(readFileSync(join(GOLD_DIR, file), 'utf8')) as Gold;
  const load = () => extractDocument(new Uint8Array(readFileSync(join(REPORTS, gold.source))), gold.source);

  it('matches every labelled report field', async () => {
    const out = Extraction.parse(await load());
    for (const [k, want] of Object.entries(gold.report)) expectSame((out.report as Record<string, unknown>)[k], want, `report.${k}`);
    for (const [path, want] of Object.entries(gold.optional ?? {})) {
      const got = (out.report as Record<string, unknown>)[path.replace('report.', '')];
      if (got !== null && got !== undefined) expectSame(got, want, path);
    }
  });

  it('finds every labelled project with its figures and no unlabelled figure', async () => {
    const out = await load();
    const withFigures = out.projects.filter((p) => NUMERIC.some((k) => p[k] !== null));
    // No project with figures that the labels do not know.
    for (const p of withFigures) expect(gold.projects.some((gp) => norm(gp.name) === norm(p.name)), p.name).toBe(true);
    for (const gp of gold.projects) {
      const p = out.projects.find((x) => norm(x.name) === norm(gp.name));
      expect(p, gp.name).toBeDefined();
      for (const k of NUMERIC) {
        if (k in gp) expectSame(p![k], gp[k], `${gp.name}.${k}`);
        else if (gp.optional && k in gp.optional) { if (p![k] !== null) expectSame(p![k], gp.optional[k], `${gp.name}.${k}`); }
        else expect(p![k], `${gp.name}.${k} is not stated`).toBeNull();
      }
    }
  });

  it('classifies the stated problems into exactly the labelled categories', async () => {
    const out = await load();
    expect([...new Set(out.issues.map((i) => i.category))].sort()).toEqual([...gold.issue_categories].sort());
  });

  it('points every figure at its place in the text', async () => {
    const out = await load();
    for (const [field, span] of Object.entries(out.report.spans)) {
      const value = (out.report as Record<string, unknown>)[field];
      const at = out.text.slice(span.start, span.end);
      if (typeof value === 'number' && field !== 'year') expect(at.replace(/,/g, ''), field).toMatch(/\d/);
      if (['department', 'province', 'city', 'county', 'title'].includes(field)) expect(norm(at)).toBe(norm(value));
    }
    for (const issue of out.issues) expect(out.text.slice(issue.span.start, issue.span.end)).toBe(issue.text);
    for (const p of out.projects) expect(norm(out.text.slice(p.spans.name!.start, p.spans.name!.end))).toBe(norm(p.name));
    if (out.report.county) expect(out.report.spans.county, 'county span').toBeDefined();
  });

  it('is a pure function of the bytes', async () => {
    expect(JSON.stringify(await load())).toBe(JSON.stringify(await load()));
  });
});

describe('flags on the bundled reports', () => {
  const run = (name: string) => extractDocument(new Uint8Array(readFileSync(join(REPORTS, name))), name);

  it('flags a stated 100% execution that spent/budget puts at 87.1%', async () => {
    const out = await run('003_e3803eabbea4bb5a.txt');
    const flag = out.flags.find((f) => f.code === 'RATE_MISMATCH');
    expect(flag?.figures).toMatchObject({ execution_rate_pct: 100, execution_rate_computed_pct: 87.11 });
    expect(flag?.message_zh).toContain('87.11%');
  });

  it('flags low-execution projects that still scored 90 or more', async () => {
    const out = await run('004_6a91ebb11a30dcc1.txt');
    const flagged = out.flags.filter((f) => f.code === 'LOW_EXEC_HIGH_SCORE').map((f) => f.project);
    expect(flagged).toEqual(['2023年度意外伤害认定经费项目', '2023年度省级困难群众补助医疗救助项目']);
  });

  it('never lets a contact name or phone number through', async () => {
    const out = await run('002_7a86364aee8f6bf8.txt');
    expect(out.text).not.toContain('贾妍');
    expect(out.text).not.toContain('8185128');
    expect(JSON.stringify(out)).not.toMatch(/贾妍|8185128/);
  });
});
