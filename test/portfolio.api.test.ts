/**
 * The Gold portfolio through the API: real trades on a brokerage account and
 * price events through the pipeline, valued by GET /v1/portfolio at the day's
 * latest price; a hand-computed history (synthetic events on past days)
 * through GET /v1/portfolio/history; bad input refused; another user's data
 * never shown; a full replay rebuilding the tables identically; reconcile
 * passing with trades and naming each tampered row.
 */
import { describe, expect, it, beforeAll } from "vitest";
import { env } from "cloudflare:workers";
import { randomToken } from "../src/domain/ids";
import { addDays } from "../src/pipeline/time";
import { api, registerUser } from "./helpers/auth";
import { EventFactory, tradeEvent } from "./helpers/events";
import { deposit, openAccount, type User } from "./helpers/ledger";
import { postTicks, registerFeeder } from "./helpers/market";
import { adminToken, deliverEvents, goldTables, registerAccount, rows, tokenFor, waitFor, wipeSilverAndGold } from "./helpers/pipeline";

let feeder: { token: string };
let user: User;
let brokerage: string;
let checking: string;

const get = (path: string, token: string) => api("GET", path, { token });
const today = () => new Date().toISOString().slice(0, 10);

function closeEvent(symbol: string, at: string, price: string, q: number) {
  return {
    event_id: `mkt_${randomToken()}`,
    type: "market_price_updated",
    version: 1,
    occurred_at: at,
    recorded_at: at,
    account_id: `market:${symbol}`,
    user_id: "market",
    seq: q,
    payload: { symbol, asset_class: symbol.endsWith("-USD") ? "crypto" : "us_equity", currency: "USD", price, reason: "daily_close", q },
  };
}

beforeAll(async () => {
  feeder = await registerFeeder();
  user = await registerUser();
  brokerage = await openAccount(user, { type: "brokerage", name: "Invest" });
  checking = await openAccount(user);
  await deposit(user, brokerage, 1_000_000); // $10,000.00
  await deposit(user, checking, 777_700); // not a brokerage account: never in the portfolio
});

describe("GET /v1/portfolio", () => {
  it("values real fills at the day's latest price, plus cash, with an allocation whose weights sum to 1", async () => {
    const t = Date.now();
    expect((await postTicks(feeder.token, [{ symbol: "ETH-USD", price: 2000, size: 1, t }])).body.accepted).toBe(1);
    expect((await postTicks(feeder.token, [{ symbol: "BTC-USD", price: 50000, size: 1, t }])).body.accepted).toBe(1);
    const order = (symbol: string, qty: string) =>
      api("POST", `/v1/accounts/${brokerage}/orders`, {
        token: user.access_token,
        body: { symbol, side: "buy", type: "market", time_in_force: "gtc", qty },
      });
    expect((await order("ETH-USD", "2")).body).toMatchObject({ status: "filled", filled_cash: 400_000 });
    expect((await order("BTC-USD", "0.01")).body).toMatchObject({ status: "filled", filled_cash: 50_000 });
    // A later price of the day is the close: ETH at 2,100.
    await deliverEvents([closeEvent("ETH-USD", new Date(t + 1).toISOString(), "2100", 1_000_000)]);

    const p = await waitFor(async () => {
      const r = await get("/v1/portfolio", user.access_token);
      expect(r.status).toBe(200);
      const eth = r.body.positions.find((x: any) => x.symbol === "ETH-USD");
      return r.body.cash === "550000" && eth?.close_price === "2100" && r.body.positions.length === 2 ? r.body : null;
    }, 20_000);
    expect(p).toMatchObject({
      object: "portfolio",
      currency: "USD",
      total_value: "1020000",
      cash: "550000",
      positions_value: "470000",
      unpriced: [],
      accounts: [{ id: brokerage, name: "Invest", status: "open", cash: "550000" }],
    });
    expect(p.positions).toEqual([
      { symbol: "BTC-USD", asset_class: "crypto", qty: "0.01", close_price: "50000", close_day: today(), market_value: "50000" },
      { symbol: "ETH-USD", asset_class: "crypto", qty: "2", close_price: "2100", close_day: today(), market_value: "420000" },
    ]);
    // 550,000 / 1,020,000 = 0.539215686… ; 420,000 / … = 0.411764705… ; 50,000 / … = 0.049019607…
    expect(p.allocation.by_symbol).toEqual([
      { key: "cash", market_value: "550000", weight: 0.539216 },
      { key: "ETH-USD", market_value: "420000", weight: 0.411765 },
      { key: "BTC-USD", market_value: "50000", weight: 0.049019 },
    ]);
    expect(p.allocation.by_asset_class).toEqual([
      { key: "cash", market_value: "550000", weight: 0.539216 },
      { key: "crypto", market_value: "470000", weight: 0.460784 },
    ]);
    for (const list of [p.allocation.by_symbol, p.allocation.by_asset_class])
      expect(list.reduce((s: number, b: any) => s + Math.round(b.weight * 1e6), 0)).toBe(1_000_000);
    // Gold keeps portfolio rows for brokerage accounts only: the checking deposit is in the daily balances, not here.
    await waitFor(async () => (await rows("SELECT 1 FROM gold_daily_balances WHERE account_id = ?1", checking)).length === 1);
    expect(await rows("SELECT 1 FROM gold_portfolio_daily WHERE account_id = ?1", checking)).toHaveLength(0);
    // The same quantities as the account's own positions.
    const pos = await get(`/v1/accounts/${brokerage}/positions`, user.access_token);
    expect(pos.body.data.map((x: any) => [x.symbol, x.qty]).sort()).toEqual([
      ["BTC-USD", "0.01"],
      ["ETH-USD", "2"],
    ]);
  }, 40_000);

  it("shows another user nothing of it, and refuses bad input with a 400", async () => {
    const other = await registerUser();
    const r = await get("/v1/portfolio", other.access_token);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      accounts: [],
      total_value: "0",
      cash: "0",
      positions: [],
      allocation: { by_symbol: [], by_asset_class: [] },
    });
    const h = await get("/v1/portfolio/history?period=all", other.access_token);
    expect(h.status).toBe(200);
    expect(h.body.points).toEqual([]);
    expect(JSON.stringify([r.body, h.body])).not.toContain(brokerage);
    for (const q of ["period=2M", "period=1m", "period=", "currency=XXX", "currency=usd", "account_id=" + brokerage, "period=1M&x=1"]) {
      const bad = await get(`/v1/portfolio/history?${q}`, user.access_token);
      expect(bad.status, q).toBe(400);
      expect(bad.body.error.code, q).toBe("validation_error");
    }
    expect((await get("/v1/portfolio?user_id=x", user.access_token)).status).toBe(400);
    expect((await api("GET", "/v1/portfolio")).status).toBe(401);
    expect((await api("GET", "/v1/portfolio/history")).status).toBe(401);
  });
});

describe("GET /v1/portfolio/history", () => {
  it("gives the value per day, the flows and each return as computed by hand", async () => {
    // A synthetic brokerage account with four past days (events straight into the pipeline).
    const f = new EventFactory();
    const a = f.account();
    await registerAccount({ id: a.id, userId: a.userId, currency: "USD" }, "brokerage");
    const token = await tokenFor(a.userId);
    const d = (n: number) => addDays(today(), -10 + n);
    const at = (n: number, hh = "12") => `${d(n)}T${hh}:00:00.000Z`;
    const events = [
      f.tx(a, "deposit", 100_000, { at: at(0, "09") }),
      closeEvent("AAPL", at(0, "21"), "100", 1),
      f.tx(a, "trade_buy", 50_000, { at: at(1) }),
      tradeEvent(a, at(1), { symbol: "AAPL", side: "buy", qty: "5", price: "100", cash: 50_000 }),
      closeEvent("AAPL", at(1, "21"), "100", 2),
      closeEvent("AAPL", at(2, "21"), "110", 3),
      closeEvent("AAPL", at(2, "15"), "108", 4), // earlier in the day: not the close
      f.tx(a, "deposit", 20_000, { at: at(3, "09") }),
      closeEvent("AAPL", at(3, "21"), "99", 5),
    ];
    // Later days first (the running cash and qty are recomputed from the earliest changed day), then a redelivery.
    await deliverEvents(events.slice(5).reverse());
    await deliverEvents(events.slice(0, 5).reverse());
    await deliverEvents(events.slice(2, 7));
    const h = await get("/v1/portfolio/history?period=1M", token);
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ object: "portfolio_history", currency: "USD", period: "1M", from: addDays(today(), -30), to: today() });
    expect(h.body.points).toEqual([
      { day: d(0), value: "100000", cash: "100000", positions_value: "0", contributions: "100000", withdrawals: "0" },
      { day: d(1), value: "100000", cash: "50000", positions_value: "50000", contributions: "0", withdrawals: "0" },
      { day: d(2), value: "105000", cash: "50000", positions_value: "55000", contributions: "0", withdrawals: "0" },
      { day: d(3), value: "119500", cash: "70000", positions_value: "49500", contributions: "20000", withdrawals: "0" },
    ]);
    expect(h.body.flows).toEqual({ contributions: "20000", withdrawals: "0" });
    const by = Object.fromEntries(h.body.returns.map((r: any) => [r.method, r]));
    // Daily returns 0, +5 %, 119,500 / (105,000 + 20,000) − 1 = −4.4 %.
    expect(by.twr.value).toBeCloseTo(1.05 * 0.956 - 1, 12);
    expect(by.simple_return.value).toBeCloseTo(-500 / 120_000, 12);
    expect(by.max_drawdown.value).toBeCloseTo((1.05 - 1.05 * 0.956) / 1.05, 12);
    expect(by.mwr).toMatchObject({ annualized: false });
    expect(by.mwr.value).toBeLessThan(0);
    expect(by.volatility).toEqual({ method: "volatility", value: null, annualized: true });
    expect(by.sharpe).toEqual({ method: "sharpe", value: null, annualized: true });
    // `all` starts on the first day with data; the points are the same.
    const all = await get("/v1/portfolio/history?period=all", token);
    expect(all.body.from).toBe(d(0));
    expect(all.body.points).toEqual(h.body.points);
    // The portfolio now: 5 AAPL at the latest close (99) plus cash.
    const now = await get("/v1/portfolio", token);
    expect(now.body).toMatchObject({ total_value: "119500", positions_value: "49500", cash: "70000" });
  }, 30_000);
});

describe("replay and reconcile", () => {
  it("a full replay rebuilds the portfolio tables identically", async () => {
    const admin = await adminToken();
    const before = await goldTables();
    expect(before.gold_portfolio_daily!.length).toBeGreaterThan(0);
    expect(before.gold_portfolio_positions!.length).toBeGreaterThan(0);
    expect(before.gold_market_closes!.length).toBeGreaterThan(0);
    const history = (await get("/v1/portfolio/history?period=all", user.access_token)).body;
    await wipeSilverAndGold();
    expect(await rows("SELECT 1 FROM gold_portfolio_daily")).toHaveLength(0);
    const replay = async (body?: Record<string, string>) => {
      const res = await api("POST", "/v1/admin/replay", { token: admin, ...(body ? { body } : {}) });
      expect(res.status).toBe(202);
      await waitFor(
        async () => {
          const job = await get(`/v1/admin/jobs/${res.body.id}`, admin);
          if (job.body.status === "failed") throw new Error(job.body.error);
          return job.body.status === "succeeded";
        },
        30_000,
        100,
      );
    };
    await replay();
    const tables = ["gold_portfolio_daily", "gold_portfolio_positions", "gold_market_closes"];
    const after = await goldTables();
    for (const t of tables) expect(after[t], t).toEqual(before[t]);
    const again = (await get("/v1/portfolio/history?period=all", user.access_token)).body;
    expect({ ...again, as_of: null }).toEqual({ ...history, as_of: null });
    // A ranged replay of the synthetic account's first month: its days are rebuilt, later running cash and qty fixed.
    const first = (await rows<{ day: string }>("SELECT MIN(day) AS day FROM gold_portfolio_daily"))[0]!.day;
    await env.DB.prepare("UPDATE gold_portfolio_daily SET cash = cash + 1 WHERE day >= ?1").bind(first).run();
    await replay({ from: first, to: first });
    const ranged = await goldTables();
    for (const t of tables) expect(ranged[t], t).toEqual(before[t]);
  }, 60_000);

  it("reconcile passes with trades, and names a tampered cash row and a tampered position", async () => {
    const admin = await adminToken();
    const check = async () => (await get(`/v1/admin/reconcile?account_id=${brokerage}`, admin)).body.data[0];
    const ok = await waitFor(async () => {
      const r = await check();
      return r.status === "ok" ? r : null;
    }, 20_000);
    expect(ok.drift).toEqual([]);

    const day = today();
    await env.DB.prepare("UPDATE gold_portfolio_daily SET cash = cash + 5 WHERE account_id = ?1 AND day = ?2").bind(brokerage, day).run();
    let r = await check();
    expect(r.status).toBe("drift");
    expect(r.drift).toContainEqual({
      table: "gold_portfolio_daily",
      key: { account_id: brokerage, day },
      field: "cash",
      gold: 550_005,
      journal: 550_000,
    });
    await env.DB.prepare("UPDATE gold_portfolio_daily SET cash = cash - 5 WHERE account_id = ?1 AND day = ?2").bind(brokerage, day).run();
    expect((await check()).status).toBe("ok");

    await env.DB.prepare("UPDATE gold_portfolio_positions SET qty = qty + 1 WHERE account_id = ?1 AND symbol = 'ETH-USD'")
      .bind(brokerage)
      .run();
    r = await check();
    expect(r.status).toBe("drift");
    expect(r.drift).toEqual([
      {
        table: "gold_portfolio_positions",
        key: { account_id: brokerage, symbol: "ETH-USD" },
        field: "qty",
        gold: 2_000_000_001,
        journal: 2_000_000_000,
      },
    ]);
  }, 40_000);
});
