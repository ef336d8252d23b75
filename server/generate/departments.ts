/** Department names by kind and level, as real reports name them, with their supervising bureau. */
import type { DepartmentKind } from '../extract/department-kind.ts';
import { placeStem, townsOf, type GenPlace } from './places.ts';
import type { Random } from './random.ts';

/** A generated reporting unit. */
export interface Department {
  /** The unit that reports (实施单位), as its name is written. */
  name: string;
  /** The supervising bureau (主管部门) when the unit is a school, hospital, centre …; else the unit itself. */
  supervisor: string;
  kind: DepartmentKind;
  /** How the report refers to itself (我局, 我单位, 本院 …). */
  self: string;
}

interface KindNames {
  county: readonly string[];
  city?: readonly string[];
  province: readonly string[];
  /** Units under the bureau (schools, hospitals, centres); they report with the bureau as 主管部门. */
  units?: readonly string[];
}

const NAMES: Partial<Record<DepartmentKind, KindNames>> = {
  医疗保障: { county: ['医疗保障局'], province: ['医疗保障局'], units: ['医疗保障事务中心', '医疗保险服务中心'] },
  教育: {
    county: ['教育局', '教育和体育局'],
    city: ['教育局'],
    province: ['教育厅'],
    units: ['第一中学', '第二中学', '实验小学', '第一小学', '实验中学', '中心幼儿园', '职业技术教育中心', '教师进修学校'],
  },
  卫生健康: {
    county: ['卫生健康局'],
    city: ['卫生健康委员会', '卫生健康局'],
    province: ['卫生健康委员会'],
    units: ['人民医院', '中医医院', '疾病预防控制中心', '妇幼保健院'],
  },
  农业农村: { county: ['农业农村局'], province: ['农业农村厅'], units: ['农业技术推广中心', '畜牧兽医服务中心'] },
  民政: { county: ['民政局'], province: ['民政厅'], units: ['民政事务服务中心'] },
  人力资源和社会保障: { county: ['人力资源和社会保障局'], province: ['人力资源和社会保障厅'], units: ['劳动保障监察大队', '劳动人事争议仲裁院'] },
  财政: { county: ['财政局'], province: ['财政厅'], units: ['财政国库支付中心'] },
  交通运输: { county: ['交通运输局'], province: ['交通运输厅'], units: ['公路事业发展中心', '农村公路管理站'] },
  水利: { county: ['水利局', '水务局'], province: ['水利厅'], units: ['水利工程管理站', '水利技术推广站'] },
  林业和草原: { county: ['林业和草原局', '林业局'], province: ['林业和草原局'], units: ['林业工作站', '林业调查规划队'] },
  自然资源: { county: ['自然资源局', '自然资源和规划局'], province: ['自然资源厅'], units: ['自然资源综合执法大队'] },
  生态环境: { county: ['生态环境局'], province: ['生态环境厅'] },
  住房和城乡建设: { county: ['住房和城乡建设局'], province: ['住房和城乡建设厅'], units: ['住房保障服务中心'] },
  文化和旅游: { county: ['文化和旅游局', '文化广电和旅游局', '文化广电体育和旅游局'], province: ['文化和旅游厅'], units: ['文化馆'] },
  公安: { county: ['公安局'], province: ['公安厅'] },
  司法: { county: ['司法局'], province: ['司法厅'] },
  市场监督管理: { county: ['市场监督管理局'], province: ['市场监督管理局'] },
  应急管理: { county: ['应急管理局'], province: ['应急管理厅'] },
  退役军人事务: { county: ['退役军人事务局'], province: ['退役军人事务厅'], units: ['退役军人服务中心'] },
  数据和政务服务: { county: ['数据局', '政务服务和大数据管理局', '行政审批局'], province: ['数据局'] },
  发展和改革: { county: ['发展和改革局'], city: ['发展和改革委员会'], province: ['发展和改革委员会'] },
  科学技术: { county: ['科学技术局', '科技局'], province: ['科学技术厅'] },
  工业和信息化: { county: ['工业和信息化局', '工业信息化和商务局'], province: ['工业和信息化厅'] },
  商务: { county: ['商务局'], province: ['商务厅'] },
  审计: { county: ['审计局'], province: ['审计厅'] },
  统计: { county: ['统计局'], province: ['统计局'] },
  体育: { county: ['体育运动中心'], city: ['体育局'], province: ['体育局'] },
  其他: { county: ['档案馆', '机关事务服务中心', '融媒体中心', '地方志编纂中心'], province: ['档案馆', '机关事务管理局'] },
};

/** Kinds weighted roughly as they occur among published reports. */
const KIND_WEIGHTS: ReadonlyArray<readonly [DepartmentKind, number]> = [
  ['医疗保障', 8], ['教育', 10], ['卫生健康', 9], ['农业农村', 7], ['民政', 5], ['人力资源和社会保障', 5], ['财政', 4],
  ['交通运输', 5], ['水利', 5], ['林业和草原', 4], ['自然资源', 4], ['生态环境', 3], ['住房和城乡建设', 4],
  ['文化和旅游', 4], ['公安', 2], ['司法', 2], ['市场监督管理', 3], ['应急管理', 3], ['退役军人事务', 2],
  ['数据和政务服务', 2], ['发展和改革', 2], ['科学技术', 2], ['工业和信息化', 2], ['商务', 2], ['审计', 1],
  ['统计', 1], ['体育', 1], ['乡镇人民政府', 6], ['其他', 2],
];

/** The self-reference a unit's report uses, by the last characters of its name. */
function selfReference(name: string, rng: Random): string {
  if (/局$/.test(name)) return rng.pick(['我局', '本局', '我单位']);
  if (/厅$/.test(name)) return rng.pick(['我厅', '本单位']);
  if (/委员会$/.test(name)) return rng.pick(['我委', '本单位']);
  if (/中心$/.test(name)) return rng.pick(['我中心', '本单位']);
  if (/(?:医院|保健院|卫生院|仲裁院)$/.test(name)) return rng.pick(['我院', '本单位']);
  if (/(?:学校|中学|小学|幼儿园)$/.test(name)) return rng.pick(['我校', '本单位']);
  return rng.pick(['我单位', '本单位', '本部门']);
}

/** The prefix a department name carries for `place`: county alone, or with its city (always when ambiguous). */
function namePrefix(place: GenPlace, rng: Random): string {
  if (place.level === 'county') {
    const withCity = place.cityPrefix !== null && (place.ambiguous || rng.chance(0.4));
    return withCity ? `${place.cityPrefix}${place.county}` : place.county!;
  }
  if (place.level === 'city' && !place.municipality) return rng.chance(0.8) ? place.city! : place.cityPrefix!;
  return place.province;
}

/** Picks a reporting unit in `place`: a bureau, a unit under it, or (in a county) a township government. */
export function pickDepartment(place: GenPlace, rng: Random): Department {
  let kind = rng.weighted(KIND_WEIGHTS);
  const prefix = namePrefix(place, rng);
  if (kind === '乡镇人民政府') {
    const towns = place.level === 'county' ? townsOf(place.code) : [];
    if (towns.length === 0) kind = '其他';
    else {
      const town = rng.pick(towns);
      const name = `${prefix}${town}${town.endsWith('街道') ? '办事处' : '人民政府'}`;
      const self = town.endsWith('街道') ? '我街道' : town.endsWith('乡') ? '我乡' : '我镇';
      return { name, supervisor: name, kind, self: rng.chance(0.7) ? self : '本单位' };
    }
  }
  const names = NAMES[kind as Exclude<DepartmentKind, '乡镇人民政府'>]!;
  if (place.level === 'province') {
    const bureau = rng.pick(names.province);
    const name = `${prefix}${bureau}`;
    return { name, supervisor: name, kind, self: selfReference(name, rng) };
  }
  const bureaus = place.level === 'city' && names.city ? names.city : names.county;
  let name = `${prefix}${rng.pick(bureaus)}`;
  // A county's environment office is a branch of its city's bureau: 石家庄市生态环境局鹿泉区分局.
  if (kind === '生态环境' && place.level === 'county' && place.cityPrefix && !place.municipality) {
    name = `${place.cityPrefix}生态环境局${place.county}分局`;
  }
  const supervisor = name;
  if (names.units && rng.chance(0.3)) {
    const unitName = `${prefix}${rng.pick(names.units)}`;
    return { name: unitName, supervisor, kind, self: selfReference(unitName, rng) };
  }
  if (kind === '卫生健康' && place.level === 'county' && rng.chance(0.1)) {
    const towns = townsOf(place.code).filter((t) => /[镇乡]$/.test(t));
    if (towns.length > 0) {
      const unitName = `${prefix}${rng.pick(towns)}卫生院`;
      return { name: unitName, supervisor, kind, self: selfReference(unitName, rng) };
    }
  }
  return { name, supervisor, kind, self: selfReference(name, rng) };
}

/** The finance bureau of a place (the body that asks for, or itself evaluates, the report). */
export function financeBureau(place: GenPlace): string {
  if (place.level === 'province') return `${place.province}${place.municipality ? '财政局' : '财政厅'}`;
  if (place.level === 'city') return `${place.municipality ? place.province : place.city}财政局`;
  return `${place.county}财政局`;
}

/** The short stem a document number starts with (鹿财, 承财, 冀财). */
export function issuerStem(place: GenPlace): string {
  const name = place.level === 'county' ? place.county! : place.level === 'city' ? (place.city ?? place.province) : place.province;
  return placeStem(name).slice(0, 1);
}
