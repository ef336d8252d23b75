/** Derives the department kind (医疗保障, 教育, 卫生健康, …) from a department's name. */
import { scanPlaces } from './region-index.ts';

/** Every kind `departmentKind` returns, in the order the dashboard's filter lists them. */
export const DEPARTMENT_KINDS = [
  '医疗保障', '教育', '卫生健康', '农业农村', '民政', '人力资源和社会保障', '财政', '交通运输', '水利', '林业和草原',
  '自然资源', '生态环境', '住房和城乡建设', '文化和旅游', '公安', '司法', '市场监督管理', '应急管理', '退役军人事务',
  '数据和政务服务', '发展和改革', '科学技术', '工业和信息化', '商务', '审计', '统计', '体育', '乡镇人民政府', '其他',
] as const;

/** One of `DEPARTMENT_KINDS`. */
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

/** Name fragments per kind; schools count as 教育 and hospitals as 卫生健康. */
const KEYWORDS: Record<Exclude<DepartmentKind, '乡镇人民政府' | '其他'>, string[]> = {
  医疗保障: ['医疗保障', '医保'],
  教育: ['教育', '教体', '学校', '中学', '小学', '大学', '学院', '幼儿园', '中专', '职教中心', '教师进修'],
  卫生健康: ['卫生健康', '卫健', '卫生', '医院', '卫生院', '疾病预防控制', '疾控', '妇幼保健', '计划生育'],
  农业农村: ['农业农村', '农业', '农牧', '畜牧', '乡村振兴'],
  民政: ['民政'],
  人力资源和社会保障: ['人力资源和社会保障', '人力资源', '人社', '社会保障', '社保', '劳动'],
  财政: ['财政'],
  交通运输: ['交通运输', '交通局', '公路'],
  水利: ['水利', '水务'],
  林业和草原: ['林业', '林草', '草原'],
  自然资源: ['自然资源', '国土资源', '国土'],
  生态环境: ['生态环境', '环境保护', '环保'],
  住房和城乡建设: ['住房和城乡建设', '住房城乡建设', '住建', '城乡建设', '住房保障'],
  文化和旅游: [
    '文化和旅游', '文化广电和旅游', '文化广电旅游', '文化体育和旅游', '文化广电体育和旅游', '文化旅游', '文旅', '文广', '文化', '旅游',
  ],
  公安: ['公安'],
  司法: ['司法'],
  市场监督管理: ['市场监督', '市场监管'],
  应急管理: ['应急管理', '应急'],
  退役军人事务: ['退役军人'],
  数据和政务服务: ['数据', '政务服务', '行政审批', '政务'],
  发展和改革: ['发展和改革', '发展改革', '发改'],
  科学技术: ['科学技术', '科技'],
  工业和信息化: ['工业和信息化', '工业信息化', '工信', '经济和信息化', '经信', '工业'],
  商务: ['商务'],
  审计: ['审计'],
  统计: ['统计'],
  体育: ['体育'],
};

/** Keywords longest first, so 卫生院 wins over 卫生 and 文化和旅游 over 文化. */
const BY_LENGTH: Array<[string, DepartmentKind]> = Object.entries(KEYWORDS)
  .flatMap(([kind, words]) => words.map((word): [string, DepartmentKind] => [word, kind as DepartmentKind]))
  .sort((a, b) => b[0].length - a[0].length);

const TOWNSHIP = /[乡镇](?:人民)?政府|[乡镇](?:党委)?$|街道/;

/**
 * Derives the kind of a named department; null without a name, 其他 when none fits.
 * The head of a Chinese name comes last (某大学附属医院 is a hospital), except that joined bureaus
 * (教育和体育局, 科技工信局) are filed under the first one named.
 */
export function departmentKind(name: string | null): DepartmentKind | null {
  if (name === null) return null;
  // 人民政府 contains 民政.
  const bare = withoutPlaces(name.replace(/\s+/g, '')).replaceAll('人民政府', '政府');
  const found: Array<{ start: number; end: number; kind: DepartmentKind }> = [];
  for (let i = 0; i < bare.length; i++) {
    const hit = BY_LENGTH.find(([word]) => bare.startsWith(word, i));
    if (!hit) continue;
    found.push({ start: i, end: i + hit[0].length, kind: hit[1] });
    i += hit[0].length - 1;
  }
  let head = found.length - 1;
  while (head > 0) {
    const before = found[head - 1]!;
    const gap = bare.slice(before.end, found[head]!.start);
    if (gap !== '' && gap !== '和' && gap !== '与' && gap !== '、' && gap !== '及') break;
    head--;
  }
  if (head >= 0) return found[head]!.kind;
  return TOWNSHIP.test(bare) ? '乡镇人民政府' : '其他';
}

/** Drops place names, so 公安县 does not read as 公安 nor 城乡 in 某某乡 as anything. */
function withoutPlaces(name: string): string {
  let bare = '';
  let at = 0;
  for (const mention of scanPlaces(name, true)) {
    bare += name.slice(at, mention.start);
    at = mention.end;
  }
  return bare + name.slice(at);
}
