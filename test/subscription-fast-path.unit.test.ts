/**
 * The price-increase input's pre-checks (src/domain/intel/subscription-increase.ts)
 * and the consumer's prepared history (src/domain/intel/score-event.ts) change
 * no verdict:
 * - the lead bound MIN_LEAD_DAYS holds for every frequency's scheduled dates
 *   (re-derived over eight years of anchors, leap years and month ends included);
 * - on 4,000 generated histories (pure-rand: a charge series at each frequency
 *   with date jitter around the tolerance, price changes, outliers, one-off
 *   charges at the merchant, rows of other merchants, currencies and
 *   directions; events around the due day, amounts around the 7.5 % edge) the
 *   fast path gives exactly the detector's answer, both verdicts occurring;
 * - every scored event of a labelled set scores the same against the prepared
 *   history as against the bare one.
 */
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { describe, expect, it } from "vitest";
import { generateLabelledSet } from "../src/domain/intel/eval/labelled-set";
import { normalizeMerchant, rawMerchantText } from "../src/domain/intel/merchant-normalizer";
import { DATE_TOLERANCE, FREQUENCIES, type Frequency, type Schedule, scheduledDate } from "../src/domain/intel/recurring";
import { prepareHistory, scoreEvent, scorePrepared } from "../src/domain/intel/score-event";
import {
  detectIncrease,
  earlierAtMerchant,
  increasePossible,
  MIN_LEAD_DAYS,
  subscriptionPriceIncrease,
} from "../src/domain/intel/subscription-increase";
import { addDays, dayDiff, type IntelTransaction, monthDay } from "../src/domain/intel/types";

const rng = xoroshiro128plus(20261204);
const int = (lo: number, hi: number) => uniformInt(rng, lo, hi);
const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;

/** The schedules the detector builds (recurring.ts scheduleFor), semi-monthly for every partner 10–20 days on. */
function schedulesAt(frequency: Frequency, anchor: string): Schedule[] {
  if (frequency !== "semi_monthly") return [{ frequency, anchor_date: anchor, second_day: null, anchor_first_in_month: true }];
  return Array.from({ length: 11 }, (_, i) => {
    const next = addDays(anchor, 10 + i);
    const a = Number(anchor.slice(8, 10));
    const b = Number(next.slice(8, 10));
    const sameMonth = anchor.slice(0, 7) === next.slice(0, 7);
    return { frequency, anchor_date: anchor, second_day: b, anchor_first_in_month: sameMonth || b > a };
  });
}

let seq = 0;
const row = (day: string, amount: number, over: Partial<IntelTransaction> = {}): IntelTransaction => ({
  id: `tx_${String(++seq).padStart(7, "0")}`,
  account_id: "acc_1",
  user_id: "usr_1",
  occurred_at: `${day}T${String(int(0, 23)).padStart(2, "0")}:${String(int(0, 59)).padStart(2, "0")}:00.000Z`,
  amount,
  direction: "debit",
  currency: "USD",
  merchant: "m0",
  description: null,
  category: "entertainment",
  ...over,
});

const STEP: Record<Frequency, (anchor: string, k: number) => string> = {
  weekly: (a, k) => addDays(a, 7 * k),
  biweekly: (a, k) => addDays(a, 14 * k),
  semi_monthly: (a, k) =>
    k % 2 === 0 ? monthDay(a, k / 2, Number(a.slice(8, 10))) : addDays(monthDay(a, (k - 1) / 2, Number(a.slice(8, 10))), 15),
  monthly: (a, k) => monthDay(a, k, Number(a.slice(8, 10))),
  quarterly: (a, k) => monthDay(a, 3 * k, Number(a.slice(8, 10))),
  semi_annually: (a, k) => monthDay(a, 6 * k, Number(a.slice(8, 10))),
  annually: (a, k) => monthDay(a, 12 * k, Number(a.slice(8, 10))),
};

/** One generated case: a history around one merchant's charge series and the event to judge. */
function generatedCase(): { event: IntelTransaction; history: IntelTransaction[] } {
  const frequency = pick(FREQUENCIES);
  const anchor = addDays("2025-01-01", int(0, 500));
  const count = int(1, frequency === "annually" ? 3 : 8);
  const tol = DATE_TOLERANCE[frequency];
  let amount = int(300, 20_000);
  const history: IntelTransaction[] = [];
  for (let k = 0; k < count; k++) {
    const jitter = int(0, 4) === 0 ? int(-tol - 2, tol + 2) : int(-1, 1);
    if (int(0, 7) === 0) amount = Math.round(amount * pick([1.05, 1.1, 1.2, 0.85]));
    const charged = int(0, 9) === 0 ? Math.round(amount * pick([1.3, 0.5, 1.076])) : amount;
    history.push(row(addDays(STEP[frequency](anchor, k), jitter), charged));
  }
  const last = history.at(-1)!.occurred_at.slice(0, 10);
  for (let i = int(0, 4); i > 0; i--) history.push(row(addDays(anchor, int(-30, dayDiff(anchor, last) + 3)), int(300, 20_000)));
  for (let i = int(0, 3); i > 0; i--)
    history.push(
      row(
        addDays(anchor, int(0, 400)),
        amount,
        pick([{ merchant: "m1" }, { currency: "EUR" }, { direction: "credit" as const }, { merchant: "m0", amount: amount * 2 }]),
      ),
    );
  const due = STEP[frequency](anchor, count);
  const eventDay = int(0, 5) === 0 ? addDays(last, int(0, 4)) : addDays(due, int(-tol - 2, tol + 2));
  const factor = pick([0.9, 1, 1.05, 1.075, 1.0751, 1.08, 1.15, 1.3, 2]);
  const event = row(eventDay, Math.round(amount * factor));
  history.push(event);
  history.sort((a, b) => a.occurred_at.localeCompare(b.occurred_at) || a.id.localeCompare(b.id));
  return { event, history };
}

const keyOf = (t: IntelTransaction) => t.merchant ?? "";

describe("subscription price increase: fast path", () => {
  it("MIN_LEAD_DAYS is at most any frequency's gap between scheduled dates less both tolerances", () => {
    for (const frequency of FREQUENCIES) {
      let least = Number.POSITIVE_INFINITY;
      for (let d = 0; d < 366 * 8; d++) {
        for (const s of schedulesAt(frequency, addDays("2020-01-01", d)))
          for (let k = 0; k < 26; k++) least = Math.min(least, dayDiff(scheduledDate(s, k), scheduledDate(s, k + 1)));
      }
      expect(least - 2 * DATE_TOLERANCE[frequency]).toBeGreaterThanOrEqual(MIN_LEAD_DAYS);
    }
  });

  it("agrees with the detector alone on 4,000 generated histories", () => {
    let increases = 0;
    let skipped = 0;
    let detectedNone = 0;
    for (let i = 0; i < 4_000; i++) {
      const { event, history } = generatedCase();
      const full = detectIncrease(event, earlierAtMerchant(event, history, keyOf), keyOf);
      const fast = subscriptionPriceIncrease(event, history, keyOf);
      expect(fast).toEqual(full);
      if (full) increases++;
      else if (!increasePossible(event, earlierAtMerchant(event, history, keyOf))) skipped++;
      else detectedNone++;
    }
    // Every branch is exercised: increases found, detector skipped, detector run and finding none.
    expect(increases).toBeGreaterThan(200);
    expect(skipped).toBeGreaterThan(500);
    expect(detectedNone).toBeGreaterThan(500);
  });

  it("scores every labelled event the same against the prepared history", () => {
    let fired = 0;
    for (const user of generateLabelledSet(7, 12)) {
      const keys = new Map(user.transactions.map((t) => [t.id, normalizeMerchant(rawMerchantText(t)).key]));
      const key = (t: IntelTransaction) => keys.get(t.id) ?? "unknown";
      const prepared = prepareHistory(user.transactions, key);
      for (const e of user.scored) {
        const bare = scoreEvent(e.tx, user.transactions, key);
        expect(scorePrepared(e.tx, prepared)).toEqual(bare);
        if (bare.reasons.some((r) => r.rule_id === "subscription_price_increase")) fired++;
      }
    }
    expect(fired).toBeGreaterThan(0);
  });
});
