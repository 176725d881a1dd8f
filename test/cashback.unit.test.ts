/** The cashback core with hand-built entries: specificity, caps at their edge, fallback, rotating quarters, validity, refunds, reversals. */
import { describe, expect, it } from "vitest";
import { bestRule, type CashbackEntry, cashbackForMonth, type CashbackRule, quarterOf } from "../src/domain/intel/cashback";

const rule = (over: Partial<CashbackRule>): CashbackRule => ({
  id: "cbr_base",
  account_id: "acc_1",
  scope: "all",
  scope_value: null,
  rate_bps: 100,
  cap: null,
  cap_period: "month",
  fallback_bps: 0,
  valid_from: "2026-01-01",
  valid_to: null,
  rotating: {},
  ...over,
});
let n = 0;
const entry = (at: string, amount: number, over: Partial<CashbackEntry> = {}): CashbackEntry => ({
  id: `txn_${String(++n).padStart(4, "0")}`,
  account_id: "acc_1",
  occurred_at: `${at}T12:00:00.000Z`,
  kind: "purchase",
  reverses_kind: null,
  reverses_entry_id: null,
  amount,
  currency: "USD",
  merchant_key: "blue-bottle",
  category: "dining",
  ...over,
});

describe("cashback", () => {
  it("the most specific rule wins: merchant, then category, then all; the rate breaks a tie", () => {
    const base = rule({});
    const dining = rule({ id: "cbr_dining", scope: "category", scope_value: "dining", rate_bps: 300 });
    const shop = rule({ id: "cbr_shop", scope: "merchant", scope_value: "blue-bottle", rate_bps: 200 });
    const rot = rule({ id: "cbr_rot", scope: "rotating", rotating: { "2026-Q4": ["dining"] }, rate_bps: 500 });
    expect(bestRule([base, dining, shop, rot], entry("2026-11-01", 1000))?.id).toBe("cbr_shop");
    expect(bestRule([base, dining, rot], entry("2026-11-01", 1000))?.id).toBe("cbr_rot");
    expect(bestRule([base, dining, rot], entry("2026-09-30", 1000))?.id).toBe("cbr_dining");
    expect(bestRule([base, dining], entry("2026-11-01", 1000, { category: "travel" }))?.id).toBe("cbr_base");
    expect(bestRule([base], entry("2026-11-01", 1000, { account_id: "acc_2" }))).toBeNull();
    expect(quarterOf("2026-10-01")).toBe("2026-Q4");
    expect(quarterOf("2026-03-31")).toBe("2026-Q1");
  });

  it("validity window: both days inclusive", () => {
    const r = rule({ valid_from: "2026-11-10", valid_to: "2026-11-20" });
    const lines = cashbackForMonth(
      [r],
      [entry("2026-11-09", 1000), entry("2026-11-10", 1000), entry("2026-11-20", 1000), entry("2026-11-21", 1000)],
      "2026-11",
    );
    expect(lines).toEqual([{ rule_id: "cbr_base", currency: "USD", purchases: 2, earned: 20, reversed: 0, net: 20 }]);
  });

  it("rounds down per entry, caps at the edge, then the fallback rate on the rest", () => {
    // 1 % of 199 = 1.99 → 1.
    expect(cashbackForMonth([rule({})], [entry("2026-11-01", 199)], "2026-11")[0]!.earned).toBe(1);
    const capped = rule({ rate_bps: 500, cap: 100, fallback_bps: 100 });
    // 5 % of 2000 = 100: exactly the cap, no fallback; the next 1000 earns only 1 % = 10.
    const lines = cashbackForMonth([capped], [entry("2026-11-01", 2000), entry("2026-11-02", 1000)], "2026-11");
    expect(lines[0]).toMatchObject({ purchases: 2, earned: 110 });
    // Crossing the cap inside one purchase: 5 % of 1000 = 50 of 40 room; the 200 beyond earns 1 % = 2.
    const split = cashbackForMonth([rule({ rate_bps: 500, cap: 40, fallback_bps: 100 })], [entry("2026-11-01", 1000)], "2026-11");
    expect(split[0]!.earned).toBe(42);
    // A new month resets a monthly cap; a quarterly cap carries over from October.
    const q = rule({ rate_bps: 500, cap: 100, cap_period: "quarter" });
    expect(cashbackForMonth([q], [entry("2026-10-05", 2000), entry("2026-11-01", 2000)], "2026-11")[0]).toMatchObject({
      purchases: 1,
      earned: 0,
    });
    expect(cashbackForMonth([q], [entry("2026-10-05", 1000), entry("2026-11-01", 2000)], "2026-11")[0]!.earned).toBe(50);
    // No amount overflows: 2^53 − 1 at 100 %.
    const huge = cashbackForMonth([rule({ rate_bps: 10_000 })], [entry("2026-11-01", Number.MAX_SAFE_INTEGER)], "2026-11");
    expect(huge[0]!.earned).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("a refund earns negative at the base rate; a reversal cancels exactly what its entry earned", () => {
    const r = rule({ rate_bps: 500, cap: 60, fallback_bps: 100 });
    const buy = entry("2026-11-01", 2000); // 60 + 1 % of 800 = 68
    const refund = entry("2026-11-03", 400, { kind: "refund" }); // −20
    const reversal = entry("2026-11-04", 2000, { kind: "reversal", reverses_kind: "purchase", reverses_entry_id: buy.id });
    expect(cashbackForMonth([r], [buy, refund, reversal], "2026-11")).toEqual([
      { rule_id: "cbr_base", currency: "USD", purchases: 1, earned: 68, reversed: 88, net: -20 },
    ]);
  });
});
