/**
 * Prose layouts: a department's overall self-evaluation (like seed 001), a department report listing its projects
 * (like seed 000) and a project report enumerating projects in paragraphs (like seed 004).
 */
import {
  chineseYear, dateLine, docNumber, heading, inlineProblems, num, pctText, problemsSection, proseAmount, type Ctx,
} from './context.ts';
import type { GoldProject } from './gold.ts';
import { personName, phoneNumber } from './vocab.ts';
import { round, type ProjectTruth } from './truth.ts';

/** "2023 年" with the report's spacing. */
const yr = (ctx: Ctx, year = ctx.t.year) => `${ctx.sp}${year}${ctx.sp}年`;

/** The title block of a report of `what` (部门整体支出绩效自评报告, 项目绩效自评工作报告). */
function titleLines(ctx: Ctx, what: string): string[] {
  const { rng, t, sp } = ctx;
  const dept = t.dept.name;
  const lines: string[] = rng.chance(0.2) ? [`附件${rng.int(1, 4)}`, ''] : [];
  if (t.multiYear) {
    lines.push(dept, `${t.year - 2}-${t.year}年度${what}`);
    ctx.gold.notes.push(`Multi-year evaluation ${t.year - 2}-${t.year}: no single evaluated year.`);
    return lines;
  }
  if (ctx.gold.anonymous) {
    lines.push(`${t.year}年度${what}`);
    return lines;
  }
  const evaluated = what.includes('整体') && ctx.finance !== dept && rng.chance(0.06);
  const form = rng.weighted([['one', 30], ['two', 35], ['about', 12], ['cn', 5], ['label', 10], ['period', 8]] as const);
  if (evaluated) {
    // The finance bureau evaluated the department: the department is the subject after 关于.
    lines.push(`${ctx.finance}关于${dept}${t.year}年度${what.replace('自评', '评价')}`, `委托评价单位：${ctx.finance}`);
    return lines;
  }
  switch (form) {
    case 'one': lines.push(`${dept}${sp}${t.year}${sp}年度${what}`); break;
    case 'two': lines.push(dept, '', `${t.year}${sp}年度${what}`); break;
    case 'about': lines.push(`${dept}关于${t.year}年度${what.replace(/报告$/, '情况的报告')}`); break;
    case 'cn': lines.push(dept, `${chineseYear(t.year)}年度${what}`); break;
    case 'label': lines.push(`${dept}${what}`, `（评价年度：${t.year}）`); break;
    case 'period':
      lines.push(`${dept}${what}`, rng.chance(0.5) ? `评价时间范围：${t.year}年1月1日至${t.year}年12月31日` : `本次评价时间范围为${t.year}年1月起至${t.year}年12月止。`);
      break;
  }
  return lines;
}

/** The sentence that says why the report was written (with a later-year document number). */
function basisSentence(ctx: Ctx): string {
  const { rng, t } = ctx;
  const what = t.kind === 'project'
    ? rng.pick(['项目支出绩效自评', '预算项目绩效自评', '部门整体支出和项目支出绩效自评'])
    : rng.pick(['部门整体支出绩效自评', '预算绩效自评']);
  const finance = ctx.gold.anonymous ? '财政部门' : ctx.finance;
  return rng.pick([
    `根据《${finance}关于开展${t.year}年度${what}工作的通知》（${docNumber(ctx, t.year + 1)}）要求，${t.dept.self}对${yr(ctx)}度预算资金使用情况开展了绩效自评，现将有关情况报告如下：`,
    `为进一步加强预算绩效管理，提高财政资金使用效益，按照${finance}统一部署，${t.dept.self}组织开展了${yr(ctx)}度绩效自评工作。`,
    `按照《${finance}关于做好${t.year}年度${what}工作的通知》（${docNumber(ctx, t.year + 1)}）文件精神，现将${t.dept.self}${yr(ctx)}度绩效自评情况报告如下。`,
  ]);
}

/** Background paragraphs: organisation, functions, staff (with staff counts and shares as distractors). */
function basicInfo(ctx: Ctx, n: number): string[] {
  const { rng, t } = ctx;
  const { staff } = t;
  const lines = [`${heading(0, n)}部门基本情况`];
  lines.push(`${heading(1, 0)}机构组成。${t.dept.self}内设股室${rng.int(3, 9)}个${staff.institution ? `，下属事业单位${staff.institution}个` : ''}。`);
  lines.push(`${heading(1, 1)}主要职能。贯彻执行国家、省、市关于${t.dept.kind === '其他' ? '本行业' : t.dept.kind}工作的方针政策和法律法规，拟订并组织实施有关规划和政策措施，完成上级交办的其他任务。`);
  lines.push(`${heading(1, 2)}人员概况。截至${yr(ctx)}12月31日，单位编制人数${staff.admin}人，在职人员${staff.total}人，退休人员${rng.int(0, 40)}人。`);
  if (rng.chance(0.04)) lines.push(`${yr(ctx, t.year - 1)}度全${ctx.t.place.level === 'county' ? '县' : '市'}目标责任考核结果为优秀等次。`);
  return lines;
}

const BUDGET_LABELS = ['全年预算数为', '部门预算总额为', '全年预算安排资金', '调整后预算数为', '预算资金总额为', '全年预算资金'];
const SPENT_LABELS = ['全年实际支出', '全年支出', '全年执行数为', '实际支出资金', '累计支出'];
const RATE_LABELS = ['预算执行率为', '资金执行率为', '部门预算执行率达到', '资金支付率为', '支出进度为', '预算执行进度为', '资金使用率为'];
/** Departments whose budget is mostly subsidies to people also speak of a disbursement rate (发放率). */
const SUBSIDY_KINDS = new Set(['民政', '医疗保障', '人力资源和社会保障', '农业农村', '退役军人事务']);
const rateLabel = (ctx: Ctx) => ctx.rng.pick(SUBSIDY_KINDS.has(ctx.t.dept.kind) ? [...RATE_LABELS, '资金发放率为'] : RATE_LABELS);

/** The funds paragraph of a department report; states budget, spent, rate (each usually), recording them. */
function fundsParagraphs(ctx: Ctx, n: number): string[] {
  const { rng, t, gold, sp } = ctx;
  const lines = [`${heading(0, n)}${rng.pick(['部门资金收支情况', '部门预算及执行情况', '预算资金使用情况'])}`];
  const stateBudget = rng.chance(0.9);
  const stateSpent = rng.chance(0.85);
  const stateRate = rng.chance(0.85);
  const basic = round(t.spent * rng.float(0.3, 0.7), 2);
  const projectPart = round(t.spent - basic, 2);
  const share = (x: number) => (t.spent > 0 ? round((x / t.spent) * 100, 2) : 0);
  const parts: string[] = [];
  if (stateBudget) {
    const initial = t.initial !== t.budget && rng.chance(0.6) ? `年初预算数为${proseAmount(ctx, t.initial)}，` : '';
    parts.push(`${yr(ctx)}度${initial}${rng.pick(BUDGET_LABELS)}${proseAmount(ctx, t.budget)}`);
    gold.state('budget_wan', t.budget);
  }
  if (t.received !== t.budget && rng.chance(0.5)) {
    parts.push(`实际到位资金${proseAmount(ctx, t.received)}，资金到位率${pctText(ctx, round((t.received / t.budget) * 100, 2))}`);
    gold.state('funds_received_wan', t.received);
  } else if (rng.chance(0.3)) parts.push(`资金到位率${pctText(ctx, 100)}`);
  if (stateSpent) {
    parts.push(`${rng.pick(SPENT_LABELS)}${proseAmount(ctx, t.spent)}`);
    gold.state('spent_wan', t.spent);
  }
  if (stateRate) {
    parts.push(`${rateLabel(ctx)}${pctText(ctx, t.rate)}`);
    gold.state('execution_rate_pct', t.rate);
  }
  const income = round(t.budget + rng.float(0, 0.05) * t.budget, 2);
  lines.push(`${heading(1, 0)}收入情况。${yr(ctx)}财政拨款收入${sp}${num(income)}${sp}万元，其中：一般公共预算财政拨款收入${sp}${num(income)}${sp}万元，占${sp}100%。`);
  lines.push(`${heading(1, 1)}支出情况。${parts.join('，')}。其中：基本支出${sp}${num(basic)}${sp}万元，占${sp}${num(share(basic))}%；项目支出${sp}${num(projectPart)}${sp}万元，占${sp}${num(share(projectPart))}%。`);
  lines.push(`${heading(1, 2)}结转结余情况。${yr(ctx)}年初结转结余${sp}${num(round(rng.float(0, 30), 2))}${sp}万元，年末结转结余${sp}${num(round(Math.max(0, t.budget - t.spent), 2))}${sp}万元。`);
  return lines;
}

/** The analysis section: budget management, distractor figures, project-category progress, indicators. */
function analysis(ctx: Ctx, n: number): string[] {
  const { rng, t, sp } = ctx;
  const lines = [`${heading(0, n)}${rng.pick(['部门预算绩效分析', '绩效目标完成情况分析', '部门整体支出绩效情况'])}`];
  const deviation = round(rng.float(0, 15), 2);
  lines.push(
    `${heading(1, 0)}预算管理。一是预算编制质量方面，根据《${ctx.gold.anonymous ? '财政部门' : ctx.finance}关于批复${yr(ctx)}部门预算的通知》（${docNumber(ctx, t.year)}），计算得出预算偏离度${sp}${num(deviation)}%。` +
      `二是严控一般性支出方面，“三公”经费支出${proseAmount(ctx, round(rng.float(0.5, 30), 2))}，较上年下降${sp}${num(round(rng.float(1, 20), 2))}%。` +
      `三是资产管理方面，固定资产原值${proseAmount(ctx, round(rng.float(10, 900), 2))}，净值${proseAmount(ctx, round(rng.float(5, 400), 2))}。四是政府采购执行率${sp}100%。`,
  );
  if (rng.chance(0.4)) {
    const k = rng.int(2, 9);
    lines.push(
      `常年项目绩效分析。该类项目总数${sp}${k}${sp}个，涉及预算总金额${proseAmount(ctx, round(t.budget * rng.float(0.2, 0.6), 2))}，1—12月预算执行总体进度为${sp}${num(round(rng.float(50, 100), 2))}%，其中：预算结余率大于10%的项目共计${sp}${rng.int(0, 2)}${sp}个。`,
    );
  }
  const done = t.indicators.filter((i) => i.level2 === '数量指标');
  if (done.length) {
    lines.push(
      `${heading(1, 1)}目标实现。` +
        done.map((i) => `${i.level3}目标值${i.operator}${i.target}${i.unit}，实际完成${i.actual}${i.unit}`).join('；') +
        `；服务对象满意度达到${sp}${num(round(rng.float(90, 99.9), 1))}%。`,
    );
  }
  return lines;
}

/** Sub-scores (决策/过程/产出/效益) adding up to `score`. */
function subScores(ctx: Ctx, score: number): string {
  const { rng } = ctx;
  const weights = [20, 20, 40, 20];
  const lost = 100 - score;
  const shares = weights.map(() => rng.next());
  const total = shares.reduce((a, b) => a + b, 0);
  let rest = round(lost, 2);
  const losses = shares.map((s, i) => {
    if (i === shares.length - 1) return rest;
    const l = Math.min(weights[i]!, round((lost * s) / total, 1));
    rest = round(rest - l, 2);
    return l;
  });
  if (losses.some((l, i) => l < 0 || l > weights[i]!)) return '';
  const names = ['决策', '过程', '产出', '效益'];
  return `其中${names.map((name, i) => `${name}指标得分${num(round(weights[i]! - losses[i]!, 2))}分`).join('、')}。`;
}

/** The conclusion: score and grade in one of the phrasings reports use; records what it states. */
function conclusion(ctx: Ctx, subject: string): string {
  const { rng, t, gold, sp } = ctx;
  const stateScore = rng.chance(0.92);
  // Without a score the conclusion states at least the grade.
  const stateGrade = t.gradeMode !== 'none' || !stateScore;
  const word = t.gradeWord;
  const s = `${sp}${num(t.score)}${sp}`;
  if (stateScore) gold.state('score', t.score);
  if (stateGrade) gold.stateGrade(t.gradeMode === 'tier' ? null : t.grade);
  const rule = rng.chance(0.3) ? '评价结果分为优（90分及以上）、良（80-89分）、中（60-79分）、差（60分以下）四个等级。' : '';
  if (!stateScore) return `${rule}经综合评价，${subject}绩效评价结果为“${word}”。`;
  const subs = rng.chance(0.35) ? subScores(ctx, t.score) : '';
  const gradePart = stateGrade
    ? rng.pick([`，评价等级为“${word}”`, `，评价等级为${word}`, `，自评等级：${word}`, `，评价结果为“${word}”`, `，自评为${word}`])
    : '';
  return rng.pick([
    `${rule}绩效评价总分${sp}100${sp}分，${subject}绩效自评得分${s}分${gradePart}。${subs}`,
    `${rule}经综合评价，${subject}绩效自评得分为${s}分${gradePart}。${subs}`,
    `${subs}${rule}综合得分${s}分${gradePart}。`,
    `${rule}${subject}绩效评分${s}分${gradePart}。${subs}`,
  ]);
}

/** Contact and date lines at the end of a report. */
function closing(ctx: Ctx): string[] {
  const { rng, t } = ctx;
  const lines: string[] = [];
  if (rng.chance(0.25)) lines.push(`联系人：${personName(rng)}    联系电话：${phoneNumber(rng)}`);
  if (rng.chance(0.7)) lines.push('', ...(ctx.gold.anonymous ? [] : [t.dept.name]), dateLine(ctx));
  return lines;
}

/** A project's figures in a prose paragraph, in one of several phrasings; records what it states. */
function projectSentence(ctx: Ctx, p: ProjectTruth, opts: { score: boolean }): { text: string; gold: GoldProject } {
  const { rng, sp } = ctx;
  const g: GoldProject = { name: p.name.replace(/\s+/g, '') };
  const parts: string[] = [];
  const amount = (x: number) => `${sp}${num(x)}${sp}万元`;
  const funding = rng.weighted([['initial', 35], ['arranged', 25], ['budgetSpent', 25], ['received', 15]] as const);
  if (funding === 'initial') parts.push(`财政年初预算资金${amount(p.budget)}`);
  else if (funding === 'arranged') parts.push(`${rng.pick(['市级', '县级', '区级', '本级'])}财政预算安排${amount(p.budget)}`);
  else if (funding === 'budgetSpent') parts.push(`年初预算金额为${amount(p.budget)}，全年执行数为${amount(p.spent)}`);
  else parts.push(`财政年初预算资金${amount(p.budget)}，财政资金到位${amount(p.received)}`);
  g.budget_wan = p.budget;
  if (funding === 'budgetSpent') g.spent_wan = p.spent;
  if (funding === 'received') g.funds_received_wan = p.received;
  if (rng.chance(0.85)) {
    parts.push(`${p.rate >= 100 ? '按照年度支出计划，已全部支付完成，' : ''}${rng.pick(['项目资金执行率为', '预算执行率为', '执行率', '资金支付率为', '资金发放率为'])}${pctText(ctx, p.rate)}`);
    g.execution_rate_pct = p.rate;
  }
  let text = parts.join('，');
  if (opts.score) {
    const sub = rng.chance(0.2) ? `其中产出指标自评得分${sp}${num(round(Math.min(40, p.score * 0.4), 1))}${sp}分，` : '';
    text += `。${rng.pick(['该项目绩效目标合理，绩效指标细化、明确，', '项目专款专用，', ''])}${sub}${rng.pick(['该项目自评得分', '自评得分', '项目自评得分'])}${sp}${num(p.score)}${sp}分`;
    g.score = p.score;
  }
  return { text: `${text}。`, gold: g };
}

/** Seed-001-like department report: background, funds, analysis, conclusion, problems, and an appendix form. */
export function proseOverall(ctx: Ctx): string {
  const { rng, t, gold } = ctx;
  // Some reports name no one: "我单位" throughout, no title organisation, no signature.
  if (rng.chance(0.03)) gold.anonymous = true;
  const L: string[] = [...titleLines(ctx, '部门整体支出绩效自评报告'), '', basisSentence(ctx)];
  L.push(...basicInfo(ctx, 0), ...fundsParagraphs(ctx, 1), ...analysis(ctx, 2));
  let section = 3;
  if (t.projects.length) {
    L.push(`${heading(0, section++)}项目支出绩效情况`);
    t.projects.forEach((p, i) => {
      const { text, gold: g } = projectSentence(ctx, p, { score: rng.chance(0.6) });
      L.push(`${i + 1}、${p.name}：${text}`);
      gold.projects.push(g);
    });
  }
  L.push(`${heading(0, section)}评价结论及建议`, `${heading(1, 0)}评价结论。${conclusion(ctx, `${t.dept.self}${yr(ctx)}部门整体支出`)}`);
  const problems = problemsSection(ctx, { problems: heading(1, 1), measures: heading(1, 2) });
  L.push(...problems, ...closing(ctx));
  if (!ctx.gold.anonymous && rng.chance(0.4)) L.push('', ...appendixForm(ctx));
  return L.join('\n');
}

/** The 部门整体支出绩效目标完成情况自评表 appendix (tab rows), restating the budget with more decimals. */
function appendixForm(ctx: Ctx): string[] {
  const { t, gold } = ctx;
  gold.state('budget_wan', t.budget);
  gold.indicatorTable = true;
  const rows = [
    '附表', '部门整体支出绩效目标完成情况自评表', `（${t.year}年度）`, '单位：万元',
    `部门名称\t\t${t.dept.name}\t\t\t\t\t\t`,
    '年度部门整体支出预算\t资金总额\t财政拨款\t其他资金\t\t\t\t\t',
    `\t${num(t.budget, { fixed: 4 })}\t${num(t.budget, { fixed: 4 })}\t0\t\t\t\t\t`,
    '年度绩效指标\t一级指标\t二级指标\t三级指标\t绩效指标性质\t绩效指标值\t绩效度量单位\t权重\t实际完成指标值',
  ];
  let last1 = '';
  for (const i of t.indicators) {
    const target = i.operator === '≤' ? num(i.target === String(t.budget) ? t.budget : Number(i.target), { fixed: 4 }) : i.target;
    rows.push(`\t${i.level1 === last1 ? '' : i.level1}\t${i.level2}\t${i.level3}\t${i.operator}\t${target}\t${i.unit}\t${ctx.rng.pick([5, 10])}%\t${i.actual}`);
    last1 = i.level1;
  }
  return rows;
}

/** Seed-000-like report: a unit table one cell per line, projects named on their own line, figures below. */
export function listingOverall(ctx: Ctx): string {
  const { rng, t, gold, sp } = ctx;
  const L: string[] = [...titleLines(ctx, '整体支出绩效自评报告'), '', basisSentence(ctx)];
  L.push(`${heading(0, 0)}部门基本情况`, `${heading(1, 0)}部门概况`, '1.部门职责', `${t.dept.name}主要负责本行政区域内${t.dept.kind === '其他' ? '相关' : t.dept.kind}工作。`);
  L.push('2.机构设置', `从决算编报单位构成看，纳入${yr(ctx)}度本部门决算汇编范围的独立核算单位共${t.staff.institution + 1}个，具体情况如下：`);
  L.push('\t序号', '\t单位名称', '\t单位基本性质', '\t经费形式', '', '\t1', `\t${t.dept.name}(本级)`, '\t行政单位', '\t财政拨款', '');
  const total = round(t.budget * rng.float(1, 1.2), 2);
  L.push(`${heading(1, 1)}部门收支情况`);
  if (rng.chance(0.5)) {
    L.push(`本部门${yr(ctx)}度收、支总计（含结转和结余）${sp}${num(total)}${sp}万元。与${yr(ctx, t.year - 1)}度决算相比，收、支总计各增加${sp}${num(round(total * rng.float(0.01, 0.2), 2))}${sp}万元。`);
    gold.optional['report.budget_wan'] = total;
    gold.notes.push('收支总计 is a total (with carry-overs), so budget_wan is optional.');
  } else {
    L.push(`本部门${yr(ctx)}度${rng.pick(BUDGET_LABELS)}${proseAmount(ctx, t.budget)}，${rng.pick(SPENT_LABELS)}${proseAmount(ctx, t.spent)}，${rateLabel(ctx)}${pctText(ctx, t.rate)}。`);
    gold.state('budget_wan', t.budget);
    gold.state('spent_wan', t.spent);
    gold.state('execution_rate_pct', t.rate);
  }
  L.push(`${heading(0, 1)}自评工作开展情况`, `${heading(1, 0)}项目概况`);
  t.projects.forEach((p, i) => {
    L.push(`${i + 1}、${p.name}`);
    const g: GoldProject = { name: p.name.replace(/\s+/g, '') };
    const style = rng.weighted([['budget', 50], ['full', 35], ['vague', 15]] as const);
    if (style === 'budget') {
      L.push(`根据《${ctx.finance}关于下达${yr(ctx)}资金的通知》，${rng.pick(['预算', '安排资金', '预算资金'])}${sp}${num(p.budget)}${sp}万元，用于保障相关工作开展。`);
      g.budget_wan = p.budget;
    } else if (style === 'full') {
      L.push(`该项目预算安排资金${sp}${num(p.budget)}${sp}万元，实际支出${sp}${num(p.spent)}${sp}万元，执行率${pctText(ctx, p.rate)}。`);
      Object.assign(g, { budget_wan: p.budget, spent_wan: p.spent, execution_rate_pct: p.rate });
    } else {
      // Only an approximate figure: not a budget a reviewer would record.
      L.push(`按照相关政策规定，所需资金列入财政预算，全年资金需求在${sp}${Math.round(p.budget)}${sp}万左右，据实结算。`);
      g.optional = { budget_wan: Math.round(p.budget) };
    }
    gold.projects.push(g);
  });
  L.push(`${heading(0, 2)}绩效评价指标分析情况`, '项目评价指标体系总分实行百分制，90分以上为优秀、80分以上为良好、60分以上为合格，60分以下为不合格。');
  L.push(`${heading(0, 3)}综合评价情况及评价结论`, conclusion(ctx, `${t.dept.self}整体支出`));
  L.push(...problemsSection(ctx, { problems: heading(0, 4), measures: heading(0, 5) }), ...closing(ctx));
  return L.join('\n');
}

/** Seed-004-like project report: each project in a numbered paragraph with its figures and score. */
export function proseProjects(ctx: Ctx): string {
  const { rng, t, gold, sp } = ctx;
  const L: string[] = [...titleLines(ctx, rng.pick(['项目绩效自评工作报告', '项目支出绩效自评报告', '部门项目支出绩效自评报告'])), '', basisSentence(ctx)];
  L.push(`${heading(0, 0)}绩效自评工作组织开展情况`, `${heading(1, 0)}明确责任分工。成立了由单位主要领导任组长的绩效自评工作小组，对年度内预算项目完成情况进行总结分析。`);
  L.push(`${heading(0, 1)}绩效目标实现情况`);
  const [first] = t.indicators;
  L.push(
    `${heading(1, 0)}总体绩效目标实现情况：1.${first ? `${first.level3}达到${first.actual}${first.unit}，` : ''}${rng.pick(['覆盖率', '目标完成率', '群众知晓率'])}${sp}${num(round(rng.float(95, 99.9), 2))}%，位居全${t.place.level === 'county' ? '市' : '省'}前列。` +
      `2.全年累计完成投资${sp}${num(round(rng.float(1, 9), 2))}${sp}亿元，减轻群众负担${sp}${num(round(rng.float(1, 9), 2))}${sp}亿元。`,
  );
  if (rng.chance(0.3)) {
    const total = round(t.projects.reduce((a, p) => a + p.budget, 0), 2);
    L.push(`${yr(ctx)}共实施项目${t.projects.length}个，涉及资金${sp}${num(total)}${sp}万元。`);
    gold.optional['report.budget_wan'] = total;
  }
  L.push(`${heading(1, 1)}各项目具体目标实现情况：`);
  t.projects.forEach((p, i) => {
    const { text, gold: g } = projectSentence(ctx, p, { score: rng.chance(0.9) });
    const name = ctx.sp ? p.name.replace(/^(\d{4})(年)/, '$1 $2') : p.name;
    L.push(`${i + 1}、${name}：${text}${rng.pick(['', '该项目专款专用，有效保障了相关工作正常运转。', '项目实施后社会效益明显，群众满意度达到95%。'])}`);
    gold.projects.push(g);
  });
  if (rng.chance(0.5)) {
    L.push(`${heading(0, 2)}绩效目标设定质量情况`, `通过绩效自评结果对比分析，年初绩效目标设定整体科学合理。${inlineProblems(ctx)}`);
    L.push(`${heading(0, 3)}整改措施及结果应用`, '针对绩效自评工作中存在的问题，在编制以后年度预算时进行必要的调整，同时强化绩效意识，提高财政资金的使用效益。');
  } else {
    L.push(...problemsSection(ctx, { problems: heading(0, 2), measures: heading(0, 3) }));
  }
  L.push(...closing(ctx));
  return L.join('\n');
}
