/**
 * Day orders expire at the exchange's close; good-till-canceled orders do not.
 * The order stores the close it was placed before (`expires_at`), and the
 * account's alarm expires what is past it: the order ends `expired`, its hold
 * is released, and `order_expired` reaches the outbox. The test moves the
 * stored close into the past instead of waiting for a real one.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AccountDO } from "../durable/account-do";
import { housekeepingDue } from "./helpers/faults";
import { api, balanceOf, deposit, openAccount, registerUser, type User } from "./helpers/ledger";

const stub = (id: string) => env.ACCOUNT.get(env.ACCOUNT.idFromName(id));

async function restingBuy(u: User, acct: string, tif: "day" | "gtc") {
  const r = await api("POST", `/v1/accounts/${acct}/orders`, {
    token: u.access_token,
    body: { symbol: "AAPL", side: "buy", type: "limit", time_in_force: tif, qty: "2", limit_price: "1.5" },
  });
  expect(r.status).toBe(201);
  expect(r.body.status).toBe("new");
  return r.body as { id: string; expires_at: string | null };
}

describe("day order expiry", () => {
  it("expires a resting day order after the close from the alarm, releases its hold, keeps the gtc order", async () => {
    const u = await registerUser();
    const acct = await openAccount(u, { type: "brokerage", name: "Invest" });
    await deposit(u, acct, 10_000);
    const day = await restingBuy(u, acct, "day");
    const gtc = await restingBuy(u, acct, "gtc");
    // An equity day order carries the next close of the exchange calendar; a gtc order none.
    expect(day.expires_at).not.toBeNull();
    expect(Date.parse(day.expires_at!)).toBeGreaterThan(Date.now());
    expect(gtc.expires_at).toBeNull();
    expect(await balanceOf(u, acct)).toEqual({ posted: 10_000, pending: 600, available: 9_400 });

    await runInDurableObject(stub(acct), (_i: AccountDO, s) => {
      s.storage.sql.exec("UPDATE orders SET expires_at = ? WHERE id = ?", new Date(Date.now() - 1_000).toISOString(), day.id);
    });
    await housekeepingDue();
    for (let i = 0; i < 3; i++) await runDurableObjectAlarm(stub(acct));

    const after = await api("GET", `/v1/accounts/${acct}/orders/${day.id}`, { token: u.access_token });
    expect(after.body).toMatchObject({ status: "expired", filled_qty: "0" });
    const kept = await api("GET", `/v1/accounts/${acct}/orders/${gtc.id}`, { token: u.access_token });
    expect(kept.body.status).toBe("new");
    expect(await balanceOf(u, acct)).toEqual({ posted: 10_000, pending: 300, available: 9_700 });

    const expired = await runInDurableObject(stub(acct), (_i: AccountDO, s) =>
      s.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE type = 'order_expired'").one(),
    );
    expect(expired.n).toBe(1);
    // An expired order is final: canceling it is refused and changes nothing.
    const cancel = await api("DELETE", `/v1/accounts/${acct}/orders/${day.id}`, { token: u.access_token });
    expect(cancel.status).toBeGreaterThanOrEqual(400);
    expect(cancel.status).toBeLessThan(500);
    expect(await balanceOf(u, acct)).toEqual({ posted: 10_000, pending: 300, available: 9_700 });
  });
});
