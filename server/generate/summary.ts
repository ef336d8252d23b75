/** Summary tables (绩效自评结果汇总表): one row per project, flattened with tabs, `|`, spaces or one cell per line. */
import { dateLine, num, tableAmount, type Ctx } from './context.ts';
import { flatten, type Flattening } from './forms.ts';
import type { GoldProject } from './gold.ts';
import { round, type ProjectTruth } from './truth.ts';

type Columns = 'basic' | 'adjusted' | 'levels';

/** A summary table of the report's projects. */
export function summaryTable(ctx: Ctx, how: Exclude<Flattening, 'concat'>): string {
  const { rng, t, gold } = ctx;
  const columns = rng.weighted<Columns>([['basic', 45], ['adjusted', 35], ['levels', 20]]);
  const fractionRates = rng.chance(0.1);
  const local = t.place.level === 'county' ? (t.place.county!.endsWith('区') ? '区级' : '县级') : t.place.level === 'city' ? '市级' : '省级';
  const L: string[] = [];
  const title = rng.pick([`${t.year}年度项目支出绩效自评结果汇总表`, `${t.year}年度部门绩效自评结果公开汇总表`, `${t.year}年度项目绩效自评情况汇总表`]);
  if (rng.chance(0.6)) L.push(`${t.dept.name}${title}`);
  else L.push(t.dept.name, title);
  L.push(t.unit === '元' ? '单位：元' : rng.pick(['单位：万元', '金额单位：万元', '（单位：万元）']));
  const header = columns === 'basic' ? ['序号', '项目名称', '主管部门', '预算数', '执行数', '执行率', '自评得分']
    : columns === 'adjusted' ? ['序号', '项目名称', '主管部门', '年初预算数', '全年预算数', '全年执行数', '执行率', '自评得分', '自评等级']
    : ['序号', '项目名称', '主管部门', '中央', '省级', '市级', local === '市级' ? '本级' : local, '合计', '执行数', '执行率', '得分'];
  const rows: string[][] = [header];
  const amount = (x: number) => tableAmount(ctx, x);
  const rate = (p: ProjectTruth) => (fractionRates ? (p.rate / 100).toFixed(4) : rng.chance(0.3) ? `${p.rate.toFixed(2)}%` : `${num(p.rate)}%`);
  t.projects.forEach((p, i) => {
    const g: GoldProject = { name: p.name.replace(/\s+/g, ''), budget_wan: p.budget, spent_wan: p.spent, execution_rate_pct: p.rate, score: p.score };
    if (columns === 'basic') rows.push([String(i + 1), p.name, t.dept.supervisor, amount(p.budget), amount(p.spent), rate(p), num(p.score)]);
    else if (columns === 'adjusted') {
      rows.push([String(i + 1), p.name, t.dept.supervisor, amount(p.initial), amount(p.budget), amount(p.spent), rate(p), num(p.score), gradeOf(p.score)]);
    } else {
      // Funds by level of government: most columns empty, the total in 合计.
      const levels = ['', '', '', ''];
      const split = rng.chance(0.3) && p.budget > 1;
      const upper = split ? round(p.budget * rng.float(0.2, 0.8), t.decimals) : 0;
      if (split) levels[rng.int(0, 1)] = amount(upper);
      levels[local === '省级' ? 1 : local === '市级' ? 2 : 3] = amount(round(p.budget - upper, t.decimals));
      rows.push([String(i + 1), p.name, t.dept.supervisor, ...levels, amount(p.budget), amount(p.spent), rate(p), num(p.score)]);
    }
    gold.projects.push(g);
  });
  if (rng.chance(0.5)) {
    const budget = round(t.projects.reduce((a, p) => a + p.budget, 0), 6);
    const spent = round(t.projects.reduce((a, p) => a + p.spent, 0), 6);
    const width = header.length;
    const total = Array<string>(width).fill('');
    total[0] = '合计';
    const budgetCol = header.indexOf(columns === 'levels' ? '合计' : columns === 'adjusted' ? '全年预算数' : '预算数');
    const spentCol = header.findIndex((h) => /执行数/.test(h));
    total[budgetCol] = amount(budget);
    total[spentCol] = amount(spent);
    rows.push(total);
    // A total row of the listed projects: a reviewer may or may not take it as the report's budget.
    gold.optional['report.budget_wan'] = budget;
    gold.optional['report.spent_wan'] = spent;
  }
  L.push(...(how === 'spaces' ? rows.map((r) => r.map((c) => c || '  ').join(' ')) : flatten(rows, how, ctx)));
  if (rng.chance(0.4)) L.push('', `填报单位：${t.dept.name}    填报日期：${dateLine(ctx)}`);
  return L.join('\n');
}

function gradeOf(score: number): string {
  return score >= 90 ? '优' : score >= 80 ? '良' : score >= 60 ? '中' : '差';
}
