/**
 * Per-rule precision and recall of the anomaly score on the labelled set.
 * Each scored event goes through scoreEvent (the live consumer's scoring)
 * against its user's whole history (the scorer reads only what is strictly
 * earlier), merchants keyed by normalizeMerchant as Silver keys them. Per rule:
 * TP fired and expected, FP fired and neither expected nor allowed, FN
 * expected and not fired. The alert decision (risk_level ≠ normal) is scored
 * against "any rule expected"; burst lead-in events (nothing expected, some
 * rule allowed) are left out of it.
 */
import { normalizeMerchant, rawMerchantText } from "../merchant-normalizer";
import { scoreEvent } from "../score-event";
import type { IntelTransaction } from "../types";
import { RULE_IDS } from "./context";
import type { LabelledUser } from "./labelled-set";

export interface Stats {
  id: string;
  tp: number;
  fp: number;
  fn: number;
  precision: number | null;
  recall: number | null;
}

export interface KindStats {
  kind: string;
  events: number;
  alerts: number;
  /** How often each rule fired on events of this kind. */
  fired: Record<string, number>;
}

export interface Evaluation {
  users: number;
  events: number;
  rules: Stats[];
  alert: Stats;
  kinds: KindStats[];
}

export const ALERT_ID = "alert (risk_level ≠ normal)";

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);
const finish = (id: string, c: { tp: number; fp: number; fn: number }): Stats => ({
  id,
  ...c,
  precision: ratio(c.tp, c.tp + c.fp),
  recall: ratio(c.tp, c.tp + c.fn),
});

export function evaluate(users: readonly LabelledUser[]): Evaluation {
  const counts = new Map(RULE_IDS.map((r) => [r, { tp: 0, fp: 0, fn: 0 }]));
  const alert = { tp: 0, fp: 0, fn: 0 };
  const kinds = new Map<string, KindStats>();
  let events = 0;
  for (const user of users) {
    const keys = new Map(user.transactions.map((t) => [t.id, normalizeMerchant(rawMerchantText(t)).key]));
    const keyOf = (t: IntelTransaction) => keys.get(t.id) ?? "unknown";
    for (const e of user.scored) {
      events++;
      const score = scoreEvent(e.tx, user.transactions, keyOf);
      const fired = new Set(score.reasons.map((r) => r.rule_id));
      for (const [rule, c] of counts) {
        const expected = e.expected.includes(rule);
        if (fired.has(rule) && expected) c.tp++;
        else if (fired.has(rule) && !e.allowed?.includes(rule)) c.fp++;
        else if (!fired.has(rule) && expected) c.fn++;
      }
      const alerted = score.risk_level !== "normal";
      if (e.expected.length > 0) alerted ? alert.tp++ : alert.fn++;
      else if (!e.allowed?.length && alerted) alert.fp++;
      const k = kinds.get(e.kind) ?? { kind: e.kind, events: 0, alerts: 0, fired: {} };
      k.events++;
      if (alerted) k.alerts++;
      for (const r of fired) k.fired[r] = (k.fired[r] ?? 0) + 1;
      kinds.set(e.kind, k);
    }
  }
  return {
    users: users.length,
    events,
    rules: [...counts].map(([id, c]) => finish(id, c)),
    alert: finish(ALERT_ID, alert),
    kinds: [...kinds.values()].sort((a, b) => a.kind.localeCompare(b.kind)),
  };
}
