/**
 * The scales of the charts drawn as HTML and SVG: the bar lists' round full length and ticks
 * (client/src/charts/BarList.tsx), the year charts' value axes (TrendChart.tsx), the heat table's colours.
 */
import { describe, expect, it } from 'vitest';
import { niceMax, ticks } from '../client/src/charts/BarList.tsx';
import { axisMarks } from '../client/src/charts/TrendChart.tsx';

describe('bar list scale', () => {
  it('rounds the full length up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0, 1, 2, 3, 7, 23, 100, 101, 480, 0.3].map(niceMax)).toEqual([1, 1, 2, 5, 10, 25, 100, 200, 500, 0.5]);
  });
  it('puts at most six ticks in a round step from 0 to the full length', () => {
    expect(ticks(100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(ticks(110)).toEqual([0, 50, 100]);
    expect(ticks(25)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(ticks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ticks(1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(0)).toEqual([0]);
  });
});

describe('year chart value axis', () => {
  it('runs from the minimum to a round value at or above the data in about five round steps', () => {
    expect(axisMarks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
    // Budgets of 10,751,753 万元: 0 to 12,000,000 in steps of 2,000,000 (the bars never overrun the axis).
    expect(axisMarks(0, 10_751_753)).toEqual([0, 2e6, 4e6, 6e6, 8e6, 10e6, 12e6]);
    expect(axisMarks(0, 396.36)).toEqual([0, 100, 200, 300, 400]);
    expect(axisMarks(0, 0.7)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(axisMarks(50, 100)).toEqual([50, 60, 70, 80, 90, 100]);
    // A negative total starts the axis on a round value below it.
    expect(axisMarks(-37, 100)).toEqual([-40, -20, 0, 20, 40, 60, 80, 100]);
    for (const top of [1, 3, 17, 99, 101, 2500, 123456]) {
      const marks = axisMarks(0, top);
      expect(marks[marks.length - 1]).toBeGreaterThanOrEqual(top);
      expect(marks.length).toBeGreaterThanOrEqual(3);
      expect(marks.length).toBeLessThanOrEqual(9);
    }
  });
  it('gives an empty axis a unit range', () => {
    expect(axisMarks(0, 0)).toEqual([0, 1]);
  });
});

describe('heat table colours', () => {
  it('runs from the lightest to the darkest blue through the middle stop', async () => {
    const { heatColor } = await import('../client/src/charts/HeatTable.tsx');
    expect([heatColor(0), heatColor(0.5), heatColor(1), heatColor(2)]).toEqual([
      'rgb(238, 243, 248)', 'rgb(122, 166, 194)', 'rgb(31, 78, 121)', 'rgb(31, 78, 121)',
    ]);
    expect(heatColor(0.25)).toBe('rgb(180, 205, 221)');
  });
});
