/** Anomaly scoring on hand-built histories: each rule at its edge, and the additive score → risk level. */
import { describe, expect, it } from "vitest";
import { modifiedZScore, POINTS, riskLevelOf, scoreTransaction } from "../src/domain/intel/anomaly";
import type { IntelTransaction } from "../src/domain/intel/types";
import { tx } from "./helpers/intel";

const day = (i: number, hour = 12) => new Date(Date.UTC(2026, 0, 1 + i, hour)).toISOString();
/** One debit a day at GROCER, 12:00 UTC, at the given amounts. */
const history = (amounts: readonly number[], over: Partial<IntelTransaction> = {}) =>
  amounts.map((a, i) => tx(day(i), a, { merchant: "GROCER", category: "groceries", ...over }));
const ids = (s: ReturnType<typeof scoreTransaction>) => s.reasons.map((r) => r.rule_id);

// Median 10,000 and MAD 1,349: a z-score of exactly 3.5 is an amount of 10,000 + 7,000 (3.5 × 1,349 / 0.6745).
const EIGHT = [8_000, 8_651, 8_651, 10_000, 10_000, 11_349, 11_349, 12_000];

describe("modified z-score", () => {
  it("uses median and MAD", () => {
    expect(modifiedZScore(17_000, EIGHT)).toMatchObject({ median: 10_000, spread: 1_349, method: "mad" });
    expect(modifiedZScore(17_000, EIGHT).z).toBeCloseTo(3.5, 12);
  });

  it("falls back to the mean absolute deviation when MAD = 0, and to 'constant' when every value is equal", () => {
    const r = modifiedZScore(2_000, [1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 5_000]);
    expect(r.method).toBe("meanad");
    expect(r.z).toBeCloseTo(1_000 / (1.253314 * (4_000 / 9)), 10);
    expect(modifiedZScore(1_000, [1_000, 1_000])).toMatchObject({ z: 0, method: "constant" });
    expect(modifiedZScore(1_001, [1_000, 1_000]).z).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("amount_zscore", () => {
  const at = day(20);
  it("does not fire at exactly 3.5 and fires just above it", () => {
    expect(
      ids(scoreTransaction({ event: tx(at, 17_000, { merchant: "GROCER", category: "groceries" }), history: history(EIGHT) })),
    ).toEqual([]);
    const s = scoreTransaction({ event: tx(at, 17_001, { merchant: "GROCER", category: "groceries" }), history: history(EIGHT) });
    expect(s.reasons).toEqual([
      expect.objectContaining({
        rule_id: "amount_zscore",
        points: POINTS.amount_zscore,
        baseline: expect.objectContaining({ scope: "merchant", key: "grocer", median: 10_000, spread: 1_349, method: "mad", points: 8 }),
      }),
    ]);
    expect(s).toMatchObject({ score: 40, risk_level: "elevated" });
  });

  it("needs at least 8 points: 7 at the merchant fall back to the category, 7 in both score nothing", () => {
    const seven = history(EIGHT.slice(1));
    expect(ids(scoreTransaction({ event: tx(at, 90_000, { merchant: "GROCER", category: "groceries" }), history: seven }))).toEqual([]);
    const withCategory = [...seven, tx(day(9), 9_000, { merchant: "CORNER SHOP", category: "groceries" })];
    const s = scoreTransaction({ event: tx(at, 90_000, { merchant: "GROCER", category: "groceries" }), history: withCategory });
    expect(s.reasons[0]).toMatchObject({ rule_id: "amount_zscore", baseline: { scope: "category", key: "groceries", points: 8 } });
  });

  it("with MAD = 0 and all amounts equal, any larger amount is an outlier", () => {
    const flat = history(Array(8).fill(4_999));
    expect(ids(scoreTransaction({ event: tx(at, 4_999, { merchant: "GROCER" }), history: flat }))).toEqual([]);
    const s = scoreTransaction({ event: tx(at, 5_000, { merchant: "GROCER" }), history: flat });
    expect(s.reasons[0]).toMatchObject({ rule_id: "amount_zscore", observed: { z_score: null }, baseline: { method: "constant" } });
  });
});

describe("velocity", () => {
  const at = "2026-02-01T12:00:00.000Z";
  const ago = (ms: number, amount = 500) => tx(new Date(Date.parse(at) - ms).toISOString(), amount, { merchant: `SHOP ${ms}` });
  it("counts earlier debits in [t − 1 h, t), excluding the event, at the threshold", () => {
    const two = [ago(1_000), ago(3_600_000)];
    expect(ids(scoreTransaction({ event: tx(at, 500, { merchant: "X" }), history: two }))).toEqual([]);
    const three = [...two, ago(60_000, 700)];
    const s = scoreTransaction({ event: tx(at, 500, { merchant: "X" }), history: three });
    expect(s.reasons).toEqual([
      expect.objectContaining({ rule_id: "velocity_1h", observed: { count: 3, sum: 1_700, window_ms: 3_600_000 } }),
    ]);
    // One millisecond outside the hour does not count; the event itself and later rows never do.
    const event = tx(at, 500, { merchant: "X" });
    const outside = [ago(1_000), ago(60_000), ago(3_600_001), event, tx("2026-02-01T12:00:00.001Z", 1, { merchant: "Y" })];
    expect(ids(scoreTransaction({ event, history: outside }))).toEqual([]);
  });

  it("fires 24 h at 10 earlier debits and 7 d at 40", () => {
    const tenIn24h = Array.from({ length: 10 }, (_, i) => ago(2 * 3_600_000 * (i + 1)));
    expect(ids(scoreTransaction({ event: tx(at, 500, { merchant: "X" }), history: tenIn24h.slice(0, 9) }))).toEqual([]);
    expect(ids(scoreTransaction({ event: tx(at, 500, { merchant: "X" }), history: tenIn24h }))).toEqual(["velocity_24h"]);
    const fortyIn7d = Array.from({ length: 40 }, (_, i) => ago(4 * 3_600_000 * (i + 1)));
    expect(ids(scoreTransaction({ event: tx(at, 500, { merchant: "X" }), history: fortyIn7d }))).toContain("velocity_7d");
    expect(ids(scoreTransaction({ event: tx(at, 500, { merchant: "X" }), history: fortyIn7d.slice(0, 39) }))).not.toContain("velocity_7d");
  });
});

describe("new merchant, rare hour, duplicate, price increase", () => {
  const past = history([1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 9_000]);
  it("new_merchant_large: above the 95th percentile of earlier debits at a first-seen merchant", () => {
    // numpy's linear P95 of 1,000..9,000 is 8,600.
    expect(ids(scoreTransaction({ event: tx(day(30), 8_600, { merchant: "NEW PLACE" }), history: past }))).toEqual([]);
    const s = scoreTransaction({ event: tx(day(30), 8_601, { merchant: "NEW PLACE" }), history: past });
    expect(s.reasons).toEqual([expect.objectContaining({ rule_id: "new_merchant_large", baseline: { p95: 8_600, points: 9 } })]);
    expect(ids(scoreTransaction({ event: tx(day(30), 50_000, { merchant: "NEW PLACE" }), history: past.slice(0, 7) }))).toEqual([]);
  });

  it("rare_hour: under 2 % of at least 20 earlier debits in that UTC hour", () => {
    const noon = Array.from({ length: 49 }, (_, i) => tx(day(i), 1_000, { merchant: `S${i % 5}` }));
    const oneAt3 = [...noon, tx(day(49, 3), 1_000, { merchant: "S0" })];
    // 1 of 50 at 03:00 is exactly 2 %: not rare. 0 of 50 at 04:00 is.
    expect(ids(scoreTransaction({ event: tx(day(60, 3), 1_000, { merchant: "S1" }), history: oneAt3 }))).toEqual([]);
    expect(ids(scoreTransaction({ event: tx(day(60, 4), 1_000, { merchant: "S1" }), history: oneAt3 }))).toEqual(["rare_hour"]);
    expect(ids(scoreTransaction({ event: tx(day(60, 4), 1_000, { merchant: "S1" }), history: noon.slice(0, 19) }))).toEqual([]);
  });

  it("duplicate_24h: same merchant, amount and currency at most 24 hours before", () => {
    const first = tx("2026-03-01T10:00:00.000Z", 4_250, { merchant: "SQ *CAFE ROMA #3" });
    const same = tx("2026-03-02T10:00:00.000Z", 4_250, { merchant: "CAFE ROMA" });
    const s = scoreTransaction({ event: same, history: [first] });
    expect(s.reasons).toEqual([expect.objectContaining({ rule_id: "duplicate_24h", transaction_ids: [first.id, same.id] })]);
    expect(s).toMatchObject({ score: 30, risk_level: "normal" });
    const later = tx("2026-03-02T10:00:00.001Z", 4_250, { merchant: "CAFE ROMA" });
    expect(ids(scoreTransaction({ event: later, history: [first] }))).toEqual([]);
    expect(ids(scoreTransaction({ event: same, history: [{ ...first, currency: "EUR" }] }))).toEqual([]);
    expect(ids(scoreTransaction({ event: same, history: [{ ...first, amount: 4_251 }] }))).toEqual([]);
  });

  it("subscription_price_increase comes from the caller's flag, only for an increase", () => {
    const e = tx(day(40), 1_799, { merchant: "NETFLIX" });
    const up = scoreTransaction({
      event: e,
      history: [],
      subscription_price_increase: { stream_key: "netflix|debit|USD", old_amount: 1_549, new_amount: 1_799 },
    });
    expect(up.reasons[0]).toMatchObject({
      rule_id: "subscription_price_increase",
      observed: { new_amount: 1_799 },
      baseline: { old_amount: 1_549 },
    });
    const down = scoreTransaction({
      event: e,
      history: [],
      subscription_price_increase: { stream_key: "k", old_amount: 1_799, new_amount: 1_549 },
    });
    expect(down.reasons).toEqual([]);
  });
});

describe("score", () => {
  it("adds the points, caps at 100 and maps to normal < 40 ≤ elevated < 70 ≤ highest", () => {
    expect([0, 39, 40, 69, 70, 100].map(riskLevelOf)).toEqual(["normal", "normal", "elevated", "elevated", "highest", "highest"]);
    // A first purchase far above every earlier one, a duplicate of itself within the hour, at 03:00 UTC, after a burst.
    const past = Array.from({ length: 30 }, (_, i) => tx(day(i), 1_000 + i, { merchant: `S${i}` }));
    const burst = Array.from({ length: 3 }, (_, i) => tx(`2026-02-10T02:${10 + i}:00.000Z`, 900, { merchant: `B${i}` }));
    const dupe = tx("2026-02-10T02:50:00.000Z", 90_000, { merchant: "NEW" });
    const e = tx("2026-02-10T03:00:00.000Z", 90_000, { merchant: "NEW" });
    const s = scoreTransaction({ event: e, history: [...past, ...burst, dupe] });
    expect(ids(s).sort()).toEqual(["amount_zscore", "duplicate_24h", "rare_hour", "velocity_1h"]);
    expect(s.reasons.find((r) => r.rule_id === "amount_zscore")?.baseline).toMatchObject({ scope: "category", key: "entertainment" });
    expect(s).toMatchObject({ score: 40 + 30 + 10 + 20, risk_level: "highest" });
    // Five rules add up to 120: capped at 100.
    const s2 = scoreTransaction({
      event: e,
      history: [...past, ...burst],
      subscription_price_increase: { stream_key: "k", old_amount: 1, new_amount: 2 },
    });
    expect(ids(s2).sort()).toEqual(["amount_zscore", "new_merchant_large", "rare_hour", "subscription_price_increase", "velocity_1h"]);
    expect(s2).toMatchObject({ score: 100, risk_level: "highest" });
    // Without a category there is no baseline for the z-score: 30 + 10 + 20.
    const s3 = scoreTransaction({ event: { ...e, category: null }, history: [...past, ...burst, dupe] });
    expect(s3).toMatchObject({ score: 60, risk_level: "elevated" });
  });

  it("scores credits only on the caller's flag", () => {
    const past = history(EIGHT);
    expect(scoreTransaction({ event: tx(day(20), 900_000, { merchant: "GROCER", direction: "credit" }), history: past }).reasons).toEqual(
      [],
    );
  });
});
