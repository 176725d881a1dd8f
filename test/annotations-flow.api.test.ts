/**
 * Annotations end to end: a purchase recategorized through the API twice
 * (A → B → C) moves in Gold's spending by category, the budgets follow, and
 * reconciliation against the real journal (with its annotations) shows zero
 * drift for the account and its user.
 */
import { describe, expect, it } from "vitest";
import { api, deposit, openAccount, postTx, registerUser } from "./helpers/ledger";
import { adminToken, waitFor } from "./helpers/pipeline";

describe("recategorize → Gold → reconcile", () => {
  it("moves the purchase between category rows and reconciles with zero drift", async () => {
    const u = await registerUser();
    const acc = await openAccount(u);
    await deposit(u, acc, 50_000);
    // A fixed event time inside the 90-day window, so the month is known whatever today is.
    const occurredAt = new Date(Date.now() - 20 * 86_400_000).toISOString();
    const month = occurredAt.slice(0, 7);
    const buy = await postTx(u, acc, {
      kind: "purchase",
      amount: 4_200,
      category: "groceries",
      merchant: "Corner Shop",
      occurred_at: occurredAt,
    });
    expect(buy.status).toBe(201);
    for (const category of ["travel", "fun"]) {
      const r = await api("PATCH", `/v1/accounts/${acc}/transactions/${buy.body.id}`, { token: u.access_token, body: { category } });
      expect(r.status).toBe(200);
    }
    const byCategory = await waitFor(async () => {
      const r = await api("GET", `/v1/analytics/spending?month=${month}&by=category`, { token: u.access_token });
      const rows = (r.body?.data ?? []) as { key: string; amount: string }[];
      return rows.find((x) => x.key === "fun")?.amount === "4200" && !rows.some((x) => x.key !== "fun" && x.amount !== "0") ? rows : null;
    }, 15_000);
    expect(byCategory.filter((x) => x.amount !== "0")).toEqual([{ key: "fun", currency: "USD", purchases: 1, refunds: 0, amount: "4200" }]);

    const admin = await adminToken();
    const rec = await waitFor(async () => {
      const r = await api("GET", `/v1/admin/reconcile?account_id=${acc}`, { token: admin });
      return r.body?.data?.[0]?.status === "ok" ? r.body : null;
    }, 15_000);
    expect(rec.data[0]).toMatchObject({ account_id: acc, status: "ok", drift_count: 0 });
    const byUser = await api("GET", `/v1/admin/reconcile?user_id=${u.user.id}`, { token: admin });
    expect(byUser.body.drifted).toBe(0);
  });
});
