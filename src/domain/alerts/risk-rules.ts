/**
 * Risk alerts on a brokerage account's holdings, pure. Values are integers in
 * the account's minor units; a threshold is in basis points (a percent with 2
 * decimals: "25" → 2500).
 *
 * - concentration: the largest position's market value is at least
 *   `threshold` of the account's value (cash + every position's market value).
 * - drawdown: the account's value is at least `threshold` below its peak, the
 *   highest value seen since the rule was set (the peak is the value at
 *   creation, raised by every later evaluation).
 */
export const RISK_KINDS = ["concentration", "drawdown"] as const;
export type RiskKind = (typeof RISK_KINDS)[number];

export interface Holdings {
  cash: number;
  positions: { symbol: string; value: number }[];
}

export const accountValue = (h: Holdings) => h.cash + h.positions.reduce((s, p) => s + p.value, 0);

export interface RiskVerdict {
  fires: boolean;
  /** The peak to keep (drawdown), or the one given. */
  peak: number;
  value: number;
  /** The measure in basis points: the largest position's share, or the drawdown from the peak. */
  measure_bp: number;
  /** The largest position (concentration). */
  symbol: string | null;
}

const bp = (part: number, whole: number) => (whole <= 0 ? 0 : Number((BigInt(part) * 10_000n) / BigInt(whole)));

export function evaluateRisk(rule: { kind: RiskKind; threshold_bp: number; peak: number }, h: Holdings): RiskVerdict {
  const value = accountValue(h);
  if (rule.kind === "concentration") {
    const top = [...h.positions].sort((a, b) => b.value - a.value)[0] ?? null;
    const share = top && value > 0 ? bp(top.value, value) : 0;
    // Exact: value × threshold ≤ top × 10 000.
    const fires = top !== null && value > 0 && BigInt(top.value) * 10_000n >= BigInt(rule.threshold_bp) * BigInt(value);
    return { fires, peak: rule.peak, value, measure_bp: share, symbol: top?.symbol ?? null };
  }
  const peak = Math.max(rule.peak, value);
  const drop = peak - value;
  const fires = peak > 0 && BigInt(drop) * 10_000n >= BigInt(rule.threshold_bp) * BigInt(peak);
  return { fires, peak, value, measure_bp: bp(drop, peak), symbol: null };
}
