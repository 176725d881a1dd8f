/**
 * A crash between the symbol's object and the account: the fill intent is
 * recorded in the MarketDO before the account is called; when the call fails
 * the intent stays, and the alarm's retry delivers it exactly once (the
 * account dedupes by fill id, so a second delivery changes nothing).
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { MarketDO } from "../durable/market-do";
import { api, registerUser } from "./helpers/auth";
import { balanceOf, deposit, openAccount } from "./helpers/ledger";
import { postTicks, registerFeeder } from "./helpers/market";

const SYMBOL = "ETH-USD";
const market = () => env.MARKET.get(env.MARKET.idFromName(SYMBOL));

describe("fills across a crash", () => {
  it("keeps the fill at the MarketDO while the account is unreachable, then delivers it exactly once", async () => {
    const feeder = await registerFeeder();
    const user = await registerUser();
    const acct = await openAccount(user, { type: "brokerage", name: "Invest" });
    await deposit(user, acct, 100_000);
    const placed = await api("POST", `/v1/accounts/${acct}/orders`, {
      token: user.access_token,
      body: { symbol: SYMBOL, side: "buy", type: "limit", time_in_force: "gtc", qty: "3", limit_price: "0.2" },
    });
    expect(placed.status).toBe(201);
    const orderId = placed.body.id as string;

    // The account becomes unreachable from the symbol's object (its ACCOUNT binding fails).
    await runInDurableObject(market(), (inst: MarketDO) => {
      const real = (inst as unknown as { env: Env }).env;
      (inst as unknown as { env: Env }).env = {
        ...real,
        ACCOUNT: { idFromName: () => null, get: () => ({ applyFill: () => Promise.reject(new Error("account down")) }) },
      } as unknown as Env;
      (globalThis as { __realEnv?: Env }).__realEnv = real;
    });
    expect((await postTicks(feeder.token, [{ symbol: SYMBOL, price: 0.15, size: 10, t: Date.now() }])).body.accepted).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    const pending = await runInDurableObject(market(), (_i: MarketDO, s) =>
      s.storage.sql.exec("SELECT fill_id, qty, price FROM pending_fills WHERE order_id = ?", orderId).toArray(),
    );
    expect(pending).toHaveLength(1);
    const mid = await api("GET", `/v1/accounts/${acct}/orders/${orderId}`, { token: user.access_token });
    expect(mid.body.status).toBe("new");

    // The account is back; the alarm retries and the account applies the fill once.
    await runInDurableObject(market(), (inst: MarketDO) => {
      (inst as unknown as { env: Env }).env = (globalThis as { __realEnv?: Env }).__realEnv!;
    });
    await runDurableObjectAlarm(market());
    const done = await api("GET", `/v1/accounts/${acct}/orders/${orderId}`, { token: user.access_token });
    expect(done.body).toMatchObject({ status: "filled", filled_qty: "3", filled_cash: 45 });
    const left = await runInDurableObject(market(), (_i: MarketDO, s) =>
      s.storage.sql.exec("SELECT 1 FROM pending_fills WHERE order_id = ?", orderId).toArray(),
    );
    expect(left).toHaveLength(0);

    // A second delivery of the same fill (a crash after the account applied it) changes nothing.
    const account = env.ACCOUNT.get(env.ACCOUNT.idFromName(acct));
    const fillId = (pending[0] as { fill_id: string }).fill_id;
    expect(await account.applyFill({ orderId, fillId, qty: 3_000_000_000, price: 15_000_000 })).toEqual({ status: "duplicate" });
    const b = await balanceOf(user, acct);
    expect(b).toEqual({ posted: 100_000 - 45, pending: 0, available: 100_000 - 45 });
    // A fill for a closed order is refused (and so acknowledged).
    expect((await account.applyFill({ orderId, fillId: "fil_other", qty: 1, price: 15_000_000 })).status).toBe("refused");
  });
});
