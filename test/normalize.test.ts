import { describe, expect, it } from 'vitest';
import { maskPersonalData, normalizeText } from '../server/extract/normalize.ts';

describe('normalizeText', () => {
  it('turns full-width digits and symbols into ASCII', () => {
    expect(normalizeText('预算执行率为９０．５２％')).toBe('预算执行率为90.52%');
  });
  it('maps traditional characters and drops pinyin glosses', () => {
    expect(normalizeText('預算執行率 評價報告 關(guān)於')).toBe('预算执行率 评价报告 关于');
  });
  it('repairs IO for 10 in cells and 93+46 before a unit', () => {
    expect(normalizeText('| 年度资金总额 | 3.29 | IO | 94.84% |\n自评得分93+46分')).toBe('| 年度资金总额 | 3.29 | 10 | 94.84% |\n自评得分93.46分');
  });
  it('does not let a long banner line swallow the form below it', () => {
    expect(normalizeText('欢迎访问某某县人民政府门户网站，本站由某某县人民政府办公室主办，网站标识码3384864819\n项目名称\n某某经费')).toContain('\n项目名称\n某某经费');
  });
  it('repairs OCR damage and stray spaces inside numbers', () => {
    expect(normalizeText('预算42. 6万兀，支出1O5万元')).toBe('预算42.6万元，支出105万元');
  });
  it('joins a number cut from its unit and prose cut by a page break', () => {
    expect(normalizeText('本年度项目经过多次调整，最终经批准的调整预算为 2360.45 万\n元，已全部执行。')).toContain('2360.45 万元');
    const broken = '区医保局 2025 年部门整体支出绩效评价总分一百分，按照指标体系逐项打分，部门整体支出绩\n\n效自评得分 94.17 分';
    expect(normalizeText(broken)).toContain('部门整体支出绩效自评得分 94.17 分');
  });
  it('leaves table rows and headings on their own lines', () => {
    expect(normalizeText('项目名称\t某某专项经费\n二、绩效目标')).toBe('项目名称\t某某专项经费\n二、绩效目标');
  });
});

describe('maskPersonalData', () => {
  it('masks contact names and phone numbers, keeping length', () => {
    const text = '联系人：张三  联系电话：0311-85123456 手机 13812345678\n预算绩效管理联系人\t贾妍\t联系电话\t8185128';
    const masked = maskPersonalData(text);
    for (const secret of ['张三', '85123456', '13812345678', '贾妍', '8185128']) expect(masked).not.toContain(secret);
    expect(masked.length).toBe(text.length);
    expect(masked).toContain('联系人');
  });
  it('masks names run into the next label, name lists, spaced names and other phone formats', () => {
    const text = '联系人：张三联系电话：(0311)85123456\n联系人：王五、李四\n填表人 张 三\n联 系 人：赵六\n电话 +86 138 1234 5678，138-1234-5678，邮箱 zhangsan@example.gov.cn，身份证 130102199001011234';
    const masked = maskPersonalData(text);
    for (const secret of ['张三', '85123456', '王五', '李四', '张 三', '赵六', '1234 5678', '138-1234-5678', 'zhangsan@', '130102199001011234']) expect(masked).not.toContain(secret);
    expect(masked.length).toBe(text.length);
  });
  it('keeps figures that merely look long', () => {
    expect(maskPersonalData('预算资金 9711.77 万元，参保 273.86 万人')).toBe('预算资金 9711.77 万元，参保 273.86 万人');
  });
});
