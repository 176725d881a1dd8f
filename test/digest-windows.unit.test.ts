/** The digest core's periods at their edges, budget suggestions as the 75th percentile with empty months as 0, and refunds as less spending (not income). */
import { describe, expect, it } from "vitest";
import { budgetSuggestions, buildDigest, periodWindows } from "../src/domain/intel/digest";
import { tx } from "./helpers/intel";

describe("digest periods", () => {
  it("weekly: the last full Monday–Sunday week; a Sunday as-of is its own week's end", () => {
    expect(periodWindows("weekly", "2026-11-29").current).toEqual({ start: "2026-11-23", end: "2026-11-30" }); // Sunday
    expect(periodWindows("weekly", "2026-11-28").current).toEqual({ start: "2026-11-16", end: "2026-11-23" }); // Saturday
    expect(periodWindows("weekly", "2026-11-30").previous).toEqual({ start: "2026-11-16", end: "2026-11-23" }); // Monday
  });

  it("monthly: the last full month; the month's last day closes it", () => {
    expect(periodWindows("monthly", "2026-11-30").current).toEqual({ start: "2026-11-01", end: "2026-12-01" });
    expect(periodWindows("monthly", "2026-11-29").current).toEqual({ start: "2026-10-01", end: "2026-11-01" });
    expect(periodWindows("monthly", "2026-01-15")).toEqual({
      current: { start: "2025-12-01", end: "2026-01-01" },
      previous: { start: "2025-11-01", end: "2025-12-01" },
    });
  });
});

describe("budget suggestions", () => {
  it("takes the linear 75th percentile of the six months before, empty months counting 0", () => {
    const rows = [100, 200, 300, 400, 500].map((a, i) => tx(`2026-0${i + 5}-10`, a, { category: "dining" }));
    // Months May–Oct 2026 before November (October empty): [0, 100, 200, 300, 400, 500] → index 3.75 → 375.
    expect(budgetSuggestions(rows, "2026-11-01")).toEqual([{ category: "dining", amount: 375, months: 6 }]);
    // A charge of the month itself or seven months back is outside.
    expect(budgetSuggestions([tx("2026-11-02", 999), tx("2026-04-30", 999)], "2026-11-01")).toEqual([]);
  });
});

describe("refunds in the digest", () => {
  it("lower their category's spend and the totals, never count as income", () => {
    const refund = (at: string, amount: number) =>
      tx(at, amount, { direction: "credit", kind: "refund", merchant: "RAIL", category: "travel" });
    const d = buildDigest({
      period: "monthly",
      as_of: "2026-11-30",
      currency: "USD",
      transactions: [
        tx("2026-11-02", 300_000, { direction: "credit", kind: "deposit", merchant: "ACME PAYROLL", category: "income" }),
        tx("2026-11-03", 10_000, { merchant: "RAIL", category: "travel" }),
        tx("2026-11-04", 6_000, { merchant: "MARKET", category: "groceries" }),
        refund("2026-11-05", 4_000),
        tx("2026-10-03", 10_000, { merchant: "RAIL", category: "travel" }),
        refund("2026-10-04", 10_000),
      ],
      streams: [],
      forecast_low: null,
    });
    // As income the refund would make income 304,000 and spend 16,000.
    expect(d.totals).toMatchObject({ spend: 12_000, income: 300_000, previous_spend: 0, previous_income: 0, spend_change_pct: null });
    expect(d.totals.savings_rate).toBeCloseTo(0.96, 3);
    // Travel 100.00 less the 40.00 refund ties groceries at 60.00 (the name breaks the tie).
    expect(d.top_categories).toEqual([
      { category: "groceries", amount: 6_000 },
      { category: "travel", amount: 6_000 },
    ]);
    // The refund is no expense and no merchant of its own.
    expect(d.largest_expenses.map((e) => e.amount)).toEqual([10_000, 6_000]);
    // October's travel nets to 0 (fully refunded): no budget suggestion from it.
    expect(budgetSuggestions([tx("2026-10-03", 10_000, { category: "travel" }), refund("2026-10-04", 10_000)], "2026-11-01")).toEqual([]);
  });
});
