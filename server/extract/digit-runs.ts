/**
 * Splits form rows whose cells were concatenated without separators, using the form's column order and
 * plausibility: "年度资金总额:484810100.00%10" is budget 48 | spent 48 | weight 10 | 100.00% | score 10.
 */

export interface FundsRow {
  budget: number;
  spent: number;
  weight: number;
  rate: number;
  score: number | null;
}

const WEIGHTS = [2, 3, 4, 5, 6, 8, 10, 12, 15, 20];

function num(s: string): number | null {
  if (!/^(?:0|[1-9]\d*)(?:\.\d+)?$/.test(s)) return null;
  return Number(s);
}

/** Every split of `s` into `parts` numbers (no leading zeros). */
function splits(s: string, parts: number): number[][] {
  if (parts === 1) {
    const n = num(s);
    return n === null ? [] : [[n]];
  }
  const out: number[][] = [];
  for (let i = 1; i < s.length; i++) {
    const head = num(s.slice(0, i));
    if (head === null) continue;
    for (const rest of splits(s.slice(i), parts - 1)) out.push([head, ...rest]);
  }
  return out;
}

/**
 * Splits a concatenated 年度资金总额 run (budget, [budget,] spent, weight, rate%, score). Returns null unless exactly
 * one reading is plausible: rate ≤ 100 matching spent/budget within 1.5 points, spent ≤ budget, score ≤ weight.
 */
export function splitFundsRun(run: string): FundsRow | null {
  const m = /^([\d.]+)%([\d.]*)$/.exec(run.replace(/\s+/g, ''));
  if (!m) return null;
  const left = m[1]!;
  const readings = new Map<string, FundsRow & { diff: number; parts: number }>();
  for (let j = left.length - 1; j >= Math.max(1, left.length - 7); j--) {
    const rate = num(left.slice(j));
    // A 0% row is indistinguishable from digits borrowed from its neighbours: leave it to a human.
    if (rate === null || rate <= 0 || rate > 100) continue;
    const rest = left.slice(0, j);
    for (const w of WEIGHTS) {
      if (!rest.endsWith(String(w))) continue;
      const money = rest.slice(0, rest.length - String(w).length);
      const score = m[2] ? num(m[2]) : null;
      if (score !== null && score > w) continue;
      // Budget and spent alone first; the 年初/全年/执行 three-column reading only when that finds nothing.
      for (const parts of [2, 3]) {
        if (parts === 3 && [...readings.values()].some((r) => r.parts === 2)) continue;
        for (const xs of splits(money, parts)) {
          const budget = xs[xs.length - 2]!;
          const spent = xs[xs.length - 1]!;
          if (budget <= 0 || spent > budget * 1.05) continue;
          const diff = Math.abs((spent / budget) * 100 - rate);
          if (diff > 1.5) continue;
          readings.set(`${budget}|${spent}|${w}|${rate}|${score}`, { budget, spent, weight: w, rate, score, diff, parts });
        }
      }
    }
  }
  // The reading whose stated rate best matches spent/budget, if it is clearly the best.
  const ranked = [...readings.values()].sort((a, b) => a.diff - b.diff);
  if (!ranked.length || (ranked.length > 1 && ranked[1]!.diff - ranked[0]!.diff < 0.1)) return null;
  const { diff: _diff, parts: _parts, ...row } = ranked[0]!;
  return row;
}

/** Splits "总分" followed by weight and score, separated or not ("总分 100 94", "总分100100", "总分10094.5"). */
export function splitTotalScore(run: string): { weight: number; score: number } | null {
  const m = /^(100)\s*(\d{1,3}(?:\.\d+)?)$/.exec(run.trim());
  if (!m) return null;
  const score = Number(m[2]);
  return score <= 100 ? { weight: 100, score } : null;
}

/**
 * The order without a percent sign ("48.546.295.26109.5": budget 48.5 | spent 46.2 | rate 95.26 | weight 10 |
 * score 9.5). Same plausibility rules; null unless one reading is clearly best.
 */
export function splitFundsRunNoPercent(run: string): FundsRow | null {
  const t = run.replace(/\s+/g, '');
  if (!/^[\d.]+$/.test(t) || t.length > 40) return null;
  const found: Array<FundsRow & { diff: number }> = [];
  for (const w of WEIGHTS) {
    const ws = String(w);
    for (let e = 1; e < t.length; e++) {
      // score = t[e..], weight ends right before it.
      const score = num(t.slice(e));
      if (score === null || score > w) continue;
      if (t.slice(e - ws.length, e) !== ws) continue;
      const head = t.slice(0, e - ws.length);
      // [budget, spent, rate] or [年初, 全年, spent, rate]; without a % to anchor the rate, it must match closely.
      for (const xs of [...splits(head, 3), ...splits(head, 4)]) {
        const [budget, spent, rate] = xs.slice(-3) as [number, number, number];
        if (budget <= 0 || rate <= 0 || rate > 100 || spent > budget * 1.05) continue;
        const diff = Math.abs((spent / budget) * 100 - rate);
        if (diff <= 0.6) found.push({ budget, spent, weight: w, rate, score, diff });
      }
    }
  }
  found.sort((a, b) => a.diff - b.diff);
  if (!found.length || (found.length > 1 && found[1]!.diff - found[0]!.diff < 0.1 && !sameRow(found[0]!, found[1]!))) return null;
  const { diff: _diff, ...row } = found[0]!;
  return row;
}

function sameRow(a: FundsRow, b: FundsRow): boolean {
  return a.budget === b.budget && a.spent === b.spent && a.rate === b.rate && a.weight === b.weight && a.score === b.score;
}
