/**
 * Form layouts: the department form (部门整体支出绩效自评表 / 评价报告 one value per line, like seeds 002 and 003) and
 * the single-project form (项目支出绩效自评表) flattened with tabs, `|`, one cell per line, spaces or no separator.
 */
import { dateLine, num, tableAmount, type Ctx } from './context.ts';
import type { GoldProject } from './gold.ts';
import { enumerate, measuresFor, NO_PROBLEM } from './problems.ts';
import { round } from './truth.ts';
import { personName, phoneNumber } from './vocab.ts';

/** How a table reached the text (FORMATS.md §Where the text comes from). */
export type Flattening = 'tabs' | 'pipes' | 'cells' | 'spaces' | 'concat';

/** Writes table rows in one flattening. */
export function flatten(rows: readonly (readonly string[])[], how: Flattening, ctx: Ctx): string[] {
  const { rng } = ctx;
  switch (how) {
    case 'tabs':
      return rows.map((r) => r.join('\t'));
    case 'pipes':
      return rows.map((r) => `| ${r.join(' | ')} |`.replace(/ {2,}\|/g, ' |'));
    case 'cells': {
      // Empty cells come out as blank lines, runs of spaces, or nothing.
      const empty = rng.pick([[''], ['    '], []]);
      return rows.flatMap((r) => r.flatMap((c) => (c ? [c] : empty)));
    }
    case 'spaces':
      return rows.map((r) => r.filter((c) => c !== '').join(' '));
    case 'concat':
      return rows.map((r) => r.filter((c) => c !== '').join(''));
  }
}

/** "46.2%" / "95.26%" / "100.00%" as a form cell writes it. */
function rateCell(ctx: Ctx, rate: number): string {
  return ctx.rng.chance(0.3) ? `${rate.toFixed(2)}%` : `${num(rate)}%`;
}

/** The indicator rows of a form: level 1 and 2 left blank where they repeat, target with its operator and unit. */
function indicatorRows(ctx: Ctx, withScores: boolean): string[][] {
  const { t, rng } = ctx;
  ctx.gold.indicatorTable = true;
  const rows: string[][] = [];
  let last1 = '';
  let last2 = '';
  for (const i of t.indicators) {
    const target = i.operator === '定性' ? i.target : `${i.operator}${i.target}${i.unit}`;
    const weight = rng.pick([5, 10, 10, 15, 20]);
    const row = ['', i.level1 === last1 ? '' : i.level1, i.level2 === last2 ? '' : i.level2, i.level3, target, i.actual ? `${i.actual}${i.operator === '定性' ? '' : i.unit}` : ''];
    if (withScores) row.push(String(weight), String(Math.max(0, weight - (rng.chance(0.2) ? rng.int(1, 3) : 0))), '');
    rows.push(row);
    last1 = i.level1;
    last2 = i.level2;
  }
  return rows;
}

/**
 * Readings of a concatenated funds run a careful reader would accept: 2 or 3 amounts written with the same decimals,
 * spent ≤ budget, a rate above 0 that equals spent/budget as written, a usual weight and a sub-score within it.
 * `percent` false reads the other column order, without a percent sign: amounts, rate, weight, sub-score.
 */
function concatReadings(run: string, percent: boolean): Array<[number, number, number]> {
  const ok = (s: string) => /^(?:0|[1-9]\d*)(?:\.\d+)?$/.test(s);
  const decimals = (s: string) => s.split('.')[1]?.length ?? 0;
  const splitAll = (s: string, parts: number): string[][] => {
    if (parts === 1) return ok(s) ? [[s]] : [];
    const res: string[][] = [];
    for (let i = 1; i < s.length; i++) if (ok(s.slice(0, i))) for (const rest of splitAll(s.slice(i), parts - 1)) res.push([s.slice(0, i), ...rest]);
    return res;
  };
  const out = new Map<string, [number, number, number]>();
  const consider = (amounts: string[], rateText: string, weight: string, score: string) => {
    if (!ok(rateText) || !ok(score) || Number(rateText) <= 0 || Number(rateText) > 100 || Number(score) > Number(weight)) return;
    if (new Set(amounts.map(decimals)).size > 1) return;
    const budget = Number(amounts[amounts.length - 2]);
    const spent = Number(amounts[amounts.length - 1]);
    if (budget <= 0 || spent > budget || round((spent / budget) * 100, decimals(rateText)) !== Number(rateText)) return;
    out.set(`${budget}|${spent}|${Number(rateText)}`, [budget, spent, Number(rateText)]);
  };
  const weights = ['2', '3', '4', '5', '6', '8', '10', '12', '15', '20'];
  if (percent) {
    const m = /^([\d.]+)%([\d.]+)$/.exec(run);
    if (!m) return [];
    const left = m[1]!;
    for (let j = 1; j < left.length; j++) {
      for (const w of weights) {
        const rest = left.slice(0, j);
        if (!rest.endsWith(w)) continue;
        for (const parts of [2, 3]) for (const xs of splitAll(rest.slice(0, -w.length), parts)) consider(xs, left.slice(j), w, m[2]!);
      }
    }
  } else {
    for (const w of weights) {
      for (let i = 1; i < run.length; i++) {
        const [head, tail] = [run.slice(0, i), run.slice(i)];
        if (!tail.startsWith(w)) continue;
        for (let j = 1; j < head.length; j++) {
          for (const parts of [2, 3]) for (const xs of splitAll(head.slice(0, j), parts)) consider(xs, head.slice(j), w, tail.slice(w.length));
        }
      }
    }
  }
  return [...out.values()];
}

/** A single project's 项目支出绩效自评表; the form is the report, so its figures are the report's. */
export function projectForm(ctx: Ctx, how: Flattening): string {
  const { rng, t, gold } = ctx;
  const p = t.projects[0]!;
  const L: string[] = [];
  L.push(rng.pick(['项目支出绩效自评表', `${t.year}年度项目支出绩效自评表`, '项目支出绩效目标自评表']));
  const titledYear = L[0]!.startsWith(String(t.year));
  if (!titledYear) L.push(rng.pick([`（${t.year}年度）`, `（${t.year}年度）`, `评价年度：${t.year}`]));
  const unitLabel = t.unit === '元' ? '元' : '万元';
  // A row of spreadsheet cells may lose its header (spaces, concat): the unit is then declared above the form.
  const merged = how === 'spaces' && rng.chance(0.5);
  if (t.unit === '元' && (how === 'concat' || merged || rng.chance(0.5))) L.push('单位：元');
  const sep = how === 'concat' ? '：' : '';
  const rows: string[][] = [];
  rows.push([`项目名称${sep}`, p.name]);
  const unitLabel2 = rng.chance(0.2) ? '资金使用单位' : '实施单位';
  if (rng.chance(0.5)) rows.push([`主管部门${sep}`, t.dept.supervisor, `${unitLabel2}${sep}`, t.dept.name]);
  else rows.push([`主管部门${sep}`, t.dept.supervisor], [`${unitLabel2}${sep}`, t.dept.name]);
  const es = p.execScore;
  const amount = (x: number) => tableAmount(ctx, x);
  const withInitial = how !== 'concat' || rng.chance(0.4);
  const header = [`项目资金（${unitLabel}）`, ...(withInitial ? ['年初预算数'] : []), '全年预算数', '全年执行数', '分值', '执行率', '得分'];
  const funds = ['年度资金总额', ...(withInitial ? [amount(p.initial)] : []), amount(p.budget), amount(p.spent), '10', rateCell(ctx, p.rate), num(es)];
  let fundsLines: string[];
  let concatOk = true;
  if (how === 'concat') {
    // Most forms put 分值 before 执行率 (…10100.00%10); some put the rate first, without its percent sign (…86.35108.64).
    const percent = rng.chance(0.7);
    const cells = funds.slice(1);
    const run = percent ? cells.join('') : [...cells.slice(0, -3), cells.at(-2)!.replace('%', ''), cells.at(-3), cells.at(-1)].join('');
    const readings = concatReadings(run, percent);
    concatOk = readings.length === 1;
    if (!concatOk) gold.notes.push(`The concatenated funds run "${run}" has ${readings.length} plausible readings; its figures are left null.`);
    fundsLines = [`年度资金总额:${run}`];
  } else if (merged) {
    // Spreadsheet cells out of order: the header cells, then the figures, on one line.
    fundsLines = [[...header.slice(1), ...funds.slice(1)].join(' ')];
  } else {
    fundsLines = flatten([header, funds], how, ctx);
  }
  const other = [
    ['其中：当年财政拨款', ...(withInitial ? [amount(p.initial)] : []), amount(p.budget), amount(p.spent), '', '', ''],
    ['上年结转资金', ...(withInitial ? [''] : []), '', '', '', '', ''],
    ['其他资金', ...(withInitial ? [''] : []), '', '', '', '', ''],
  ];
  if (concatOk) {
    gold.state('budget_wan', p.budget);
    gold.state('spent_wan', p.spent);
    gold.state('execution_rate_pct', p.rate);
  }
  const pushProject = (score?: number) => {
    const g: GoldProject = { name: p.name.replace(/\s+/g, '') };
    if (concatOk) Object.assign(g, { budget_wan: p.budget, spent_wan: p.spent, execution_rate_pct: p.rate });
    if (score !== undefined) g.score = score;
    gold.projects.push(g);
  };
  L.push(...flatten(rows, how, ctx), ...fundsLines);
  if (how !== 'concat' && rng.chance(0.6)) L.push(...flatten(other, how, ctx));
  const goals = [['年度总体目标', '预期目标', '实际完成情况'], ['', `按计划完成${p.name.replace(/^\d{4}年度?/, '')}各项任务`, '已按计划完成各项任务']];
  L.push(...flatten(goals, how === 'concat' ? 'spaces' : how, ctx));
  L.push(...flatten([['绩效指标', '一级指标', '二级指标', '三级指标', '年度指标值', '实际完成值', '分值', '得分', '偏差原因分析及改进措施'], ...indicatorRows(ctx, true)], how === 'concat' ? 'spaces' : how, ctx));
  // Some excerpts stop inside the indicator table: score and grade are then not in the text.
  if (rng.chance(0.04)) {
    L.splice(L.length - rng.int(1, 3));
    gold.notes.push('The excerpt stops inside the indicator table: no total score.');
    pushProject();
    return L.join('\n');
  }
  // 总分: weight, then score.
  if (how === 'concat') L.push(`总分${100}${num(t.score)}`);
  else if (how === 'cells') L.push('总分', '100', num(t.score));
  else L.push(...flatten([['总分', '', '', '', '', '', '100', num(t.score), '']], how, ctx));
  gold.state('score', t.score);
  if (t.gradeMode !== 'none') {
    L.push(...flatten([[`自评等级${sep}`, t.gradeWord]], how === 'concat' ? 'concat' : how, ctx));
    gold.stateGrade(t.gradeMode === 'tier' ? null : t.grade);
  }
  if (rng.chance(0.35)) {
    const problems = t.problems.length ? enumerate(t.problems.map((x) => x.text), 'dun', false).replace(/\n/g, '') : rng.pick(NO_PROBLEM);
    for (const x of t.problems) gold.issues.add(x.category);
    L.push(...flatten([[`存在的问题${sep}`, problems], [`改进措施${sep}`, enumerate(measuresFor(t.problems, rng), 'dun', false).replace(/\n/g, '')]], how === 'concat' ? 'concat' : how === 'spaces' ? 'spaces' : how, ctx));
  }
  if (rng.chance(0.4)) L.push(`填表人：${personName(rng)}    联系电话：${phoneNumber(rng)}    填报日期：${dateLine(ctx)}`);
  pushProject(t.score);
  return L.join('\n');
}

/** The department form, either as an evaluation report one value per line (seed 003) or a self-evaluation table. */
export function departmentForm(ctx: Ctx): string {
  return ctx.rng.chance(0.5) ? evaluationSheet(ctx) : selfEvaluationTable(ctx);
}

/** Seed-003-like: a table flattened one value per line under tab indentation, then problems in prose. */
function evaluationSheet(ctx: Ctx): string {
  const { rng, t, gold } = ctx;
  const d = t.dept.name;
  const level = t.place.level === 'county' ? (t.place.county!.endsWith('区') ? '区级' : '县级') : t.place.level === 'city' ? '市级' : '省级';
  const L = [`${d}部门整体支出`, '绩效评价报告', '', '\t一、项目基本情况', '', '\t基 本 情 况', '\t项目名称', `\t${d}部门整体支出绩效评价`, '', '\t', '\t评价年度', `\t${t.year}年度`, '\t评价类型', '\t部门评价', ''];
  L.push('\t', '\t委托评价单位', `\t${ctx.finance}`, '\t评价机构名称', '\t', '');
  L.push('\t', '\t评价对象名称', `\t${d}${t.year}年度整体支出`, '');
  L.push('\t资 金 情 况（万元）', '\t预算安排资金', `\t${num(t.budget)}`, '\t实际到位资金', `\t${num(t.received)}`, '');
  L.push('\t', '\t其中：省级财政', '\t', '\t其中：省级财政', '\t', '', '\t', `\t${level}财政`, `\t${num(t.budget)}`, `\t${level}财政`, `\t${num(t.received)}`, '');
  L.push('\t', '\t实际支出资金', `\t${num(t.spent)}`, '\t结转结余资金', `\t${num(round(t.received - t.spent, t.decimals))}`, '');
  L.push('\t', '\t预算执行率', `\t${num(t.rate)}%`, '', '');
  gold.state('budget_wan', t.budget);
  gold.state('funds_received_wan', t.received);
  gold.state('spent_wan', t.spent);
  gold.state('execution_rate_pct', t.rate);
  if (t.rateBasis === 'received') gold.notes.push(`The stated rate ${t.rate}% is spent / funds received; spent / budget is ${round((t.spent / t.budget) * 100, 2)}%.`);
  L.push('二、部门绩效目标', '', '\t年度绩效', '目标', `\t目标一：${t.indicators[0]?.level3 ?? '完成年度重点工作任务'}。`, '');
  L.push('\t三、评价基本情况', '', '\t评价指标体系', '');
  const w = [rng.int(10, 20), rng.int(15, 25), rng.int(30, 40)];
  L.push(`1.决策: 占权重分值${w[0]}分，从项目申报、目标设定、资金投入三个方面进行评价分析。`);
  L.push(`2.管理:占权重分值${w[1]}分，从资金管理和组织实施两个方面进行评价分析。`);
  L.push(`3.产出: 占权重分值 ${w[2]} 分，从数量、质量、时效和成本四个方面进行绩效分析。`);
  L.push(`4.效益: 占权重分值 ${100 - w[0]! - w[1]! - w[2]!} 分，从社会效益、可持续影响、满意度三个方面进行评价分析。`, '', '');
  L.push('四、评价结论和绩效分析', '', '\t综合评价结论', '\t评价得分', '\t', '', num(t.score), '');
  gold.state('score', t.score);
  if (t.gradeMode !== 'none') {
    L.push('\t评价等级', `\t${t.gradeWord}`, '');
    gold.stateGrade(t.gradeMode === 'tier' ? null : t.grade);
  } else L.push('\t评价等级', '\t优□     良□     中□     差□', '');
  L.push('\t得分率', ...[13, 11, 25.5, 9].map((x) => `\t${x}%`), `\t${num(t.score)}%`, '', '');
  L.push(`五、${rng.pick(['存在的问题', '存在问题', '问题及原因分析'])}`, '');
  if (t.problems.length) {
    for (const p of t.problems) gold.issues.add(p.category);
    L.push(`\t${t.dept.self}${t.year}年在项目实施过程中总体规范，${enumerate(t.problems.map((p) => p.text), 'yishi', false)}`);
  } else L.push(`\t${rng.pick(NO_PROBLEM)}`);
  L.push('', `\t六、${rng.pick(['有关意见建议', '改进建议'])}`, '', `\t${enumerate(measuresFor(t.problems, rng), 'yishi', false)}`, '', '\t七、其他需要说明的事项', '', '\t无', '');
  return L.join('\n');
}

/** A 部门整体支出绩效自评表 with tab rows (the shape of many published appendices). */
function selfEvaluationTable(ctx: Ctx): string {
  const { rng, t, gold } = ctx;
  const L = rng.chance(0.3) ? [`${t.dept.name}`, ''] : [];
  L.push('部门整体支出绩效自评表', `（${t.year}年度）`, rng.chance(0.5) ? '单位：万元' : '');
  const es = Math.min(10, round(t.rate / 10, 1));
  const rows: string[][] = [
    ['部门名称', t.dept.name, '', '', '', '', '', ''],
    ['联系人', personName(rng), '联系电话', phoneNumber(rng), '', '', '', ''],
    ['编制人数', String(t.staff.admin), '在职实有人数', String(t.staff.total), '所属单位数量', String(t.staff.institution + 1), '', ''],
    ['年度预算申请', '资金总额', '年初预算数', '全年预算数', '全年执行数', '分值', '执行率', '得分'],
    ['', '', num(t.initial), num(t.budget), num(t.spent), '10', `${num(t.rate)}%`, num(es)],
    ['', '其中：财政拨款', num(t.initial), num(t.budget), num(t.spent), '', '', ''],
    ['年度总体目标', '预期目标', '实际完成情况', '', '', '', '', ''],
    ['', '全面完成年度各项工作任务', '已完成年度各项工作任务', '', '', '', '', ''],
    ['绩效指标', '一级指标', '二级指标', '三级指标', '年度指标值', '实际完成值', '分值', '得分'],
  ];
  gold.state('budget_wan', t.budget);
  gold.state('spent_wan', t.spent);
  gold.state('execution_rate_pct', t.rate);
  rows.push(...indicatorRows(ctx, true).map((r) => r.slice(0, 8)));
  rows.push(rng.chance(0.3) ? ['自评总分（分）', num(t.score), '', '', '', '', '', ''] : ['总分', '', '', '', '', '', '100', num(t.score)]);
  gold.state('score', t.score);
  if (t.gradeMode !== 'none') {
    rows.push(['自评结论', `自评得分${num(t.score)}分，评价等级为${t.gradeWord}`, '', '', '', '', '', '']);
    gold.stateGrade(t.gradeMode === 'tier' ? null : t.grade);
  }
  if (t.problems.length) {
    for (const p of t.problems) gold.issues.add(p.category);
    rows.push(['存在的问题', enumerate(t.problems.map((p) => p.text), 'yishi', false), '', '', '', '', '', '']);
  }
  rows.push(['改进措施', enumerate(measuresFor(t.problems, rng), 'yishi', false), '', '', '', '', '', '']);
  L.push(...rows.map((r) => r.join('\t')));
  L.push(`填报日期：${dateLine(ctx)}`);
  return L.join('\n');
}
