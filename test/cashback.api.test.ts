/**
 * Cashback through the public API and the live pipeline: rules on the
 * caller's account, a month's estimate (read from Gold) from the posted purchases (merchant
 * rule over the category rule, the cap then the fallback rate, a refund and a
 * reversal taking cashback back), labelled an estimate; another user's
 * account or rule is a 404; bad input is a 400 that creates nothing.
 */
import { describe, expect, it } from "vitest";
import { api, registerUser } from "./helpers/auth";
import { deposit, openAccount, postTx, type User } from "./helpers/ledger";
import { rows, waitFor } from "./helpers/pipeline";

const rule = (u: User, body: Record<string, unknown>) => api("POST", "/v1/cashback/rules", { token: u.access_token, body });
const base = (accountId: string) => ({ account_id: accountId, name: "Card", valid_from: "2026-01-01" });

async function purchase(u: User, acct: string, amount: number, merchant: string, at: string, kind = "purchase") {
  const r = await postTx(u, acct, { kind, amount, merchant, occurred_at: at });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}

describe("cashback", () => {
  it("estimates a month per rule: most specific rule, cap then fallback, refunds and reversals back out", async () => {
    const u = await registerUser();
    const acct = await openAccount(u);
    await deposit(u, acct, 1_000_000);
    const coffee = await rule(u, {
      ...base(acct),
      name: "Coffee 5 %",
      scope: "merchant",
      scope_value: "blue-bottle",
      rate_bps: 500,
      cap: 60,
      fallback_bps: 100,
    });
    expect(coffee.status).toBe(201);
    expect(coffee.body).toMatchObject({ object: "cashback_rule", scope: "merchant", cap_period: "month", valid_to: null, rotating: {} });
    const everything = await rule(u, { ...base(acct), name: "Base 1 %", scope: "all", rate_bps: 100 });
    expect(everything.status).toBe(201);

    await purchase(u, acct, 1_000, "SQ *BLUE BOTTLE #12", "2026-11-02T08:00:00Z"); // 50
    await purchase(u, acct, 1_000, "SQ *BLUE BOTTLE #12", "2026-11-03T08:00:00Z"); // 10 to the cap + 1 % of 800 = 18
    const big = await purchase(u, acct, 20_000, "AMZN Mktp US*1", "2026-11-04T08:00:00Z"); // base: 200
    await purchase(u, acct, 5_000, "AMZN Mktp US*1", "2026-11-05T08:00:00Z", "refund"); // base: −50
    await purchase(u, acct, 999, "Cafe Luna", "2026-10-30T08:00:00Z"); // October: not in November
    const rev = await api("POST", `/v1/accounts/${acct}/transactions/${big}/reverse`, {
      token: u.access_token,
      headers: { "idempotency-key": crypto.randomUUID() },
    });
    expect([200, 201]).toContain(rev.status);
    await waitFor(async () => (await rows("SELECT 1 FROM silver_transactions WHERE user_id = ?1", u.user.id)).length >= 7, 15_000);

    // Gold is recomputed right after Silver commits: wait for the reversal's month to settle.
    const nov = await waitFor(async () => {
      const r = await api("GET", "/v1/analytics/cashback?month=2026-11", { token: u.access_token });
      return r.body.totals?.[0]?.net === 68 + 200 - 250 ? r : null;
    }, 15_000);
    expect(nov.status).toBe(200);
    expect(nov.body).toEqual({
      object: "cashback",
      month: "2026-11",
      estimate: true,
      totals: [{ currency: "USD", net: 68 + 200 - 250 }],
      rules: [
        { rule_id: coffee.body.id, name: "Coffee 5 %", account_id: acct, currency: "USD", purchases: 2, earned: 68, reversed: 0, net: 68 },
        {
          rule_id: everything.body.id,
          name: "Base 1 %",
          account_id: acct,
          currency: "USD",
          purchases: 1,
          earned: 200,
          reversed: 250,
          net: -50,
        },
      ].sort((a, b) => a.rule_id.localeCompare(b.rule_id)),
    });
    const oct = await api("GET", "/v1/analytics/cashback?month=2026-10", { token: u.access_token });
    expect(oct.body.rules).toEqual([expect.objectContaining({ rule_id: everything.body.id, earned: 9, purchases: 1 })]);
    expect((await api("GET", "/v1/analytics/cashback?month=2026-09", { token: u.access_token })).body).toMatchObject({
      totals: [],
      rules: [],
    });

    const other = await registerUser();
    expect((await api("GET", "/v1/analytics/cashback?month=2026-11", { token: other.access_token })).body.rules).toEqual([]);
    expect((await api("GET", "/v1/cashback/rules", { token: other.access_token })).body.data).toEqual([]);
    expect((await api("DELETE", `/v1/cashback/rules/${coffee.body.id}`, { token: other.access_token })).status).toBe(404);
    expect((await rule(other, { ...base(acct), scope: "all", rate_bps: 100 })).status).toBe(404);

    expect((await api("GET", "/v1/cashback/rules", { token: u.access_token })).body.data.map((r: any) => r.id)).toEqual([
      coffee.body.id,
      everything.body.id,
    ]);
    expect((await api("DELETE", `/v1/cashback/rules/${coffee.body.id}`, { token: u.access_token })).status).toBe(204);
    expect((await api("DELETE", `/v1/cashback/rules/${coffee.body.id}`, { token: u.access_token })).status).toBe(404);
    const after = await api("GET", "/v1/analytics/cashback?month=2026-11", { token: u.access_token });
    // The coffees now earn the base 1 %: 10 + 10.
    expect(after.body.rules).toEqual([expect.objectContaining({ rule_id: everything.body.id, purchases: 3, earned: 220, net: -30 })]);
  });

  it("bad input is a 400 and creates nothing", async () => {
    const u = await registerUser();
    const acct = await openAccount(u);
    const bad: Record<string, unknown>[] = [
      { ...base(acct), scope: "all", rate_bps: 10_001 },
      { ...base(acct), scope: "all", rate_bps: -1 },
      { ...base(acct), scope: "all", rate_bps: 1.5 },
      { ...base(acct), scope: "merchant", rate_bps: 100 },
      { ...base(acct), scope: "all", scope_value: "x", rate_bps: 100 },
      { ...base(acct), scope: "rotating", rate_bps: 100 },
      { ...base(acct), scope: "rotating", rate_bps: 100, rotating: { "2026-Q5": ["dining"] } },
      { ...base(acct), scope: "all", rate_bps: 100, rotating: { "2026-Q4": ["dining"] } },
      { ...base(acct), scope: "all", rate_bps: 100, valid_to: "2025-12-31" },
      { ...base(acct), scope: "all", rate_bps: 100, valid_from: "2026-02-30" },
      { ...base(acct), scope: "all", rate_bps: 100, cap: -5 },
      { ...base(acct), scope: "all", rate_bps: 100, extra: true },
      { ...base(acct), scope: "everything", rate_bps: 100 },
      { ...base(acct), account_id: "nope", scope: "all", rate_bps: 100 },
      { ...base(acct), name: " ", scope: "all", rate_bps: 100 },
    ];
    for (const body of bad) {
      const r = await rule(u, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe("validation_error");
    }
    expect((await api("GET", "/v1/cashback/rules", { token: u.access_token })).body.data).toEqual([]);
    for (const q of ["", "?month=2026-13", "?month=2026-11-01", "?month=2026-11&x=1"])
      expect((await api("GET", `/v1/analytics/cashback${q}`, { token: u.access_token })).status, q).toBe(400);
    expect((await api("DELETE", "/v1/cashback/rules/not-an-id", { token: u.access_token })).status).toBe(400);
    expect((await api("GET", "/v1/cashback/rules")).status).toBe(401);
    const ok = await rule(u, {
      ...base(acct),
      scope: "rotating",
      rate_bps: 500,
      cap: 1500,
      cap_period: "quarter",
      rotating: { "2026-Q4": ["dining", "groceries"] },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.rotating).toEqual({ "2026-Q4": ["dining", "groceries"] });
  });
});
