/**
 * Budgets through the public API: create and replace, spent/remaining/status
 * for the current period (monthly or weekly), what counts as spending, delete,
 * validation, and the `budget_threshold_crossed` events in the account's
 * outbox (once per threshold per period).
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { CLEAR_OF_MIDNIGHT_TIMEOUT_MS, clearOfUtcMidnight } from "./helpers/calendar";
import { api, deposit, key, openAccount, postTx, registerUser, type User } from "./helpers/ledger";

const DAY = 86_400_000;

// Purchases without occurred_at happen "now" and are then read as this month's or this week's spending.
beforeEach(() => clearOfUtcMidnight(), CLEAR_OF_MIDNIGHT_TIMEOUT_MS);
const iso = (ms: number) => new Date(ms).toISOString();

function monthStart(ms = Date.now()): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}
function weekStart(ms = Date.now()): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
}

const put = (u: User, acc: string, category: string, body: unknown) =>
  api("PUT", `/v1/accounts/${acc}/budgets/${category}`, { token: u.access_token, body });
const del = (u: User, acc: string, category: string) => api("DELETE", `/v1/accounts/${acc}/budgets/${category}`, { token: u.access_token });

async function budgets(u: User, acc: string) {
  const res = await api("GET", `/v1/accounts/${acc}/budgets`, { token: u.access_token });
  expect(res.status).toBe(200);
  expect(res.body.object).toBe("list");
  return res.body.data as {
    category: string;
    limit: number;
    spent: number;
    remaining: number;
    status: string;
    period: string;
    period_start: string;
    period_end: string;
  }[];
}
async function budget(u: User, acc: string, category: string) {
  const b = (await budgets(u, acc)).find((x) => x.category === category);
  if (!b) throw new Error(`no budget ${category}`);
  return b;
}

async function buy(u: User, acc: string, amount: number, category = "groceries", extra: Record<string, unknown> = {}) {
  const res = await postTx(u, acc, { kind: "purchase", amount, merchant: "Shop", category, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}

type Crossed = {
  category: string;
  period: string;
  period_start: string;
  threshold: number;
  spent: number;
  limit: number;
  currency: string;
};
async function thresholdEvents(acc: string): Promise<Crossed[]> {
  const rows = await runInDurableObject(env.ACCOUNT.get(env.ACCOUNT.idFromName(acc)), (_i, state) =>
    state.storage.sql.exec<{ type: string; body: string }>("SELECT type, body FROM outbox ORDER BY seq").toArray(),
  );
  return rows.filter((r) => r.type === "budget_threshold_crossed").map((r) => (JSON.parse(r.body) as { payload: Crossed }).payload);
}

async function setup(balance = 1_000_000) {
  const u = await registerUser();
  const acc = await openAccount(u);
  await deposit(u, acc, balance);
  return { u, acc };
}

describe("PUT /v1/accounts/{id}/budgets/{category}", () => {
  it("creates with 201, then replaces with 200", async () => {
    const { u, acc } = await setup();
    const created = await put(u, acc, "groceries", { limit: 40_000 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      object: "budget",
      category: "groceries",
      limit: 40_000,
      currency: "USD",
      period: "monthly",
      alert_at: [0.8, 1],
      period_start: iso(monthStart()),
      spent: 0,
      remaining: 40_000,
      status: "ok",
    });
    const end = new Date(monthStart());
    end.setUTCMonth(end.getUTCMonth() + 1);
    expect(created.body.period_end).toBe(end.toISOString());

    await buy(u, acc, 10_000);
    const replaced = await put(u, acc, "groceries", { limit: 12_000, alert_at: [1.0, 0.5] });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      limit: 12_000,
      alert_at: [0.5, 1],
      spent: 10_000,
      remaining: 2_000,
      status: "warning",
      created_at: created.body.created_at,
    });
    const all = await budgets(u, acc);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ category: "groceries", limit: 12_000 });
  });

  it("refuses bad limits, thresholds, periods and category slugs with 400, storing nothing", async () => {
    const { u, acc } = await setup();
    const bad: [string, unknown][] = [
      ["groceries", { limit: 0 }],
      ["groceries", { limit: -100 }],
      ["groceries", { limit: 10.5 }],
      ["groceries", { limit: 1_000, alert_at: [0] }],
      ["groceries", { limit: 1_000, alert_at: [-0.5] }],
      ["groceries", { limit: 1_000, alert_at: [11] }],
      ["groceries", { limit: 1_000, alert_at: [] }],
      ["groceries", { limit: 1_000, alert_at: [0.5, 0.5] }],
      ["groceries", { limit: 1_000, alert_at: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6] }],
      ["groceries", { limit: 1_000, period: "yearly" }],
      ["groceries", { limit: 1_000, color: "red" }],
      ["Bad%20Slug!", { limit: 1_000 }],
      ["-leading-dash", { limit: 1_000 }],
      ["x".repeat(41), { limit: 1_000 }],
    ];
    for (const [category, body] of bad) {
      const res = await put(u, acc, category, body);
      expect(res.status, `${category} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
    }
    expect(await budgets(u, acc)).toEqual([]);
  });

  it("404s for an unknown account, 401s without a token, and 422s on a closed account", async () => {
    const u = await registerUser();
    expect((await put(u, "acc_00000000000000000000", "groceries", { limit: 1_000 })).status).toBe(404);
    expect((await api("PUT", "/v1/accounts/acc_00000000000000000000/budgets/groceries", { body: { limit: 1_000 } })).status).toBe(401);
    const acc = await openAccount(u);
    expect((await api("POST", `/v1/accounts/${acc}/close`, { token: u.access_token })).status).toBe(200);
    const res = await put(u, acc, "groceries", { limit: 1_000 });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("account_closed");
  });
});

describe("GET /v1/accounts/{id}/budgets", () => {
  it("moves from ok to warning at 80% to exceeded above the limit", async () => {
    const { u, acc } = await setup();
    await put(u, acc, "groceries", { limit: 10_000 });
    await buy(u, acc, 7_999);
    expect(await budget(u, acc, "groceries")).toMatchObject({ spent: 7_999, remaining: 2_001, status: "ok" });
    await buy(u, acc, 1);
    expect(await budget(u, acc, "groceries")).toMatchObject({ spent: 8_000, remaining: 2_000, status: "warning" });
    await buy(u, acc, 2_000);
    // At the limit exactly it is not yet exceeded.
    expect(await budget(u, acc, "groceries")).toMatchObject({ spent: 10_000, remaining: 0, status: "warning" });
    await buy(u, acc, 1);
    expect(await budget(u, acc, "groceries")).toMatchObject({ spent: 10_001, remaining: 0, status: "exceeded" });
  });

  it("counts refunds and reversals against spent", async () => {
    const { u, acc } = await setup();
    await put(u, acc, "groceries", { limit: 10_000 });
    const big = await buy(u, acc, 6_000);
    await buy(u, acc, 2_000);
    const refund = await postTx(u, acc, { kind: "refund", amount: 1_000, merchant: "Shop", category: "groceries" });
    expect(refund.status).toBe(201);
    expect((await budget(u, acc, "groceries")).spent).toBe(7_000);
    const rev = await api("POST", `/v1/accounts/${acc}/transactions/${big.id}/reverse`, {
      token: u.access_token,
      headers: { "idempotency-key": key() },
    });
    expect(rev.status).toBe(201);
    expect(await budget(u, acc, "groceries")).toMatchObject({ spent: 1_000, remaining: 9_000, status: "ok" });
    // Reversing the refund puts it back.
    const revRefund = await api("POST", `/v1/accounts/${acc}/transactions/${refund.body.id}/reverse`, {
      token: u.access_token,
      headers: { "idempotency-key": key() },
    });
    expect(revRefund.status).toBe(201);
    expect((await budget(u, acc, "groceries")).spent).toBe(2_000);
  });

  it("ignores other categories, uncategorised spending, non-purchase kinds and other months", async () => {
    const { u, acc } = await setup();
    await put(u, acc, "groceries", { limit: 10_000 });
    await put(u, acc, "dining", { limit: 5_000 });
    await buy(u, acc, 3_000, "dining");
    expect((await postTx(u, acc, { kind: "purchase", amount: 900, merchant: "Shop" })).status).toBe(201);
    expect((await postTx(u, acc, { kind: "fee", amount: 700, category: "groceries" })).status).toBe(201);
    expect((await postTx(u, acc, { kind: "withdrawal", amount: 600, category: "groceries" })).status).toBe(201);
    await buy(u, acc, 4_000, "groceries", { occurred_at: iso(monthStart() - 1) }); // last month, last millisecond
    await buy(u, acc, 4_000, "groceries", { occurred_at: iso(monthStart() - 20 * DAY) });
    expect(await budget(u, acc, "groceries")).toMatchObject({ spent: 0, status: "ok" });
    expect(await budget(u, acc, "dining")).toMatchObject({ spent: 3_000, remaining: 2_000, status: "ok" });
    await buy(u, acc, 500, "groceries", { occurred_at: iso(monthStart()) }); // this month, first millisecond
    expect((await budget(u, acc, "groceries")).spent).toBe(500);
    expect((await budgets(u, acc)).map((b) => b.category)).toEqual(["dining", "groceries"]);
  });

  it("tracks a weekly budget from Monday 00:00 UTC", async () => {
    const { u, acc } = await setup();
    const res = await put(u, acc, "fuel", { limit: 5_000, period: "weekly" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ period: "weekly", period_start: iso(weekStart()), period_end: iso(weekStart() + 7 * DAY) });
    expect(new Date(res.body.period_start).getUTCDay()).toBe(1);
    await buy(u, acc, 1_000, "fuel", { occurred_at: iso(weekStart() - 1) });
    await buy(u, acc, 1_000, "fuel", { occurred_at: iso(Date.now() - 8 * DAY) });
    expect((await budget(u, acc, "fuel")).spent).toBe(0);
    await buy(u, acc, 1_500, "fuel", { occurred_at: iso(weekStart()) });
    await buy(u, acc, 2_500, "fuel");
    expect(await budget(u, acc, "fuel")).toMatchObject({ spent: 4_000, remaining: 1_000, status: "warning" });
  });
});

describe("DELETE /v1/accounts/{id}/budgets/{category}", () => {
  it("ends the budget with 204, then 404s", async () => {
    const { u, acc } = await setup();
    await put(u, acc, "groceries", { limit: 1_000 });
    await put(u, acc, "dining", { limit: 1_000 });
    const res = await del(u, acc, "groceries");
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    expect((await budgets(u, acc)).map((b) => b.category)).toEqual(["dining"]);
    const again = await del(u, acc, "groceries");
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe("not_found");
    expect((await del(u, acc, "never-had-one")).status).toBe(404);
    // Spending in an ended budget's category raises no alert.
    await buy(u, acc, 5_000, "groceries");
    expect(await thresholdEvents(acc)).toEqual([]);
  });
});

describe("budget_threshold_crossed events", () => {
  it("emits each threshold once per period: 0.8 then 1.0, none for further spending or re-crossing after a refund", async () => {
    const { u, acc } = await setup();
    await put(u, acc, "groceries", { limit: 10_000 });
    await buy(u, acc, 5_000);
    expect(await thresholdEvents(acc)).toEqual([]);
    await buy(u, acc, 3_000);
    const start = iso(monthStart());
    expect(await thresholdEvents(acc)).toEqual([
      { category: "groceries", period: "monthly", period_start: start, threshold: 0.8, spent: 8_000, limit: 10_000, currency: "USD" },
    ]);
    await buy(u, acc, 2_500);
    expect(await thresholdEvents(acc)).toEqual([
      expect.objectContaining({ threshold: 0.8, spent: 8_000 }),
      { category: "groceries", period: "monthly", period_start: start, threshold: 1, spent: 10_500, limit: 10_000, currency: "USD" },
    ]);
    await buy(u, acc, 100);
    expect(await postTx(u, acc, { kind: "refund", amount: 3_000, merchant: "Shop", category: "groceries" })).toMatchObject({ status: 201 });
    expect((await budget(u, acc, "groceries")).spent).toBe(7_600);
    await buy(u, acc, 1_000); // crosses 0.8 again in the same period
    await buy(u, acc, 2_000); // and 1.0 again
    expect((await budget(u, acc, "groceries")).status).toBe("exceeded");
    expect((await thresholdEvents(acc)).map((e) => e.threshold)).toEqual([0.8, 1]);
  });

  it("does not re-emit after a reversal dips below and a new purchase crosses again", async () => {
    const { u, acc } = await setup();
    await put(u, acc, "groceries", { limit: 10_000 });
    const p = await buy(u, acc, 9_000);
    expect((await thresholdEvents(acc)).map((e) => e.threshold)).toEqual([0.8]);
    const rev = await api("POST", `/v1/accounts/${acc}/transactions/${p.id}/reverse`, {
      token: u.access_token,
      headers: { "idempotency-key": key() },
    });
    expect(rev.status).toBe(201);
    expect((await budget(u, acc, "groceries")).spent).toBe(0);
    await buy(u, acc, 8_500);
    expect((await thresholdEvents(acc)).map((e) => e.threshold)).toEqual([0.8]);
  });

  it("emits every threshold a single purchase jumps over, only for the budget's category", async () => {
    const { u, acc } = await setup();
    await put(u, acc, "travel", { limit: 1_000, alert_at: [0.5, 0.9, 1.0] });
    await put(u, acc, "dining", { limit: 1_000 });
    await buy(u, acc, 1_500, "travel");
    const events = await thresholdEvents(acc);
    expect(events.map((e) => [e.category, e.threshold, e.spent])).toEqual([
      ["travel", 0.5, 1_500],
      ["travel", 0.9, 1_500],
      ["travel", 1, 1_500],
    ]);
  });

  it("counts thresholds per period: a late purchase alerts in its own month, and this month alerts separately", async () => {
    const { u, acc } = await setup();
    await put(u, acc, "groceries", { limit: 1_000, alert_at: [0.8] });
    const lastMonth = monthStart() - 5 * DAY;
    await buy(u, acc, 900, "groceries", { occurred_at: iso(lastMonth) });
    await buy(u, acc, 900);
    const events = await thresholdEvents(acc);
    expect(events.map((e) => e.period_start)).toEqual([iso(monthStart(lastMonth)), iso(monthStart())]);
    await buy(u, acc, 50, "groceries", { occurred_at: iso(lastMonth) });
    expect(await thresholdEvents(acc)).toHaveLength(2);
  });

  it("a budget created again after DELETE alerts afresh", async () => {
    const { u, acc } = await setup();
    await put(u, acc, "groceries", { limit: 1_000 });
    await buy(u, acc, 900);
    expect((await thresholdEvents(acc)).map((e) => e.threshold)).toEqual([0.8]);
    expect((await del(u, acc, "groceries")).status).toBe(204);
    expect((await put(u, acc, "groceries", { limit: 10_000 })).status).toBe(201);
    await buy(u, acc, 7_200); // 8,100 of the new 10,000
    const events = await thresholdEvents(acc);
    expect(events.map((e) => [e.threshold, e.limit, e.spent])).toEqual([
      [0.8, 1_000, 900],
      [0.8, 10_000, 8_100],
    ]);
  });
});
