/** Stage 4c: the problems a report states, each classified into the taxonomy; suggestions kept as text. */
import type { Issue, IssueCategory, Suggestion } from '../schema.ts';
import { problemSections, suggestionSections, type Section } from './sections.ts';

/** Topic words of each category; a clause must also carry a negative marker (or match a TARGET_MISSED pattern). */
const TOPICS: ReadonlyArray<readonly [IssueCategory, RegExp]> = [
  ['EXEC_SLOW', /执行进度|执行率|支出进度|支付进度|拨付进度|付款进度|使用进度|资金使用(?:进度|率|缓慢|较慢|不及时)|预算执行|实施进度|推进(?:缓慢|较慢|迟缓)|进(?:度|展)(?:缓慢|迟缓)|结转|结余|沉淀|闲置|回收|收回|未支付|未使用|未支出|支付率|支出缓慢|进度(?:较|偏|过)?慢|已支付|仅支付/],
  ['FUNDS_NOT_IN_PLACE', /未到位|到位不及时|到位率|资金到位|拨付不及时|未拨付|未(?:及时)?下达|下达(?:较|偏|过)?晚|下达不及时|财政(?:支出)?压力|财力(?:紧张|有限|不足)|配套资金|上级资金|资金(?:不足|短缺|缺口)|资金来源/],
  ['TARGET_SETTING', /目标值?设置|目标值?设定|指标值?设置|指标值?设定|指标(?:表述|描述|内容)|表述笼统|难以考核|难以衡量|不可衡量|匹配度|绩效目标|目标(?:不够|不)?(?:明确|精准|具体)|量化|细化|可衡量|可考核|指标体系/],
  ['BUDGET_ACCURACY', /预算编制|编制预算|预算调整|调整预算|调整幅度|调整率|偏离度|预算(?:不够|不)?准确|测算|预算与实际|追加|调减|调增|年初预算.{0,6}(?:差异|偏差)/],
  ['GENERAL_SPENDING', /公务接待|接待费|三公|一般性支出|公用经费|会议费|差旅费|办公费|招待|超标准|超支|超预算|超范围/],
  ['MANAGEMENT', /内部控制|内控|资产|账实|账务|账目|前期工作|前期准备|项目储备|政府采购|采购|财务管理|会计核算|核算|档案|台账|制度|项目管理|合同|验收|质保金|审批|手续|报账|票据|立项|(?:立项|申报|项目|档案|验收|结算|审批)(?:资料|材料)|管理(?:不规范|不到位|不严|薄弱|不够)|监管/],
  ['EVAL_QUALITY', /绩效意识|绩效理念|绩效管理(?:意识|水平|能力|工作|基础)|自评|佐证|证明材料|专业(?:人员|能力|知识)|人员(?:不足|配备|紧张)|业务能力|培训(?:不足|较少|不够)|重视程度|评价(?:工作|质量|结果)/],
];

const TARGET_MISSED =
  /(?:指标|目标|任务|预期|计划)[^，。；;]{0,10}(?:未|没有|没能|尚未)(?:能)?(?:全部|完全|如期|按期|按时)?(?:完成|达到|实现|达成)|(?:仅|只)完成|(?:指标|目标|任务)[^，。；;]{0,8}完成率?(?:仅|只|未|低于|不足)|(?:未|没有|尚未)(?:能)?(?:完成|达到|实现|达成)[^，。；;]{0,10}(?:指标|目标|任务|预期|计划)|低于(?:指标|目标|预期|计划)|略低于|未达(?:到)?(?:指标|目标|预期)/;

const NEGATIVE =
  /不|未|没有|无法|难以|有所变化|发生变化|老化|较高|较晚|偏晚|过晚|较慢|缓慢|滞后|偏低|较低|偏高|过高|过大|较大|较多|薄弱|欠缺|缺乏|缺少|差距|有待|还需|仍需|尚需|需进一步|需要进一步|增长|增加|超|延迟|推迟|偏差|略低|低于|仅|只有|压力|困难|紧张|短缺|粗放|随意|模糊|笼统|单一|较弱|不强/;

/** Negative markers that state a concrete shortcoming on their own (unlike 有待提高 or 不足). */
const SPECIFIC = /存在|出现|发生|不[^足]|未|缺|差距|薄弱|变化|偏差|滞后|较慢|缓慢|偏低|偏高|较高|老化|超/;

/** Phrases that mention problems without stating one. */
const GENERIC = /(?:未|没有)发现(?:明显|重大|突出)?(?:的)?问题|无明显问题|发现(?:的)?不足|发现(?:的)?问题|存在的问题|存在问题|加以改进|总结经验|好的经验|如实反映|仍有不足|有些方面|一些不足|不足之处|以下问题|如下问题|不断提高|不断完善/g;

/** A sentence that resolves, explains or praises rather than states a problem. */
const NOT_A_PROBLEM = /^(?:今后|下一步|下一年|下年度|在今后|为此|因此|针对|我们将|我局将|我单位将|将|要|应|建议|拟|计划(?:于|在|将|明年|下年)|其?原因|主要原因|原因(?:是|为|在于)|造成|通过|经过)/;

const ITEM_SPLIT = /(?=[一二三四五六七八九十]是)|(?=其[一二三四五六七八九十][，、,])|(?<=[。！!])|\n+|(?=[（(][一二三四五六七八九十\d]{1,2}[)）])|(?=(?<![\d.])\d{1,2}[、.．](?!\d))/;

interface Item {
  text: string;
  start: number;
}

function splitItems(text: string, base: number): Item[] {
  const out: Item[] = [];
  let pos = 0;
  for (const part of text.split(ITEM_SPLIT)) {
    if (part === undefined) continue;
    const at = text.indexOf(part, pos);
    pos = at + part.length;
    const lead = part.length - part.trimStart().length;
    const t = part.trim();
    if (t.length >= 4) out.push({ text: t, start: base + at + lead });
  }
  return out;
}

/** Strips the enumeration marker (一是, 1、, （二）) from an item. */
function stripMarker(t: string): string {
  return t.replace(/^(?:[一二三四五六七八九十]是|其[一二三四五六七八九十][，、,]|[（(][一二三四五六七八九十\d]{1,2}[)）]|\d{1,2}[、.．])\s*/, '');
}

/** Categories of one problem statement (empty when it states no concrete problem). */
export function classifyProblem(sentence: string): IssueCategory[] {
  const body = stripMarker(sentence).replace(/^(?:但|但是|同时|另外|此外|还|主要是|主要表现在|表现在)[，,]?/, '');
  if (NOT_A_PROBLEM.test(body)) return [];
  const cleaned = body.replace(GENERIC, '，');
  const found = new Set<IssueCategory>();
  let negativeSomewhere = false;
  for (const clause of cleaned.split(/[，,；;：:]/)) {
    const c = clause.trim();
    if (!c) continue;
    if (/^(?:但|主要是)?(?:较好|良好|较为规范|规范|合理|到位)/.test(c)) continue;
    if (TARGET_MISSED.test(c)) {
      found.add('TARGET_MISSED');
      continue;
    }
    if (!NEGATIVE.test(c)) continue;
    negativeSomewhere = true;
    for (const [cat, re] of TOPICS) if (re.test(c)) found.add(cat);
  }
  if (!found.size && negativeSomewhere && SPECIFIC.test(cleaned)) found.add('OTHER');
  return [...found];
}

/** Every problem stated in the problems sections, one issue per (statement, category). */
export function extractIssues(text: string): Issue[] {
  const out: Issue[] = [];
  for (const sec of problemSections(text)) out.push(...issuesIn(text, sec));
  return out;
}

function issuesIn(text: string, sec: Section): Issue[] {
  const out: Issue[] = [];
  for (const item of splitItems(text.slice(sec.start, sec.end), sec.start)) {
    for (const category of classifyProblem(item.text)) {
      out.push({ category, text: item.text, span: { start: item.start, end: item.start + item.text.length } });
    }
  }
  return out;
}

/** Improvement suggestions (改进建议, 整改措施 …), one per enumerated item. */
export function extractSuggestions(text: string): Suggestion[] {
  const out: Suggestion[] = [];
  for (const sec of suggestionSections(text)) {
    for (const item of splitItems(text.slice(sec.start, sec.end), sec.start)) {
      // Dates and signatures close a report; they are not suggestions.
      if (item.text.length < 6 || /^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$/.test(item.text)) continue;
      out.push({ text: item.text, span: { start: item.start, end: item.start + item.text.length } });
    }
  }
  return out;
}
