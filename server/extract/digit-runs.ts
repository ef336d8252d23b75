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
  const readings = new Map<string, FundsRow & { diff: number }>();
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
      for (const parts of [2, 3]) {
        for (const xs of splits(money, parts)) {
          const budget = xs[xs.length - 2]!;
          const spent = xs[xs.length - 1]!;
          if (budget <= 0 || spent > budget * 1.05) continue;
          const diff = Math.abs((spent / budget) * 100 - rate);
          if (diff > 1.5) continue;
          readings.set(`${budget}|${spent}|${w}|${rate}|${score}`, { budget, spent, weight: w, rate, score, diff });
        }
      }
    }
  }
  // The reading whose stated rate best matches spent/budget, if it is clearly the best.
  const ranked = [...readings.values()].sort((a, b) => a.diff - b.diff);
  if (!ranked.length || (ranked.length > 1 && ranked[1]!.diff - ranked[0]!.diff < 0.1)) return null;
  const { diff: _diff, ...row } = ranked[0]!;
  return row;
}

/** Splits "总分" followed by weight and score, separated or not ("总分 100 94", "总分100100", "总分10094.5"). */
export function splitTotalScore(run: string): { weight: number; score: number } | null {
  const m = /^(100)\s*(\d{1,3}(?:\.\d+)?)$/.exec(run.trim());
  if (!m) return null;
  const score = Number(m[2]);
  return score <= 100 ? { weight: 100, score } : null;
}
