/**
 * The order lifecycle's other paths through the API, against the real
 * AccountDO and MarketDO: partial fills of a resting limit order by ticks
 * smaller than it (new → partially_filled → filled, the hold shrinking with
 * each fill), an `ioc` order that cannot fill canceled at once with its hold
 * released, a notional market buy (quantity floored to 9 places, cash rounded
 * up to the cent), and every field of the order routes refused with a 400
 * that changes nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { api, registerUser } from "./helpers/auth";
import { balanceOf, deposit, openAccount, type User } from "./helpers/ledger";
import { postTicks, registerFeeder, waitForOrder } from "./helpers/market";

const SYMBOL = "BTC-USD";
let feeder: { token: string };
let user: User;
let acct: string;
let t = Date.now();

const order = (body: Record<string, unknown>) => api("POST", `/v1/accounts/${acct}/orders`, { token: user.access_token, body });
const getOrder = (id: string) => api("GET", `/v1/accounts/${acct}/orders/${id}`, { token: user.access_token });
// Strictly increasing trade times, so no tick is refused as out of order.
const tick = (price: number, size: number) => postTicks(feeder.token, [{ symbol: SYMBOL, price, size, t: Math.max(Date.now(), ++t) }]);

const waitOrder = (id: string, done: (o: any) => boolean) => waitForOrder(user.access_token, acct, id, done);

beforeAll(async () => {
  feeder = await registerFeeder();
  user = await registerUser();
  acct = await openAccount(user, { type: "brokerage", name: "Lifecycle" });
  await deposit(user, acct, 1_000_000); // $10,000.00
});

describe("order lifecycle", () => {
  it("fills a resting limit buy in parts, the hold shrinking with each fill", async () => {
    expect((await tick(120, 1)).body.accepted).toBe(1);
    const before = await balanceOf(user, acct);
    const r = await order({ symbol: SYMBOL, side: "buy", type: "limit", time_in_force: "gtc", qty: "5", limit_price: "100" });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: "new", hold: 50_000, filled_qty: "0" });

    expect((await tick(99, 2)).body.accepted).toBe(1);
    const part = await waitOrder(r.body.id, (o) => o.status === "partially_filled");
    expect(part).toMatchObject({ filled_qty: "2", filled_avg_price: "99", filled_cash: 19_800, hold: 30_000 });
    expect(await balanceOf(user, acct)).toMatchObject({ posted: before.posted - 19_800, pending: before.pending + 30_000 });

    expect((await tick(98, 10)).body.accepted).toBe(1);
    const done = await waitOrder(r.body.id, (o) => o.status === "filled");
    // 2 at 99 and 3 at 98: 492.00 paid, average 98.40.
    expect(done).toMatchObject({ filled_qty: "5", filled_avg_price: "98.4", filled_cash: 49_200, hold: 0 });
    expect(await balanceOf(user, acct)).toMatchObject({ posted: before.posted - 49_200, pending: before.pending });
    const pos = await api("GET", `/v1/accounts/${acct}/positions`, { token: user.access_token });
    expect(pos.body.data.find((p: any) => p.symbol === SYMBOL)).toMatchObject({ qty: "5", cost_basis: "492" });
  });

  it("cancels an ioc order that cannot fill at once and releases its hold", async () => {
    expect((await tick(100, 1)).body.accepted).toBe(1);
    const before = await balanceOf(user, acct);
    const r = await order({ symbol: SYMBOL, side: "buy", type: "limit", time_in_force: "ioc", qty: "1", limit_price: "50" });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: "canceled", hold: 0, filled_qty: "0", reason: "ioc order not marketable" });
    expect(await balanceOf(user, acct)).toEqual(before);
    // A marketable ioc fills at once.
    const m = await order({ symbol: SYMBOL, side: "sell", type: "limit", time_in_force: "ioc", qty: "1", limit_price: "90" });
    expect(m.body).toMatchObject({ status: "filled", filled_qty: "1", filled_cash: 10_000 });
  });

  it("buys by notional: the quantity floored to 9 places, the cash rounded up to the cent", async () => {
    expect((await tick(3, 1)).body.accepted).toBe(1);
    const before = await balanceOf(user, acct);
    const r = await order({ symbol: SYMBOL, side: "buy", type: "market", time_in_force: "day", notional: "10" });
    expect(r.status).toBe(201);
    // 10 / 3 = 3.333333333… shares; 3.333333333 × 3 = 9.999999999 → 10.00 paid.
    expect(r.body).toMatchObject({ status: "filled", notional: "10", filled_qty: "3.333333333", filled_cash: 1_000 });
    expect((await balanceOf(user, acct)).posted).toBe(before.posted - 1_000);
  });

  it("refuses every malformed field with a 400 and changes nothing", async () => {
    const before = await balanceOf(user, acct);
    const ordersBefore = (await api("GET", `/v1/accounts/${acct}/orders?status=all&limit=200`, { token: user.access_token })).body.data
      .length;
    const ok = { symbol: SYMBOL, side: "buy", type: "limit", time_in_force: "gtc", qty: "1", limit_price: "1" };
    const bad: [string, Record<string, unknown>][] = [
      ["symbol lower case", { ...ok, symbol: "btc-usd" }],
      ["symbol too long", { ...ok, symbol: "ABCDEFGHIJKLM" }],
      ["symbol a number", { ...ok, symbol: 5 }],
      ["side missing", { ...ok, side: undefined }],
      ["side short", { ...ok, side: "short" }],
      ["type stop", { ...ok, type: "stop" }],
      ["time_in_force fok", { ...ok, time_in_force: "fok" }],
      ["time_in_force missing", { ...ok, time_in_force: undefined }],
      ["qty zero", { ...ok, qty: "0" }],
      ["qty ten places", { ...ok, qty: "1.0000000001" }],
      ["qty leading zero", { ...ok, qty: "01" }],
      ["qty a number", { ...ok, qty: 1 }],
      ["qty empty", { ...ok, qty: "" }],
      ["qty over the cap", { ...ok, qty: "1000001" }],
      ["qty fractional on a whole-share symbol", { ...ok, symbol: "BRK.B", qty: "1.5" }],
      ["qty and notional", { ...ok, notional: "5" }],
      ["neither qty nor notional", { ...ok, qty: undefined }],
      ["notional on a limit order", { ...ok, qty: undefined, notional: "5" }],
      ["notional with gtc", { ...ok, type: "market", limit_price: undefined, qty: undefined, notional: "5" }],
      ["notional on a whole-share symbol", { symbol: "BRK.B", side: "buy", type: "market", time_in_force: "day", notional: "5" }],
      ["notional zero", { symbol: SYMBOL, side: "buy", type: "market", time_in_force: "day", notional: "0" }],
      ["notional past the cent", { symbol: SYMBOL, side: "buy", type: "market", time_in_force: "day", notional: "1.001" }],
      ["limit_price missing", { ...ok, limit_price: undefined }],
      ["limit_price past the precision", { ...ok, limit_price: "1.001" }],
      ["limit_price zero", { ...ok, limit_price: "0" }],
      ["limit_price negative", { ...ok, limit_price: "-1" }],
      ["limit_price on a market order", { ...ok, type: "market" }],
      ["client_order_id too long", { ...ok, client_order_id: "x".repeat(49) }],
      ["client_order_id with a space", { ...ok, client_order_id: "a b" }],
      ["client_order_id empty", { ...ok, client_order_id: "" }],
      ["an unknown field", { ...ok, extended_hours: true }],
    ];
    for (const [what, body] of bad) {
      const r = await order(body);
      expect(r.status, what).toBe(400);
      expect(r.body.error.code, what).toBe("validation_error");
    }
    for (const raw of ["not json", "[]", "null", '{"symbol":'])
      expect((await api("POST", `/v1/accounts/${acct}/orders`, { token: user.access_token, rawBody: raw })).status, raw).toBe(400);

    const list = (q: string) => api("GET", `/v1/accounts/${acct}/orders?${q}`, { token: user.access_token });
    for (const q of ["limit=0", "limit=201", "limit=1.5", "cursor=nope", "status=pending", "symbol=btc"])
      expect((await list(q)).status, q).toBe(400);
    // An order id of the right shape that does not exist is a 404, for reads and cancels alike.
    const missing = `ord_${"0".repeat(20)}`;
    expect((await getOrder(missing)).status).toBe(404);
    expect((await api("DELETE", `/v1/accounts/${acct}/orders/${missing}`, { token: user.access_token })).status).toBe(404);
    expect((await api("DELETE", `/v1/accounts/${acct}/orders/ord_BAD`, { token: user.access_token })).status).toBe(400);

    expect(await balanceOf(user, acct)).toEqual(before);
    const ordersAfter = (await api("GET", `/v1/accounts/${acct}/orders?status=all&limit=200`, { token: user.access_token })).body.data
      .length;
    expect(ordersAfter).toBe(ordersBefore);
  });

  it("never shows or cancels another user's order", async () => {
    const r = await order({ symbol: SYMBOL, side: "buy", type: "limit", time_in_force: "gtc", qty: "1", limit_price: "1" });
    expect(r.status).toBe(201);
    const mallory = await registerUser();
    const theirs = await openAccount(mallory, { type: "brokerage", name: "Other" });
    // Through their own account id and through the victim's: 404 both ways, and the order stays open.
    for (const path of [`/v1/accounts/${theirs}/orders/${r.body.id}`, `/v1/accounts/${acct}/orders/${r.body.id}`]) {
      expect((await api("GET", path, { token: mallory.access_token })).status).toBe(404);
      expect((await api("DELETE", path, { token: mallory.access_token })).status).toBe(404);
    }
    expect((await getOrder(r.body.id)).body.status).toBe("new");
    expect((await api("DELETE", `/v1/accounts/${acct}/orders/${r.body.id}`, { token: user.access_token })).status).toBe(200);
  });
});
