/**
 * Paper trading through the API against the real AccountDO and MarketDO:
 * market buy and sell at the current price, buying power with holds, no short
 * selling, client_order_id idempotency, a resting limit order filled by a
 * tick, cancel releasing the hold, positions and the journal reconciling, and
 * other users' accounts answering 404.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { api, registerUser } from "./helpers/auth";
import { balanceOf, deposit, openAccount, type User } from "./helpers/ledger";
import { postTicks, registerFeeder, waitForOrder } from "./helpers/market";

const SYMBOL = "ETH-USD";
let feeder: { token: string };
let user: User;
let acct: string;

const order = (body: Record<string, unknown>, who: User = user, id = acct) =>
  api("POST", `/v1/accounts/${id}/orders`, { token: who.access_token, body });
const tick = (price: number, size = 10) => postTicks(feeder.token, [{ symbol: SYMBOL, price, size, t: Date.now() }]);

const waitOrder = (id: string, done: (o: any) => boolean) => waitForOrder(user.access_token, acct, id, done);

beforeAll(async () => {
  feeder = await registerFeeder();
  user = await registerUser();
  acct = await openAccount(user, { type: "brokerage", name: "Invest" });
  await deposit(user, acct, 1_000_000); // $10,000.00
});

describe("orders", () => {
  it("buys and sells at market, realizes P/L at average cost, and the journal reconciles with the fills", async () => {
    expect((await tick(1000)).body.accepted).toBe(1);
    const buy = await order({ symbol: SYMBOL, side: "buy", type: "market", time_in_force: "gtc", qty: "2" });
    expect(buy.status).toBe(201);
    expect(buy.body).toMatchObject({ status: "filled", filled_qty: "2", side: "buy" });
    const paid = buy.body.filled_cash;
    expect(paid).toBeGreaterThan(0);
    expect((await balanceOf(user, acct)).posted).toBe(1_000_000 - paid);

    const sell = await order({ symbol: SYMBOL, side: "sell", type: "market", time_in_force: "gtc", qty: "0.5" });
    expect(sell.status).toBe(201);
    expect(sell.body.status).toBe("filled");
    const got = sell.body.filled_cash;

    const pos = await api("GET", `/v1/accounts/${acct}/positions`, { token: user.access_token });
    expect(pos.status).toBe(200);
    const p = pos.body.data.find((x: any) => x.symbol === SYMBOL);
    expect(p.qty).toBe("1.5");
    // Average cost: the sold quarter takes a quarter of the basis (half-even to a cent).
    const costOfSold = Math.round(paid / 4);
    expect(Math.round(Number(p.cost_basis) * 100)).toBe(paid - costOfSold);
    expect(Math.round(Number(p.realized_pl) * 100)).toBe(got - costOfSold);

    const tx = await api("GET", `/v1/accounts/${acct}/transactions?limit=10`, { token: user.access_token });
    const kinds = tx.body.data.map((e: any) => e.kind);
    expect(kinds.slice(0, 2)).toEqual(["trade_sell", "trade_buy"]);
    expect(tx.body.data[0].metadata).toMatchObject({ symbol: SYMBOL, qty: "0.5", realized_pl: String(got - costOfSold) });
    expect((await balanceOf(user, acct)).posted).toBe(1_000_000 - paid + got);
    const verify = await api("GET", `/v1/accounts/${acct}/verify`, { token: user.access_token });
    expect(verify.status).toBe(200);
    expect(verify.body.ok).toBe(true);
  });

  it("refuses a buy beyond buying power and a sell beyond the shares held (403 with a code), changing nothing", async () => {
    const before = await balanceOf(user, acct);
    const big = await order({ symbol: SYMBOL, side: "buy", type: "limit", time_in_force: "gtc", qty: "100", limit_price: "1000" });
    expect(big.status).toBe(403);
    expect(big.body.error.code).toBe("insufficient_buying_power");
    const short = await order({ symbol: SYMBOL, side: "sell", type: "market", time_in_force: "gtc", qty: "50" });
    expect(short.status).toBe(403);
    expect(short.body.error.code).toBe("insufficient_qty");
    expect(await balanceOf(user, acct)).toEqual(before);
  });

  it("rests a limit buy with a hold, fills it on a crossing tick, and cancel releases a hold", async () => {
    const before = await balanceOf(user, acct);
    const r = await order({ symbol: SYMBOL, side: "buy", type: "limit", time_in_force: "gtc", qty: "2", limit_price: "1.5" });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: "new", hold: 300 });
    expect((await balanceOf(user, acct)).pending).toBe(before.pending + 300);
    expect((await tick(1.25, 5)).body.accepted).toBe(1);
    const filled = await waitOrder(r.body.id, (o) => o.status === "filled");
    expect(filled).toMatchObject({ filled_qty: "2", filled_avg_price: "1.25", filled_cash: 250, hold: 0 });
    const after = await balanceOf(user, acct);
    expect(after.pending).toBe(before.pending);
    expect(after.posted).toBe(before.posted - 250);

    const rest = await order({ symbol: SYMBOL, side: "buy", type: "limit", time_in_force: "gtc", qty: "1", limit_price: "0.5" });
    expect(rest.body.hold).toBe(50);
    const del = await api("DELETE", `/v1/accounts/${acct}/orders/${rest.body.id}`, { token: user.access_token });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ status: "canceled", hold: 0 });
    expect((await balanceOf(user, acct)).pending).toBe(before.pending);
    const again = await api("DELETE", `/v1/accounts/${acct}/orders/${rest.body.id}`, { token: user.access_token });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe("invalid_state");
  });

  it("is idempotent by client_order_id: the same body returns the original, another body is a 422", async () => {
    const body = {
      symbol: SYMBOL,
      side: "buy",
      type: "limit",
      time_in_force: "gtc",
      qty: "1",
      limit_price: "0.25",
      client_order_id: `c-${crypto.randomUUID()}`,
    };
    const first = await order(body);
    expect(first.status).toBe(201);
    const same = await order(body);
    expect(same.status).toBe(200);
    expect(same.body.id).toBe(first.body.id);
    const other = await order({ ...body, qty: "2" });
    expect(other.status).toBe(422);
    const open = await api("GET", `/v1/accounts/${acct}/orders?status=open&symbol=${SYMBOL}`, { token: user.access_token });
    expect(open.body.data.filter((o: any) => o.client_order_id === body.client_order_id)).toHaveLength(1);
    await api("DELETE", `/v1/accounts/${acct}/orders/${first.body.id}`, { token: user.access_token });
  });

  it("takes orders on brokerage accounts only, and other users' accounts are 404", async () => {
    const checking = await openAccount(user, { type: "checking", name: "Everyday" });
    const r = await order({ symbol: SYMBOL, side: "buy", type: "market", time_in_force: "gtc", qty: "1" }, user, checking);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("not_brokerage");
    const mallory = await registerUser();
    const theirs = await order({ symbol: SYMBOL, side: "buy", type: "market", time_in_force: "gtc", qty: "1" }, mallory);
    expect(theirs.status).toBe(404);
    const pos = await api("GET", `/v1/accounts/${acct}/positions`, { token: mallory.access_token });
    expect(pos.status).toBe(404);
  });

  it("refuses bad input with a 400 and changes nothing", async () => {
    const before = await balanceOf(user, acct);
    const bad = [
      { symbol: SYMBOL, side: "buy", type: "market", time_in_force: "gtc" },
      { symbol: SYMBOL, side: "buy", type: "market", time_in_force: "gtc", qty: "1", notional: "5" },
      { symbol: SYMBOL, side: "buy", type: "market", time_in_force: "gtc", qty: "-1" },
      { symbol: SYMBOL, side: "buy", type: "market", time_in_force: "gtc", qty: "1e3" },
      { symbol: SYMBOL, side: "buy", type: "limit", time_in_force: "gtc", qty: "1" },
      { symbol: "NOPE", side: "buy", type: "market", time_in_force: "gtc", qty: "1" },
      { symbol: SYMBOL, side: "hold", type: "market", time_in_force: "gtc", qty: "1" },
      { symbol: SYMBOL, side: "buy", type: "market", time_in_force: "gtc", qty: "1", extra: 1 },
    ];
    for (const body of bad) {
      const r = await order(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    expect((await api("GET", `/v1/accounts/${acct}/orders/ord_x`, { token: user.access_token })).status).toBe(400);
    expect((await api("GET", `/v1/accounts/${acct}/orders?status=weird`, { token: user.access_token })).status).toBe(400);
    expect(await balanceOf(user, acct)).toEqual(before);
  });
});
