/** Resolves where a department sits (province / city / county and GB/T 2260 code) from its name and the report text. */
import { isAncestor, isRelated, placeIndex, scanPlaces, type Place, type PlaceMention } from './region-index.ts';

export interface Region {
  province: string | null;
  city: string | null;
  county: string | null;
  admin_code: string | null;
}

const NO_REGION: Region = { province: null, city: null, county: null, admin_code: null };

/** Only the head of a long text is read: titles and headings name the region; appendices quote other places. */
const SCAN_CHARS = 30_000;

/** Resolves the region of `department`, using other place names in `text` to disambiguate. */
export function resolveRegion(department: string | null, text: string): Region {
  const named = department ? scanPlaces(department, true) : [];
  if (named.length === 0) return toRegion(placeFromText(text));
  const candidates = candidatesFromName(named);
  if (candidates.length === 1) return toRegion(candidates[0]!);
  return toRegion(pickCandidate(candidates, text));
}

/** The most specific places named, kept to those inside every superior place also named (石家庄市长安区). */
function candidatesFromName(mentions: PlaceMention[]): Place[] {
  const all = [...new Set(mentions.flatMap((mention) => mention.places))];
  const level = Math.max(...all.map((place) => place.level));
  const specific = all.filter((place) => place.level === level);
  const superiors = mentions.filter((mention) => mention.places.every((place) => place.level < level));
  const inside = specific.filter((place) =>
    superiors.every((mention) => mention.places.some((up) => isAncestor(up, place))));
  return inside.length > 0 ? inside : specific;
}

interface Vote {
  places: readonly Place[];
  weight: number;
}

/** Place mentions in the text, weighted by position (title first) and by how exact the name was. */
function votes(text: string): Vote[] {
  return scanPlaces(text.length > SCAN_CHARS ? text.slice(0, SCAN_CHARS) : text).map((mention) => ({
    places: mention.places,
    weight: (mention.start < 300 ? 3 : mention.start < 3000 ? 1 : 0.5) * (mention.exact ? 1 : 0.5),
  }));
}

/** Picks among same-named places by the text's other place names and document numbers; else their common superior. */
function pickCandidate(candidates: Place[], text: string): Place | null {
  const textVotes = votes(text);
  const prefixes = documentPrefixes(text);
  const scored = candidates.map((place) => {
    let score = 0;
    for (const vote of textVotes) {
      const related = vote.places.filter((other) => isRelated(other, place)).length;
      score += (vote.weight * related) / vote.places.length;
    }
    return { place, score: score + documentBonus(place, prefixes) };
  });
  const top = Math.max(...scored.map((entry) => entry.score));
  const leaders = top > 0 ? scored.filter((entry) => entry.score * 1.5 >= top) : scored;
  return commonSuperior(leaders.map((entry) => entry.place));
}

/** The place itself when alone, else the smallest place containing them all (null for different provinces). */
function commonSuperior(places: Place[]): Place | null {
  const [first, ...rest] = places;
  if (!first) return null;
  if (rest.every((place) => place === first)) return first;
  const { provinces, cities } = placeIndex();
  if (first.city && places.every((place) => place.city === first.city)) return cities.get(first.city) ?? null;
  if (places.every((place) => place.prov === first.prov)) return provinces.get(first.prov) ?? null;
  return null;
}

/** Region named by the text alone: province, then city, then county, each only while one clearly dominates. */
function placeFromText(text: string): Place | null {
  const { provinces, cities } = placeIndex();
  const subtree = new Map<string, number>();
  const direct = new Map<string, number>();
  const counties = new Map<string, Place>();
  const bump = (map: Map<string, number>, key: string, weight: number) => map.set(key, (map.get(key) ?? 0) + weight);
  for (const vote of votes(text)) {
    const share = vote.weight / vote.places.length;
    for (const place of vote.places) {
      const group = groupOf(place);
      bump(subtree, `p${place.prov}`, share);
      if (place.level === 0) bump(direct, `p${place.prov}`, share);
      if (place.level >= 1) bump(subtree, `c${group}`, share);
      if (place.level === 1) bump(direct, `c${group}`, share);
      if (place.level === 2) {
        bump(subtree, `k${place.code}`, share);
        counties.set(place.code, place);
      }
    }
  }

  const province = dominant([...subtree].filter(([key]) => key.startsWith('p')), 0, 1.2);
  if (!province) return null;
  const prov = province.slice(1);
  const provincePlace = provinces.get(prov) ?? null;
  const cityKeys = [...subtree].filter(([key]) => key.startsWith('c') && sameProvince(key.slice(1), prov));
  const city = dominant(cityKeys, direct.get(province) ?? 0, 2);
  if (!city) return provincePlace;
  const group = city.slice(1);
  const countyKeys = [...subtree].filter(([key]) => key.startsWith('k') && groupOf(counties.get(key.slice(1))!) === group);
  const county = dominant(countyKeys, direct.get(city) ?? 0, 2);
  if (county) return counties.get(county.slice(1)) ?? null;
  return cities.get(group) ?? provincePlace;
}

/** The prefecture a place counts under; a county directly under its province counts as its own prefecture. */
function groupOf(place: Place): string {
  return place.city ?? place.code;
}

function sameProvince(group: string, prov: string): boolean {
  return group.startsWith(prov);
}

/**
 * The key whose score beats the runner-up by `margin` and is at least half of what its parent got directly
 * (a city report lists its counties; a county report names its city and province in passing).
 */
function dominant(entries: Array<[string, number]>, parentDirect: number, margin: number): string | null {
  entries.sort((a, b) => b[1] - a[1]);
  const [first, second] = entries;
  if (!first || first[1] <= 0) return null;
  if (second && first[1] < second[1] * margin) return null;
  return first[1] >= parentDirect * 0.5 ? first[0] : null;
}

const PROVINCE_ABBREVIATIONS: Record<string, string> = {
  11: '京', 12: '津', 13: '冀', 14: '晋', 15: '蒙', 21: '辽', 22: '吉', 23: '黑', 31: '沪', 32: '苏', 33: '浙', 34: '皖',
  35: '闽', 36: '赣', 37: '鲁', 41: '豫', 42: '鄂', 43: '湘', 44: '粤', 45: '桂', 46: '琼', 50: '渝', 51: '川蜀', 52: '黔贵',
  53: '滇云', 54: '藏', 61: '陕', 62: '甘陇', 63: '青', 64: '宁', 65: '新',
};

/** Characters that follow an issuer's place abbreviation in a document number (冀财预, 石发, 庆医保发). */
const ISSUER_KIND = new Set('财发政办医卫教人民农交水林审统字函组委党规纪绩预');

/** The few characters before each `〔2023〕` in the text: where document numbers name their issuer. */
function documentPrefixes(text: string): string[] {
  const prefixes: string[] = [];
  for (const match of text.matchAll(/[〔[［【(（]\s*(?:19|20)\d\d\s*[〕\]］】)）]/g)) {
    prefixes.push(text.slice(Math.max(0, match.index - 6), match.index));
  }
  return prefixes;
}

/** One point per document number issued by the place's province, city or county (by abbreviation). */
function documentBonus(place: Place, prefixes: string[]): number {
  const { cities } = placeIndex();
  const marks = new Set(PROVINCE_ABBREVIATIONS[place.prov] ?? '');
  const cityName = place.city ? cities.get(place.city)?.name : undefined;
  if (cityName) marks.add(cityName[0]!);
  if (place.level === 2) marks.add(place.name[0]!);
  // 中发, 国发 are national documents.
  marks.delete('中');
  marks.delete('国');
  let bonus = 0;
  for (const prefix of prefixes) {
    for (let i = 0; i < prefix.length - 1; i++) {
      if (marks.has(prefix[i]!) && ISSUER_KIND.has(prefix[i + 1]!)) {
        bonus++;
        break;
      }
    }
  }
  return bonus;
}

function toRegion(place: Place | null): Region {
  if (!place) return NO_REGION;
  const { provinces, cities } = placeIndex();
  return {
    province: provinces.get(place.prov)?.name ?? null,
    city: place.level >= 1 && place.city ? cities.get(place.city)?.name ?? null : null,
    county: place.level === 2 ? place.name : null,
    admin_code: place.code,
  };
}
