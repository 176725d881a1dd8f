/**
 * Late settlements land on their event date in Gold: a payment placed just
 * before UTC midnight whose processor answers after it posts its withdrawal
 * with the payment's creation time as `occurred_at` (the financial date) and
 * the settlement time as `recorded_at`, so Gold's daily balance and monthly
 * flows put it on the day it was paid, through the real outbox, EVENTS queue
 * and consumer. The clock is the test's: the Durable Objects run in this
 * isolate, so a faked Date is their clock too (timers stay real).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { consumePayments } from "../queues/payments";
import { capturePayments } from "./helpers/faults";
import { api, deposit, openAccount, registerUser } from "./helpers/ledger";
import { addPayee, getPayment, pay } from "./helpers/payments";
import { messageBatch, rows, waitFor } from "./helpers/pipeline";
import { env } from "cloudflare:workers";

const DAY_MS = 86_400_000;

afterEach(() => {
  vi.useRealTimers();
});

describe("a payment settled after midnight", () => {
  it("posts on the day it was made: entry occurred_at = the payment's created_at, Gold's rows on that day", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.parse(`${today}T00:00:00.000Z`) - DAY_MS).toISOString().slice(0, 10);
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(new Date(`${yesterday}T23:59:50.000Z`));

    const u = await registerUser();
    const a = await openAccount(u);
    await deposit(u, a, 10_000);
    const sent = await capturePayments(a);
    const payee = await addPayee(u, "DE89370400440532013000");
    const placed = await pay(u, { from_account_id: a, payee_id: payee, amount: 2_500 });
    expect(placed.status).toBe(202);
    expect(placed.body.created_at.slice(0, 10)).toBe(yesterday);
    expect(sent).toHaveLength(1);

    // The processor gets to it after midnight.
    vi.setSystemTime(new Date(`${today}T00:00:05.000Z`));
    await consumePayments(messageBatch("finedge-payments", sent), env);
    const p = (await getPayment(u, placed.body.id)).body;
    expect(p.status).toBe("success");
    expect(p.history.at(-1).at.slice(0, 10)).toBe(today);

    const tx = await api("GET", `/v1/accounts/${a}/transactions/${p.entry_id}`, { token: u.access_token });
    expect(tx.status).toBe(200);
    expect(tx.body).toMatchObject({ kind: "withdrawal", amount: 2_500, occurred_at: placed.body.created_at });
    expect(tx.body.recorded_at.slice(0, 10)).toBe(today);

    // Gold: the withdrawal is on yesterday's row with the deposit; today has no row for the account.
    const daily = await waitFor(async () => {
      const r = await rows<{ day: string; inflow: number; outflow: number; entries: number; closing_balance: number }>(
        "SELECT day, inflow, outflow, entries, closing_balance FROM gold_daily_balances WHERE account_id = ?1 ORDER BY day",
        a,
      );
      return r.reduce((n, x) => n + x.entries, 0) === 2 ? r : null;
    }, 15_000);
    expect(daily).toEqual([{ day: yesterday, inflow: 10_000, outflow: 2_500, entries: 2, closing_balance: 7_500 }]);
    const flows = await rows("SELECT month, kind, count, amount FROM gold_monthly_flows WHERE account_id = ?1 AND kind = 'withdrawal'", a);
    expect(flows).toEqual([{ month: yesterday.slice(0, 7), kind: "withdrawal", count: 1, amount: 2_500 }]);
  });
});
