/** The recurring-charge detector on hand-built histories: every tolerance at its edge. */
import { describe, expect, it } from "vitest";
import { amountClusters, detectRecurring, monthlyFixedCosts, priceChangeFindings, scheduledDate } from "../src/domain/intel/recurring";
import { shuffle } from "./helpers/events";
import { series, tx } from "./helpers/intel";

const amountClustersOf = (rows: Parameters<typeof amountClusters>[0]) => amountClusters(rows).map((c) => c.map((t) => t.id));

const one = (rows: Parameters<typeof detectRecurring>[0], asOf: string) => {
  const streams = detectRecurring(rows, { asOf });
  expect(streams).toHaveLength(1);
  return streams[0]!;
};

describe("frequencies", () => {
  it("detects weekly, biweekly, monthly, quarterly, semi-annual and annual streams", () => {
    expect(one(series(["2026-01-05", "2026-01-12", "2026-01-19"], 999), "2026-01-20").frequency).toBe("weekly");
    expect(one(series(["2026-01-02", "2026-01-16", "2026-01-30"], 999), "2026-01-31").frequency).toBe("biweekly");
    expect(one(series(["2026-01-10", "2026-02-10", "2026-03-10"], 999), "2026-03-11").frequency).toBe("monthly");
    expect(one(series(["2025-01-10", "2025-04-10", "2025-07-10"], 999), "2025-07-11").frequency).toBe("quarterly");
    expect(one(series(["2024-01-10", "2024-07-10", "2025-01-10"], 999), "2025-01-11").frequency).toBe("semi_annually");
    expect(one(series(["2023-03-01", "2024-03-01", "2025-03-01"], 999), "2025-03-02").frequency).toBe("annually");
  });

  it("detects semi-monthly pay on the 15th and the last day of the month", () => {
    const s = one(
      series(["2026-01-15", "2026-01-31", "2026-02-15", "2026-02-28", "2026-03-15"], 250_000, {
        direction: "credit",
        merchant: "ACME PAYROLL",
      }),
      "2026-03-16",
    );
    expect(s).toMatchObject({ frequency: "semi_monthly", direction: "credit", predicted_next_date: "2026-03-31", status: "MATURE" });
  });

  it("detects semi-monthly charges anchored on the second charge of a month (the 16th, then the 1st)", () => {
    const s = one(series(["2026-01-16", "2026-02-01", "2026-02-16", "2026-03-03"], 4_000, { merchant: "CLEANER" }), "2026-03-04");
    expect(s).toMatchObject({ frequency: "semi_monthly", predicted_next_date: "2026-03-16" });
    expect(scheduledDate(s.schedule, 5)).toBe("2026-04-01");
    // 3 days late breaks the ±2 days of semi-monthly.
    expect(detectRecurring(series(["2026-01-16", "2026-02-01", "2026-02-16", "2026-03-04"], 4_000), { asOf: "2026-03-05" })).toEqual([]);
  });

  it("clamps month ends and comes back: Jan 31 → Feb 28 → Mar 31, leap years too", () => {
    const s = one(series(["2026-01-31", "2026-02-28", "2026-03-31"], 1500), "2026-04-01");
    expect(s.predicted_next_date).toBe("2026-04-30");
    expect(scheduledDate(s.schedule, 4)).toBe("2026-05-31");
    const leap = one(series(["2028-01-31", "2028-02-29"], 1500), "2028-03-01");
    expect(leap.predicted_next_date).toBe("2028-03-31");
  });

  it("finds nothing in one charge, irregular dates or a skipped period", () => {
    expect(detectRecurring(series(["2026-01-10"], 999), { asOf: "2026-01-11" })).toEqual([]);
    expect(detectRecurring(series(["2026-01-10", "2026-01-22", "2026-02-27"], 999), { asOf: "2026-03-01" })).toEqual([]);
    expect(detectRecurring(series(["2026-01-10", "2026-02-10", "2026-04-10"], 999), { asOf: "2026-04-11" })).toEqual([]);
  });

  it("separates streams by merchant entity, direction and currency, and ignores rows after asOf", () => {
    const rows = [
      ...series(["2026-01-10", "2026-02-10"], 999, { merchant: "SQ *GYM CLUB #12" }),
      ...series(["2026-01-10", "2026-02-10"], 999, { merchant: "GYM CLUB STORE 0042", currency: "EUR" }),
      ...series(["2026-01-10", "2026-02-10"], 999, { merchant: "GYM CLUB", direction: "credit" }),
      tx("2026-03-10", 999, { merchant: "GYM CLUB" }),
    ];
    const streams = detectRecurring(rows, { asOf: "2026-03-01" });
    expect(streams.map((s) => s.stream_key)).toEqual(["gym-club|credit|USD", "gym-club|debit|EUR", "gym-club|debit|USD"]);
    expect(streams.every((s) => s.transaction_ids.length === 2 && s.status === "EARLY_DETECTION")).toBe(true);
  });
});

describe("subscriptions among one-off purchases", () => {
  it("finds a monthly charge at a merchant that also sells one-offs, by its amount cluster", () => {
    const icloud = series(["2026-01-03", "2026-02-03", "2026-03-03"], 299, { merchant: "APPLE.COM/BILL" });
    const apps = series(["2026-01-09", "2026-01-20", "2026-02-11", "2026-03-01"], [499, 1_299, 999, 4_999], { merchant: "APPLE.COM/BILL" });
    const streams = detectRecurring([...apps, ...icloud], { asOf: "2026-03-04" });
    expect(streams).toHaveLength(1);
    expect(streams[0]).toMatchObject({
      stream_key: `apple-com-bill|debit|USD|${icloud[0]!.id}`,
      frequency: "monthly",
      current_amount: 299,
      transaction_ids: icloud.map((t) => t.id),
    });
    // 299 and 321 (7.36 % apart) are one cluster; 322 (7.69 %) starts another.
    const edge = series(["2026-01-03", "2026-01-05", "2026-01-07"], [299, 321, 322]);
    expect(amountClustersOf(edge)).toEqual([[edge[0]!.id, edge[1]!.id]]);
  });
});

describe("date tolerance at its edge", () => {
  it("weekly: 2 days late fits, 3 days late does not", () => {
    expect(one(series(["2026-01-05", "2026-01-12", "2026-01-21"], 999), "2026-01-22").frequency).toBe("weekly");
    expect(detectRecurring(series(["2026-01-05", "2026-01-12", "2026-01-22"], 999), { asOf: "2026-01-23" })).toEqual([]);
  });

  it("biweekly: 2 days early fits, 3 days early does not", () => {
    expect(one(series(["2026-01-02", "2026-01-16", "2026-01-28"], 999), "2026-01-29").frequency).toBe("biweekly");
    expect(detectRecurring(series(["2026-01-02", "2026-01-16", "2026-01-27"], 999), { asOf: "2026-01-29" })).toEqual([]);
  });

  it("monthly: 3 days either side fits, 4 does not", () => {
    expect(one(series(["2026-01-10", "2026-02-13", "2026-03-07"], 999), "2026-03-08").frequency).toBe("monthly");
    expect(detectRecurring(series(["2026-01-10", "2026-02-14", "2026-03-10"], 999), { asOf: "2026-03-11" })).toEqual([]);
    expect(detectRecurring(series(["2026-01-10", "2026-02-10", "2026-03-06"], 999), { asOf: "2026-03-11" })).toEqual([]);
  });

  it("annually: 3 days late fits, 4 does not", () => {
    expect(one(series(["2024-03-01", "2025-03-04"], 999), "2025-03-05").frequency).toBe("annually");
    expect(detectRecurring(series(["2024-03-01", "2025-03-05"], 999), { asOf: "2025-03-06" })).toEqual([]);
  });
});

describe("amounts", () => {
  it("keeps a fixed amount within 7.5 % (the edge included) and calls 7.6 % variable", () => {
    const fixed = one(series(["2026-01-10", "2026-02-10", "2026-03-10"], [10_000, 10_750, 9_250]), "2026-03-11");
    expect(fixed).toMatchObject({
      amount_kind: "fixed",
      average_amount: 10_000,
      last_amount: 9_250,
      current_amount: 10_000,
      price_changes: [],
    });
    const variable = one(series(["2026-01-10", "2026-02-10", "2026-03-10"], [10_000, 10_760, 10_000]), "2026-03-11");
    expect(variable).toMatchObject({ amount_kind: "variable", pending_amount: null });
  });

  it("accepts a price change after two consecutive charges agree, and reports old and new amounts", () => {
    const rows = series(["2026-01-10", "2026-02-10", "2026-03-10", "2026-04-10", "2026-05-10"], [1_549, 1_549, 1_799, 1_799, 1_799]);
    const s = one(rows, "2026-05-11");
    expect(s).toMatchObject({
      amount_kind: "fixed",
      current_amount: 1_799,
      last_amount: 1_799,
      average_amount: 1_699,
      pending_amount: null,
    });
    expect(priceChangeFindings([s])).toEqual([
      {
        rule_id: "recurring_price_changed",
        reason: expect.stringContaining("1549"),
        observed: { stream_key: "netflix-com|debit|USD", new_amount: 1_799, effective_date: "2026-03-10" },
        baseline: { old_amount: 1_549, tolerance_permille: 75 },
        transaction_ids: [rows[2]!.id, rows[3]!.id],
      },
    ]);
  });

  it("does not accept a single new price yet: it is pending", () => {
    const s = one(series(["2026-01-10", "2026-02-10", "2026-03-10"], [1_549, 1_549, 1_799]), "2026-03-11");
    expect(s).toMatchObject({ amount_kind: "fixed", current_amount: 1_549, pending_amount: 1_799, price_changes: [] });
  });

  it("calls two disagreeing outliers in a row variable", () => {
    const s = one(series(["2026-01-10", "2026-02-10", "2026-03-10", "2026-04-10"], [1_000, 1_500, 2_000, 2_000]), "2026-04-11");
    expect(s.amount_kind).toBe("variable");
  });
});

describe("status", () => {
  it("is EARLY_DETECTION with 2 occurrences and MATURE with 3", () => {
    expect(one(series(["2026-01-10", "2026-02-10"], 999), "2026-02-11").status).toBe("EARLY_DETECTION");
    expect(one(series(["2026-01-10", "2026-02-10", "2026-03-10"], 999), "2026-03-11").status).toBe("MATURE");
  });

  it("is TOMBSTONED once the predicted date has passed by more than one period plus the tolerance", () => {
    const rows = series(["2026-01-10", "2026-02-10", "2026-03-10"], 999);
    // Predicted 2026-04-10; one period later is 2026-05-10; plus 3 days of tolerance is 2026-05-13.
    expect(one(rows, "2026-05-13")).toMatchObject({ predicted_next_date: "2026-04-10", status: "MATURE", is_active: true });
    expect(one(rows, "2026-05-14")).toMatchObject({ status: "TOMBSTONED", is_active: false });
    const weekly = series(["2026-01-05", "2026-01-12"], 500);
    expect(one(weekly, "2026-01-28").status).toBe("EARLY_DETECTION"); // next 01-19, after it 01-26 + 2
    expect(one(weekly, "2026-01-29").status).toBe("TOMBSTONED");
  });
});

describe("determinism", () => {
  it("gives the same streams whatever the order of the rows", () => {
    const rows = [
      ...series(["2026-01-10", "2026-02-10", "2026-03-10", "2026-04-10"], [1_549, 1_549, 1_799, 1_799], { merchant: "NETFLIX" }),
      ...series(["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"], 1_000, { merchant: "GYM" }),
      ...series(["2026-01-03", "2026-02-03", "2026-03-03"], 299, { merchant: "APPLE" }),
      ...series(["2026-01-09", "2026-02-20"], [4_999, 999], { merchant: "APPLE" }),
    ];
    const expected = detectRecurring(rows, { asOf: "2026-04-11" });
    expect(expected.map((s) => s.merchant_key)).toEqual(["apple", "gym", "netflix"]);
    for (const seed of [1, 2, 3, 42]) expect(detectRecurring(shuffle(rows, seed), { asOf: "2026-04-11" })).toEqual(expected);
  });
});

describe("monthly fixed costs", () => {
  it("sums active fixed debit streams at their monthly equivalent, per currency", () => {
    const rows = [
      ...series(["2026-01-10", "2026-02-10", "2026-03-10"], 1_500, { merchant: "NETFLIX" }),
      ...series(["2026-02-23", "2026-03-02", "2026-03-09"], 1_000, { merchant: "GYM" }),
      ...series(["2025-03-09", "2026-03-09"], 12_000, { merchant: "DOMAIN REG" }),
      ...series(["2026-01-10", "2026-02-10", "2026-03-10"], [3_000, 6_000, 9_000], { merchant: "POWER CO" }),
      ...series(["2026-01-10", "2026-02-10", "2026-03-10"], 900, { merchant: "SPOTIFY", currency: "EUR" }),
      ...series(["2026-01-15", "2026-02-15", "2026-03-15"], 200_000, { merchant: "PAYROLL", direction: "credit" }),
      ...series(["2025-01-10", "2025-02-10"], 700, { merchant: "OLD APP" }),
    ];
    const streams = detectRecurring(rows, { asOf: "2026-03-16" });
    expect(streams.find((s) => s.merchant_key === "old-app")?.status).toBe("TOMBSTONED");
    expect(streams.find((s) => s.merchant_key === "power-co")?.amount_kind).toBe("variable");
    // 1,500 monthly + 1,000 × 52 / 12 = 4,333 + 12,000 / 12 = 1,000.
    expect(monthlyFixedCosts(streams)).toEqual({ USD: 1_500 + 4_333 + 1_000, EUR: 900 });
  });
});
