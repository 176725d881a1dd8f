/**
 * Read APIs over Gold built by the real consumer: cursor paging, ownership
 * through the account registry, summaries with transfers, the dashboard's
 * pending holds and credit accounts, and the platform's daily mart.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { CLEAR_OF_MIDNIGHT_TIMEOUT_MS, clearOfUtcMidnight, uniqueDay } from "./helpers/calendar";
import { api } from "./helpers/auth";
import { EventFactory } from "./helpers/events";
import { adminToken, deliverEvents, registerAccount, tokenFor } from "./helpers/pipeline";

describe("analytics read APIs", () => {
  // These read "today" and "this month" after posting at "now": keep a UTC midnight out of the test.
  beforeEach(() => clearOfUtcMidnight(30_000), CLEAR_OF_MIDNIGHT_TIMEOUT_MS);
  it("pages spending by merchant with a cursor, largest first, and never repeats a row", async () => {
    const f = new EventFactory();
    const a = f.account();
    await deliverEvents(
      Array.from({ length: 7 }, (_, i) =>
        f.tx(a, "purchase", 1_000 * (i + 1), { at: "2025-10-05T10:00:00.000Z", merchant: `Shop Number ${"ABCDEFG"[i]}` }),
      ),
    );
    const token = await tokenFor(f.userId);
    const seen: { key: string; amount: string }[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { data: { key: string; amount: string }[]; next_cursor: string | null } } = await api(
        "GET",
        `/v1/analytics/spending?month=2025-10&by=merchant&limit=3${cursor ? `&cursor=${cursor}` : ""}`,
        { token },
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.data);
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen.map((s) => s.amount)).toEqual(["7000", "6000", "5000", "4000", "3000", "2000", "1000"]);
    expect(seen[0]!.key).toBe("Shop Number G");
  });

  it("serves daily balances only for the caller's registered account, in pages of days", async () => {
    const f = new EventFactory();
    const a = f.account();
    await registerAccount(a);
    await deliverEvents([
      f.tx(a, "deposit", 5_000, { at: "2025-10-01T10:00:00.000Z" }),
      f.tx(a, "purchase", 700, { at: "2025-10-09T10:00:00.000Z" }),
    ]);
    const token = await tokenFor(f.userId);
    const p1 = await api("GET", `/v1/analytics/daily-balances?account_id=${a.id}&from=2025-09-30&to=2025-10-10&limit=5`, { token });
    expect(p1.status).toBe(200);
    expect(p1.body.data.map((d: { day: string; closing_balance: number }) => [d.day, d.closing_balance])).toEqual([
      ["2025-09-30", 0],
      ["2025-10-01", 5_000],
      ["2025-10-02", 5_000],
      ["2025-10-03", 5_000],
      ["2025-10-04", 5_000],
    ]);
    expect(p1.body).toMatchObject({ has_more: true, currency: "USD" });
    const p2 = await api(
      "GET",
      `/v1/analytics/daily-balances?account_id=${a.id}&from=2025-09-30&to=2025-10-10&limit=5&cursor=${p1.body.next_cursor}`,
      { token },
    );
    const p3 = await api(
      "GET",
      `/v1/analytics/daily-balances?account_id=${a.id}&from=2025-09-30&to=2025-10-10&limit=5&cursor=${p2.body.next_cursor}`,
      { token },
    );
    expect(p3.body).toMatchObject({ has_more: false, next_cursor: null, data: [{ day: "2025-10-10", closing_balance: 4_300 }] });
    expect(p2.body.data.find((d: { day: string }) => d.day === "2025-10-09")).toMatchObject({ outflow: 700, closing_balance: 4_300 });

    // Events alone do not make an account the caller's: the registry does.
    const stranger = await tokenFor(`usr_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`);
    expect(
      (await api("GET", `/v1/analytics/daily-balances?account_id=${a.id}&from=2025-10-01&to=2025-10-02`, { token: stranger })).status,
    ).toBe(404);
    expect((await api("GET", `/v1/analytics/daily-balances?account_id=${a.id}&from=2025-10-02&to=2025-10-01`, { token })).status).toBe(400);
  });

  it("summarizes months with transfers apart, and shows holds and credit on the dashboard", async () => {
    const f = new EventFactory();
    const checking = f.account();
    const credit = f.account();
    await registerAccount(checking);
    await registerAccount(credit, "credit", 50_000);
    const now = new Date();
    const at = (d: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), d, 12)).toISOString();
    const t = f.transferPending(checking, credit.id, 2_000, at(1));
    await deliverEvents([
      f.tx(checking, "deposit", 10_000, { at: at(1) }),
      f.tx(credit, "purchase", 3_000, { at: at(1), merchant: "AMZN Mktp US*1" }),
      f.tx(checking, "transfer_out", 1_000, { at: at(1), transferId: "trf_x" }),
      f.tx(credit, "transfer_in", 1_000, { at: at(1), transferId: "trf_x" }),
      t.event,
    ]);
    const token = await tokenFor(f.userId);
    const month = now.toISOString().slice(0, 7);
    const summary = await api("GET", `/v1/analytics/summary?from=${month}&to=${month}`, { token });
    expect(summary.body.months).toEqual([
      { month, currency: "USD", income: "10000", expenses: "3000", net: "7000", transfers_in: "1000", transfers_out: "1000" },
    ]);

    const dash = await api("GET", "/v1/dashboard", { token });
    const byId = Object.fromEntries(dash.body.accounts.map((x: { id: string }) => [x.id, x]));
    expect(byId[checking.id]).toMatchObject({ balance: 9_000, pending: 2_000, available: 7_000 });
    expect(byId[credit.id]).toMatchObject({ balance: -2_000, pending: 0, available: 48_000 });
    expect(dash.body.net_worth).toEqual([{ currency: "USD", amount: "7000" }]);
    expect(dash.body.month_to_date_spending).toEqual([{ currency: "USD", amount: "3000" }]);
  });

  it("gives admins the platform's daily mart, paged", async () => {
    // A day of its own: the mart is platform-wide, so any other row that day would be on these pages.
    const day = uniqueDay();
    const f = new EventFactory();
    const a = f.account("JPY");
    await deliverEvents([f.tx(a, "deposit", 900, { at: `${day}T10:00:00.000Z` }), f.tx(a, "fee", 9, { at: `${day}T11:00:00.000Z` })]);
    const admin = await adminToken();
    const res = await api("GET", `/v1/admin/platform/daily?from=${day}&to=${day}&limit=1`, { token: admin });
    expect(res.body.data).toEqual([{ day, currency: "JPY", kind: "deposit", count: 1, volume: "900" }]);
    const next = await api("GET", `/v1/admin/platform/daily?from=${day}&to=${day}&limit=1&cursor=${res.body.next_cursor}`, {
      token: admin,
    });
    expect(next.body.data).toEqual([{ day, currency: "JPY", kind: "fee", count: 1, volume: "9" }]);
    expect((await api("GET", `/v1/admin/platform/daily?from=${day}&to=${day}`, { token: await tokenFor(f.userId) })).status).toBe(403);
  });
});
