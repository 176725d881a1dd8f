/**
 * The generated labelled set for the anomaly evidence (issue 12): N synthetic
 * users, each a 150-day history of normal spending (background.ts) with the
 * labelled anomalies and hard negatives of injections.ts in its last 30 days.
 * Every debit of those 30 days is a scored, labelled event: injected ones
 * carry their kind and expected rules, the rest are `background` (no rule
 * expected). Deterministic: the same seed gives the same set (pure-rand).
 */
import type { IntelTransaction } from "../types";
import { addBackground, makeProfile } from "./background";
import type { Label, UserBuild } from "./context";
import { injectAnomalies, subscriptionPlan, windowStart } from "./injections";
import { rngOf } from "./random";

export interface LabelledEvent extends Label {
  tx: IntelTransaction;
}

export interface LabelledUser {
  user_id: string;
  /** Every transaction of the user, oldest first. */
  transactions: IntelTransaction[];
  /** The debits of the scored window with their labels, oldest first. */
  scored: LabelledEvent[];
}

export const DEFAULT_SEEDS = [20261203, 7, 424242] as const;
export const DEFAULT_USERS = 40;

export function generateLabelledSet(seed: number, users = DEFAULT_USERS): LabelledUser[] {
  return Array.from({ length: users }, (_, i) => generateUser(seed, i));
}

function generateUser(seed: number, index: number): LabelledUser {
  const rng = rngOf((seed ^ Math.imul(index + 1, 0x9e3779b1)) | 0);
  const b: UserBuild = { profile: makeProfile(rng, index), rng, txs: [], labels: new Map(), tails: [] };
  const plan = subscriptionPlan(b, rng);
  addBackground(b, plan.amountOf);
  plan.label();
  injectAnomalies(b, index);
  const transactions = [...b.txs].sort((x, y) =>
    x.occurred_at < y.occurred_at ? -1 : x.occurred_at > y.occurred_at ? 1 : x.id < y.id ? -1 : 1,
  );
  const from = windowStart(b);
  const scored = transactions
    .filter((t) => t.direction === "debit" && Date.parse(t.occurred_at) >= from)
    .map((tx) => ({ tx, ...(b.labels.get(tx.id) ?? { kind: backgroundKind(b, Date.parse(tx.occurred_at)), expected: [] }) }));
  return { user_id: b.profile.user_id, transactions, scored };
}

/** A background event inside a burst's tail is named for it (still nothing expected: the burst is over). */
function backgroundKind(b: UserBuild, at: number): string {
  return b.tails.find((t) => at > t.from && at <= t.to)?.kind ?? "background";
}
