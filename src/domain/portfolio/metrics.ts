/**
 * Portfolio returns and risk over a daily value series, each labelled by its
 * method. Values and flows are in minor units; a flow is money put into (+)
 * or taken out of (−) the portfolio that day, and counts at the start of the
 * day. Every figure is a fraction (0.05 = 5 %), null when the series is too
 * short to say anything, and returns are never annualized under a year.
 */
import { xirr } from "@webcarrot/xirr";
import { mean, sampleStandardDeviation } from "simple-statistics";

export interface DailyPoint {
  /** YYYY-MM-DD */
  day: string;
  /** Portfolio value at the day's close (positions at the close plus cash). */
  value: number;
  /** Net contributions that day. */
  flow: number;
}

export const TRADING_DAYS_PER_YEAR = 252;
/** Fewer daily returns than this and volatility and Sharpe are null. */
export const MIN_RETURNS_FOR_RISK = 20;
const DAY_MS = 86_400_000;

/** Daily-linked returns with flows at the start of the day: r_i = V_i / (V_{i−1} + F_i) − 1 (days with nothing invested are skipped). */
export function dailyReturns(points: readonly DailyPoint[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < points.length; i++) {
    const base = points[i - 1]!.value + points[i]!.flow;
    if (base > 0) out.push(points[i]!.value / base - 1);
  }
  return out;
}

/** Gain over what was put in: (V_n − V_0 − ΣF) / (V_0 + Σ contributions). */
export function simpleReturn(points: readonly DailyPoint[]): number | null {
  if (points.length < 2) return null;
  const flows = points.slice(1);
  const net = flows.reduce((s, p) => s + p.flow, 0);
  const invested = points[0]!.value + flows.reduce((s, p) => s + Math.max(0, p.flow), 0);
  if (invested <= 0) return null;
  return (points[points.length - 1]!.value - points[0]!.value - net) / invested;
}

/** Time-weighted return: the daily returns linked, flows excluded. */
export function timeWeightedReturn(points: readonly DailyPoint[]): number | null {
  const r = dailyReturns(points);
  return r.length === 0 ? null : r.reduce((acc, x) => acc * (1 + x), 1) - 1;
}

/** Years between the first and last day. */
function spanYears(points: readonly DailyPoint[]): number {
  return (Date.parse(points[points.length - 1]!.day) - Date.parse(points[0]!.day)) / DAY_MS / 365;
}

/**
 * Money-weighted return (XIRR over the investor's cash flows: the opening
 * value and each contribution paid in, the closing value received). XIRR is
 * annual; under a year it is turned back into the period's own return.
 */
export function moneyWeightedReturn(points: readonly DailyPoint[]): number | null {
  if (points.length < 2) return null;
  const flows = [
    { amount: -points[0]!.value, date: new Date(points[0]!.day) },
    ...points.slice(1).flatMap((p) => (p.flow !== 0 ? [{ amount: -p.flow, date: new Date(p.day) }] : [])),
    { amount: points[points.length - 1]!.value, date: new Date(points[points.length - 1]!.day) },
  ].filter((f) => f.amount !== 0);
  if (!flows.some((f) => f.amount < 0) || !flows.some((f) => f.amount > 0)) return null;
  let annual: number;
  try {
    annual = xirr(flows);
  } catch {
    return null;
  }
  if (!Number.isFinite(annual)) return null;
  const years = spanYears(points);
  return years >= 1 ? annual : (1 + annual) ** years - 1;
}

/** Sample standard deviation of daily TWR returns × √252. */
export function volatility(points: readonly DailyPoint[]): number | null {
  const r = dailyReturns(points);
  return r.length < MIN_RETURNS_FOR_RISK ? null : sampleStandardDeviation(r) * Math.sqrt(TRADING_DAYS_PER_YEAR);
}

/** Mean daily return over its standard deviation × √252, with a risk-free rate of 0. */
export function sharpe(points: readonly DailyPoint[]): number | null {
  const r = dailyReturns(points);
  if (r.length < MIN_RETURNS_FOR_RISK) return null;
  const sd = sampleStandardDeviation(r);
  return sd === 0 ? null : (mean(r) / sd) * Math.sqrt(TRADING_DAYS_PER_YEAR);
}

/** The deepest fall of the TWR index below its running peak, as a positive fraction (0.25 = 25 % down). */
export function maxDrawdown(points: readonly DailyPoint[]): number | null {
  const r = dailyReturns(points);
  if (r.length === 0) return null;
  let index = 1;
  let peak = 1;
  let worst = 0;
  for (const x of r) {
    index *= 1 + x;
    peak = Math.max(peak, index);
    worst = Math.max(worst, (peak - index) / peak);
  }
  return worst;
}

export interface ReturnFigure {
  method: "simple_return" | "twr" | "mwr" | "volatility" | "sharpe" | "max_drawdown";
  value: number | null;
  /** True only for mwr over a year or more, and for volatility and Sharpe (annual by definition). */
  annualized: boolean;
}

export function portfolioMetrics(points: readonly DailyPoint[]): ReturnFigure[] {
  const overAYear = points.length >= 2 && spanYears(points) >= 1;
  return [
    { method: "simple_return", value: simpleReturn(points), annualized: false },
    { method: "twr", value: timeWeightedReturn(points), annualized: false },
    { method: "mwr", value: moneyWeightedReturn(points), annualized: overAYear },
    { method: "volatility", value: volatility(points), annualized: true },
    { method: "sharpe", value: sharpe(points), annualized: true },
    { method: "max_drawdown", value: maxDrawdown(points), annualized: false },
  ];
}
