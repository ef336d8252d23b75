/** Stage 4a: report-level fields — title, department, year, kind, budget, received, spent, rate, score, grade. */
import type { Confidence, Grade, ReportKind, Span } from '../schema.ts';
import { canonicalGrade, parseChineseNumeral } from './amounts.ts';
import type { Pair } from './cells.ts';
import { best, compiled, findLabelled, pairCandidates, type Candidate, type ValueKind } from './labelled.ts';
import { splitTotalScore } from './digit-runs.ts';
import { titleBlock } from './sections.ts';

export interface FigureFields {
  budget_wan: number | null;
  funds_received_wan: number | null;
  spent_wan: number | null;
  execution_rate_pct: number | null;
  score: number | null;
}
type Figure = keyof FigureFields;

const LABELS: Record<Figure, readonly string[]> = {
  budget_wan: [
    String.raw`(?:全年|年度)预算(?:数|金额|资金)|预算安排(?:资金|金额)?|申请预算(?:资金)?|调整后预算(?:数)?|预算(?:资金)?总额|资金总额|年度预算`,
    String.raw`(?:年初)?预算(?:资金|金额|数)`,
  ],
  funds_received_wan: [String.raw`实际到位(?:资金|金额|数)?|到位资金|资金到位(?:数|金额)?|全年到位(?:数|资金)?`],
  spent_wan: [
    String.raw`实际支出(?:资金|金额|数)?|全年支出(?:数|金额)?|支出(?:总额|合计)|实际使用(?:资金|金额)?|全年执行数`,
    String.raw`财政拨款支出|累计支出`,
    String.raw`执行数|实际执行(?:数|金额)|(?:全年)?决算(?:数|金额)|支出决算`,
  ],
  execution_rate_pct: [
    String.raw`(?<!采购|政府采购)(?:预算|资金|总体|综合|整体|部门预算)执行率`,
    String.raw`(?<!采购|政府采购|项目)执行率|资金(?:支付|使用|拨付|发放)率`,
    String.raw`支出进度|预算执行进度`,
  ],
  score: [
    String.raw`(?:自评|评价|综合|总体|绩效评价|绩效|最终|考核)(?:总)?得分|总得分|自评总分|(?:绩效|综合|自评|评价|总体)评分|评分结果|评价分值|自评分数?`,
    String.raw`(?<!指标|决策|过程|产出|效益|效果|满意度|管理|履职|投入)得分(?!率)`,
  ],
};

const KIND: Record<Figure, ValueKind> = { budget_wan: 'money', funds_received_wan: 'money', spent_wan: 'money', execution_rate_pct: 'pct', score: 'score' };

/** Lines that state targets (indicator rows), grading scales or other figures that are not the report's. */
function excludedRanges(text: string): Span[] {
  const out: Span[] = [];
  let pos = 0;
  for (const line of text.split('\n')) {
    if (/[≥≤]|定性|以上为|分以上|满分|权重|分值/.test(line) || /采购执行率/.test(line)) out.push({ start: pos, end: pos + line.length });
    pos += line.length + 1;
  }
  return out;
}

const inside = (pos: number, ranges: Span[]) => ranges.some((r) => pos >= r.start && pos < r.end);

export interface FieldResult {
  figures: FigureFields;
  spans: Record<string, Span>;
  confidence: Record<string, Confidence>;
}

/** Extracts the report's own figures, ignoring regions that belong to projects. */
export function extractFigures(text: string, pairs: Pair[], projectRegions: Span[]): FieldResult {
  const excluded = [...excludedRanges(text), ...projectRegions];
  const figures: FigureFields = { budget_wan: null, funds_received_wan: null, spent_wan: null, execution_rate_pct: null, score: null };
  const spans: Record<string, Span> = {};
  const confidence: Record<string, Confidence> = {};
  for (const f of Object.keys(LABELS) as Figure[]) {
    const prose = findLabelled(text, LABELS[f], KIND[f]).filter((c) => !inside(c.labelStart, excluded) && !inside(c.start, excluded));
    // Form cells (label row over value row) are the most reliable statement; they rank ahead of prose.
    const table = pairCandidates(text, pairs, LABELS[f], KIND[f])
      .filter((c) => !inside(c.start, projectRegions))
      .map((c) => ({ ...c, rank: c.rank - 0.5 }));
    let cands: Candidate[] = [...table, ...prose];
    if (f === 'score') {
      // A 得分 column beside 执行率 in a funds row is the execution sub-score, not the total.
      cands = cands.filter((c) => c.value <= 100 && !isFullMark(text, c) && !(c.rank > 0 && table.includes(c)));
      cands.push(...totalScores(text).filter((c) => !inside(c.start, projectRegions)));
    }
    if (f === 'execution_rate_pct') cands = cands.filter((c) => c.value <= 200);
    // A zero total row with the real figures in its 其中 sub-row: a budget of 0 is never the report's budget.
    if (f === 'budget_wan' && cands.some((c) => c.value > 0)) cands = cands.filter((c) => c.value > 0);
    let c = best(cands);
    // Bare 得分 also labels sub-scores (决策得分18分 … 得分92分): the total is the largest of them.
    if (c && f === 'score' && c.rank >= 1) c = cands.filter((x) => x.rank === c!.rank).reduce((a, b) => (b.value > a.value ? b : a));
    if (!c) continue;
    figures[f] = c.value;
    spans[f] = { start: c.start, end: c.end };
    // Low confidence: far from the label, or another candidate of the same rank disagrees.
    const rivals = cands.filter((x) => x.rank === c.rank && Math.abs(x.value - c.value) > Math.max(0.011, 0.001 * Math.abs(c.value)));
    confidence[f] = c.gap > 8 || rivals.length ? 'low' : 'high';
  }
  return { figures, spans, confidence };
}

/** "总分 100 94" / "总分100100": the weight, then the score. */
function totalScores(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(/总\s*分[\s\t:：]*(100[\s\t]*\d{1,3}(?:\.\d+)?)(?![\d%.])/g)) {
    const split = splitTotalScore(m[1]!.replace(/[\s\t]+/g, ' '));
    if (!split) continue;
    const end = m.index! + m[0].length;
    out.push({ value: split.score, start: end - String(m[1]!).replace(/^100[\s\t]*/, '').length, end, rank: 0, gap: 0, labelStart: m.index! });
  }
  return out;
}

/** "总分 100 分" or "满分100分" is the full mark, not a score. */
function isFullMark(text: string, c: Candidate): boolean {
  const label = text.slice(c.labelStart, c.start);
  if (/总分/.test(label) && c.value === 100) {
    // "总分 100 94": weight then score — the second figure is the score, handled by the form parser.
    return true;
  }
  return false;
}

const GRADE_WORD = '优秀|良好|优|良|中等|一般|合格|及格|不及格|不合格|较差|中|差';

/** The grade as stated (优秀, 良, …) and its span; grades in blank checkbox forms (优□ 良□) are ignored. */
export function extractGrade(text: string, projectRegions: Span[]): { stated: string; grade: Grade | null; span: Span } | null {
  const patterns = [
    compiled(String.raw`(?:自评|评价|绩效评价|综合评价|绩效自评|评定)(?:等级|等次|结果|结论|评级)(?:为|是|[:：])?[\s\t|]*["“「]?(${GRADE_WORD})(?![□☐])`, 'gd'),
    compiled(String.raw`(?<!考核)(?:等级|等次|评级|结果|结论)(?:为|是|[:：])?[\s\t|]*["“「]?(${GRADE_WORD})(?![□☐])`, 'gd'),
    compiled(String.raw`(?:为|评定为|评为|自评为|达到|属于)["“「]?(${GRADE_WORD})["”」]?(?:等次|等级|级)`, 'gd'),
    compiled(String.raw`自评为["“「]?(${GRADE_WORD})(?![□☐])`, 'gd'),
  ];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      const [s, e] = m.indices![1]!;
      if (inside(s, projectRegions)) continue;
      // Blank checkbox forms (优□) and rules about grades ("审核结果为“优”的，可…", "方可定级为优") state no grade.
      if (/[□☐]/.test(text.slice(e, e + 2)) || /^["”」]?(?:的|或|和|、|及)/.test(text.slice(e, e + 2))) continue;
      if (/(?:方可|可以?|如|若|才|应)[\u4e00-\u9fa5]{0,4}$/.test(text.slice(Math.max(0, m.index! - 6), m.index!))) continue;
      const g = canonicalGrade(m[1]!);
      if (g) return { stated: m[1]!, grade: g, span: { start: s, end: e } };
    }
  }
  // 一等/二等 grading is kept as stated, not mapped.
  const tier = /(?:评价|自评)?(?:等级|等次|结果)(?:为|[:：])?\s*["“]?([一二三四]等)/d.exec(text);
  if (tier) return { stated: tier[1]!, grade: null, span: { start: tier.indices![1]![0], end: tier.indices![1]![1] } };
  return null;
}

/** The evaluated fiscal year: the title's year, a 评价年度 label, a Jan–Dec period, else the most stated "20xx年度". */
export function extractYear(text: string): { year: number | null; span: Span | null } {
  const title = titleBlock(text);
  const head = text.slice(title.start, title.end);
  const range = /(20\d{2})\s*[-—–~至到]\s*(20\d{2})\s*年/.exec(head);
  if (range && range[1] !== range[2]) return { year: null, span: null };
  const first = (re: RegExp, from = 0, to = text.length) => {
    re.lastIndex = 0;
    const sub = text.slice(from, to);
    const m = re.exec(sub);
    return m ? { year: Number(m[1]), span: { start: from + m.index + m[0].indexOf(m[1]!), end: from + m.index + m[0].indexOf(m[1]!) + 4 } } : null;
  };
  const yearish = String.raw`(20\d{2}|二[〇零]二[〇零一二三四五六七八九])`;
  const inTitle = first(compiled(yearish + String.raw`\s*年度?(?![\d]{0,2}月)`, ''), title.start, title.end);
  if (inTitle) return normalizeYear(inTitle, text);
  const labelled = first(/评价年度[\s\t:：]*(20\d{2})/);
  if (labelled) return labelled;
  const period = first(/(20\d{2})\s*年\s*1\s*月(?:\s*1\s*日)?(?:起)?\s*(?:至|到|-|—)\s*(?:20\d{2}\s*年\s*)?12\s*月/);
  if (period) return period;
  // Most frequent "20xx年度" outside document numbers and dates.
  const counts = new Map<number, { n: number; span: Span }>();
  for (const m of text.matchAll(/(?<![〔【\[(（\d])(20\d{2})\s*年(度)?(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)/g)) {
    const y = Number(m[1]);
    const w = m[2] ? 3 : 1;
    const prev = counts.get(y);
    counts.set(y, { n: (prev?.n ?? 0) + w, span: prev?.span ?? { start: m.index!, end: m.index! + 4 } });
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1].n - a[1].n || a[0] - b[0]);
  if (!ranked.length) return { year: null, span: null };
  return { year: ranked[0]![0], span: ranked[0]![1].span };
}

function normalizeYear(y: { year: number; span: Span }, text: string): { year: number | null; span: Span } {
  if (Number.isFinite(y.year)) return y;
  return { year: chineseYear(text.slice(y.span.start, y.span.start + 4)), span: y.span };
}

/** Chinese-numeral years in titles (二〇二三年度). */
export function chineseYear(s: string): number | null {
  const v = parseChineseNumeral(s);
  return v && v >= 2000 && v < 2100 ? v : null;
}

/** The report kind: a project report (项目支出, 项目绩效, 汇总表) or the department as a whole. */
export function extractKind(text: string): ReportKind {
  // The title speaks for the report; the rest of the title block may hold banners and navigation.
  const title = extractTitle(text);
  const head = title && /报告|表/.test(title) ? title : titleHead(text).head;
  if (/整体/.test(head)) return 'department_overall';
  if (/项目/.test(head)) return 'project';
  if (/项目支出绩效自评表|项目绩效自评表|绩效自评结果.{0,6}汇总表/.test(text.slice(0, 3000))) return 'project';
  return 'department_overall';
}

const ORG = String.raw`[\u4e00-\u9fa5（）()]{2,40}?(?:局|委员会|委|办公室|中心|医院|学院|大学|中学|小学|学校|幼儿园|研究所|研究院|院|所|站|厅|部|人民政府|政府|街道办事处|办事处|馆|队|会|处|社|公司|园)`;

/** Website and converter residue above a report: navigation, banners, file names, page counters. */
const BANNER = /索引号|发布机构|公开方式|公开范围|信息来源|所属主题|Microsoft Word|\.(?:docx?|pdf|wps)\b|第\s*\d+\s*页|共\s*\d+\s*页|网站|门户|首页|主办单位|承办单位|版权所有|标识码|浏览次数|访问量|发布时间|发布日期|来源[:：]|字号|打印本页|关闭窗口|当前位置|[>»]/;

/** The title block with banner lines blanked out (same length, so offsets stay valid). */
function titleHead(text: string): { head: string; start: number } {
  const t = titleBlock(text);
  const head = text
    .slice(t.start, t.end)
    .split('\n')
    .map((l) => (BANNER.test(l) ? ' '.repeat(l.length) : l))
    .join('\n');
  return { head, start: t.start };
}

/** The reporting department: the implementing unit of a form, the title's organisation, or a 部门名称 cell. */
export function extractDepartment(text: string): { department: string | null; supervisor: string | null; span: Span | null } {
  const labelled = (label: string) => {
    const m = compiled(String.raw`(?:${label})(?:[（(][^）)\n]{0,6}[)）])?[\s\t:：|]*(${ORG})(?=[\s\t(（|]|$|[，。,])`, 'md').exec(text);
    return m ? { name: m[1]!, span: { start: m.indices![1]![0], end: m.indices![1]![1] } } : null;
  };
  const supervisor = labelled('主管部门|主管单位');
  const unit = labelled('实施单位|项目实施单位|预算部门|资金使用单位|项目单位|预算单位|单位名称|部门名称|填报单位|部门[（(]单位[)）]名称|评价对象(?:名称)?|被评价单位');
  const title = titleHead(text);
  let fromTitle: { name: string; span: Span } | null = null;
  const head = title.head;
  // "某某市财政局关于某某市农业农村局2023年度…评价报告": the subject follows 关于; the evaluator comes first.
  const about = compiled(String.raw`关于(${ORG})(?=部门|整体|单位|20\d{2}|[（(]|预算|项目|绩效|本级)`, 'd').exec(head);
  // The organisation on the title line, or on the line just above a title that starts with its year.
  const titleLine = titleLineRange(head);
  const near = titleLine
    ? compiled(String.raw`(${ORG})(?=\s|部门|整体|单位|20\d{2}|二[〇零]|[（(]|关于|预算|项目|绩效|本级|$)`, 'md').exec(head.slice(titleLine.start, titleLine.end))
    : null;
  if (near && titleLine) near.indices![1] = [near.indices![1]![0] + titleLine.start, near.indices![1]![1] + titleLine.start];
  const m = about ?? near ?? compiled(String.raw`(${ORG})(?=\s|部门|整体|单位|20\d{2}|二[〇零]|[（(]|关于|预算|项目|绩效|本级|$)`, 'md').exec(head);
  if (m && !/^(?:关于|根据|按照|附件|现将|经|我|本)/.test(m[1]!) && !/我|网站|门户/.test(m[1]!)) fromTitle = { name: m[1]!, span: { start: title.start + m.indices![1]![0], end: title.start + m.indices![1]![1] } };
  const pick = unit ?? fromTitle ?? supervisor;
  const clean = (s: string) => s.replace(/[（(]本级[)）]$/, '').replace(/\s+/g, '');
  return {
    department: pick ? clean(pick.name) : null,
    supervisor: supervisor ? clean(supervisor.name) : null,
    span: pick?.span ?? null,
  };
}

/** The title line of the (banner-blanked) title block and the non-empty line above it, as offsets into `head`. */
function titleLineRange(head: string): Span | null {
  const lines = head.split('\n');
  let pos = 0;
  let prevStart = -1;
  for (const line of lines) {
    if (/报告|自评表|评价表|汇总表/.test(line)) return { start: prevStart >= 0 ? prevStart : pos, end: pos + line.length };
    if (line.trim()) prevStart = pos;
    pos += line.length + 1;
  }
  return null;
}

/** The report's title: the first title-block line naming a report, form or evaluation. */
export function extractTitle(text: string): string | null {
  const lines = titleHead(text).head.split('\n').map((l) => l.trim()).filter(Boolean);
  const idx = lines.findIndex((l) => /报告|自评表|评价表|汇总表|绩效/.test(l));
  if (idx < 0) return lines[0]?.slice(0, 80) ?? null;
  // A title split over two lines ("…部门整体支出" ⏎ "绩效评价报告").
  const prev = idx > 0 && !/报告|表$/.test(lines[idx - 1]!) && lines[idx - 1]!.length < 40 && !/^附件/.test(lines[idx - 1]!) ? lines[idx - 1]! : '';
  return (prev + lines[idx]!).replace(/\s+/g, ' ').slice(0, 120);
}
