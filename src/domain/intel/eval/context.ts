/**
 * The labelled anomaly set's shared shapes: one synthetic user being built
 * (profile, transactions, labels) and the helpers that place a transaction at
 * a local hour of a set day. Times are UTC instants; each user has a fixed UTC
 * offset, so "local" hours are what their habits follow.
 */
import { POINTS, VELOCITY } from "../anomaly";
import type { IntelTransaction } from "../types";
import type { Rng } from "./random";

/** Every rule the scorer can give, in table order. */
export const RULE_IDS: readonly string[] = [...Object.keys(POINTS), ...VELOCITY.map((v) => v.rule_id)];

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Day 0 of every history; the set spans SET_DAYS days (inside the live consumer's 180-day history). */
export const SET_START = Date.UTC(2026, 0, 1);
export const SET_DAYS = 150;
/** Debits from this day on are scored and labelled; the days before are warm-up history. */
export const EVAL_FROM_DAY = 120;

/** What a scored event is: `expected` rules must fire, `allowed` rules may (neither TP nor FP). */
export interface Label {
  kind: string;
  expected: readonly string[];
  allowed?: readonly string[];
}

export interface Merchant {
  raw: string;
  category: string;
  /** Typical amount, minor units. */
  base: number;
}

export interface Subscription {
  raw: string;
  amount: number;
  dayOfMonth: number;
  localHour: number;
}

export interface Profile {
  user_id: string;
  /** UTC = local − offset hours. */
  offset: number;
  /** Background debits per day (Poisson mean). */
  rate: number;
  /** The user's merchants, most visited first, with their draw weights. */
  merchants: { merchant: Merchant; weight: number }[];
  subscriptions: Subscription[];
  /** A weekday coffee at a fixed price, or null. */
  coffee: number | null;
}

export interface UserBuild {
  profile: Profile;
  rng: Rng;
  txs: IntelTransaction[];
  labels: Map<string, Label>;
  /** After each burst, the instants (from, to] its rule's window still reaches back into it. */
  tails: { kind: string; from: number; to: number }[];
}

/** The UTC instant (epoch ms) of a local time on a set day. */
export const localAt = (p: Profile, day: number, hour: number, minute = 0): number =>
  SET_START + day * DAY_MS + (hour - p.offset) * HOUR_MS + minute * 60_000;

export function addTx(
  b: UserBuild,
  at: number,
  amount: number,
  m: Pick<Merchant, "raw" | "category">,
  label?: Label,
  over: Partial<IntelTransaction> = {},
): IntelTransaction {
  const tx: IntelTransaction = {
    id: `${b.profile.user_id}_t${String(b.txs.length).padStart(4, "0")}`,
    account_id: `${b.profile.user_id}_acc`,
    user_id: b.profile.user_id,
    occurred_at: new Date(at).toISOString(),
    amount: Math.max(50, Math.round(amount)),
    direction: "debit",
    currency: "USD",
    merchant: m.raw,
    description: null,
    category: m.category,
    kind: "purchase",
    ...over,
  };
  b.txs.push(tx);
  if (label) b.labels.set(tx.id, label);
  return tx;
}
