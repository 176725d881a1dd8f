/**
 * The scorer's "subscription price increase" input on hand-built histories:
 * above the accepted amount beyond 7.5 % fires (edge excluded), on the
 * stream's date within its tolerance only, not for a one-off at the merchant,
 * not for the charge that confirms a pending price, and the scorer adds the
 * signal with its reason.
 */
import { describe, expect, it } from "vitest";
import { scoreTransaction } from "../src/domain/intel/anomaly";
import { subscriptionPriceIncrease } from "../src/domain/intel/subscription-increase";
import type { IntelTransaction } from "../src/domain/intel/types";
import { series, tx } from "./helpers/intel";

const key = (t: IntelTransaction) => (t.merchant ?? "").toLowerCase();
const months = ["2026-01-10", "2026-02-10", "2026-03-10", "2026-04-10"];
const history = () => series(months, 1_000);

describe("subscription price increase", () => {
  it("fires above the accepted amount beyond 7.5 %, the edge itself does not", () => {
    expect(subscriptionPriceIncrease(tx("2026-05-10", 1_076), history(), key)).toEqual({
      stream_key: "netflix.com|debit|USD",
      old_amount: 1_000,
      new_amount: 1_076,
    });
    expect(subscriptionPriceIncrease(tx("2026-05-10", 1_075), history(), key)).toBeNull();
    // A lower price is not an increase.
    expect(subscriptionPriceIncrease(tx("2026-05-10", 800), history(), key)).toBeNull();
  });

  it("only on the stream's schedule (±3 days for monthly), at the same merchant, direction and currency", () => {
    expect(subscriptionPriceIncrease(tx("2026-05-13", 1_500), history(), key)).not.toBeNull();
    expect(subscriptionPriceIncrease(tx("2026-05-14", 1_500), history(), key)).toBeNull();
    expect(subscriptionPriceIncrease(tx("2026-05-10", 1_500, { merchant: "HULU" }), history(), key)).toBeNull();
    expect(subscriptionPriceIncrease(tx("2026-05-10", 1_500, { currency: "EUR" }), history(), key)).toBeNull();
    // Not a subscription: one earlier charge, or a variable stream.
    expect(subscriptionPriceIncrease(tx("2026-02-10", 1_500), series(["2026-01-10"], 1_000), key)).toBeNull();
    const variable = series(months, [1_000, 1_500, 1_000, 2_000]);
    expect(subscriptionPriceIncrease(tx("2026-05-10", 3_000), variable, key)).toBeNull();
  });

  it("the second charge at the new price confirms it and is not reported again; later rows are ignored", () => {
    const first = tx("2026-05-10", 1_200);
    expect(subscriptionPriceIncrease(first, history(), key)).not.toBeNull();
    expect(subscriptionPriceIncrease(tx("2026-06-10", 1_200), [...history(), first], key)).toBeNull();
    // A row after the event (or the event itself) is not history.
    const event = tx("2026-05-10", 1_200);
    expect(subscriptionPriceIncrease(event, [...history(), event, tx("2026-06-10", 1_200)], key)).not.toBeNull();
  });

  it("the scorer adds the signal and its reason", () => {
    const event = tx("2026-05-10", 1_200);
    const increase = subscriptionPriceIncrease(event, history(), key);
    const score = scoreTransaction({ event, history: history(), merchantKey: key, subscription_price_increase: increase });
    expect(score.reasons).toEqual([
      expect.objectContaining({
        rule_id: "subscription_price_increase",
        observed: { new_amount: 1_200, stream_key: "netflix.com|debit|USD" },
        baseline: { old_amount: 1_000 },
        points: 20,
      }),
    ]);
    expect(score.score).toBe(20);
  });
});
