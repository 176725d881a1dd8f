/**
 * Totals across accounts stay exact past 2^53: ten accounts near the
 * per-account cap (the case, 9×10^15 + 7,199,254,740,993 in all) show
 * that figure to the cent in the dashboard, the summary, spending and the
 * platform mart, as decimal strings. Events go through the real consumer.
 */
import { describe, expect, it } from "vitest";
import { MAX_BALANCE } from "../src/domain/money";
import { api } from "./helpers/auth";
import { EventFactory, type TestAccount } from "./helpers/events";
import { adminToken, deliverEvents, registerAccount, tokenFor } from "./helpers/pipeline";

const TOTAL = 9_000_000_000_000_000n + 7_199_254_740_993n;
/** Nine accounts at the cap and one holding the rest: every balance is a legal one. */
const BALANCES = [...Array.from({ length: 9 }, () => MAX_BALANCE), 7_199_254_740_993];

async function tenAccounts(f: EventFactory): Promise<TestAccount[]> {
  const accounts = BALANCES.map(() => f.account());
  for (const a of accounts) await registerAccount(a);
  return accounts;
}

describe("totals past 2^53", () => {
  it("the setup is the issue's: the sum is 2^53 + 1, which a double cannot hold", () => {
    expect(BALANCES.reduce((s, b) => s + BigInt(b), 0n)).toBe(TOTAL);
    expect(TOTAL).toBe(2n ** 53n + 1n);
    expect(BALANCES.every((b) => b <= MAX_BALANCE)).toBe(true);
    expect(Number(TOTAL)).not.toBe(9_007_199_254_740_993n);
  });

  it("net worth and income: dashboard, summary and the platform mart show every cent", async () => {
    const f = new EventFactory();
    const accounts = await tenAccounts(f);
    // A leap day of a year no other test writes, so the platform mart's row for it is this test's alone.
    const at = "2004-02-29T12:00:00.000Z";
    await deliverEvents(accounts.map((a, i) => f.tx(a, "deposit", BALANCES[i]!, { at })));
    const token = await tokenFor(f.userId);

    const dash = await api("GET", "/v1/dashboard", { token });
    expect(dash.status).toBe(200);
    expect(dash.body.net_worth).toEqual([{ currency: "USD", amount: TOTAL.toString() }]);
    expect(dash.body.accounts.map((a: { balance: number }) => a.balance).sort()).toEqual([...BALANCES].sort());

    const summary = await api("GET", "/v1/analytics/summary?from=2004-02&to=2004-02", { token });
    expect(summary.status).toBe(200);
    expect(summary.body.months).toEqual([
      {
        month: "2004-02",
        currency: "USD",
        income: TOTAL.toString(),
        expenses: "0",
        net: TOTAL.toString(),
        transfers_in: "0",
        transfers_out: "0",
      },
    ]);

    const platform = await api("GET", "/v1/admin/platform/daily?from=2004-02-29&to=2004-02-29", { token: await adminToken() });
    expect(platform.body.data).toEqual([{ day: "2004-02-29", currency: "USD", kind: "deposit", count: 10, volume: TOTAL.toString() }]);
  });

  it("spending: items, totals, month-to-date and top categories show every cent; the cursor pages past 2^53", async () => {
    const f = new EventFactory();
    const accounts = await tenAccounts(f);
    const at = new Date().toISOString();
    const month = at.slice(0, 7);
    await deliverEvents(
      accounts.flatMap((a, i) => [
        f.tx(a, "deposit", BALANCES[i]!, { at }),
        f.tx(a, "purchase", BALANCES[i]!, { at, merchant: "Orbital Travel", category: "travel" }),
      ]),
    );
    await deliverEvents([
      f.tx(accounts[0]!, "deposit", 5, { at }),
      f.tx(accounts[0]!, "purchase", 5, { at, merchant: "Corner Shop", category: "snacks" }),
    ]);
    const token = await tokenFor(f.userId);

    const spending = await api("GET", `/v1/analytics/spending?month=${month}&by=category&limit=1`, { token });
    expect(spending.status).toBe(200);
    expect(spending.body.data).toEqual([{ key: "travel", currency: "USD", purchases: 10, refunds: 0, amount: TOTAL.toString() }]);
    expect(spending.body.totals).toEqual([{ currency: "USD", amount: (TOTAL + 5n).toString() }]);
    const next = await api("GET", `/v1/analytics/spending?month=${month}&by=category&limit=1&cursor=${spending.body.next_cursor}`, {
      token,
    });
    expect(next.body).toMatchObject({ data: [{ key: "snacks", amount: "5" }], has_more: false });

    const summary = await api("GET", `/v1/analytics/summary?from=${month}&to=${month}`, { token });
    expect(summary.body.months).toEqual([
      {
        month,
        currency: "USD",
        income: (TOTAL + 5n).toString(),
        expenses: (TOTAL + 5n).toString(),
        net: "0",
        transfers_in: "0",
        transfers_out: "0",
      },
    ]);

    const dash = await api("GET", "/v1/dashboard", { token });
    expect(dash.body.net_worth).toEqual([{ currency: "USD", amount: "0" }]);
    // The dashboard's month is the server's clock: equal to the events' month unless a month ended in between.
    if (dash.body.month === month) {
      expect(dash.body.month_to_date_spending).toEqual([{ currency: "USD", amount: (TOTAL + 5n).toString() }]);
      expect(dash.body.top_categories).toEqual([
        { category: "travel", currency: "USD", amount: TOTAL.toString() },
        { category: "snacks", currency: "USD", amount: "5" },
      ]);
    }
  });
});

describe("the contract says so", () => {
  it("totals are decimal strings and the per-account cap is in the schemas of the routes that can hit it", async () => {
    const doc = (await api("GET", "/openapi.json")).body;
    const s = doc.components.schemas;
    const total = { type: "string", pattern: "^-?(0|[1-9][0-9]{0,18})$" };
    expect(s.Dashboard.properties.net_worth.items.properties.amount).toMatchObject(total);
    expect(s.Dashboard.properties.top_categories.items.properties.amount).toMatchObject(total);
    for (const f of ["income", "expenses", "net", "transfers_in", "transfers_out"])
      expect(s.MonthSummary.properties[f]).toMatchObject(total);
    expect(s.SpendingItem.properties.amount).toMatchObject(total);
    expect(s.PlatformDay.properties.volume).toMatchObject(total);
    expect(s.Balance.properties.posted).toMatchObject({ type: "integer", maximum: MAX_BALANCE });
    expect(s.CreateTransaction.properties.amount.description).toContain(String(MAX_BALANCE));
    expect(s.CreateTransfer.properties.amount.description).toContain(String(MAX_BALANCE));
  });
});
