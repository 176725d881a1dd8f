/**
 * The labelled events injected into a user's scored window (days 120–149):
 * one of each anomaly kind, each on its own day, and the hard negatives next
 * to them. Each user gets one of the three bursts, by turns. Bursts are
 * labelled generatively: an event of a burst is expected to fire the burst's
 * rule once the burst alone reaches the rule's count (VELOCITY's min_count
 * earlier debits); every velocity rule is `allowed` on every event of a burst
 * (it is fast activity, so firing is not a false alarm). Amount outliers are
 * 2–5 × the merchant's typical amount and new-merchant purchases 0.7–1.5 ×
 * the user's largest earlier debit, so borderline ones can be missed.
 */
import { VELOCITY } from "../anomaly";
import { addTx, EVAL_FROM_DAY, HOUR_MS, type Label, localAt, type UserBuild } from "./context";
import { chargeDays, drawAmount, drawMinute } from "./background";
import { between, intIn, pickOne, type Rng } from "./random";

const VELOCITY_IDS = VELOCITY.map((v) => v.rule_id);
const velocityOf = (rule: string) => VELOCITY.find((v) => v.rule_id === rule)!;

/** Subscription scenarios: the first stream's price rises > 7.5 %, the second's within 7.5 %, the third's rose before the window. */
export function subscriptionPlan(b: UserBuild, rng: Rng) {
  const plans = b.profile.subscriptions.map((s, i) => {
    const days = chargeDays(s.dayOfMonth);
    const firstInWindow = days.find((d) => d >= EVAL_FROM_DAY)!;
    const lastBefore = days.filter((d) => d < EVAL_FROM_DAY).at(-1)!;
    if (i === 0) return { from: firstInWindow, amount: Math.round(s.amount * between(rng, 1.1, 1.3)), kind: "subscription_increase" };
    if (i === 1)
      return { from: firstInWindow, amount: Math.round(s.amount * between(rng, 1.01, 1.07)), kind: "subscription_within_tolerance" };
    return { from: lastBefore, amount: Math.round(s.amount * 1.15), kind: "subscription_confirming_charge" };
  });
  return {
    amountOf: (sub: number, day: number) => (day >= plans[sub]!.from ? plans[sub]!.amount : b.profile.subscriptions[sub]!.amount),
    /** Relabels each stream's first charge in the window with its scenario. */
    label(): void {
      plans.forEach((plan, i) => {
        const raw = b.profile.subscriptions[i]!.raw;
        const first = b.txs.find((t) => t.merchant === raw && Date.parse(t.occurred_at) >= windowStart(b))!;
        b.labels.set(first.id, { kind: plan.kind, expected: plan.kind === "subscription_increase" ? ["subscription_price_increase"] : [] });
      });
    },
  };
}

/** Local midnight of the first scored day. */
export const windowStart = (b: UserBuild) => localAt(b.profile, EVAL_FROM_DAY, 0);
const usual = (b: UserBuild) => pickOne(b.rng, b.profile.merchants.slice(0, 5)).merchant;
const dayHour = (b: UserBuild) => intIn(b.rng, 9, 20);

function burst(b: UserBuild, kind: string, rule: string, times: number[]): void {
  times.sort((x, y) => x - y);
  const end = times.at(-1)!;
  b.tails.push({ kind: `after_${kind}`, from: end, to: end + velocityOf(rule).window_ms });
  times.forEach((at, i) => {
    const m = usual(b);
    const label: Label = { kind, expected: i >= velocityOf(rule).min_count ? [rule] : [], allowed: VELOCITY_IDS };
    addTx(b, at, drawAmount(b.rng, m.base), m, label);
  });
}

export function injectAnomalies(b: UserBuild, index: number): void {
  const { profile: p, rng } = b;
  const top = p.merchants[0]!.merchant;
  // One burst per user, by turns: a 7-day spree (45 purchases over days 121–127), a day burst, an hour burst.
  const scenario = index % 3;
  if (scenario === 0)
    burst(
      b,
      "velocity_7d_spree",
      "velocity_7d",
      Array.from({ length: 45 }, (_, k) => localAt(p, 121 + Math.floor((k * 7) / 45), dayHour(b), drawMinute(rng))),
    );
  addTx(b, localAt(p, 130, dayHour(b), drawMinute(rng)), top.base * between(rng, 2, 5), top, {
    kind: "amount_outlier",
    expected: ["amount_zscore"],
  });
  addTx(b, localAt(p, 131, dayHour(b), drawMinute(rng)), top.base * between(rng, 1.15, 1.4), top, {
    kind: "larger_but_normal",
    expected: [],
  });
  const before = localAt(p, 133, 0);
  const maxDebit = Math.max(...b.txs.filter((t) => t.direction === "debit" && Date.parse(t.occurred_at) < before).map((t) => t.amount));
  const electronics = { raw: `BEST BUY #${intIn(rng, 100, 999)}`, category: "electronics" };
  addTx(b, localAt(p, 133, dayHour(b), drawMinute(rng)), maxDebit * between(rng, 0.7, 1.5), electronics, {
    kind: "new_merchant_large",
    expected: ["new_merchant_large"],
  });
  const deli = { raw: "CORNER DELI", category: "dining" };
  addTx(b, localAt(p, 134, dayHour(b), drawMinute(rng)), drawAmount(rng, 1_500), deli, { kind: "new_merchant_ordinary", expected: [] });
  // A day burst: 12 purchases an hour apart from 09:00.
  if (scenario === 1)
    burst(
      b,
      "velocity_24h_burst",
      "velocity_24h",
      Array.from({ length: 12 }, (_, k) => localAt(p, 136, 9 + k, intIn(rng, 0, 5))),
    );
  const m = usual(b);
  addTx(b, localAt(p, 139, intIn(rng, 2, 4), drawMinute(rng)), drawAmount(rng, m.base), m, { kind: "rare_hour", expected: ["rare_hour"] });
  addTx(b, localAt(p, 140, 22, drawMinute(rng)), drawAmount(rng, m.base), m, { kind: "late_but_usual_hour", expected: [] });
  // An hour burst: 5 purchases 4–10 minutes apart.
  let at = localAt(p, 142, intIn(rng, 11, 18));
  if (scenario === 2)
    burst(
      b,
      "velocity_1h_burst",
      "velocity_1h",
      Array.from({ length: 5 }, () => (at += intIn(rng, 4, 10) * 60_000)),
    );
  repeatPair(b, 144, [2 / 60, 5], 1, { kind: "duplicate_24h", expected: ["duplicate_24h"] });
  repeatPair(b, 145, [25, 40], 1, { kind: "same_amount_after_24h", expected: [] });
  repeatPair(b, 147, [1, 5], between(rng, 1.05, 1.3), { kind: "same_merchant_other_amount", expected: [] });
}

/** A normal purchase, then the same merchant again `hours` later at `factor` × its amount (the repeat carries the label). */
function repeatPair(b: UserBuild, day: number, hours: [number, number], factor: number, label: Label): void {
  const m = usual(b);
  const first = addTx(b, localAt(b.profile, day, intIn(b.rng, 10, 15), drawMinute(b.rng)), drawAmount(b.rng, m.base), m, {
    kind: "repeat_source",
    expected: [],
  });
  const at = Date.parse(first.occurred_at) + Math.round(between(b.rng, hours[0], hours[1]) * HOUR_MS);
  addTx(b, at, first.amount * factor, m, label);
}
