/**
 * GET /v1/insights/health, /v1/insights/risk and the digests' computed-on-read
 * fallback over events through the real consumer: versioned scores with every pillar and driver and what it
 * observed, the same answer twice, another user sees only their own (empty)
 * picture, bad input is a 400.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { api } from "./helpers/auth";
import { AS_OF, type SeededUser, seedIntelUser } from "./helpers/intel-events";
import { tokenFor } from "./helpers/pipeline";

let u: SeededUser;
beforeAll(async () => {
  u = await seedIntelUser();
});

describe("insights", () => {
  it("scores health on four pillars with their drivers", async () => {
    const r = await api("GET", `/v1/insights/health?as_of=${AS_OF}`, { token: u.token });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ object: "health_score", version: "health-v1", as_of: AS_OF, currency: "USD" });
    const pillars = Object.fromEntries(r.body.pillars.map((p: any) => [p.pillar, p]));
    // Pay 3 × 2,500.00 against a few hundred spent: the savings rate is far above 20 %.
    expect(pillars.spend_vs_income.score).toBe(100);
    expect(pillars.negative_days).toMatchObject({ score: 100, observed: { negative_days: 0 } });
    // Spotify and Netflix on Sep–Nov 5/15 plus the groceries stream: every charge on time.
    expect(pillars.bills_on_time).toMatchObject({ score: 100, observed: { missed: 0 } });
    expect(pillars.bills_on_time.observed.paid).toBe(9);
    expect(pillars.liquid_buffer.observed.balance).toBe(u.account.balance);
    expect(r.body.score).toBe(Math.round(r.body.pillars.reduce((s: number, p: any) => s + p.score, 0) / 4));
    expect(r.body.drivers.map((d: any) => d.score)).toEqual([...r.body.pillars.map((p: any) => p.score)].sort((a, b) => a - b));
    expect((await api("GET", `/v1/insights/health?as_of=${AS_OF}`, { token: u.token })).body).toEqual(r.body);
  });

  it("scores risk with its drivers, most points first", async () => {
    const r = await api("GET", `/v1/insights/risk?as_of=${AS_OF}`, { token: u.token });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ object: "risk_score", version: "risk-v1", currency: "USD", level: "low" });
    expect(r.body.drivers.map((d: any) => d.driver).sort()).toEqual(["balance_buffer", "negative_days", "recent_anomalies", "velocity"]);
    expect(r.body.score).toBe(r.body.drivers.reduce((s: number, d: any) => s + d.points, 0));
    const buffer = r.body.drivers.find((d: any) => d.driver === "balance_buffer");
    expect(buffer).toMatchObject({ points: 0, observed: { balance: u.account.balance } });
  });

  it("builds the weekly and monthly digests with changes, subscriptions, bills due and budget suggestions", async () => {
    // Nothing stored yet (no cron ran): the current periods are computed on read.
    const both = await api("GET", `/v1/insights/digests?as_of=${AS_OF}`, { token: u.token });
    expect(both.status).toBe(200);
    expect(both.body).toMatchObject({ object: "list", has_more: false, next_cursor: null });
    expect(both.body.data.map((d: any) => [d.period, d.stored, d.id])).toEqual([
      ["weekly", false, null],
      ["monthly", false, null],
    ]);
    const week = { body: both.body.data[0] };
    expect(week.body).toMatchObject({
      object: "digest",
      period: "weekly",
      start: "2026-11-09",
      end: "2026-11-15",
      totals: { spend: 1_799, previous_spend: 999, spend_change_pct: 80.1, income: 0, savings_rate: null },
      top_categories: [{ category: "entertainment", amount: 1_799 }],
      new_merchants: [],
    });
    expect(week.body.largest_expenses).toEqual([expect.objectContaining({ date: "2026-11-15", amount: 1_799, merchant: "NETFLIX.COM" })]);
    const month = (await api("GET", `/v1/insights/digests?kind=monthly&as_of=${AS_OF}`, { token: u.token })).body.data[0];
    expect(month).toMatchObject({ start: "2026-10-01", end: "2026-10-31", totals: { spend: 999 + 1_799 + 6_800, income: 250_000 } });
    expect(month.totals.savings_rate).toBeCloseTo((250_000 - 9_598) / 250_000, 3);
    expect(month.subscriptions.price_changed).toEqual([
      expect.objectContaining({ new_amount: 1_799, old_amount: 1_599, effective_date: "2026-10-15" }),
    ]);
    // May–October, months without spend count as 0: the 75th percentile (linear) of each category.
    expect(month.budget_suggestions).toEqual([
      { category: "groceries", amount: 5_925, months: 6 },
      { category: "entertainment", amount: 2_598, months: 6 },
    ]);
    expect(month.forecast_low).toMatchObject({ date: expect.any(String), p50: expect.any(Number) });
    const sunday = (await api("GET", "/v1/insights/digests?kind=weekly&as_of=2026-11-29", { token: u.token })).body.data[0];
    expect(sunday.bills_due_7d).toEqual([
      expect.objectContaining({ merchant_name: expect.stringMatching(/spotify/i), date: "2026-12-05", amount: 999 }),
    ]);
    expect((await api("GET", "/v1/insights/digests?kind=daily", { token: u.token })).status).toBe(400);
  });

  it("shows another user only their own empty picture", async () => {
    const token = await tokenFor(`usr_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`);
    const h = await api("GET", `/v1/insights/health?as_of=${AS_OF}`, { token });
    expect(h.body.pillars.find((p: any) => p.pillar === "spend_vs_income").observed).toMatchObject({ income: 0, spend: 0 });
    const r = await api("GET", `/v1/insights/risk?as_of=${AS_OF}`, { token });
    expect(r.body).toMatchObject({ score: 0, level: "low" });
  });

  it("refuses bad input with the 400 envelope", async () => {
    for (const path of ["/v1/insights/health", "/v1/insights/risk", "/v1/insights/digests"]) {
      for (const q of ["as_of=2026-02-30", "as_of=2999-01-01", "currency=EURO"]) {
        const r = await api("GET", `${path}?${q}`, { token: u.token });
        expect(r.status, `${path}?${q}`).toBe(400);
        expect(r.body.error.code).toBe("validation_error");
      }
      expect((await api("GET", path)).status).toBe(401);
    }
  });
});
