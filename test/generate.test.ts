/** The realistic corpus generator: determinism, coverage, honest gold labels, distributions, and the extractor's score. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeForScore } from '../server/extract/amounts.ts';
import { extractDocument } from '../server/extract/extract.ts';
import { chineseYear, num } from '../server/generate/context.ts';
import { DEFAULT_SHARES, generateReport, renderReport, writeCorpus, type GeneratedReport } from '../server/generate/corpus.ts';
import { DAMAGES } from '../server/generate/damage.ts';
import { GoldLabel } from '../server/generate/gold.ts';
import { loadIntoStore } from '../server/generate/store-load.ts';
import { displayName } from '../server/store/ingest.ts';
import { openStore } from '../server/store/store.ts';
import { toExtraction } from '../server/generate/to-extraction.ts';
import { LAYOUTS } from '../server/generate/truth.ts';
import { Extraction, IssueCategory, type Extraction as ExtractionT } from '../server/schema.ts';

const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** sha256 over every file name and content under `dir`, in sorted order. */
function hashFolder(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(path.slice(dir.length)).update('\0').update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

const sample = (seed: string, n: number, shares = DEFAULT_SHARES) => Array.from({ length: n }, (_, i) => generateReport(seed, i, shares));

describe('determinism', () => {
  // A mix with many documents, so that .docx and .pdf bytes are checked too.
  const shares = { txt: 0.5, docx: 0.25, pdf: 0.25 };

  it('writes byte-identical folders for the same seed and different ones for another seed', async () => {
    const [a, b, c] = [tempDir('gen-a-'), tempDir('gen-b-'), tempDir('gen-c-')];
    await writeCorpus({ count: 24, seed: 'same', out: a, shares });
    await writeCorpus({ count: 24, seed: 'same', out: b, shares });
    await writeCorpus({ count: 24, seed: 'other', out: c, shares });
    const files = readdirSync(join(a, 'reports'));
    expect(files.some((f) => f.endsWith('.docx')) && files.some((f) => f.endsWith('.pdf'))).toBe(true);
    expect(readdirSync(join(a, 'gold'))).toHaveLength(24);
    expect(hashFolder(a)).toBe(hashFolder(b));
    expect(hashFolder(a)).not.toBe(hashFolder(c));
  });

  it('generates report i the same way alone or within a run', () => {
    const alone = generateReport('same', 17);
    expect(alone.text).toBe(sample('same', 18)[17]!.text);
    expect(alone.gold).toEqual(sample('same', 18)[17]!.gold);
  });
});

describe('coverage of a 200-report sample', () => {
  const reports = sample('coverage', 200);

  it('has every layout, format, text encoding and kind of damage', () => {
    expect(new Set(reports.map((r) => r.layout))).toEqual(new Set(LAYOUTS));
    expect(new Set(reports.map((r) => r.format))).toEqual(new Set(['txt', 'docx', 'pdf']));
    expect(new Set(reports.map((r) => r.encoding).filter(Boolean))).toEqual(new Set(['utf-8', 'utf-8-bom', 'gbk']));
    expect(new Set(reports.flatMap((r) => r.damage))).toEqual(new Set(DAMAGES));
    expect(reports.some((r) => r.crlf)).toBe(true);
  });

  it('encodes each file as its format says', async () => {
    const pick = (p: (r: GeneratedReport) => boolean) => reports.find(p)!;
    const bom = await renderReport(pick((r) => r.encoding === 'utf-8-bom'));
    expect([...bom.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const gbk = pick((r) => r.encoding === 'gbk');
    const gbkBytes = await renderReport(gbk);
    expect(iconv.decode(Buffer.from(gbkBytes), 'gb18030')).toBe(gbk.crlf ? gbk.text.replace(/\n/g, '\r\n') : gbk.text);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbkBytes)).toThrow();
    const docx = await renderReport(pick((r) => r.format === 'docx'));
    expect(String.fromCharCode(...docx.subarray(0, 2))).toBe('PK');
    const pdf = await renderReport(pick((r) => r.format === 'pdf'));
    expect(String.fromCharCode(...pdf.subarray(0, 5))).toBe('%PDF-');
  });

  it('covers municipalities, autonomous prefectures and regions, county-level cities, city- and province-level units', () => {
    const golds = sample('places', 1000).map((r) => r.gold.report);
    expect(golds.some((g) => g.province === '重庆市' || g.province === '北京市' || g.province === '上海市' || g.province === '天津市')).toBe(true);
    expect(golds.some((g) => g.city?.endsWith('自治州'))).toBe(true);
    expect(golds.some((g) => g.province?.endsWith('自治区'))).toBe(true);
    expect(golds.some((g) => g.county?.endsWith('市'))).toBe(true);
    expect(golds.some((g) => g.city !== null && g.county === null && g.department !== null)).toBe(true);
    expect(golds.some((g) => g.city === null && g.county === null && g.province !== null)).toBe(true);
  });
});

/** Ways a report writes the amount `wan` (万元) in the unit it uses. */
function renderings(wan: number, yuan: boolean): string[] {
  if (yuan) return [(Math.round(wan * 1e6) / 100).toFixed(2)];
  const out = [num(wan), num(wan, { commas: true }), `${num(wan / 10000)}亿元`];
  for (let d = 1; d <= 6; d++) out.push(wan.toFixed(d), num(Number(wan.toFixed(d)), { fixed: d, commas: true }));
  return out;
}

describe('gold labels', () => {
  const reports = sample('labels', 300);

  it('have the shape of the hand-checked labels (which validate against the same schema)', () => {
    const golden = join(import.meta.dirname, 'golden');
    for (const file of readdirSync(golden).filter((f) => f.endsWith('.json'))) {
      expect(() => GoldLabel.parse(JSON.parse(readFileSync(join(golden, file), 'utf8'))), file).not.toThrow();
    }
    for (const r of reports) {
      const label = GoldLabel.parse(JSON.parse(JSON.stringify(r.gold)));
      expect(label.source).toBe(r.name);
      expect(Object.keys(label.report).slice(0, 6)).toEqual(['department', 'province', 'city', 'county', 'year', 'kind']);
      // A field is either labelled or optional, never both.
      for (const key of Object.keys(label.optional ?? {})) expect(label.report, key).not.toHaveProperty(key.replace('report.', ''));
    }
  });

  it('state only what the text states: names, year, figures in their unit, problems', () => {
    let checked = 0;
    for (const r of reports.filter((x) => x.format === 'txt' && x.damage.every((d) => d === 'banner'))) {
      const flat = r.text.replace(/\s+/g, '');
      const g = r.gold;
      if (g.report.department) expect(flat, r.name).toContain(g.report.department);
      if (g.report.year !== null) expect(flat.includes(String(g.report.year)) || flat.includes(chineseYear(g.report.year)), r.name).toBe(true);
      const yuan = /单位：元|（元）/.test(r.text);
      for (const field of ['budget_wan', 'spent_wan', 'funds_received_wan'] as const) {
        const v = g.report[field];
        if (typeof v !== 'number') continue;
        expect(renderings(v, yuan).some((s) => r.text.includes(s)), `${r.name} ${field} ${v}`).toBe(true);
        checked++;
      }
      if (typeof g.report.score === 'number') expect(r.text, r.name).toContain(num(g.report.score));
      for (const p of g.projects) {
        expect(flat, r.name).toContain(p.name);
        if (typeof p.budget_wan === 'number') expect(renderings(p.budget_wan, yuan).some((s) => r.text.includes(s)), `${r.name} ${p.name}`).toBe(true);
      }
      for (const category of g.issue_categories) {
        const stated = r.truth.problems.filter((p) => p.category === category);
        expect(stated.some((p) => flat.includes(p.text.replace(/\s+/g, ''))), `${r.name} ${category}`).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('give a grade derived from the score only as optional, and leave unstated fields null', () => {
    const many = sample('labels', 1500);
    let derived = 0;
    for (const r of many) {
      const { report, optional } = r.gold;
      if (r.truth.gradeMode !== 'word' && r.layout.startsWith('form_') && typeof report.score === 'number') {
        // A form states the score; a tier (一等) or no grade at all is not a 优/良/中/差 grade.
        expect(report, r.name).not.toHaveProperty('grade');
        expect(optional?.['report.grade'], r.name).toBe(gradeForScore(report.score));
        derived++;
      }
      if (r.layout.startsWith('summary_')) expect([report.score, report.grade, report.execution_rate_pct], r.name).toEqual([null, null, null]);
      if (r.truth.multiYear) expect(report.year, r.name).toBeNull();
      if (report.department === null) expect([report.province, report.city, report.county], r.name).toEqual([null, null, null]);
    }
    expect(derived).toBeGreaterThan(10);
    expect(many.some((r) => r.truth.multiYear)).toBe(true);
    expect(many.some((r) => r.gold.report.department === null)).toBe(true);
  });
});

describe('distributions', () => {
  const reports = sample('dist', 1500);
  const golds = reports.map((r) => r.gold);
  const share = <T>(xs: T[], p: (x: T) => boolean) => xs.filter(p).length / xs.length;

  it('has most execution rates near 100% and a tail of low ones', () => {
    const rates = [...golds.map((g) => g.report.execution_rate_pct), ...golds.flatMap((g) => g.projects.map((p) => p.execution_rate_pct))]
      .filter((x): x is number => typeof x === 'number');
    expect(share(rates, (x) => x >= 95)).toBeGreaterThan(0.6);
    expect(share(rates, (x) => x < 60)).toBeGreaterThan(0.02);
    expect(share(rates, (x) => x < 60)).toBeLessThan(0.15);
  });

  it('has scores mostly 85–100, some lower, grades consistent with them but for a few contradictions', () => {
    const scores = golds.map((g) => g.report.score).filter((x): x is number => typeof x === 'number');
    expect(share(scores, (x) => x >= 85 && x <= 100)).toBeGreaterThan(0.7);
    expect(share(scores, (x) => x < 85)).toBeGreaterThan(0.05);
    const graded = golds.filter((g) => typeof g.report.score === 'number' && typeof g.report.grade === 'string');
    const contradictions = share(graded, (g) => g.report.grade !== gradeForScore(g.report.score as number));
    expect(contradictions).toBeGreaterThan(0.005);
    expect(contradictions).toBeLessThan(0.08);
  });

  it('has stated rates that contradict spent / budget in some reports', () => {
    const both = golds.filter((g) => [g.report.budget_wan, g.report.spent_wan, g.report.execution_rate_pct].every((x) => typeof x === 'number'));
    const off = both.filter((g) => Math.abs((g.report.spent_wan as number) / (g.report.budget_wan as number) * 100 - (g.report.execution_rate_pct as number)) > 1);
    expect(off.length).toBeGreaterThan(5);
    expect(off.length / both.length).toBeLessThan(0.15);
  });

  it('files problems under every category, and a fair share of reports states none', () => {
    const categories = new Set(golds.flatMap((g) => g.issue_categories));
    expect(categories).toEqual(new Set(IssueCategory.options));
    const narrative = golds.filter((_, i) => /^(?:prose|listing|dept)/.test(reports[i]!.layout));
    expect(share(narrative, (g) => g.issue_categories.length === 0)).toBeGreaterThan(0.15);
  });

  it('plants distractors and personal data near the real figures', () => {
    const all = reports.map((r) => r.text).join('\n');
    for (const needle of ['满意度', '占', '联系电话', '〔', '亿元', '到位率', '万兀', '單位', '万元']) expect(all, needle).toContain(needle);
    expect(reports.some((r) => /[\uff10-\uff19]/.test(r.text))).toBe(true);
    expect(reports.some((r) => /\d\. \d/.test(r.text))).toBe(true);
  });
});

describe('store records', () => {
  it('builds valid extractions from the labels and loads them through the store', async () => {
    const reports = sample('store', 40, { txt: 1, docx: 0, pdf: 0 });
    for (const r of reports) expect(() => Extraction.parse(toExtraction(r, 'x'))).not.toThrow();
    const dataDir = tempDir('gen-store-');
    const result = await loadIntoStore(dataDir, reports.map((r) => ({ name: r.name, generate: async () => ({ report: r, bytes: await renderReport(r) }) })));
    expect(result.failed).toEqual([]);
    expect(result.added).toBe(40);
    const rows = (name: string) => result.manifest.tables.find((t) => t.name === name)!.rows;
    expect(rows('projects')).toBe(reports.reduce((n, r) => n + r.gold.projects.length, 0));
    expect(rows('issues')).toBeGreaterThan(0);
  });

  it('gives every report its own records when the store masks phone-like digits in file names', async () => {
    // Report 371 of this seed is named 000371_821cd19322795429.txt; its "19322795429" reads as a mobile number, so the
    // store keeps it as 000371_821cd＊＊＊＊＊＊＊＊＊＊＊.txt. Two more names mask to one and the same string.
    const generated = generateReport('store', 371, { txt: 1, docx: 0, pdf: 0 });
    const reports = [
      generated,
      { ...generateReport('store', 1, { txt: 1, docx: 0, pdf: 0 }), name: 'x_13800000000.txt' },
      { ...generateReport('store', 2, { txt: 1, docx: 0, pdf: 0 }), name: 'x_13900000000.txt' },
    ];
    for (const r of reports) expect(displayName(r.name), r.name).not.toBe(r.name);
    expect(displayName(reports[1]!.name)).toBe(displayName(reports[2]!.name));
    const files = await Promise.all(reports.map(async (r) => ({ report: r, bytes: await renderReport(r) })));
    const dataDir = tempDir('gen-masked-');
    const result = await loadIntoStore(dataDir, files.map((f) => ({ name: f.report.name, generate: async () => f })));
    expect(result.failed).toEqual([]);
    expect(result.added).toBe(3);

    const store = await openStore(dataDir);
    try {
      const stored = await store.db.query<{ id: string; source: string; department: string | null; budget_wan: number | null }>(
        'SELECT id, source, department, budget_wan FROM reports',
      );
      const byId = new Map(stored.map((r) => [r.id, r]));
      for (const { report, bytes } of files) {
        const row = byId.get(createHash('sha256').update(bytes).digest('hex'));
        expect(row, report.name).toBeDefined();
        expect([row!.source, row!.department, row!.budget_wan]).toEqual([displayName(report.name), report.gold.report.department, report.gold.report.budget_wan ?? null]);
      }
    } finally {
      await store.close();
    }
  });
});

// ---- The extractor on generated reports, compared the way /work/shared/tools/score-extraction.mjs compares. ----

const norm = (s: unknown) => String(s ?? '').replace(/[\s\u3000"“”'‘’《》「」()（）、，,。.:：;；-]/g, '');
const GRADES: Record<string, string> = { 优秀: '优', 优: '优', 良好: '良', 良: '良', 一般: '中', 中: '中', 中等: '中', 合格: '中', 及格: '中', 差: '差', 不及格: '差', 不合格: '差' };
const NUMERIC = ['budget_wan', 'funds_received_wan', 'spent_wan', 'execution_rate_pct', 'score'] as const;

function same(got: unknown, want: unknown): boolean {
  if (want === null || want === undefined) return got === null || got === undefined || got === '';
  if (typeof want === 'number') {
    const g = typeof got === 'string' ? Number(got) : got;
    return typeof g === 'number' && Number.isFinite(g) && Math.abs(g - want) <= Math.max(0.011, 0.001 * Math.abs(want));
  }
  if (typeof want === 'string' && want in GRADES && typeof got === 'string') return GRADES[got.trim()] === GRADES[want];
  return norm(got) === norm(want);
}

function dice(a: string, b: string): number {
  const bigrams = (s: string) => Array.from({ length: Math.max(0, norm(s).length - 1) }, (_, i) => norm(s).slice(i, i + 2));
  const x = bigrams(a);
  const y = bigrams(b);
  if (!x.length || !y.length) return norm(a) === norm(b) ? 1 : 0;
  const pool = new Map<string, number>();
  for (const g of y) pool.set(g, (pool.get(g) ?? 0) + 1);
  let hit = 0;
  for (const g of x) {
    const n = pool.get(g) ?? 0;
    if (n > 0) {
      hit++;
      pool.set(g, n - 1);
    }
  }
  return (2 * hit) / (x.length + y.length);
}

interface Tally { fieldsOk: number; fieldsAll: number; tp: number; fp: number; fn: number; itp: number; ifp: number; ifn: number; misses: string[] }

/** Adds one report's comparison to `t` (a transcription of the shared scorer's loop). */
function score(t: Tally, gold: GoldLabel, out: ExtractionT): void {
  const rep = out.report as unknown as Record<string, unknown>;
  for (const [k, want] of Object.entries(gold.report)) {
    t.fieldsAll++;
    if (same(rep[k], want)) t.fieldsOk++;
    else t.misses.push(`${gold.source}: report.${k} = ${JSON.stringify(rep[k])}, want ${JSON.stringify(want)}`);
  }
  for (const [path, want] of Object.entries(gold.optional ?? {})) {
    const got = rep[path.replace(/^report\./, '')];
    if (got === null || got === undefined) continue;
    t.fieldsAll++;
    if (same(got, want)) t.fieldsOk++;
    else t.misses.push(`${gold.source}: ${path} = ${JSON.stringify(got)}, want ${JSON.stringify(want)} or null`);
  }
  const used = new Set<number>();
  for (const gp of gold.projects) {
    let best = -1;
    let bestScore = 0;
    out.projects.forEach((p, i) => {
      const d = used.has(i) ? 0 : dice(p.name, gp.name);
      if (d > bestScore) [best, bestScore] = [i, d];
    });
    if (best < 0 || bestScore < 0.75) {
      t.fn++;
      t.fieldsAll += NUMERIC.filter((k) => k in gp).length;
      t.misses.push(`${gold.source}: project not found: ${gp.name}`);
      continue;
    }
    used.add(best);
    t.tp++;
    const p = out.projects[best]!;
    for (const k of NUMERIC) {
      if (k in gp) {
        t.fieldsAll++;
        if (same(p[k], gp[k])) t.fieldsOk++;
        else t.misses.push(`${gold.source}: project ${gp.name}.${k} = ${p[k]}, want ${gp[k]}`);
      } else if (gp.optional && k in gp.optional) {
        if (p[k] !== null) {
          t.fieldsAll++;
          if (same(p[k], gp.optional[k])) t.fieldsOk++;
        }
      } else if (p[k] !== null) {
        t.fieldsAll++;
        t.misses.push(`${gold.source}: project ${gp.name}.${k} = ${p[k]}, not stated in the text`);
      }
    }
  }
  out.projects.forEach((p, i) => {
    if (!used.has(i) && NUMERIC.some((k) => p[k] !== null)) {
      t.fp++;
      t.misses.push(`${gold.source}: extra project with figures: ${p.name}`);
    }
  });
  const cats = new Set(out.issues.map((x) => x.category));
  const want = new Set(gold.issue_categories);
  for (const c of cats) if (want.has(c)) t.itp++; else { t.ifp++; t.misses.push(`${gold.source}: extra issue category ${c}`); }
  for (const c of want) if (!cats.has(c)) { t.ifn++; t.misses.push(`${gold.source}: missing issue category ${c}`); }
}

const f1 = (tp: number, fp: number, fn: number) => (tp + fp + fn === 0 ? 1 : (2 * tp) / (2 * tp + fp + fn));

describe('the extractor on 150 generated reports', () => {
  const t: Tally = { fieldsOk: 0, fieldsAll: 0, tp: 0, fp: 0, fn: 0, itp: 0, ifp: 0, ifn: 0, misses: [] };
  const failures: string[] = [];
  beforeAll(async () => {
    for (const r of sample('extractor', 150)) {
      try {
        score(t, r.gold, await extractDocument(await renderReport(r), r.name));
      } catch (e) {
        failures.push(`${r.name}: ${(e as Error).message}`);
      }
    }
  }, 300_000);
  const summary = () =>
    `fields ${(t.fieldsOk / t.fieldsAll).toFixed(3)} (${t.fieldsOk}/${t.fieldsAll}), projects F1 ${f1(t.tp, t.fp, t.fn).toFixed(3)} ` +
    `(tp ${t.tp} fp ${t.fp} fn ${t.fn}), issues F1 ${f1(t.itp, t.ifp, t.ifn).toFixed(3)}\n${t.misses.slice(0, 40).join('\n')}`;

  it('reads and extracts every generated report', () => {
    expect(failures).toEqual([]);
    expect(t.fieldsAll).toBeGreaterThan(1000);
  });

  // The issue's bar for the extractor, on realistic generated layouts (the same bar as on real reports).
  it('gets ≥ 95% of the labelled fields right', () => {
    expect(t.fieldsOk / t.fieldsAll, summary()).toBeGreaterThanOrEqual(0.95);
  });

  it('finds the labelled projects with F1 ≥ 0.95', () => {
    expect(f1(t.tp, t.fp, t.fn), summary()).toBeGreaterThanOrEqual(0.95);
  });

  it('files the stated problems under the labelled categories with F1 ≥ 0.9', () => {
    expect(f1(t.itp, t.ifp, t.ifn), summary()).toBeGreaterThanOrEqual(0.9);
  });
});
