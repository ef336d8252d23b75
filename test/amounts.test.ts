import { describe, expect, it } from 'vitest';
import { canonicalGrade, findMoney, gradeForScore, parseChineseNumeral, parseNumber, toWan } from '../server/extract/amounts.ts';
import { splitFundsRun, splitFundsRunNoPercent, splitTotalScore } from '../server/extract/digit-runs.ts';

describe('numbers', () => {
  it('reads thousands separators, decimals and Chinese numerals', () => {
    expect(parseNumber('1,436.20')).toBe(1436.2);
    expect(parseNumber('12.345678')).toBe(12.345678);
    expect(parseChineseNumeral('三百二十五')).toBe(325);
    expect(parseChineseNumeral('一千零五')).toBe(1005);
    expect(parseChineseNumeral('十二')).toBe(12);
    expect(parseChineseNumeral('二〇二三')).toBe(2023);
    expect(parseChineseNumeral('三万五千')).toBe(35000);
    expect(parseNumber('abc')).toBeNull();
  });

  it('normalises money to 万元', () => {
    expect(toWan(256318.4, '元')).toBe(25.63184);
    expect(toWan(3.95, '亿元')).toBe(39500);
    expect(toWan(48.5, '万元')).toBe(48.5);
  });

  it('finds amounts but not per-capita prices or counts of people', () => {
    const text = '共需资金331.97万元，每人每年10元，参保人数37万人，补助140元/人，另投入1.2亿元和256318.40元。';
    expect(findMoney(text).map((m) => m.wan)).toEqual([331.97, 12000, 25.63184]);
  });
});

describe('grades', () => {
  it('maps stated grades to 优/良/中/差', () => {
    expect(canonicalGrade('优秀')).toBe('优');
    expect(canonicalGrade('良好')).toBe('良');
    expect(canonicalGrade('一般')).toBe('中');
    expect(canonicalGrade('及格')).toBe('中');
    expect(canonicalGrade('不及格')).toBe('差');
    expect(canonicalGrade('一等')).toBeNull();
  });
  it('derives the national-scale grade from a score', () => {
    expect([95, 90, 89.5, 80, 79, 60, 59].map(gradeForScore)).toEqual(['优', '优', '良', '良', '中', '中', '差']);
  });
});

describe('concatenated form cells', () => {
  it('splits a funds row by column order and plausibility', () => {
    expect(splitFundsRun('484810100.00%10')).toEqual({ budget: 48, spent: 48, weight: 10, rate: 100, score: 10 });
    expect(splitFundsRun('52.3051.781099%9')).toMatchObject({ budget: 52.3, spent: 51.78, rate: 99, score: 9 });
  });
  it('prefers the budget/spent reading over a three-column one', () => {
    expect(splitFundsRun('161.2806161.280610100%10')).toMatchObject({ budget: 161.2806, spent: 161.2806, rate: 100 });
  });
  it('splits the order without a percent sign', () => {
    expect(splitFundsRunNoPercent('48.546.295.26109.5')).toEqual({ budget: 48.5, spent: 46.2, weight: 10, rate: 95.26, score: 9.5 });
  });
  it('gives up when no split is plausible', () => {
    expect(splitFundsRun('99999100.00%10')).toBeNull();
  });
  it('splits 总分 into weight and score', () => {
    expect(splitTotalScore('100100')).toEqual({ weight: 100, score: 100 });
    expect(splitTotalScore('10094.5')).toEqual({ weight: 100, score: 94.5 });
    expect(splitTotalScore('100 94')).toEqual({ weight: 100, score: 94 });
  });
});
