/** Stage 2: raw text → normalised text (width, traditional characters, OCR damage, broken lines, personal data). */
import { spaceRow } from './cells.ts';

/** Traditional characters common in report vocabulary, and their simplified forms (same position). */
const TRAD = '評價預執報項資額際實績標準達優產數據質問題費財務況為與單號萬億圓縣區廳醫療農業鄉鎮機關總計劃規範審過進運營設備購築門體處於並這個們對將應發經濟會義導專傳層級統籌結餘轉調劑險衛環態護確認證書開遲緩嚴違採辦紀錄檔勵職權責貫徹納稅幣盤閒龍學測驗續積極滿時間長東較崗領織組編現點節線場車維養氣電國紅廣陽遼寧蘭齊嶺灣濱陝貴雲蘇閩贛魯粵瓊內張莊無從後當給還選連圍買賣貸貼補幫類錢銀戶樓橋壩廠廢愛來說讓試請論訂議變觀見視樣構檢歸興舉麗齡黨隊難雙離響順頭顯風飛飲館馬魚鹽黃僅儲兩冊創勞勢協參員園圖團壓墊夠屬幹庫彙徵損擔擴斷條殘歷決淨溝減災獎畝監眾礎種穩糧約綜綠網緊練縮繳聯肅脫舊藥裝複託記許診該課諮識負貧輔輸轄適邊鐵階賬帳';
const SIMP = '评价预执报项资额际实绩标准达优产数据质问题费财务况为与单号万亿圆县区厅医疗农业乡镇机关总计划规范审过进运营设备购筑门体处于并这个们对将应发经济会义导专传层级统筹结余转调剂险卫环态护确认证书开迟缓严违采办纪录档励职权责贯彻纳税币盘闲龙学测验续积极满时间长东较岗领织组编现点节线场车维养气电国红广阳辽宁兰齐岭湾滨陕贵云苏闽赣鲁粤琼内张庄无从后当给还选连围买卖贷贴补帮类钱银户楼桥坝厂废爱来说让试请论订议变观见视样构检归兴举丽龄党队难双离响顺头显风飞饮馆马鱼盐黄仅储两册创劳势协参员园图团压垫够属干库汇征损担扩断条残历决净沟减灾奖亩监众础种稳粮约综绿网紧练缩缴联肃脱旧药装复托记许诊该课咨识负贫辅输辖适边铁阶账账';
const TRAD_TO_SIMP: Record<string, string> = Object.fromEntries([...TRAD].map((c, i) => [c, SIMP[i]!]));
const TRAD_RE = new RegExp(`[${TRAD}]`, 'g');

/** Characters removed outright: zero-width marks, soft hyphens, BOMs. */
const INVISIBLE = /[\u200b-\u200f\u2060\ufeff\u00ad]/g;

/** Masks personal data (contact persons, phone numbers, e-mails, ID numbers) with ＊ of the same length, so it never reaches a view. */
export function maskPersonalData(text: string): string {
  const mask = (s: string) => s.replace(/[^\s、,，:：]/g, '＊');
  let out = text;
  // Phone numbers: after a phone label, international (+86 138 1234 5678), mobiles in any grouping, landlines with an
  // area code in brackets or with a dash.
  out = out.replace(/(联系电话|电话|手机|联系方式|座机|Tel|TEL|电 话)([\s:：\t]*)([0-9\-－—()（） ]{6,24}[0-9])/g, (_m, l, sep, n) => l + sep + mask(n));
  out = out.replace(/\+86[\s-]?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g, (m) => mask(m));
  out = out.replace(/(?<![\d.])1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d|\.\d)/g, (m) => mask(m));
  out = out.replace(/[(（]0\d{2,3}[)）]\s?\d{7,8}(?!\d)/g, (m) => mask(m));
  out = out.replace(/(?<![\d.])0\d{2,3}[-－]\d{7,8}(?!\d)/g, (m) => mask(m));
  // E-mail addresses and resident ID numbers.
  out = out.replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, (m) => mask(m));
  out = out.replace(/(?<![\d])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\d])/g, (m) => mask(m));
  // Contact persons: the names after a contact label (same line or next cell), a list of them, spaced names.
  const NAME = String.raw`[\u4e00-\u9fa5·](?:[ \u3000]?[\u4e00-\u9fa5·]){1,3}?`;
  const LABEL = String.raw`联\s?系\s?人(?:员)?|经\s?办\s?人|填\s?(?:表|报)\s?人|负\s?责\s?人|审\s?核\s?人`;
  const re = new RegExp(String.raw`(${LABEL})([\s:：\t]*)(${NAME}(?:[、,，]\s?${NAME})*)(?=[\s,，、;；。)）(（]|联系|电话|手机|职务|邮箱|$)`, 'gm');
  out = out.replace(re, (_m, l, sep, names: string) => l + sep + mask(names));
  return out;
}

/** Normalises report text so that later stages see one spelling of every figure and label. */
export function normalizeText(raw: string): string {
  let t = raw.replace(/\r\n?/g, '\n').replace(INVISIBLE, '');
  // Full-width ASCII (digits, letters, ％ ． etc.) → half-width, except Chinese punctuation that carries meaning
  // in prose (，：；（）！？) which later stages match explicitly.
  t = t.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff05\uff0e\uff0b\uff1c\uff1e\uff1d\uff0f]/g, (c) =>
    String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
  t = t.replace(/\u3000/g, ' ').replace(/\u00a0/g, ' ');
  // LaTeX-ish operators from converted forms.
  t = t.replace(/\\geq?\b/g, '≥').replace(/\\leq?\b/g, '≤').replace(/>=/g, '≥').replace(/<=/g, '≤');
  // Traditional characters seen in reports → simplified; pinyin glosses after a character: 關(guān) → 关.
  t = t.replace(/([\u4e00-\u9fa5])\(([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7})\)/g, '$1');
  t = t.replace(TRAD_RE, (c) => TRAD_TO_SIMP[c]!);
  // OCR damage: 万兀 → 万元; letter O/o/l between digits → digit; "42. 6" → "42.6".
  t = t.replace(/(?<=^|[\s|])IO(?=[\s|%]|$)/gm, '10').replace(/(\d)\+(\d{2})(?=\s*(?:分|%|万元|元))/g, '$1.$2');
  t = t.replace(/万兀/g, '万元').replace(/(\d)[Oo](?=\d)/g, '$10').replace(/(\d)[Oo](?=\d)/g, '$10');
  t = t.replace(/(\d)\. (\d)/g, '$1.$2').replace(/(\d) \.(\d)/g, '$1.$2').replace(/(\d)% +/g, '$1% ');
  // Word-processor residue.
  t = t.replace(/\[bookmark: [^\]]*\]/g, '').replace(/<\/?p>/g, '');
  t = joinBrokenLines(t);
  return maskPersonalData(t);
}

const HEADING_START = /^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d)|第[一二三四五六七八九十]+)/;

/**
 * Joins a prose line that a PDF or page break cut in the middle of a phrase or number
 * ("…支出绩" ⏎ ⏎ "效自评得分 94.17 分", "2360.45 万" ⏎ "元"). Table rows (tabs) and headings are left alone.
 */
function joinBrokenLines(t: string): string {
  const lines = t.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const prev = out.length ? out[out.length - 1]! : '';
    if (out.length && line.trim() && canJoin(prev, line)) {
      // Drop the blank lines between the two halves.
      while (out.length > 1 && out[out.length - 1]!.trim() === '' && out[out.length - 2] === prev) out.pop();
      out[out.length - 1] = prev.replace(/\s+$/, '') + line.replace(/^\s+/, '');
      continue;
    }
    // A blank line between two halves: look ahead.
    if (!line.trim() && out.length && i + 1 < lines.length) {
      let j = i;
      while (j < lines.length && !lines[j]!.trim()) j++;
      if (j < lines.length && j - i <= 3 && canJoin(prev, lines[j]!)) {
        out[out.length - 1] = prev.replace(/\s+$/, '') + lines[j]!.replace(/^\s+/, '');
        i = j;
        continue;
      }
    }
    out.push(line);
  }
  return out.join('\n');
}

function canJoin(prev: string, next: string): boolean {
  if (prev.includes('\t') || next.includes('\t') || next.includes('|') || prev.includes('|')) return false;
  if (spaceRow(prev) || spaceRow(next)) return false;
  // Layout lines (runs of spaces), titles and page furniture are never halves of a wrapped sentence.
  if (/\S\s{2,}\S/.test(prev) || /\S\s{2,}\S/.test(next)) return false;
  if (/(?:报告|自评表|评价表|汇总表|情况表)$/.test(next.trim()) || /^(?:发布|来源|日期|时间|浏览)/.test(next.trimStart())) return false;
  const p = prev.trimEnd();
  const n = next.trimStart();
  if (!p || !n || HEADING_START.test(n)) return false;
  // A number split from its unit.
  if (/\d\s*万$/.test(p) && /^元/.test(n)) return true;
  if (/\d$/.test(p) && /^(万元|元|分|%)/.test(n)) return p.length >= 12;
  // A long prose line that stops mid-phrase (no closing punctuation) continues on the next line — when the next
  // line is prose too, not a short label or form cell (which would cascade a banner into a whole form).
  return p.length >= 40 && /[\u4e00-\u9fa5\d]$/.test(p) && /^[\u4e00-\u9fa5]/.test(n) && !/[：:]$/.test(p) && (n.length >= 12 || /[，。；]/.test(n));
}
