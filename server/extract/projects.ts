/** Stage 4b: projects — enumerated project paragraphs, summary tables (汇总表) and single-project forms (自评表). */
import type { Project, Span } from '../schema.ts';
import { parseNumber, toWan } from './amounts.ts';
import { splitFundsRun, splitFundsRunNoPercent, splitTotalScore } from './digit-runs.ts';
import { isNumericCell, type Cell, type Line, type Pair } from './cells.ts';
import { best, findLabelled, pairCandidates, unitAt, type Candidate, type ValueKind } from './labelled.ts';
import { NUMBERED, isHeading } from './sections.ts';

/** What a project name ends with: 经费, 资金, 项目, 补助, 工程 … */
const PROJECT_NOUN = /(?:经费|资金|项目|补助|补贴|工程|专项|建设|购置|采购|医药费|费用|基金|奖补|救助|计划|改造|维修|维护|养护|治理|修缮|整治|运维|服务|保险|工资|补偿|慰问金|扶持|运行费|工作费|保障金|津贴|奖励|开展|督导检查|宣传培训)(?:[（(][^）)]{0,12}[)）])?$/;

export const PROJECT_LABELS: Record<'budget_wan' | 'funds_received_wan' | 'spent_wan' | 'execution_rate_pct' | 'score', readonly string[]> = {
  budget_wan: [
    String.raw`全年预算(?:数|金额|资金)?`,
    String.raw`(?:年初|年度|调整后)?预算(?:安排)?(?:资金|金额|数)?`,
    String.raw`(?:资金需求|共需|需要|需)[\u4e00-\u9fa5]{0,6}?`,
    String.raw`(?:下达|安排|拨付)[\u4e00-\u9fa5]{0,24}?(?:资金|经费)`,
    String.raw`(?:资金|经费)?(?:共计|合计|总额)`,
    String.raw`(?:总投资|计划投资)`,
  ],
  funds_received_wan: [String.raw`(?:实际|财政)?(?:资金)?到位(?:资金|金额|数)?`],
  spent_wan: [String.raw`(?:全年|实际)?执行(?:数|金额)`, String.raw`实际(?:支出|使用|支付)(?:资金|金额|数)?`, String.raw`(?:累计|已)支付(?:资金|金额)?`],
  execution_rate_pct: [
    String.raw`(?:预算|资金|项目资金|项目预算)?执行率`,
    String.raw`资金(?:完成|支付|使用|拨付|发放)率|(?:支付|发放)率|支出进度`,
  ],
  score: [String.raw`该(?:项目)?(?:自评)?得分|项目(?:自评)?得分|自评(?:总)?得分|评价得分|总得分|得分`],
};

type Field = keyof typeof PROJECT_LABELS;
const FIELDS: readonly Field[] = ['budget_wan', 'funds_received_wan', 'spent_wan', 'execution_rate_pct', 'score'];
const KIND: Record<Field, ValueKind> = { budget_wan: 'money', funds_received_wan: 'money', spent_wan: 'money', execution_rate_pct: 'pct', score: 'score' };

export interface FoundProject {
  project: Project;
  /** Where it was found: a single-project form is the report itself; table rows and paragraphs are parts of it. */
  source: 'form' | 'table' | 'paragraph';
  /** The text region the project's figures came from, excluded from report-level search. */
  region: Span;
}

/** Removes whitespace inside a project name and trailing punctuation. */
export function cleanName(name: string): string {
  return name.replace(/\s+/g, '').replace(/^[：:、.．]+|[：:，,。；;]+$/g, '');
}

function emptyProject(name: string, nameSpan: Span): Project {
  return { name, budget_wan: null, funds_received_wan: null, spent_wan: null, execution_rate_pct: null, score: null, spans: { name: nameSpan } };
}

/** Fills a project's figures from a prose paragraph `[start, end)`. */
function figuresFromProse(text: string, p: Project, start: number, end: number): void {
  const body = text.slice(start, end);
  for (const f of FIELDS) {
    const cands = findLabelled(body, PROJECT_LABELS[f], KIND[f]);
    let c: Candidate | null;
    if (f === 'score') {
      // The project's total comes last ("…得分18分 … 该项目自评得分97分"); sub-scores come first.
      const top = cands.filter((x) => x.rank === Math.min(...cands.map((y) => y.rank)));
      c = top.sort((a, b) => b.start - a.start)[0] ?? null;
      if (c && c.value > 100) c = null;
    } else c = best(cands);
    if (f === 'execution_rate_pct' && c && c.value > 200) c = null;
    if (!c) continue;
    p[f] = c.value;
    p.spans[f] = { start: start + c.start, end: start + c.end };
  }
}

/** Enumerated project paragraphs: "1、2023年度某某经费项目：预算…万元…" or a numbered name line followed by prose. */
function enumeratedProjects(text: string, lines: Line[]): FoundProject[] {
  const out: FoundProject[] = [];
  const items: { name: string; nameSpan: Span; bodyStart: number; lineIdx: number }[] = [];
  lines.forEach((line, idx) => {
    if (line.tabular) return;
    const m = NUMBERED.exec(line.text);
    if (!m) return;
    const rest = line.text.slice(m[0].length);
    const colon = /^([^：:。，,；;]{4,60}?)[：:]/.exec(rest);
    let name: string | null = null;
    let bodyStart = line.end + 1;
    const statesFigures = (t: string) => /预算|执行率|得分|万元/.test(t) && !/^(?:决策|过程|产出|效益|效果|满意度|管理|履职|投入|成本|项目概况|基本情况|评价结论|绩效目标)/.test(t);
    if (colon && (PROJECT_NOUN.test(colon[1]!.trim()) || (colon[1]!.trim().length >= 4 && statesFigures(rest.slice(colon[0].length))))) {
      name = colon[1]!;
      bodyStart = line.start + m[0].length + colon[0].length;
    } else if (rest.trim().length <= 60 && !/[。，,；;：:]/.test(rest) && PROJECT_NOUN.test(rest.trim())) name = rest;
    if (!name) return;
    const nameStart = line.start + m[0].length + (rest.length - rest.trimStart().length);
    items.push({ name: cleanName(name), nameSpan: { start: nameStart, end: nameStart + name.trim().length }, bodyStart, lineIdx: idx });
  });
  items.forEach((it, k) => {
    // The body runs to the next item or the next heading that is not this item.
    let end = k + 1 < items.length ? lines[items[k + 1]!.lineIdx]!.start : text.length;
    for (let i = it.lineIdx + 1; i < lines.length && lines[i]!.start < end; i++) {
      if (isHeading(lines[i]!.text)) {
        end = lines[i]!.start;
        break;
      }
    }
    const p = emptyProject(it.name, it.nameSpan);
    figuresFromProse(text, p, Math.min(it.bodyStart, end), end);
    out.push({ project: p, source: 'paragraph', region: { start: it.nameSpan.start, end } });
  });
  return out;
}

const COLUMN_ROLES: ReadonlyArray<readonly [Field | 'name', RegExp]> = [
  ['name', /项目名称|项目$|名称/],
  ['execution_rate_pct', /执行率|支出进度|完成率/],
  ['score', /得分|自评分|评分|分数/],
  ['funds_received_wan', /到位/],
  ['spent_wan', /执行数|支出数|实际支出|执行金额|使用金额|支出金额/],
  ['budget_wan', /预算|安排|资金总额|金额|总计|合计/],
];

function roleOf(header: string): Field | 'name' | null {
  for (const [role, re] of COLUMN_ROLES) if (re.test(header)) return role;
  return null;
}

/** Summary tables (汇总表): a header row naming 项目名称 and figure columns, then one row per project. */
function tableProjects(text: string, lines: Line[]): FoundProject[] {
  const out: FoundProject[] = [];
  for (let i = 0; i < lines.length; i++) {
    const header = lines[i]!;
    if (!header.tabular || !header.cells.some((c) => /项目名称/.test(c.text))) continue;
    const roles = header.cells.map((c) => roleOf(c.text));
    if (!roles.some((r) => r && r !== 'name')) continue;
    const slotRoles = header.slots?.map((c) => (c ? roleOf(c.text) : null)) ?? null;
    const nameCol = roles.indexOf('name');
    const figureRoles = roles.filter((r, idx) => r && r !== 'name' && idx > nameCol) as Field[];
    for (let j = i + 1; j < lines.length; j++) {
      const row = lines[j]!;
      if (!row.text.trim()) continue;
      if (!row.tabular) break;
      // Columns kept in place (tab or | rows of the header's width): map every cell by its column.
      if (slotRoles && row.slots && row.slots.length === slotRoles.length) {
        const nameIdx = slotRoles.indexOf('name');
        const nameCell = nameIdx >= 0 ? row.slots[nameIdx] : null;
        if (!nameCell || isNumericCell(nameCell.text)) {
          if (!row.cells.some((c) => isNumericCell(c.text))) break;
          continue;
        }
        if (/^(合计|总计|小计)$/.test(nameCell.text)) continue;
        const p = emptyProject(cleanName(nameCell.text), { start: nameCell.start, end: nameCell.end });
        row.slots.forEach((cell, k) => {
          const role = slotRoles[k];
          if (!cell || !role || role === 'name' || !isNumericCell(cell.text)) return;
          // The adjusted (全年) budget wins over the initial (年初) one, whatever their order.
          const adjusted = role === 'budget_wan' && /全年|调整后/.test(header.slots![k]!.text);
          if (p[role] !== null && !adjusted) return;
          setFigure(text, p, role, cell);
        });
        out.push({ project: p, source: 'table', region: { start: row.start, end: row.end } });
        continue;
      }
      const nums = row.cells.filter((c) => isNumericCell(c.text));
      const words = row.cells.filter((c) => !isNumericCell(c.text));
      if (!nums.length || !words.length) {
        if (!nums.length) break;
        continue;
      }
      // Columns collapsed (runs of spaces): the name is the row's text cell in the name column's place among the
      // header's text columns; figures align from the right with every column after the text columns (empty budget
      // levels such as 中央/省级 sit on the left of the figures).
      const textCols = header.cells.filter((c, k) => k <= lastTextCol(header.cells) && !/^序号$/.test(c.text));
      const nameAt = textCols.findIndex((c) => roleOf(c.text) === 'name');
      const nameCell = words[nameAt] ?? words.reduce((a, b) => (b.text.length > a.text.length ? b : a));
      if (/^(合计|总计|小计)$/.test(nameCell.text)) continue;
      const p = emptyProject(cleanName(nameCell.text), { start: nameCell.start, end: nameCell.end });
      if (row.cells.length === header.cells.length) {
        const aligned = row.cells.slice(nameCol + 1).filter((c) => isNumericCell(c.text));
        const offset = Math.max(0, figureRoles.length - aligned.length);
        aligned.forEach((cell, k) => {
          const role = figureRoles[offset + k];
          if (role && p[role] === null) setFigure(text, p, role, cell);
        });
      } else {
        const figureCols = header.cells.slice(lastTextCol(header.cells) + 1);
        const values = nums.filter((c) => c.start > nameCell.start);
        const offset = figureCols.length - values.length;
        values.forEach((cell, k) => {
          const col = figureCols[offset + k];
          const role = col ? roleOf(col.text) : null;
          if (!role || role === 'name') return;
          const adjusted = role === 'budget_wan' && /全年|调整后/.test(col!.text);
          if (p[role] === null || adjusted) setFigure(text, p, role, cell);
        });
      }
      out.push({ project: p, source: 'table', region: { start: row.start, end: row.end } });
    }
  }
  return out;
}

/** Index of the last header cell that names a text column (序号, 项目名称, 主管部门, 实施单位 …). */
function lastTextCol(header: Cell[]): number {
  let last = -1;
  header.forEach((c, k) => {
    if (roleOf(c.text) === 'name' || /^(?:序号|主管部门|实施单位|单位名称|部门|预算单位|项目单位)$/.test(c.text)) last = k;
  });
  return last;
}

/**
 * Summary tables flattened one cell per line: a run of header cells (序号, 项目名称, …, 自评得分) and then records of
 * as many cells, each starting with its 序号 — a record that does not fit ends the table.
 */
function cellPerLineProjects(text: string, cells: Cell[]): FoundProject[] {
  const out: FoundProject[] = [];
  for (let i = 0; i < cells.length; i++) {
    if (!/^项目名称$/.test(cells[i]!.text)) continue;
    let a = i;
    while (a > 0 && cells[a - 1]!.line === cells[a]!.line - 1 && roleOfHeader(cells[a - 1]!.text)) a--;
    let b = i + 1;
    while (b < cells.length && cells[b]!.line === cells[b - 1]!.line + 1 && roleOfHeader(cells[b]!.text)) b++;
    const header = cells.slice(a, b);
    const roles = header.map((c) => roleOf(c.text));
    if (header.length < 3 || header.some((c) => c.line !== header[0]!.line + header.indexOf(c)) || !roles.some((r) => r && r !== 'name')) continue;
    const n = header.length;
    const hasIndex = /^序号$/.test(header[0]!.text);
    let k = b;
    let expected = 1;
    while (k + n <= cells.length) {
      const rec = cells.slice(k, k + n);
      if (hasIndex && rec[0]!.text !== String(expected)) break;
      const nameCell = rec[roles.indexOf('name')];
      if (!nameCell || isNumericCell(nameCell.text)) break;
      const figures = rec.filter((_c, idx) => roles[idx] && roles[idx] !== 'name');
      if (!figures.every((c) => isNumericCell(c.text))) break;
      const p = emptyProject(cleanName(nameCell.text), { start: nameCell.start, end: nameCell.end });
      rec.forEach((cell, idx) => {
        const role = roles[idx];
        if (role && role !== 'name' && p[role] === null) setFigure(text, p, role, cell);
      });
      out.push({ project: p, source: 'table', region: { start: rec[0]!.start, end: rec[n - 1]!.end } });
      k += n;
      expected++;
    }
    i = k - 1;
  }
  return out;
}

/** A header cell of a summary table (序号, 项目名称, 主管部门, a budget level, a figure column). */
function roleOfHeader(t: string): boolean {
  return t.length <= 12 && (roleOf(t) !== null || /^(?:序号|主管部门|实施单位|单位名称|部门|中央|省级|市级|县级|区级|备注|分值|权重)$/.test(t));
}

function setFigure(text: string, p: Project, role: Field, cell: Cell): void {
  const v = cellValue(text, cell, role);
  if (v === null) return;
  p[role] = v;
  p.spans[role] = { start: cell.start, end: cell.end };
}

function cellValue(text: string, cell: Cell, role: Field): number | null {
  const raw = cell.text;
  const n = parseNumber(raw.replace(/%|万元|元|分/g, '').trim());
  if (n === null) return null;
  if (role === 'execution_rate_pct') return n <= 1 && !raw.includes('%') && raw.includes('.') ? Math.round(n * 10000) / 100 : n;
  if (role === 'score') return n <= 100 ? n : null;
  return toWan(n, raw.endsWith('万元') ? '万元' : /元$/.test(raw) ? '元' : unitAt(text, cell.start));
}

/** Cells that are labels of a form or table, never a project's name. */
const FORM_LABEL = /^(?:主管部门|实施单位|主管单位|项目单位|预算单位|单位名称|序号|预算数|执行数|执行率|得分|金额|资金|项目资金.*|年度资金总额)$/;

/** A single-project form (项目支出绩效自评表): 项目名称 cell, 年度资金总额 row, 总分 row. */
function formProject(text: string, cells: Cell[], allPairs: Pair[]): FoundProject | null {
  // The name stands in the cell after 项目名称, or in the same cell after a colon or space.
  const idx = cells.findIndex((c) => /^项目名称(?:[:：\s]|$)/.test(c.text));
  if (idx < 0) return null;
  const inline = /^项目名称[:：\s]\s*(\S.*)$/.exec(cells[idx]!.text);
  let nameCell: Cell;
  if (inline) {
    const start = cells[idx]!.end - inline[1]!.length;
    nameCell = { text: inline[1]!, start, end: cells[idx]!.end, line: cells[idx]!.line };
  } else if (idx + 1 < cells.length) nameCell = cells[idx + 1]!;
  else return null;
  if (isNumericCell(nameCell.text) || nameCell.text.length > 80 || FORM_LABEL.test(nameCell.text)) return null;
  // The 年度资金总额 row, or its 其中 sub-row when the total row was left at zero: all figures from one row.
  const rows = allPairs.filter((p) => p.rowLabel === null || /年度资金总额|资金总额|^其中/.test(p.rowLabel));
  const budgetRow = rows.find((p) => /预算数/.test(p.label) && (parseNumber(p.value.text) ?? 0) > 0)?.rowLabel;
  const pairs = budgetRow === undefined ? rows : [...rows.filter((p) => p.rowLabel === budgetRow), ...rows.filter((p) => p.rowLabel !== budgetRow)];
  const p = emptyProject(cleanName(nameCell.text), { start: nameCell.start, end: nameCell.end });
  const formLabels: Record<Field, readonly string[]> = {
    budget_wan: ['全年预算数', '预算数', '年初预算数'],
    funds_received_wan: ['到位数', '全年到位数'],
    spent_wan: ['全年执行数', '执行数'],
    execution_rate_pct: ['执行率'],
    score: [],
  };
  for (const f of FIELDS) {
    const cands = pairCandidates(text, pairs, formLabels[f], KIND[f]);
    // Candidates keep the row order chosen above; among equal labels the chosen row comes first.
    const c = cands.length ? cands.reduce((a, b) => (b.rank < a.rank ? b : a)) : null;
    if (!c) continue;
    p[f] = c.value;
    p.spans[f] = { start: c.start, end: c.end };
  }
  // Cells concatenated without separators: "年度资金总额:484810100.00%10".
  if (p.budget_wan === null) {
    const run = /(?:年度资金总额|资金总额)[:：]?\s*([\d.]+%[\d.]*|[\d.]{8,})(?![\d.%])/d.exec(text);
    const row = run ? (run[1]!.includes('%') ? splitFundsRun(run[1]!) : splitFundsRunNoPercent(run[1]!)) : null;
    if (run && row) {
      const span = { start: run.indices![1]![0], end: run.indices![1]![1] };
      const unit = unitAt(text, span.start);
      Object.assign(p, { budget_wan: toWan(row.budget, unit), spent_wan: toWan(row.spent, unit), execution_rate_pct: row.rate });
      Object.assign(p.spans, { budget_wan: span, spent_wan: span, execution_rate_pct: span });
    }
  }
  const total2 = /总\s*分[\s\t:：]*(100[\s\t]*\d{1,3}(?:\.\d+)?)(?![\d%.])/d.exec(text);
  const split = total2 ? splitTotalScore(total2[1]!.replace(/[\s\t]+/g, ' ')) : null;
  if (total2 && split) {
    p.score = split.score;
    p.spans.score = { start: total2.indices![1]![0], end: total2.indices![1]![1] };
  }
  // 总分 row: weight then score ("总分 100 94"), or the score alone.
  const total = cells.findIndex((c) => /^总分$|^合计$|^总\s*分$/.test(c.text));
  if (total >= 0 && !split) {
    const nums = [];
    for (let k = total + 1; k < cells.length && isNumericCell(cells[k]!.text) && nums.length < 3; k++) nums.push(cells[k]!);
    const s = nums.length >= 2 ? nums[1]! : nums[0];
    const v = s ? parseNumber(s.text.replace(/分$/, '')) : null;
    if (s && v !== null && v <= 100) {
      p.score = v;
      p.spans.score = { start: s.start, end: s.end };
    }
  }
  if (FIELDS.every((f) => p[f] === null)) return null;
  return { project: p, source: 'form', region: { start: nameCell.start, end: nameCell.end } };
}

/** All projects of a report; the first source that finds any wins over weaker ones for the same name. */
export function extractProjects(text: string, lines: Line[], cells: Cell[], pairs: Pair[]): FoundProject[] {
  const table = [...tableProjects(text, lines), ...cellPerLineProjects(text, cells)];
  const found = [...table, ...enumeratedProjects(text, lines)];
  const form = table.length ? null : formProject(text, cells, pairs);
  if (form && !found.some((f) => f.project.name === form.project.name)) found.unshift(form);
  const seen = new Set<string>();
  return found.filter((f) => {
    if (seen.has(f.project.name)) return false;
    seen.add(f.project.name);
    return true;
  });
}
