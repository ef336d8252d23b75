/** The HTML bar lists' scale (client/src/charts/BarList.tsx): a round full length and round ticks. */
import { describe, expect, it } from 'vitest';
import { niceMax, ticks } from '../client/src/charts/BarList.tsx';

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

describe('heat table colours', () => {
  it('runs from the lightest to the darkest blue through the middle stop', async () => {
    const { heatColor } = await import('../client/src/charts/HeatTable.tsx');
    expect([heatColor(0), heatColor(0.5), heatColor(1), heatColor(2)]).toEqual([
      'rgb(238, 243, 248)', 'rgb(122, 166, 194)', 'rgb(31, 78, 121)', 'rgb(31, 78, 121)',
    ]);
    expect(heatColor(0.25)).toBe('rgb(180, 205, 221)');
  });
});
