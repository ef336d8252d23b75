/** Stage 4d: performance indicator tables (绩效指标): levels, operator, target, unit, weight, actual value. */
import type { Indicator } from '../schema.ts';
import { parseNumber } from './amounts.ts';
import { isNumericCell, type Cell, type Line } from './cells.ts';

const OPERATOR = /^(≥|≤|=|＝|>|<|定性)$/;
const LEVEL1 = /^(产出指标|效益指标|效果指标|满意度指标|成本指标|决策|过程|产出|效益)$/;
const LEVEL2 = /(数量指标|质量指标|时效指标|成本指标|经济效益|社会效益|生态效益|可持续影响|满意度指标|服务对象满意度|经济成本|社会成本|生态环境成本)/;
const UNIT = /^(%|％|个|人|人次|件|万元|元|亿元|天|日|月|年|次|项|户|家|所|平方米|公里|亩|吨|份|张|台|套|辆|分|百分比|小时)$/;

function toOperator(s: string): Indicator['operator'] {
  if (s === '≥' || s === '>') return '≥';
  if (s === '≤' || s === '<') return '≤';
  if (s === '定性') return '定性';
  return '=';
}

/**
 * Indicator rows: a row (or a run of one-per-line cells) holding an operator cell; the level-3 name is the last
 * text cell before it, level 1/2 carry down from earlier rows where the table leaves them blank.
 */
export function extractIndicators(lines: Line[]): Indicator[] {
  const out: Indicator[] = [];
  const cells: Cell[] = lines.flatMap((l) => l.cells);
  let level1: string | null = null;
  let level2: string | null = null;
  let prevOp = -1;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    if (LEVEL1.test(c.text)) level1 = c.text;
    const l2 = LEVEL2.exec(c.text);
    if (l2 && c.text.length <= 12) level2 = c.text;
    if (!OPERATOR.test(c.text)) continue;
    // Level 3: the nearest text cell before the operator that is not a description ("反映…") or a level name.
    let name: Cell | null = null;
    for (let k = i - 1; k > prevOp && k >= i - 4; k--) {
      const t = cells[k]!.text;
      if (/^反映|=|＝|\*100%/.test(t) || LEVEL1.test(t) || (LEVEL2.test(t) && t.length <= 12) || isNumericCell(t)) continue;
      name = cells[k]!;
      break;
    }
    prevOp = i;
    if (!name) continue;
    const target = cells[i + 1];
    const targetNum = target && isNumericCell(target.text) ? parseNumber(target.text.replace(/%$/, '')) : null;
    let unit: string | null = target && /%$/.test(target.text) ? '%' : null;
    let k = i + 2;
    if (cells[k] && UNIT.test(cells[k]!.text)) unit = cells[k++]!.text === '百分比' ? '%' : cells[k - 1]!.text;
    let weight: number | null = null;
    if (cells[k] && /^\d+(\.\d+)?%?$/.test(cells[k]!.text) && cells[k]!.line === c.line) {
      weight = parseNumber(cells[k]!.text.replace('%', ''));
      k++;
    }
    const actual = cells[k] && cells[k]!.line === c.line && !OPERATOR.test(cells[k]!.text) ? cells[k]! : null;
    out.push({
      level1,
      level2,
      level3: name.text.replace(/\s+/g, ''),
      operator: toOperator(c.text),
      target_value: targetNum,
      target_text: target && !OPERATOR.test(target.text) ? target.text : null,
      unit,
      weight,
      actual_value: actual && isNumericCell(actual.text) ? parseNumber(actual.text.replace(/%$/, '')) : null,
      actual_text: actual ? actual.text : null,
      span: { start: name.start, end: (target ?? c).end },
    });
  }
  return out;
}
