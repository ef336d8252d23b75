/** Problems sections: problem statements per taxonomy category (many phrasings), reasons, and improvement measures. */
import type { IssueCategory } from '../schema.ts';
import type { Random } from './random.ts';

/** What a problem sentence may mention: the report's projects and indicators, its year and level of government. */
export interface ProblemContext {
  projects: readonly string[];
  indicators: readonly string[];
  /** 县, 区, 市, 省 */
  level: string;
  year: number;
}

/** One stated problem and the category a finance reviewer files it under. */
export interface Problem {
  category: IssueCategory;
  text: string;
}

type Template = (rng: Random, ctx: ProblemContext) => string;

const pct = (rng: Random, lo: number, hi: number) => `${(Math.round(rng.float(lo, hi) * 100) / 100).toString()}%`;
const wan = (rng: Random, lo: number, hi: number) => `${(Math.round(rng.float(lo, hi) * 100) / 100).toString()}万元`;
const project = (rng: Random, ctx: ProblemContext) => (ctx.projects.length ? rng.pick(ctx.projects) : '个别项目');
const indicator = (rng: Random, ctx: ProblemContext) => (ctx.indicators.length ? rng.pick(ctx.indicators) : '部分数量指标');

/** Each category's statements; every one states exactly one problem of its category. */
const TEMPLATES: Record<IssueCategory, readonly Template[]> = {
  EXEC_SLOW: [
    () => '部分项目资金支付进度滞后，年底结转资金较多',
    (rng) => `预算执行进度不均衡，前三季度支出进度仅为${pct(rng, 35, 70)}`,
    (rng, ctx) => `${project(rng, ctx)}实施进度缓慢，截至年底资金支付率仅为${pct(rng, 20, 60)}`,
    () => '全年预算执行率未达到100%，部分资金被财政收回',
    () => '个别项目支出进度较慢，存在资金沉淀现象',
    (rng) => `项目资金结余较大，${wan(rng, 3, 300)}结余资金未能及时使用`,
    (rng) => `年末仍有${wan(rng, 5, 500)}项目资金未支出，资金使用效益未充分发挥`,
    (rng) => `资金支付进度偏慢，仅支付${pct(rng, 25, 65)}`,
  ],
  FUNDS_NOT_IN_PLACE: [
    () => '上级专项资金下达较晚，影响项目按期实施',
    (_rng, ctx) => `${ctx.level}级财政压力较大，部分配套资金未能及时到位`,
    (rng) => `部分资金未拨付到位，资金到位率仅为${pct(rng, 40, 85)}`,
    () => '项目资金到位不及时，导致部分工作推迟开展',
    () => '中央和省级补助资金下达时间较晚，资金到位滞后',
    () => '地方配套资金缺口较大，资金保障不足',
  ],
  TARGET_SETTING: [
    () => '绩效目标设置不够精准，部分指标未细化量化',
    () => '个别项目绩效指标设置不够科学，可衡量性不强',
    () => '绩效目标与资金量匹配度不高，指标值设定偏低',
    () => '部分产出指标表述笼统，难以考核',
    () => '项目绩效目标设置还需进一步精准',
    () => '绩效指标体系不够完善，效益指标以定性描述为主',
  ],
  TARGET_MISSED: [
    (rng, ctx) => `${indicator(rng, ctx)}未达到年度目标，实际完成值低于指标值`,
    (rng, ctx) => `部分绩效指标未完成，${indicator(rng, ctx)}完成率仅为${pct(rng, 60, 95)}`,
    (rng) => {
      const n = rng.int(4, 12);
      return `计划实施的${n}个子项目仅完成${rng.int(1, n - 1)}个，产出目标未全部实现`;
    },
    () => '受益人数较年初计划减少，未能完成预期目标',
    () => '部分建设内容未按计划完成，产出数量未达到预期',
  ],
  BUDGET_ACCURACY: [
    () => '预算编制不够精准，年中预算调整幅度较大',
    (rng) => `年初预算与实际执行偏差较大，预算调整率达${pct(rng, 15, 60)}`,
    () => '部分项目预算测算不够细致，年中追加预算较多',
    () => '预算编制的前瞻性不足，年初预算与实际需求存在较大差距',
    (rng) => `全年预算执行数与年初预算偏离度为${pct(rng, 10, 45)}，预算编制准确性有待提高`,
  ],
  GENERAL_SPENDING: [
    (rng) => `公务接待费较上年增长${pct(rng, 10, 180)}`,
    () => '一般性支出压减不到位，办公费、差旅费有所增加',
    () => '“三公”经费支出较上年有所增长',
    () => '会议费、培训费支出超出年初预算',
    () => '公用经费支出增长较快，厉行节约要求落实不到位',
  ],
  MANAGEMENT: [
    () => '项目立项资料不完整，前期论证不够充分',
    () => '已完工项目竣工验收工作滞后，结算资料归档不及时',
    () => '固定资产管理不规范，存在账实不符的情况',
    () => '政府采购程序执行不够严格，部分采购手续不完备',
    () => '部分报账票据不规范，会计核算不够细致',
    () => '项目档案管理不规范，资料归集不及时',
    () => '内部控制制度不健全，资金审批流程不够规范',
    () => '合同管理不规范，个别项目未签订书面合同',
  ],
  EVAL_QUALITY: [
    () => '绩效管理意识有待加强，自评工作不够深入',
    () => '自评佐证材料不够充分，评价结果客观性不足',
    () => '财务人员专业能力不足，缺乏绩效管理专业人员',
    () => '对绩效管理工作重视程度不够，绩效运行监控流于形式',
    () => '部分科室绩效理念不强，重投入轻绩效的观念仍然存在',
  ],
  OTHER: [
    () => '政策宣传力度不够，部分群众对政策知晓度不高',
    () => '信息系统数据共享不畅，部门间协同不够',
    () => '部分设施设备老化，运行维护成本较高',
    () => '群众参与积极性不高，社会力量参与不足',
  ],
};

/** Why the problems arose; each only explains, it states no further problem. */
const REASONS: Partial<Record<IssueCategory, readonly string[]>> = {
  EXEC_SLOW: ['主要原因是部分项目实施周期跨年度，需待完工后结算支付', '其原因为部分项目按合同约定分期付款'],
  FUNDS_NOT_IN_PLACE: ['主要原因是上级资金下达时间晚于项目实施计划'],
  GENERAL_SPENDING: ['主要原因是当年接待上级调研检查较往年增多'],
  TARGET_MISSED: ['主要原因是外部条件发生变化，实际情况与年初预计不同'],
};

const MEASURES: Record<IssueCategory, readonly string[]> = {
  EXEC_SLOW: ['加快项目实施和资金支付进度，减少资金结转结余', '定期调度资金使用情况，对已完成的项目及时完成资金拨付'],
  FUNDS_NOT_IN_PLACE: ['积极向上争取资金，督促资金及时到位', '加强与财政部门沟通，保障配套资金按时拨付'],
  TARGET_SETTING: ['科学设置绩效目标，细化量化绩效指标', '结合工作实际设置可衡量的绩效指标'],
  TARGET_MISSED: ['加强项目跟踪管理，确保绩效指标按期完成', '强化过程监控，对偏离目标的项目及时纠偏'],
  BUDGET_ACCURACY: ['提高预算编制的科学性和准确性，减少年中调整', '将上年度资金执行情况运用到当年预算编制中'],
  GENERAL_SPENDING: ['严格控制一般性支出，厉行节约', '严格执行公务接待审批制度'],
  MANAGEMENT: ['健全内部控制制度，规范项目和资产管理', '规范政府采购和合同管理，完善项目档案'],
  EVAL_QUALITY: ['加强绩效管理培训，提高自评工作质量', '充实绩效管理力量，提高财务人员业务能力'],
  OTHER: ['加大政策宣传力度，提高群众知晓度', '加强部门协同，推进信息共享'],
};

const GENERIC_MEASURES = [
  '强化绩效评价结果应用，将评价结果作为以后年度预算安排的重要依据',
  '进一步加强预算绩效管理，不断提高财政资金使用效益',
  '加强政府采购项目管理，确保按要求进行采购并按约定条件付款',
];

const CATEGORY_WEIGHTS: ReadonlyArray<readonly [IssueCategory, number]> = [
  ['EXEC_SLOW', 20], ['TARGET_SETTING', 16], ['MANAGEMENT', 14], ['BUDGET_ACCURACY', 12], ['EVAL_QUALITY', 10],
  ['FUNDS_NOT_IN_PLACE', 9], ['TARGET_MISSED', 9], ['GENERAL_SPENDING', 6], ['OTHER', 4],
];

/** 0–4 problems of distinct categories (a quarter of reports state none). */
export function sampleProblems(rng: Random, ctx: ProblemContext): Problem[] {
  const n = rng.weighted([[0, 25], [1, 20], [2, 25], [3, 20], [4, 10]] as const);
  const categories = new Set<IssueCategory>();
  while (categories.size < n) categories.add(rng.weighted(CATEGORY_WEIGHTS));
  return [...categories].map((category) => ({ category, text: rng.pick(TEMPLATES[category])(rng, ctx) }));
}

/** A reason sentence for one of the problems, or null. */
export function reasonFor(problems: readonly Problem[], rng: Random): string | null {
  const withReason = problems.filter((p) => REASONS[p.category]);
  if (withReason.length === 0 || !rng.chance(0.35)) return null;
  return rng.pick(REASONS[rng.pick(withReason).category]!);
}

/** Measures answering the problems, plus a generic one. */
export function measuresFor(problems: readonly Problem[], rng: Random): string[] {
  const out = problems.map((p) => rng.pick(MEASURES[p.category]));
  if (out.length === 0 || rng.chance(0.6)) out.push(rng.pick(GENERIC_MEASURES));
  return out;
}

/** Headings of problems sections, as reports word them. */
export const PROBLEM_HEADINGS = [
  '存在问题', '存在的问题', '存在的问题及原因', '问题及原因分析', '主要问题', '自评发现的主要问题及原因', '存在的主要问题',
] as const;

/** Headings of the measures that follow. */
export const MEASURE_HEADINGS = ['改进建议', '改进措施', '下一步改进措施', '整改措施', '有关建议', '下一步工作计划'] as const;

/** What a problems section says when there is no problem: 无, or only resolutions. */
export const NO_PROBLEM = [
  '无。', '无', '经自评，本年度未发现明显问题。', '本年度项目实施过程中未发现问题。',
  '今后我们将进一步加强预算绩效管理，不断提高财政资金使用效益。',
] as const;

export type ItemStyle = 'yishi' | 'paren' | 'dot' | 'dun' | 'plain';

const CN = '一二三四五六七八九十';

/** Writes statements as an enumeration: 一是…二是…, （一）…, 1.…, 1、… or plain sentences. */
export function enumerate(items: readonly string[], style: ItemStyle, separateLines: boolean): string {
  const marked = items.map((text, i) => {
    const end = /[。；;]$/.test(text) ? text : `${text}${style === 'yishi' && !separateLines && i < items.length - 1 ? '；' : '。'}`;
    switch (style) {
      case 'yishi': return `${CN[i]}是${end}`;
      case 'paren': return `（${CN[i]}）${end}`;
      case 'dot': return `${i + 1}.${end}`;
      case 'dun': return `${i + 1}、${end}`;
      case 'plain': return end;
    }
  });
  return marked.join(separateLines || style === 'paren' || style === 'dot' || style === 'dun' ? '\n' : '');
}
