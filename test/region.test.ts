import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveRegion, type Region } from '../server/extract/region.ts';

const reportsDir = new URL('../data/reports/', import.meta.url);
const report = (prefix: string) => {
  const file = readdirSync(reportsDir).find((name) => name.startsWith(prefix));
  if (!file) throw new Error(`no seed report ${prefix}`);
  return readFileSync(new URL(file, reportsDir), 'utf8');
};

const region = (province: string | null, city: string | null, county: string | null, admin_code: string | null): Region =>
  ({ province, city, county, admin_code });
const NONE = region(null, null, null, null);

describe('resolveRegion from the department name', () => {
  it.each([
    ['石家庄市鹿泉区医疗保障局', region('河北省', '石家庄市', '鹿泉区', '130110')],
    ['乐山市金口河区医疗保障局', region('四川省', '乐山市', '金口河区', '511113')],
    ['唐山市丰南区医疗保障局', region('河北省', '唐山市', '丰南区', '130207')],
    ['承德市医疗保障局', region('河北省', '承德市', null, '130800')],
    ['庆阳市医疗保障局', region('甘肃省', '庆阳市', null, '621000')],
    ['甘肃省医疗保障局', region('甘肃省', null, null, '620000')],
  ])('%s', (department, expected) => {
    expect(resolveRegion(department, '')).toEqual(expected);
  });

  it('places a county named alone when the name is unique', () => {
    expect(resolveRegion('合水县医疗保障局', '')).toEqual(region('甘肃省', '庆阳市', '合水县', '621024'));
    expect(resolveRegion('康县卫生健康局', '')).toEqual(region('甘肃省', '陇南市', '康县', '621224'));
  });

  it('reads short forms of provinces, prefectures and autonomous regions', () => {
    expect(resolveRegion('河北承德市财政局', '')).toEqual(region('河北省', '承德市', null, '130800'));
    expect(resolveRegion('新疆财政厅', '')).toEqual(region('新疆维吾尔自治区', null, null, '650000'));
    expect(resolveRegion('红河州财政局', '')).toEqual(region('云南省', '红河哈尼族彝族自治州', null, '532500'));
    expect(resolveRegion('恩施州教育局', '')).toEqual(region('湖北省', '恩施土家族苗族自治州', null, '422800'));
    expect(resolveRegion('博州财政局', '')).toEqual(region('新疆维吾尔自治区', '博尔塔拉蒙古自治州', null, '652700'));
    expect(resolveRegion('宁夏回族自治区财政厅', '')).toEqual(region('宁夏回族自治区', null, null, '640000'));
    expect(resolveRegion('广西壮族自治区教育厅', '')).toEqual(region('广西壮族自治区', null, null, '450000'));
    expect(resolveRegion('长阳县教育局', '')).toEqual(region('湖北省', '宜昌市', '长阳土家族自治县', '420528'));
  });

  it('places county-level cities under their prefecture', () => {
    expect(resolveRegion('临湘市教育局', '')).toEqual(region('湖南省', '岳阳市', '临湘市', '430682'));
    expect(resolveRegion('广水市水利局', '')).toEqual(region('湖北省', '随州市', '广水市', '421381'));
    expect(resolveRegion('仙桃市教育局', '')).toEqual(region('湖北省', null, '仙桃市', '429004'));
  });

  it('maps districts and counties of a municipality to the municipality', () => {
    expect(resolveRegion('重庆市梁平区医疗保障局', '')).toEqual(region('重庆市', '重庆市', '梁平区', '500155'));
    expect(resolveRegion('忠县医疗保障局', '')).toEqual(region('重庆市', '重庆市', '忠县', '500233'));
    expect(resolveRegion('中共忠县县委组织部', '')).toEqual(region('重庆市', '重庆市', '忠县', '500233'));
    expect(resolveRegion('东城区民政局', '')).toEqual(region('北京市', '北京市', '东城区', '110101'));
    expect(resolveRegion('北京市财政局', '')).toEqual(region('北京市', '北京市', null, '110000'));
  });

  it('matches a county under its older or newer suffix', () => {
    expect(resolveRegion('鹿泉市医疗保障局', '')).toEqual(region('河北省', '石家庄市', '鹿泉区', '130110'));
    expect(resolveRegion('梁平县医疗保障局', '')).toEqual(region('重庆市', '重庆市', '梁平区', '500155'));
  });

  it('does not read a county name inside a department kind or a prefecture inside a district', () => {
    expect(resolveRegion('公安县医疗保障局', '')).toEqual(region('湖北省', '荆州市', '公安县', '421022'));
    expect(resolveRegion('巴州区财政局', '')).toEqual(region('四川省', '巴中市', '巴州区', '511902'));
  });

  it('returns nothing without a place', () => {
    expect(resolveRegion(null, '')).toEqual(NONE);
    expect(resolveRegion('我局', '')).toEqual(NONE);
  });
});

describe('resolveRegion for county names used in several places', () => {
  it('uses the city prefix in the name', () => {
    expect(resolveRegion('西安市长安区教育局', '')).toEqual(region('陕西省', '西安市', '长安区', '610116'));
    expect(resolveRegion('石家庄市长安区教育局', '')).toEqual(region('河北省', '石家庄市', '长安区', '130102'));
    expect(resolveRegion('乐山市市中区教育局', '')).toEqual(region('四川省', '乐山市', '市中区', '511102'));
  });

  it('uses the cities and provinces the text names', () => {
    const hebei = '长安区医疗保障局2023年度部门整体支出绩效自评报告\n根据石家庄市财政局要求，按照河北省医保局部署……';
    expect(resolveRegion('长安区医疗保障局', hebei)).toEqual(region('河北省', '石家庄市', '长安区', '130102'));
    const shaanxi = '为贯彻西安市委、市政府决策部署，落实陕西省医疗保障工作要求……';
    expect(resolveRegion('长安区医疗保障局', shaanxi)).toEqual(region('陕西省', '西安市', '长安区', '610116'));
    expect(resolveRegion('通州区财政局', '按照北京市财政局统一部署')).toEqual(region('北京市', '北京市', '通州区', '110112'));
    expect(resolveRegion('通州区财政局', '南通市通州区财政局')).toEqual(region('江苏省', '南通市', '通州区', '320612'));
  });

  it('uses the issuer of document numbers', () => {
    const text = '根据《关于全面实施预算绩效管理的实施意见》（陕财办预〔2023〕12号）要求，开展自评。';
    expect(resolveRegion('长安区医疗保障局', text)).toEqual(region('陕西省', '西安市', '长安区', '610116'));
    expect(resolveRegion('长安区医疗保障局', '依据石财绩〔2024〕3号文件')).toEqual(
      region('河北省', '石家庄市', '长安区', '130102'));
  });

  it('leaves the county null when nothing decides, keeping what all candidates share', () => {
    const text = '本部门严格执行预算，项目按期完成。';
    expect(resolveRegion('长安区医疗保障局', text)).toEqual(NONE);
    expect(resolveRegion('朝阳区卫生健康委员会', text)).toEqual(NONE);
    // 桥西区 is in 石家庄 and 张家口, both in 河北.
    expect(resolveRegion('桥西区财政局', text)).toEqual(region('河北省', null, null, '130000'));
    // 鼓楼区: 南京 and 徐州 (江苏), 福州, 开封; the text only says 江苏.
    expect(resolveRegion('鼓楼区教育局', '根据江苏省教育厅通知')).toEqual(region('江苏省', null, null, '320000'));
    expect(resolveRegion('城区财政局', '山西省财政厅')).toEqual(region('山西省', null, null, '140000'));
  });
});

describe('resolveRegion from the text alone', () => {
  it.each([
    ['000', region('河北省', '石家庄市', '鹿泉区', '130110')],
    ['001', region('四川省', '乐山市', '金口河区', '511113')],
    ['002', region('河北省', '唐山市', '丰南区', '130207')],
    ['003', region('甘肃省', '庆阳市', '合水县', '621024')],
    ['004', region('河北省', '承德市', null, '130800')],
  ])('seed report %s', (prefix, expected) => {
    expect(resolveRegion(null, report(prefix))).toEqual(expected);
    expect(resolveRegion('我局', report(prefix))).toEqual(expected);
  });

  it('prefers the most specific consistent chain over superior mentions', () => {
    const text = '某某局2023年度绩效自评报告\n按照河北省、石家庄市的部署，河北省要求，鹿泉区完成医保基金监管任务。';
    expect(resolveRegion(null, text)).toEqual(region('河北省', '石家庄市', '鹿泉区', '130110'));
  });

  it('stops at the city when a city report lists its counties', () => {
    const text = '承德市医疗保障局\n2023年度项目绩效自评工作报告\n承德市医保基金运行平稳，承德县、兴隆县、平泉市按期完成，承德市、河北省。';
    expect(resolveRegion(null, text)).toEqual(region('河北省', '承德市', null, '130800'));
  });

  it('stops at the province when a province report lists its cities', () => {
    const text = '河北省医疗保障局2023年度绩效自评报告\n河北省各市：石家庄市、唐山市、承德市均按期完成，河北省医保局。';
    expect(resolveRegion(null, text)).toEqual(region('河北省', null, null, '130000'));
  });

  it('reads a short county name at the start of a title or right after its province', () => {
    expect(resolveRegion(null, '康县医疗保障局2023年度部门整体支出绩效自评报告')).toEqual(
      region('甘肃省', '陇南市', '康县', '621224'));
    expect(resolveRegion(null, '关于甘肃省康县卫生健康局的评价')).toEqual(region('甘肃省', '陇南市', '康县', '621224'));
  });

  it('does not take ordinary words for places', () => {
    const text = '推进健康县域建设，完成县级任务，城关镇新区建设，老城区和新城区改造，规范县级财政，农贸市场，经费县级配套，提高县城品质';
    expect(resolveRegion(null, text)).toEqual(NONE);
  });
});
