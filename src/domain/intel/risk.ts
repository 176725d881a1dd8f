/**
 * The user's risk score behind `GET /v1/insights/risk` (issue 12, FinTwin's
 * risk), version RISK_VERSION: additive points 0–100 (higher is riskier) from
 * four drivers, each with what it observed against what. Pure.
 *
 * - balance_buffer: days of average daily spending (last 90 days) the balance
 *   covers: < 7 → 35 points, < 30 → 20, < 60 → 10. A balance ≤ 0 with any
 *   spending is 35; no spending at all is 0.
 * - velocity: debits in the last 7 days against the weekly mean of the 12
 *   weeks before: ≥ 2× → 20 points, ≥ 1.5× → 10 (at least 5 debits this week).
 * - recent_anomalies: the anomaly core's scores of the last 30 days' debits
 *   against the user's earlier ones: 10 per `highest`, 5 per `elevated`, at most 25.
 * - negative_days: days of the last 90 closing below zero: ≥ 5 → 20, ≥ 1 → 10.
 *
 * Level: < 30 low, < 60 medium, else high.
 */
import { type AnomalyScore, scoreTransaction } from "./anomaly";
import { normalizeMerchant, rawMerchantText } from "./merchant-normalizer";
import { addDays, dayOf, type IntelTransaction } from "./types";

export const RISK_VERSION = "risk-v1";
export const ANOMALY_WINDOW_DAYS = 30;
export type RiskBand = "low" | "medium" | "high";

export interface RiskDriver {
  driver: "balance_buffer" | "velocity" | "recent_anomalies" | "negative_days";
  points: number;
  reason: string;
  observed: Record<string, number | null>;
  baseline: Record<string, number>;
}

export interface RiskInput {
  as_of: string;
  currency: string;
  transactions: readonly IntelTransaction[];
  balance: number;
  daily_balances: readonly { day: string; balance: number }[];
  anomalies: readonly AnomalyScore[];
}

export interface RiskScore {
  version: string;
  as_of: string;
  currency: string;
  score: number;
  level: RiskBand;
  /** Every driver, most points first. */
  drivers: RiskDriver[];
}

const between = (t: IntelTransaction, from: string, to: string) => dayOf(t.occurred_at) > from && dayOf(t.occurred_at) <= to;

export function balanceBuffer(balance: number, txs: readonly IntelTransaction[], asOf: string): RiskDriver {
  const start = addDays(asOf, -90);
  const spend = txs.filter((t) => t.direction === "debit" && between(t, start, asOf)).reduce((s, t) => s + t.amount, 0);
  const daily = spend / 90;
  const days = daily > 0 ? Math.max(0, balance) / daily : null;
  const points = days === null ? 0 : days < 7 ? 35 : days < 30 ? 20 : days < 60 ? 10 : 0;
  return {
    driver: "balance_buffer",
    points,
    reason: days === null ? "No spending in the last 90 days." : `Your balance covers ${Math.floor(days)} days of average spending.`,
    observed: { balance, average_daily_spend: Math.round(daily), days_covered: days === null ? null : Math.floor(days) },
    baseline: { comfortable_days: 60 },
  };
}

export function velocity(txs: readonly IntelTransaction[], asOf: string): RiskDriver {
  const weekStart = addDays(asOf, -7);
  const baseStart = addDays(weekStart, -84);
  const debits = txs.filter((t) => t.direction === "debit");
  const week = debits.filter((t) => between(t, weekStart, asOf)).length;
  const weeklyMean = debits.filter((t) => between(t, baseStart, weekStart)).length / 12;
  const ratio = weeklyMean > 0 ? week / weeklyMean : null;
  const points = week < 5 || ratio === null ? 0 : ratio >= 2 ? 20 : ratio >= 1.5 ? 10 : 0;
  return {
    driver: "velocity",
    points,
    reason:
      ratio === null
        ? `${week} debits this week and no earlier weeks to compare.`
        : `${week} debits this week, ${ratio.toFixed(1)}× your weekly average.`,
    observed: { debits_7d: week, ratio: ratio === null ? null : Math.round(ratio * 100) / 100 },
    baseline: { weekly_mean: Math.round(weeklyMean * 100) / 100, min_debits: 5 },
  };
}

/** Anomaly scores of the window's debits that are not `normal`, scored against everything before each. */
export function recentAnomalies(txs: readonly IntelTransaction[], asOf: string, currency: string): AnomalyScore[] {
  const start = addDays(asOf, -ANOMALY_WINDOW_DAYS);
  const ofCurrency = txs.filter((t) => t.currency === currency && dayOf(t.occurred_at) <= asOf);
  const keys = new Map(ofCurrency.map((t) => [t.id, normalizeMerchant(rawMerchantText(t)).key]));
  const merchantKey = (t: IntelTransaction) => keys.get(t.id) ?? "unknown";
  return ofCurrency
    .filter((t) => t.direction === "debit" && dayOf(t.occurred_at) > start)
    .map((event) => scoreTransaction({ event, history: ofCurrency, merchantKey }))
    .filter((s) => s.risk_level !== "normal");
}

export function anomalyDriver(anomalies: readonly AnomalyScore[]): RiskDriver {
  const highest = anomalies.filter((a) => a.risk_level === "highest").length;
  const elevated = anomalies.filter((a) => a.risk_level === "elevated").length;
  return {
    driver: "recent_anomalies",
    points: Math.min(25, 10 * highest + 5 * elevated),
    reason:
      highest + elevated === 0
        ? "No unusual transactions in the last 30 days."
        : `${highest + elevated} unusual transactions in the last 30 days.`,
    observed: { highest, elevated },
    baseline: { window_days: ANOMALY_WINDOW_DAYS, max_points: 25 },
  };
}

export function negativeDaysDriver(daily: readonly { day: string; balance: number }[]): RiskDriver {
  const days = daily.filter((d) => d.balance < 0).length;
  return {
    driver: "negative_days",
    points: days >= 5 ? 20 : days >= 1 ? 10 : 0,
    reason: days === 0 ? "No day closed below zero in the last 90 days." : `${days} of the last 90 days closed below zero.`,
    observed: { negative_days: days },
    baseline: { window_days: daily.length },
  };
}

export function riskScore(input: RiskInput): RiskScore {
  const txs = input.transactions.filter((t) => t.currency === input.currency);
  const drivers = [
    balanceBuffer(input.balance, txs, input.as_of),
    velocity(txs, input.as_of),
    anomalyDriver(input.anomalies),
    negativeDaysDriver(input.daily_balances),
  ];
  const score = Math.min(
    100,
    drivers.reduce((s, d) => s + d.points, 0),
  );
  return {
    version: RISK_VERSION,
    as_of: input.as_of,
    currency: input.currency,
    score,
    level: score < 30 ? "low" : score < 60 ? "medium" : "high",
    drivers: [...drivers].sort((a, b) => b.points - a.points || a.driver.localeCompare(b.driver)),
  };
}
