/**
 * The alert of an anomalous transaction: an `alert_created` (v3, reason kind
 * anomaly) carrying the score, the level and every rule's explanation as the
 * scorer gave it. Its event id is derived from the entry, so a redelivery or a
 * second scoring dedupes in Silver and in the inbox. Pure.
 */
import { sha256Hex } from "../hash-chain";
import { formatMinor } from "../money";
import type { AnomalyScore, Reason } from "./anomaly";

/** A velocity window can name hundreds of transactions: the stored and sent reasons keep the first 50 ids. */
export const MAX_REASON_IDS = 50;

export const boundedReasons = (reasons: readonly Reason[]): Reason[] =>
  reasons.map((r) => ({ ...r, transaction_ids: r.transaction_ids.slice(0, MAX_REASON_IDS) }));

export interface ScoredEntry {
  user_id: string;
  account_id: string;
  entry_id: string;
  occurred_at: string;
  amount: number;
  currency: string;
  merchant_key: string;
  merchant_name: string;
}

export const anomalyEventId = (accountId: string, entryId: string): string => `anm_${sha256Hex(`${accountId}\n${entryId}`).slice(0, 32)}`;

export function anomalyAlertEvent(entry: ScoredEntry, score: AnomalyScore, now: number) {
  if (score.risk_level === "normal") throw new Error("a normal score raises no alert");
  const t = new Date(now).toISOString();
  const money = formatMinor(entry.amount, entry.currency);
  const id = anomalyEventId(entry.account_id, entry.entry_id);
  return {
    event_id: id,
    type: "alert_created",
    version: 3,
    occurred_at: t,
    recorded_at: t,
    // Not the account's own id: its event seq is gap-free (the account's outbox), and reconcile reads the holes.
    account_id: `user:${entry.user_id}`,
    user_id: entry.user_id,
    seq: 1,
    payload: {
      alert_id: id,
      source: "intelligence",
      severity: score.risk_level === "highest" ? "critical" : "warning",
      title: `Unusual ${money} at ${entry.merchant_name}`.slice(0, 200),
      body: score.reasons
        .map((r) => r.reason)
        .join(" ")
        .slice(0, 1000),
      link: "/alerts",
      reason: {
        kind: "anomaly",
        rule_id: "anomaly_score",
        account_id: entry.account_id,
        entry_id: entry.entry_id,
        amount: entry.amount,
        currency: entry.currency,
        merchant_key: entry.merchant_key.slice(0, 200),
        merchant_name: entry.merchant_name.slice(0, 200),
        score: score.score,
        risk_level: score.risk_level,
        findings: boundedReasons(score.reasons),
        t: entry.occurred_at,
      },
    },
  };
}
