import { describe, expect, it } from 'vitest';
import { extractText } from '../server/extract/extract.ts';
import { classifyProblem } from '../server/extract/issues.ts';

// Made-up reports in the shapes real reports take once turned into text (see FORMATS.md); figures are illustrative.
const run = (text: string) => extractText(text, { id: 'x', source: 'x.txt', format: 'txt' });

const FORM_ONE_CELL_PER_LINE = `项目支出绩效自评表
（2022年度）
项目名称
某某森林防火专项经费
主管部门
某某县林业局
实施单位
某某县林业和草原局
项目资金（万元）
年初预算数
全年预算数
全年执行数
分值
执行率
得分
年度资金总额
48.5
48.5
46.2
10
95.26%
9.5
总分
100
93.5
自评等级为“优”`;

describe('项目支出绩效自评表 forms', () => {
  it('reads a form flattened one cell per line', () => {
    const out = run(FORM_ONE_CELL_PER_LINE);
    expect(out.report).toMatchObject({ kind: 'project', year: 2022, budget_wan: 48.5, spent_wan: 46.2, execution_rate_pct: 95.26, score: 93.5, grade: '优' });
    expect(out.report.department).toBe('某某县林业和草原局');
    expect(out.report.supervisor).toBe('某某县林业局');
    expect(out.projects).toHaveLength(1);
    expect(out.projects[0]).toMatchObject({ name: '某某森林防火专项经费', budget_wan: 48.5, score: 93.5 });
  });

  it('reads the same form flattened with | and with tabs', () => {
    const piped = `项目支出绩效自评表\n（2021年度）\n| 项目名称 | 某某道路养护经费 |\n| 主管部门 | 某某区交通运输局 |\n| 项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n| 年度资金总额 | 120 | 120 | 96 | 10 | 80% | 8 |\n| 总分 | 100 | 88 |`;
    const a = run(piped);
    expect(a.report).toMatchObject({ year: 2021, budget_wan: 120, spent_wan: 96, execution_rate_pct: 80, score: 88, grade: '良' });
    const a2 = run(piped.replace(/ \| /g, '\t').replace(/^\| | \|$/gm, ''));
    expect(a2.report).toMatchObject({ budget_wan: 120, spent_wan: 96, execution_rate_pct: 80, score: 88 });
  });

  it('does not take the 执行率 sub-score for the total score', () => {
    const out = run(`项目支出绩效自评表\n项目名称\t某某经费\n项目资金（万元）\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n年度资金总额\t10\t10\t10\t10\t100%\t10`);
    expect(out.report.score).toBeNull();
    expect(out.report.execution_rate_pct).toBe(100);
  });

  it('splits concatenated cells by plausibility and leaves implausible ones null', () => {
    const out = run('项目支出绩效自评表\n项目名称：某某设备购置经费\n年度资金总额:484810100.00%10\n总分100100');
    expect(out.report).toMatchObject({ budget_wan: 48, spent_wan: 48, execution_rate_pct: 100, score: 100 });
  });

  it('converts a concatenated 元 row to 万元', () => {
    const out = run('项目支出绩效自评表\n单位：元\n项目名称：某某经费\n年度资金总额:217413.90198117.031091.12%9.1');
    expect(out.report).toMatchObject({ budget_wan: 21.74139, execution_rate_pct: 91.12 });
    expect(out.report.spent_wan).toBeCloseTo(19.811703, 6);
  });

  it('reads problems and measures written in form rows', () => {
    const out = run('项目支出绩效自评表\n项目名称\t某某经费\n存在的问题\t1、部分项目资金支付进度滞后。2、预算编制不够精准。\n改进措施\t1、加快支付。');
    expect(out.issues.map((i) => i.category)).toEqual(['EXEC_SLOW', 'BUDGET_ACCURACY']);
    expect(out.suggestions.map((s) => s.text)).toEqual(['1、加快支付。']);
  });

  it('takes the implementing unit of a | form and a Chinese-numeral title year', () => {
    const out = run('二〇二二年度部门项目支出绩效自评报告\n| 主管部门 | 涟源市水务局 |\n| 实施单位 | 涟源市水利技术推广站 |');
    expect(out.report).toMatchObject({ year: 2022, department: '涟源市水利技术推广站', supervisor: '涟源市水务局' });
  });

  it('reads space-separated header and value cells', () => {
    const out = run('项目支出绩效自评表\n项目名称 某某培训经费\n全年预算数 全年执行数 分值 执行率 得分 52.30 51.78 10 99% 9');
    expect(out.report).toMatchObject({ budget_wan: 52.3, spent_wan: 51.78, execution_rate_pct: 99 });
    expect(out.report.score).toBeNull();
  });

  it('takes the figures of the 其中 row when the total row is zero', () => {
    const out = run('项目支出绩效自评表\n（2023年度）\n项目名称\t某某河道治理\n项目资金（万元）\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n年度资金总额\t0\t0\t0\t10\t\t\n其中：当年财政拨款\t80\t80\t72\t—\t90%\t—\n总分\t100\t90');
    expect(out.report).toMatchObject({ budget_wan: 80, spent_wan: 72, execution_rate_pct: 90, score: 90 });
    expect(out.projects[0]).toMatchObject({ name: '某某河道治理', budget_wan: 80, spent_wan: 72 });
    expect(out.flags).toEqual([]);
  });

  it('converts a form in 元 to 万元', () => {
    const out = run('项目支出绩效自评表\n项目名称\t某某补助\n项目资金（元）\t全年预算数\t全年执行数\t执行率\n年度资金总额\t256318.40\t256318.40\t100%');
    expect(out.report.budget_wan).toBeCloseTo(25.63184, 6);
  });
});

describe('summary tables (汇总表)', () => {
  it('lists every project of a tab-separated summary with its figures', () => {
    const text = `某某区2023年度部门绩效自评结果公开汇总表\n单位：万元\n序号\t项目名称\t主管部门\t预算数\t执行数\t执行率\t自评得分\n1\t某某设备购置经费\t某某区某某局\t3.5\t3.5\t100%\t100\n2\t某某道路维修工程\t某某区某某局\t200\t52\t26%\t91\n合计\t\t\t203.5\t55.5\t\t`;
    const out = run(text);
    expect(out.report.kind).toBe('project');
    expect(out.projects.map((p) => [p.name, p.budget_wan, p.spent_wan, p.execution_rate_pct, p.score])).toEqual([
      ['某某设备购置经费', 3.5, 3.5, 100, 100],
      ['某某道路维修工程', 200, 52, 26, 91],
    ]);
    expect(out.flags.some((f) => f.code === 'LOW_EXEC_HIGH_SCORE' && f.project === '某某道路维修工程')).toBe(true);
  });
});

describe('report fields in prose', () => {
  it('takes the evaluated year, not the date written or the document number', () => {
    const out = run('某某县水利局\n2023年度部门整体支出绩效自评报告\n根据某财评〔2024〕1号文件……\n2024年3月26日');
    expect(out.report.year).toBe(2023);
    expect(run('某某县水利局部门整体支出绩效自评报告\n评价年度：2022\n2023年4月1日').report.year).toBe(2022);
    expect(run('某某局整体支出绩效评价报告\n评价时间范围为2021年1月起至2021年12月止。某财〔2022〕5号').report.year).toBe(2021);
  });

  it('leaves a multi-year evaluation without a year', () => {
    expect(run('某某局2019-2021年度项目支出绩效评价报告\n一、基本情况').report.year).toBeNull();
  });

  it('reads budget, spent, rate, score and grade from prose, in 亿元 and 元 too', () => {
    const out = run('某某市教育局2024年度部门整体支出绩效自评报告\n一、基本情况\n本部门年度预算资金1.2亿元，实际支出11,436.2万元，预算执行率95.30%。\n二、自评结论\n自评得分 92.5 分，评价等级为优秀。');
    expect(out.report).toMatchObject({ budget_wan: 12000, spent_wan: 11436.2, execution_rate_pct: 95.3, score: 92.5, grade: '优', grade_stated: '优秀' });
    expect(out.report.execution_rate_computed_pct).toBeCloseTo(95.3, 1);
  });

  it('treats 到位率 as funds received, not execution, and skips satisfaction rates', () => {
    const out = run('某某局2024年度整体支出绩效自评报告\n资金到位率100%，群众满意度98.6%，资金执行率为83.12%。');
    expect(out.report.execution_rate_pct).toBe(83.12);
  });

  it('reads 均为, 综合评分 and 决算数 phrasings', () => {
    const out = run('某某县文化和旅游局2023年度部门整体支出绩效自评报告\n一、基本情况\n年度预算数1,280万元，全年决算数1,190.4万元，项目资金到位率和执行率均为93%。\n二、结论\n综合评分91.5分。');
    expect(out.report).toMatchObject({ budget_wan: 1280, spent_wan: 1190.4, execution_rate_pct: 93, score: 91.5, grade: '优' });
  });

  it('takes the total, not a dimension sub-score, when only 得分 labels them', () => {
    const out = run('某某县水务局2022年度部门整体支出绩效自评报告\n一、评价结论\n决策得分18分，过程得分19分，产出得分34分，效益得分22分，得分93分。');
    expect(out.report.score).toBe(93);
    expect(run('某某县水务局2022年度部门整体支出绩效自评报告\n决策得分18分，过程得分19分。总得分92分。').report.score).toBe(92);
  });

  it('skips converter and website banners above the title', () => {
    const a = run('Microsoft Word - 绩效自评报告9.docx\n第 1 页 共 12 页\n\n某某省农业农村厅2023年度项目支出绩效自评报告\n一、基本情况');
    expect(a.report).toMatchObject({ title: '某某省农业农村厅2023年度项目支出绩效自评报告', department: '某某省农业农村厅', kind: 'project' });
    const b = run('莱芜区财政局门户网站\n主办单位：莱芜区财政局  网站标识码：3712160001\n2023年度部门整体支出绩效自评报告\n现将我院2023年度整体支出自评情况报告如下：\n一、基本情况');
    expect(b.report.department).toBeNull();
  });

  it('prefers the self-evaluation grade to another assessment stated earlier', () => {
    const out = run('某某县人民政府2022年度部门整体支出绩效自评报告\n2022年度全县目标责任考核结果为优秀等次。\n自评得分75分，自评等级：中');
    expect(out.report).toMatchObject({ grade: '中', score: 75 });
  });

  it('reads a unit label with a stamp note and ignores navigation words in banners', () => {
    const out = run('首页 > 重点项目 > 信息公开\n2023年度部门整体支出绩效自评表\n实施单位（盖章）：某某县水务局\n预算执行率 99%');
    expect(out.report).toMatchObject({ department: '某某县水务局', kind: 'department_overall', execution_rate_pct: 99 });
  });

  it('keeps a 一等/二等 grade as stated without mapping it', () => {
    const out = run('某某局2024年度项目支出绩效自评报告\n评价等级为二等。');
    expect(out.report.grade).toBeNull();
    expect(out.report.grade_stated).toBe('二等');
  });

  it('flags a grade that contradicts the score', () => {
    const out = run('某某局2024年度整体支出绩效自评报告\n自评得分75分，评价等级为优。');
    expect(out.flags.map((f) => f.code)).toContain('GRADE_SCORE_MISMATCH');
  });

  it('leaves a department that only says 我部门 empty', () => {
    expect(run('绩效自评报告\n我部门2024年度预算执行率100%。').report.department).toBeNull();
  });

  it('reads traditional characters with pinyin glosses and full-width figures', () => {
    const out = run('某某縣農業農村局２０２２年度項目支出績效評價報告\n預算執行率為９８．５％。');
    expect(out.report.execution_rate_pct).toBe(98.5);
    expect(out.report.year).toBe(2022);
  });
});

describe('other layouts', () => {
  it('reads a department form behind a website banner', () => {
    const out = run('首页 > 信息公开 > 财政预决算\n发布时间：2024年5月10日  来源：某某县人民政府\n部门整体支出绩效自评表\n（2023年度）\n部门名称\t某某县教育局\n年度预算申请\t资金总额\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n\t\t1200.5\t1300\t1250.2\t10\t96.17%\t9.6\n总分\t100\t92.3');
    expect(out.report).toMatchObject({ department: '某某县教育局', department_kind: '教育', year: 2023, kind: 'department_overall', budget_wan: 1300, spent_wan: 1250.2, execution_rate_pct: 96.17, score: 92.3 });
  });

  it('takes the evaluated body, not the finance bureau that evaluated it', () => {
    const out = run('某某市财政局关于某某市农业农村局2023年度部门整体支出绩效评价报告\n委托评价单位：某某市财政局\n一、基本情况\n2023年预算安排资金5000万元，实际支出4100万元，预算执行率82%。\n综合得分 78 分，评价等级为“中”。');
    expect(out.report).toMatchObject({ department: '某某市农业农村局', budget_wan: 5000, spent_wan: 4100, execution_rate_pct: 82, score: 78, grade: '中' });
  });

  it('reads prefectures, 资金支付率 and quoted grades', () => {
    const out = run('红河州某某县卫生健康局\n2021年度部门整体支出绩效评价报告\n一、基本情况\n2021年度部门预算总额为3,456.78万元，实际支出3,210.5万元，资金支付率92.88%。\n二、评价结论\n经综合评价，本部门整体支出绩效评价得分为86.5分，评价结果为"良"。\n三、存在的问题\n（一）预算编制不够精准，年中追加调整较多。\n（二）个别项目绩效目标不够明确。\n四、改进建议\n（一）提高预算编制质量。');
    expect(out.report).toMatchObject({ province: '云南省', budget_wan: 3456.78, spent_wan: 3210.5, execution_rate_pct: 92.88, score: 86.5, grade: '良' });
    expect([...new Set(out.issues.map((i) => i.category))].sort()).toEqual(['BUDGET_ACCURACY', 'TARGET_SETTING']);
  });
});

describe('problems sections', () => {
  it('classifies stated problems and ignores resolutions and generic remarks', () => {
    const text = '某某局2024年度整体支出绩效自评报告\n五、存在的问题及原因\n一是部分项目资金支付进度滞后，年底结转较多。二是绩效目标设置不够细化，指标难以量化。三是固定资产管理不规范，台账不健全。四是公务接待费较上年增长。\n今后，我局将进一步加强预算管理。\n六、改进措施\n一是加快支出进度。二是细化绩效目标。\n2025年3月20日';
    const out = run(text);
    expect([...new Set(out.issues.map((i) => i.category))].sort()).toEqual(['EXEC_SLOW', 'GENERAL_SPENDING', 'MANAGEMENT', 'TARGET_SETTING']);
    expect(out.suggestions.map((s) => s.text)).toEqual(['一是加快支出进度。', '二是细化绩效目标。']);
  });

  it('finds no category when the section says 无', () => {
    expect(run('某某局2024年度整体支出绩效自评报告\n四、存在的问题\n无。\n五、其他需要说明的问题\n无。').issues).toEqual([]);
  });

  it('classifies single problem statements', () => {
    expect(classifyProblem('上级资金下达较晚，导致项目推进缓慢')).toContain('FUNDS_NOT_IN_PLACE');
    expect(classifyProblem('预算调整幅度较大，年初预算编制不够准确')).toEqual(['BUDGET_ACCURACY']);
    expect(classifyProblem('项目产出指标未完成，受益人数低于目标值')).toEqual(['TARGET_MISSED']);
    expect(classifyProblem('单位绩效管理意识不强，自评佐证材料不充分')).toContain('EVAL_QUALITY');
    expect(classifyProblem('下一步将加强预算执行管理')).toEqual([]);
    expect(classifyProblem('项目实施过程中未发现明显问题')).toEqual([]);
    expect(classifyProblem('资金使用效益有待进一步提高')).toEqual([]);
    expect(classifyProblem('项目竣工验收滞后，质保金未支付')).toContain('MANAGEMENT');
    expect(classifyProblem('部分项目前期工作准备不充分，导致实施进度缓慢').sort()).toEqual(['EXEC_SLOW', 'MANAGEMENT']);
    expect(classifyProblem('产出数量指标完成率仅为85%')).toEqual(['TARGET_MISSED']);
    expect(classifyProblem('部分指标值设置偏低，未能充分体现项目效益')).toEqual(['TARGET_SETTING']);
    expect(classifyProblem('截至年底资金仅支付31.07%')).toEqual(['EXEC_SLOW']);
    expect(classifyProblem('资产账实不符')).toEqual(['MANAGEMENT']);
    expect(classifyProblem('受益对象人数较年初有所变化')).toEqual(['OTHER']);
    expect(classifyProblem('会议费、培训费支出超出年初预算')).toEqual(['GENERAL_SPENDING']);
    expect(classifyProblem('自评佐证材料不够充分，评价结果客观性不足')).toEqual(['EVAL_QUALITY']);
    expect(classifyProblem('部分产出指标表述笼统，难以考核')).toEqual(['TARGET_SETTING']);
    expect(classifyProblem('计划实施的4个子项目仅完成2个，产出目标未全部实现')).toEqual(['TARGET_MISSED']);
    expect(classifyProblem('部分设施设备老化，运行维护成本较高')).toEqual(['OTHER']);
  });
});

describe('indicators', () => {
  it('reads levels, operator, target, unit and weight from an indicator table', () => {
    const out = run('某某局2025年度部门整体支出绩效自评表\n一级指标\t二级指标\t三级指标\t性质\t指标值\t单位\t权重\t实际完成值\n产出指标\t数量指标\t补助参保人数\t≥\t30000\t人\t5%\t31250\n\t质量指标\t足额保障率\t≥\t99\t%\t10%\t100\n效益指标\t社会效益指标\t减轻群众负担\t定性\t优\t\t10%\t优');
    expect(out.indicators.map((i) => [i.level1, i.level2, i.level3, i.operator, i.target_value, i.unit, i.weight, i.actual_value])).toEqual([
      ['产出指标', '数量指标', '补助参保人数', '≥', 30000, '人', 5, 31250],
      ['产出指标', '质量指标', '足额保障率', '≥', 99, '%', 10, 100],
      ['效益指标', '社会效益指标', '减轻群众负担', '定性', null, null, 10, null],
    ]);
  });
});

describe('headings without their numbers', () => {
  it('finds a problems section whose automatic Word numbering was lost', () => {
    const out = run('某某局2024年度整体支出绩效自评报告\n存在的问题\n项目资金支付进度较慢，结转资金较多。\n改进措施\n加快项目实施进度。');
    expect(out.issues.map((i) => i.category)).toEqual(['EXEC_SLOW']);
    expect(out.suggestions.map((s) => s.text)).toEqual(['加快项目实施进度。']);
  });
});
