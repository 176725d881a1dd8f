/**
 * End to end inside the Workers runtime rather than on `wrangler dev`: the
 * year's events are produced as the accounts would have recorded them and go
 * through the same EVENTS consumer, D1 and UserDOs a dev server runs (the
 * HTTP demo year is test/e2e/demo-year.e2e.test.ts, with BACKDATE_DAYS).
 * A seeded year of demo activity (test/helpers/demo-year.ts) through the real
 * EVENTS consumer (Silver, Gold, live anomaly scoring and
 * alerts), a cashback rule through the API, then the public API: /v1/recurring
 * lists the expected streams with their frequencies and raises the price
 * change alert, /v1/analytics/cashback has the expected estimate, /v1/alerts
 * holds the injected anomalies with their reasons, and the cron's digests exist.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { reserveAccount } from "../src/db/accounts";
import worker from "../src/index";
import { api } from "./helpers/auth";
import { YEAR_AS_OF, type DemoYear, demoYear } from "./helpers/demo-year";
import { deliverEvents, tokenFor } from "./helpers/pipeline";

let y: DemoYear;
let token: string;
let ruleId: string;

beforeAll(async () => {
  y = demoYear();
  token = await tokenFor(y.f.userId);
  // The factory's account in the registry, so the cashback rule may name it.
  await reserveAccount(env.DB, {
    id: y.account.id,
    userId: y.f.userId,
    type: "checking",
    currency: "USD",
    name: "Everyday",
    createdAt: "2025-11-30T08:00:00.000Z",
  });
  const rule = await api("POST", "/v1/cashback/rules", {
    token,
    body: {
      account_id: y.account.id,
      name: "Coffee 5 %",
      valid_from: "2025-01-01",
      scope: "merchant",
      scope_value: "blue-bottle",
      rate_bps: 500,
    },
  });
  expect(rule.status, JSON.stringify(rule.body)).toBe(201);
  ruleId = rule.body.id;
  for (let i = 0; i < y.events.length; i += 100) await deliverEvents(y.events.slice(i, i + 100));
}, 90_000);

const byMerchant = (data: any[], part: string) => data.find((s: any) => s.merchant_key.includes(part));

describe("a seeded year of demo activity", () => {
  it("yields the expected subscriptions and the price change alert", async () => {
    const r = await api("GET", `/v1/recurring?as_of=${YEAR_AS_OF}`, { token });
    expect(r.status).toBe(200);
    expect(byMerchant(r.body.data, "acme")).toMatchObject({ direction: "credit", frequency: "monthly", current_amount: 420_000 });
    expect(byMerchant(r.body.data, "spotify")).toMatchObject({
      frequency: "monthly",
      amount_kind: "fixed",
      current_amount: 999,
      price_changes: [],
    });
    expect(byMerchant(r.body.data, "parking")).toMatchObject({
      frequency: "weekly",
      amount_kind: "fixed",
      current_amount: 800,
      is_active: true,
    });
    const netflix = byMerchant(r.body.data, "netflix");
    expect(netflix).toMatchObject({ frequency: "monthly", current_amount: 1_799, status: "MATURE", first_date: "2025-12-15" });
    expect(netflix.price_changes).toEqual([
      expect.objectContaining({
        rule_id: "recurring_price_changed",
        observed: expect.objectContaining({ new_amount: 1_799, effective_date: "2026-09-15" }),
      }),
    ]);
    const alerts = (await api("GET", "/v1/alerts?limit=100", { token })).body.data;
    expect(alerts.filter((a: any) => a.kind === "recurring_price_changed")).toHaveLength(1);
  });

  it("estimates November's cashback from the rule", async () => {
    const r = await api("GET", "/v1/analytics/cashback?month=2026-11", { token });
    expect(r.status).toBe(200);
    const expected = y.novemberCoffee.reduce((s, a) => s + Math.floor((a * 500) / 10_000), 0);
    expect(expected).toBeGreaterThan(0);
    expect(r.body).toMatchObject({ estimate: true, totals: [{ currency: "USD", net: expected }] });
    expect(r.body.rules).toEqual([expect.objectContaining({ rule_id: ruleId, purchases: y.novemberCoffee.length, net: expected })]);
  });

  it("alerts on the injected anomalies with their reasons", async () => {
    const alerts = (await api("GET", "/v1/alerts?limit=100", { token })).body.data.filter((a: any) => a.kind === "alert_created");
    const of = (entry: string) => alerts.find((a: any) => a.data.reason?.entry_id === entry);
    const coffee = of(y.anomalies.coffee);
    expect(coffee?.data.reason.findings.map((x: any) => x.rule_id)).toContain("amount_zscore");
    expect(coffee.title).toBe("Unusual $99.00 at Blue Bottle");
    const [first, second] = y.anomalies.jeweller.map(of);
    expect(first?.data.reason.findings.map((x: any) => x.rule_id)).toContain("new_merchant_large");
    expect(second?.data.reason.findings.map((x: any) => x.rule_id)).toContain("duplicate_24h");
    for (const a of [coffee, first, second]) expect(a.reasons.length).toBeGreaterThan(1);
  });

  it("gets its weekly and monthly digests from the cron", async () => {
    for (const [cron, at] of [
      ["0 7 * * 1", "2026-11-30T07:00:00.000Z"],
      ["0 7 1 * *", "2026-12-01T07:00:00.000Z"],
    ] as const) {
      const ctx = createExecutionContext();
      worker.scheduled(createScheduledController({ scheduledTime: Date.parse(at), cron }), env, ctx);
      await waitOnExecutionContext(ctx);
    }
    const r = (await api("GET", "/v1/insights/digests", { token })).body;
    expect(r.data.map((d: any) => [d.period, d.start, d.stored])).toEqual([
      ["weekly", "2026-11-23", true],
      ["monthly", "2026-11-01", true],
    ]);
    const month = r.data[1];
    expect(month.totals.income).toBe(420_000);
    expect(month.subscriptions.price_changed).toEqual([]);
    expect(month.budget_suggestions.map((b: any) => b.category)).toEqual(expect.arrayContaining(["groceries", "coffee"]));
  });
});
