/** Key-figure sentences written from a chart's rows, in Chinese and in English. */
import { describe, expect, it } from 'vitest';
import {
  issueFrequencyFigures, issueHeatmapFigures, lowExecFigures, rateRankingFigures, scoreRankingFigures, yearlyFigures,
  type FigureContext,
} from '../client/src/export/figures.ts';
import type { LowExecRow } from '../client/src/views/low-execution/low-execution-sql.ts';
import type { OverviewRow } from '../client/src/views/overview/overview-sql.ts';
import type { RegionRow } from '../client/src/views/regional/regional-sql.ts';

const names: Record<string, { zh: string; en: string }> = {
  EXEC_SLOW: { zh: '预算执行进度慢', en: 'Slow budget execution' },
  MANAGEMENT: { zh: '管理不规范', en: 'Irregular management' },
};
const ctx = (lang: 'zh' | 'en', level: FigureContext['level'] = 'province'): FigureContext => ({
  lang, level, threshold: 60, region: (r) => r ?? (lang === 'zh' ? '未识别地区' : 'Unidentified'),
  category: (c) => names[c]?.[lang] ?? c,
});

const region = (r: Partial<RegionRow>): RegionRow => ({
  region: null, reports: 1, reviewed: 0, budget_wan: null, spent_wan: null, exec_rate: null, avg_score: null, rate_rank: null, score_rank: null, ...r,
});

describe('key figures', () => {
  const regions = [
    region({ region: '河北省', reports: 3, budget_wan: 1200.5, exec_rate: 92.34, avg_score: 88 }),
    region({ region: '山西省', reports: 1, budget_wan: 300, exec_rate: 41.06, avg_score: 95 }),
    region({ region: null, reports: 2, budget_wan: null, exec_rate: null, avg_score: 70 }),
  ];

  it('names the lowest and highest region by execution rate and the total budget', () => {
    expect(rateRankingFigures(regions, ctx('zh'))).toEqual([
      '执行率最低的省份：山西省，41.1%',
      '执行率最高的省份：河北省，92.3%',
      '预算总额 1,500.50 万元，覆盖 3 个省份、6 份报告',
    ]);
    expect(rateRankingFigures(regions, ctx('en', 'city'))[0]).toBe('Lowest execution rate (city): 山西省, 41.1%');
  });

  it('names the lowest score and the report-weighted mean score', () => {
    const [low, high, mean] = scoreRankingFigures(regions, ctx('zh'));
    expect(low).toBe('自评得分最低的省份：未识别地区，70.0 分');
    expect(high).toBe('自评得分最高的省份：山西省，95.0 分');
    expect(mean).toBe(`全部报告平均自评得分 ${((88 * 3 + 95 + 70 * 2) / 6).toFixed(1)} 分`);
  });

  it('names the most common issue with its count', () => {
    const rows = [
      { category: 'MANAGEMENT', occurrences: 4, reports: 2 },
      { category: 'EXEC_SLOW', occurrences: 9, reports: 5 },
    ];
    expect(issueFrequencyFigures(rows, ctx('zh'))).toEqual([
      '最常见的问题：预算执行进度慢，9 次（涉及 5 份报告）',
      '其次：管理不规范，4 次',
      '共 13 条问题，分属 2 个类别',
    ]);
    expect(issueFrequencyFigures(rows, ctx('en'))[0]).toBe('Most common issue: Slow budget execution, 9 times (in 5 reports)');
    expect(issueFrequencyFigures([], ctx('zh'))).toEqual([]);
  });

  it('finds the region with most issues and the largest cell of the heatmap', () => {
    const cells = [
      { region: '石家庄市', category: 'EXEC_SLOW', occurrences: 2, reports: 2 },
      { region: '石家庄市', category: 'MANAGEMENT', occurrences: 2, reports: 1 },
      { region: '唐山市', category: 'EXEC_SLOW', occurrences: 3, reports: 2 },
    ];
    expect(issueHeatmapFigures(cells, ctx('zh', 'city'))).toEqual([
      '问题最多的城市：石家庄市，4 条',
      '最集中的组合：唐山市 · 预算执行进度慢，3 条',
      '共 7 条问题，2 个城市',
    ]);
  });

  it('states the latest year budget, rate with its change, and score', () => {
    const rows: OverviewRow[] = [
      { year: 2023, reports: 2, departments: 2, budget_wan: 100, exec_rate: 80, avg_score: 85, flagged: 0, low_exec: 1, reviewed: 0 },
      { year: 2024, reports: 3, departments: 3, budget_wan: 2500, exec_rate: 85.5, avg_score: 90.25, flagged: 1, low_exec: 4, reviewed: 1 },
    ];
    expect(yearlyFigures(rows, ctx('zh'), 2024)).toEqual([
      '2024 年预算总额 2,500.00 万元（3 份报告）',
      '2024 年预算加权执行率 85.5%，较上年 +5.5 个百分点',
      '2024 年平均自评得分 90.3 分，低执行率项目（<60%）4 个',
    ]);
    expect(yearlyFigures(rows, ctx('en'), 2024)[1]).toBe('2024 budget-weighted execution rate 85.5%, +5.5 pp on 2023');
  });

  it('counts the low-execution projects and names the lowest', () => {
    const p = (name: string, rate: number, budget: number): LowExecRow => ({
      rk: 0, idx: 0, name, department: '教育局', province: null, city: null, county: null, year: 2024,
      budget_wan: budget, spent_wan: budget * rate / 100, execution_rate_pct: rate, score: null, mismatch: false,
    });
    expect(lowExecFigures([p('校舍维修', 30, 100), p('营养餐', 12.5, 40)], ctx('zh'))).toEqual([
      '执行率低于 60% 的项目共 2 个',
      '执行率最低：营养餐，教育局，12.5%',
      '涉及预算 140.00 万元，已支出 35.00 万元',
    ]);
  });
});
