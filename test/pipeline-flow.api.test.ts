/**
 * End to end through HTTP: activity posted to the money API flows through the
 * AccountDO outbox, the live EVENTS queue and the consumers into Gold, and the
 * read APIs serve it — only to its owner. Reconcile then reports zero drift.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { CLEAR_OF_MIDNIGHT_TIMEOUT_MS, clearOfUtcMidnight } from "./helpers/calendar";
import { api, deposit, openAccount, postTx, registerUser } from "./helpers/ledger";
import { adminToken, waitFor } from "./helpers/pipeline";

const today = () => new Date().toISOString().slice(0, 10);
const thisMonth = () => new Date().toISOString().slice(0, 7);

describe("HTTP activity → Gold → read APIs", () => {
  // These read "today" and "this month" after posting at "now": keep a UTC midnight out of the test.
  beforeEach(() => clearOfUtcMidnight(30_000), CLEAR_OF_MIDNIGHT_TIMEOUT_MS);
  it("serves spending, dashboard, daily balances and summary from Gold once the pipeline ran", async () => {
    const u = await registerUser();
    const acc = await openAccount(u);
    await deposit(u, acc, 100_000);
    expect((await postTx(u, acc, { kind: "purchase", amount: 2_599, merchant: "AMZN Mktp US*2K3LL" })).status).toBe(201);
    const coffee = await postTx(u, acc, { kind: "purchase", amount: 1_200, merchant: "Starbucks Store #55" });
    expect(coffee.status).toBe(201);
    expect((await postTx(u, acc, { kind: "refund", amount: 500, merchant: "AMZN Mktp US*ZZ9" })).status).toBe(201);
    const rev = await api("POST", `/v1/accounts/${acc}/transactions/${coffee.body.id}/reverse`, {
      token: u.access_token,
      headers: { "idempotency-key": crypto.randomUUID() },
    });
    expect(rev.status).toBe(201);

    const month = thisMonth();
    const spending = await waitFor(async () => {
      const r = await api("GET", `/v1/analytics/spending?month=${month}&by=merchant`, { token: u.access_token });
      return r.status === 200 && r.body.totals[0]?.amount === "2099" ? r.body : null;
    }, 15_000);
    // The reversed Starbucks purchase nets to zero and is left out.
    expect(spending.data).toEqual([{ key: "Amazon", currency: "USD", purchases: 1, refunds: 1, amount: "2099" }]);
    expect(spending.as_of).toEqual(expect.any(String));

    // Wait for every journal entry (the deposit too) before checking balances.
    const dash = await waitFor(async () => {
      const r = await api("GET", "/v1/dashboard", { token: u.access_token });
      return r.status === 200 && r.body.accounts[0]?.balance === 97_901 ? r.body : null;
    }, 15_000);
    expect(dash).toMatchObject({
      object: "dashboard",
      month,
      accounts: [{ id: acc, balance: 97_901, pending: 0, available: 97_901, currency: "USD" }],
      net_worth: [{ currency: "USD", amount: "97901" }],
      month_to_date_spending: [{ currency: "USD", amount: "2099" }],
      top_categories: [{ category: "shopping", currency: "USD", amount: "2099" }],
    });

    const byCategory = await api("GET", `/v1/analytics/spending?month=${month}&by=category`, { token: u.access_token });
    expect(byCategory.body.data).toEqual([{ key: "shopping", currency: "USD", purchases: 1, refunds: 1, amount: "2099" }]);

    const from = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const daily = await api("GET", `/v1/analytics/daily-balances?account_id=${acc}&from=${from}&to=${today()}`, { token: u.access_token });
    expect(daily.status).toBe(200);
    expect(daily.body.data).toHaveLength(3);
    expect(daily.body.data[2]).toMatchObject({
      day: today(),
      inflow: 100_000 + 500 + 1_200,
      outflow: 2_599 + 1_200,
      entries: 5,
      closing_balance: 97_901,
    });
    expect(daily.body.data[0]).toMatchObject({ closing_balance: 0, entries: 0 });

    const summary = await api("GET", `/v1/analytics/summary?from=${month}&to=${month}`, { token: u.access_token });
    expect(summary.body.months).toEqual([
      { month, currency: "USD", income: "100000", expenses: "2099", net: "97901", transfers_in: "0", transfers_out: "0" },
    ]);

    // Another user sees none of it.
    const other = await registerUser();
    expect(
      (await api("GET", `/v1/analytics/daily-balances?account_id=${acc}&from=${from}&to=${today()}`, { token: other.access_token })).status,
    ).toBe(404);
    const otherSpend = await api("GET", `/v1/analytics/spending?month=${month}`, { token: other.access_token });
    expect(otherSpend.body).toMatchObject({ data: [], totals: [] });
    expect(JSON.stringify((await api("GET", "/v1/dashboard", { token: other.access_token })).body)).not.toContain(acc);

    const rec = await api("GET", `/v1/admin/reconcile?account_id=${acc}`, { token: await adminToken() });
    expect(rec.status).toBe(200);
    expect(rec.body).toMatchObject({
      checked: 1,
      drifted: 0,
      data: [{ account_id: acc, status: "ok", drift_count: 0, journal: { posted: 97_901, entries: 5 } }],
    });
  });

  it("requires a token, validates input, and keeps admin routes for admins", async () => {
    const u = await registerUser();
    expect((await api("GET", "/v1/dashboard")).status).toBe(401);
    expect((await api("GET", "/v1/analytics/spending?month=2026-13", { token: u.access_token })).status).toBe(400);
    expect((await api("GET", "/v1/analytics/spending?month=2026-11&by=vibes", { token: u.access_token })).status).toBe(400);
    expect((await api("GET", "/v1/analytics/summary?from=2026-05&to=2026-01", { token: u.access_token })).status).toBe(400);
    expect((await api("GET", "/v1/analytics/summary?from=2020-01&to=2026-01", { token: u.access_token })).status).toBe(400);
    expect((await api("GET", "/v1/analytics/spending?month=2026-11&cursor=%%%", { token: u.access_token })).status).toBe(400);
    for (const path of [
      "/v1/admin/pipeline/runs",
      "/v1/admin/dead-letters",
      "/v1/admin/reconcile",
      "/v1/admin/bronze?date=2026-11-01",
      "/v1/admin/jobs/job_0123456789abcdefghjk",
    ]) {
      expect((await api("GET", path, { token: u.access_token })).status).toBe(403);
      expect((await api("GET", path)).status).toBe(401);
    }
    expect((await api("POST", "/v1/admin/replay", { token: u.access_token, body: {} })).status).toBe(403);
  });
});
