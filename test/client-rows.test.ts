/** Query results become plain rows column by column (client/src/db/rows.ts), exactly as Arrow reads each value. */
import { describe, expect, it } from 'vitest';
import * as arrow from 'apache-arrow';
import { rowsOf } from '../client/src/db/rows.ts';

describe('rowsOf', () => {
  it('keeps every value and every null, numbers straight from the buffers, BigInt as numbers', () => {
    const table = arrow.tableFromArrays({
      rate: Float64Array.from([90.5, 0, -1.25]),
      rank: Int32Array.from([1, 2, 3]),
      n: BigInt64Array.from([7n, 0n, 2n ** 40n]),
      name: ['河北省', '四川省', '甘肃省'],
    });
    expect(rowsOf(table)).toEqual([
      { rate: 90.5, rank: 1, n: 7, name: '河北省' },
      { rate: 0, rank: 2, n: 0, name: '四川省' },
      { rate: -1.25, rank: 3, n: 2 ** 40, name: '甘肃省' },
    ]);
  });

  it('reads nulls in number, text and boolean columns, and dictionary-encoded text, as Arrow does', () => {
    const table = new arrow.Table({
      score: arrow.vectorFromArray([88.5, null, 61], new arrow.Float64()),
      rank: arrow.vectorFromArray([null, 2, 3], new arrow.Int32()),
      region: arrow.vectorFromArray(['河北省', null, '四川省'], new arrow.Utf8()),
      kind: arrow.vectorFromArray(['project', 'project', null], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
      flagged: arrow.vectorFromArray([true, null, false], new arrow.Bool()),
    });
    const rows = rowsOf(table);
    expect(rows).toEqual([
      { score: 88.5, rank: null, region: '河北省', kind: 'project', flagged: true },
      { score: null, rank: 2, region: null, kind: 'project', flagged: null },
      { score: 61, rank: 3, region: '四川省', kind: null, flagged: false },
    ]);
    // The same values Arrow's own rows give.
    expect(rows).toEqual(table.toArray().map((r) => r.toJSON()));
  });

  it('gives no rows for an empty result', () => {
    expect(rowsOf(arrow.tableFromArrays({ a: Float64Array.from([]) }))).toEqual([]);
  });
});
