/** Project names, performance indicators, wrapper banners and other wording of generated reports, by department kind. */
import type { DepartmentKind } from '../extract/department-kind.ts';
import type { Random } from './random.ts';

const PROJECTS: Partial<Record<DepartmentKind, readonly string[]>> = {
  医疗保障: [
    '城乡居民医疗保险财政补助资金', '医疗救助资金', '医保经办服务大厅运行经费', '医疗保障管理和业务工作经费',
    '困难群众参保资助资金', '意外伤害认定经费', '医保基金监管专项经费', '长期护理保险补助资金', '征地农转非城乡居民医疗保险财政补助',
  ],
  教育: [
    '义务教育学校公用经费保障资金', '学前教育发展资金', '校舍维修改造项目', '学生资助补助经费', '农村义务教育学生营养改善计划资金',
    '教师培训经费', '薄弱学校改善办学条件项目', '中等职业教育免学费补助资金', '教育信息化建设经费',
  ],
  卫生健康: [
    '基本公共卫生服务项目资金', '家庭医生签约服务经费', '疾病预防控制专项经费', '计划生育家庭奖励扶助资金',
    '基层医疗卫生机构能力提升项目', '传染病防控经费', '妇幼健康服务补助资金', '医疗设备购置项目',
  ],
  农业农村: [
    '高标准农田建设项目', '耕地地力保护补贴资金', '农业技术推广补助经费', '动物防疫补助经费', '农村人居环境整治资金',
    '乡村振兴衔接资金', '农机购置补贴资金', '农产品质量安全监管经费',
  ],
  民政: ['城乡低保资金', '特困人员供养资金', '临时救助资金', '养老服务体系建设补助资金', '残疾人两项补贴资金', '孤儿基本生活保障资金'],
  人力资源和社会保障: ['就业补助资金', '职业技能培训补贴资金', '公益性岗位补贴', '城乡居民基本养老保险补助资金', '劳动保障监察专项经费'],
  财政: ['预算绩效管理工作经费', '财政信息化建设经费', '政府采购管理经费', '国库集中支付运行经费'],
  交通运输: ['农村公路养护经费', '道路维修工程', '公路安全生命防护工程', '农村客运补贴资金', '桥梁维修加固工程'],
  水利: ['农村饮水安全维修养护资金', '河道治理工程', '水土保持项目', '小型水库除险加固工程', '山洪灾害防治经费', '河长制工作经费'],
  林业和草原: ['森林防火专项经费', '天然林保护修复资金', '造林绿化工程', '林业有害生物防治经费', '生态护林员补助资金', '草原生态保护补助奖励资金'],
  自然资源: ['地质灾害防治项目', '国土空间规划编制经费', '不动产登记工作经费', '耕地保护补偿资金', '土地整治项目'],
  生态环境: ['大气污染防治资金', '水污染防治专项资金', '环境监测能力建设经费', '农村生活污水治理项目'],
  住房和城乡建设: ['老旧小区改造项目', '农村危房改造补助资金', '城市道路维修工程', '保障性住房建设资金', '市政设施维护经费'],
  文化和旅游: ['公共文化服务体系建设资金', '文物保护专项资金', '乡村文化活动经费', '旅游宣传推介经费', '非物质文化遗产保护经费'],
  公安: ['公安业务装备购置经费', '社会治安防控体系建设项目', '禁毒工作专项经费', '交通安全管理经费'],
  司法: ['法律援助经费', '人民调解工作经费', '社区矫正工作经费', '普法宣传经费'],
  市场监督管理: ['食品安全抽检经费', '特种设备安全监管经费', '计量检定工作经费', '市场主体信用监管经费'],
  应急管理: ['安全生产监管执法经费', '应急救援物资储备资金', '森林消防队伍建设经费', '防汛抗旱专项经费'],
  退役军人事务: ['优抚对象补助经费', '退役士兵安置经费', '烈士纪念设施维护经费', '退役军人服务站建设经费'],
  数据和政务服务: ['政务服务大厅运行经费', '政务数据平台建设项目', '电子政务外网运维经费', '一网通办系统建设项目'],
  发展和改革: ['粮食储备专项资金', '价格监测工作经费', '重点项目前期工作经费', '节能监察专项经费'],
  科学技术: ['科技创新引导资金', '科技特派员工作经费', '科普宣传经费', '高新技术企业奖补资金'],
  工业和信息化: ['中小企业发展专项资金', '工业园区建设经费', '信息化推进专项经费', '产业转型升级奖补资金'],
  商务: ['电子商务进农村综合示范项目', '外贸发展专项资金', '商贸流通体系建设资金', '消费促进活动经费'],
  审计: ['审计业务经费', '审计信息化建设经费', '投资审计项目经费'],
  统计: ['经济普查经费', '统计调查业务经费', '统计信息化建设经费'],
  体育: ['全民健身工程', '体育赛事活动经费', '体育场馆免费开放补助资金'],
  乡镇人民政府: ['村级组织运转经费', '人居环境整治资金', '农村道路硬化工程', '村级公益事业一事一议奖补资金', '防汛抗旱经费', '乡村振兴示范村建设项目'],
  其他: ['档案数字化建设经费', '机关运行保障经费', '融媒体中心建设项目', '地方志编纂经费'],
};

const GENERIC_PROJECTS = [
  '办公设备购置经费', '信息化建设经费', '业务工作经费', '专项工作经费', '人员培训经费', '办公用房维修改造项目',
  '公益性岗位工资补贴', '聘用人员经费', '安全生产工作经费', '宣传工作经费',
];

/** Names that do not end in a project noun (经费, 资金, 项目 …), as some reports write them. */
const BARE_PROJECTS = ['全民健身活动开展', '安全生产专项整治', '政策宣传培训', '重点工作督导检查', '业务系统运维服务'];

/** `n` distinct project names for a department of `kind` in `year`, some with the year written into the name. */
export function projectNames(kind: DepartmentKind, year: number, n: number, rng: Random): string[] {
  const pool = [...(PROJECTS[kind] ?? []), ...GENERIC_PROJECTS];
  const names = rng.sample(pool, n);
  while (names.length < n) names.push(`${rng.pick(['第二批', '补充', '追加'])}${rng.pick(pool)}`);
  return names.map((name) => {
    const bare = rng.chance(0.04);
    const base = bare ? rng.pick(BARE_PROJECTS) : name;
    const r = rng.next();
    if (r < 0.3) return `${year}年${base}`;
    if (r < 0.45) return `${year}年度${base}`;
    if (r < 0.5 && !bare && !base.endsWith('项目')) return `${base}项目`;
    return base;
  }).filter((name, i, all) => all.indexOf(name) === i);
}

/** One row of a performance indicator table. */
export interface IndicatorSpec {
  level1: string;
  level2: string;
  level3: string;
  operator: '≥' | '≤' | '=' | '定性';
  target: string;
  unit: string;
  /** The value achieved, as written. */
  actual: string;
}

const KIND_INDICATORS: Partial<Record<DepartmentKind, ReadonlyArray<readonly [string, string, number, number]>>> = {
  医疗保障: [['城乡居民医保参保人数', '人', 20000, 300000], ['医疗救助人次', '人次', 500, 20000], ['开展医保基金专项检查', '次', 2, 12]],
  教育: [['受助学生人数', '人次', 300, 12000], ['改造校舍面积', '平方米', 800, 20000], ['培训教师人数', '人次', 100, 3000]],
  卫生健康: [['家庭医生签约人数', '人', 5000, 200000], ['适龄儿童免疫规划疫苗接种率', '%', 90, 99], ['孕产妇系统管理率', '%', 85, 98]],
  农业农村: [['新建高标准农田面积', '亩', 5000, 60000], ['带动农业产值', '亿元', 1, 190], ['农作物病虫害防治面积', '万亩', 5, 80]],
  民政: [['城乡低保保障人数', '人', 1000, 40000], ['特困人员救助供养人数', '人', 100, 3000]],
  交通运输: [['农村公路养护里程', '公里', 100, 3000], ['维修桥梁数量', '座', 2, 40]],
  水利: [['治理河道长度', '公里', 3, 60], ['农村供水保障人口', '万人', 1, 50]],
  林业和草原: [['完成造林面积', '亩', 1000, 50000], ['森林覆盖率', '%', 30, 75], ['聘用生态护林员人数', '人', 50, 1500]],
  住房和城乡建设: [['改造老旧小区数量', '个', 3, 60], ['完成农村危房改造户数', '户', 20, 800]],
  文化和旅游: [['开展文化惠民活动场次', '场', 20, 400], ['接待游客人次', '万人次', 10, 900], ['实现旅游综合收入', '亿元', 1, 120]],
  人力资源和社会保障: [['城镇新增就业人数', '人', 500, 20000], ['开展职业技能培训人次', '人次', 300, 15000]],
};

const GENERIC_INDICATORS: ReadonlyArray<readonly [string, string, string, '≥' | '≤' | '=' | '定性', string, string]> = [
  ['产出指标', '质量指标', '项目验收合格率', '≥', '95', '%'],
  ['产出指标', '时效指标', '资金拨付及时率', '≥', '90', '%'],
  ['产出指标', '时效指标', '任务完成及时性', '定性', '及时', ''],
  ['产出指标', '数量指标', '人均补助标准', '≥', '640', '元/人'],
  ['效益指标', '社会效益指标', '群众政策知晓率', '≥', '85', '%'],
  ['效益指标', '可持续影响指标', '长效管理机制', '定性', '健全', ''],
  ['满意度指标', '服务对象满意度指标', '服务对象满意度', '≥', '90', '%'],
];

const LEVEL_ORDER = ['数量指标', '质量指标', '时效指标', '社会效益指标', '可持续影响指标', '服务对象满意度指标', '经济成本指标'];

/** An indicator table for a department of `kind`: quantity indicators, generic quality ones, a cost line. */
export function indicators(kind: DepartmentKind, budgetWan: number, rng: Random): IndicatorSpec[] {
  const out: IndicatorSpec[] = [];
  for (const [name, unit, lo, hi] of rng.sample(KIND_INDICATORS[kind] ?? [['完成重点工作任务数', '项', 3, 30]], 2)) {
    const target = unit === '%' ? rng.int(lo, hi) : unit === '亿元' ? Math.round(rng.float(lo, hi) * 100) / 100 : rng.int(lo, hi);
    const reached = rng.chance(0.85);
    const actual = reached ? target * rng.float(1, 1.08) : target * rng.float(0.7, 0.98);
    const shown = unit === '%' ? Math.min(100, Math.round(actual * 10) / 10) : unit === '亿元' ? Math.round(actual * 100) / 100 : Math.round(actual);
    out.push({ level1: '产出指标', level2: '数量指标', level3: name, operator: '≥', target: String(target), unit, actual: String(shown) });
  }
  for (const [level1, level2, level3, operator, target, unit] of rng.sample(GENERIC_INDICATORS, rng.int(3, 5))) {
    const actual = operator === '定性' ? target : String(Math.min(100, Number(target) + rng.int(0, 8)));
    out.push({ level1, level2, level3, operator, target, unit, actual });
  }
  out.push({ level1: '成本指标', level2: '经济成本指标', level3: '项目成本控制', operator: '≤', target: String(budgetWan), unit: '万元', actual: '' });
  // Tables group rows by level: 产出 (数量, 质量, 时效), 效益, 满意度, 成本.
  const order = (i: IndicatorSpec) => LEVEL_ORDER.indexOf(i.level2);
  return out.sort((a, b) => order(a) - order(b));
}

/** Website and document-library wrappers found before a report's text. */
export function banner(rng: Random, site: string, published: string): string {
  return rng.pick([
    () => `首页 > 信息公开 > 财政预决算 > 绩效信息\n发布时间：${published}  来源：${site}  浏览次数：${rng.int(30, 3000)}\n【字体：大 中 小】  打印本页  关闭窗口\n`,
    () => `当前位置：首页 > 政务公开 > 法定主动公开内容 > 财政信息\n${site}门户网站  主办单位：${site}  网站标识码：${rng.int(1000000000, 9999999999)}\n发布日期：${published}\n`,
    () => `原创力文档 max.book118.com\n预览与源文档一致，下载高清无水印\n本文档共${rng.int(5, 30)}页，可免费阅读全部内容\n`,
    () => `Microsoft Word - 绩效自评报告${rng.int(1, 9)}.docx\n第 1 页 共 ${rng.int(4, 20)} 页\n`,
    () => `豆丁网 docin.com  精品文档  立即下载\n上传者：${rng.pick(['用户', 'user'])}${rng.int(100000, 999999)}  上传时间：${published}\n更多相关文档 >>\n`,
    () => `${site}\n索引号：${rng.int(10000000, 99999999)}-${rng.int(100, 999)}/${published.slice(0, 4)}-${rng.int(10000, 99999)}  发布机构：${site}\n公开方式：主动公开  公开范围：面向社会\n`,
  ])();
}

/** A person's name for the contact line (masked later by the extractor). */
export function personName(rng: Random): string {
  return rng.pick(['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '胡', '郭']) +
    rng.pick(['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '秀英', '建国', '海燕', '文博']);
}

/** A phone number: a mobile or a landline with area code. */
export function phoneNumber(rng: Random): string {
  return rng.chance(0.5)
    ? `1${rng.pick(['3', '5', '7', '8', '9'])}${rng.int(100000000, 999999999)}`
    : `0${rng.int(310, 999)}-${rng.int(2000000, 8999999)}`;
}
