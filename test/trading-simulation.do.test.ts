/**
 * Conservation with trades (RELIABILITY's invariants with paper trading in
 * the account): a seeded schedule of deposits, withdrawals, market buys and
 * sells (by qty and by notional), resting limit orders, ticks that cross
 * them, cancels and evictions of the AccountDO (a crash between the symbol's
 * object and the account), against the real AccountDO and MarketDOs. After
 * every step one atomic read of the account's own SQLite must show:
 *   - posted = Σ journal (credits − debits), never below the holds;
 *   - pending = Σ holds of the open buy orders;
 *   - every order's filled qty and cash = Σ its fills; every fill's cash is
 *     its journal entry (trade_buy / trade_sell against market:<symbol>);
 *   - every position = Σ buy fills − Σ sell fills of its symbol, never
 *     negative, at least what its open sells still reserve; its realized
 *     P/L = Σ its fills' realized P/L.
 * At the end, with every fill delivered, the money that entered minus what
 * left equals posted, exactly, and the chain verifies. A failure names its
 * seed and step.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, registerUser } from "./helpers/auth";
import { balanceOf, deposit, key, openAccount, postTx, type User } from "./helpers/ledger";
import { postTicks, registerFeeder } from "./helpers/market";
import { rng } from "./helpers/random";

const SEEDS = [20261203, 99, 31337];
const STEPS = 120;
const SYMBOLS = ["BTC-USD", "ETH-USD"] as const;
const account = (id: string) => env.ACCOUNT.get(env.ACCOUNT.idFromName(id));
const market = (symbol: string) => env.MARKET.get(env.MARKET.idFromName(symbol));

interface Snapshot {
  posted: number;
  pending: number;
  journal: { kind: string; direction: string; amount: number; entry_id: string; counterparty: string }[];
  orders: {
    id: string;
    symbol: string;
    side: string;
    status: string;
    qty: number | null;
    filled_qty: number;
    filled_cash: number;
    hold: number;
  }[];
  fills: { fill_id: string; order_id: string; qty: number; cash: number; realized_pl: number; entry_id: string | null }[];
  positions: { symbol: string; qty: number; realized_pl: number }[];
}

/** One read of the account's SQLite, inside the object: every table at the same instant. */
function snapshot(id: string): Promise<Snapshot> {
  return runInDurableObject(account(id), (_instance, state) => {
    const sql = state.storage.sql;
    const all = <T>(q: string) => sql.exec(q).toArray() as T[];
    const a = all<{ posted: number; pending: number }>("SELECT posted, pending FROM account")[0]!;
    return {
      ...a,
      journal: all(
        "SELECT kind, direction, amount, entry_id, CASE direction WHEN 'debit' THEN credit_account ELSE debit_account END AS counterparty FROM journal",
      ),
      orders: all("SELECT id, symbol, side, status, qty, filled_qty, filled_cash, hold FROM orders"),
      fills: all("SELECT fill_id, order_id, qty, cash, realized_pl, entry_id FROM fills"),
      positions: all("SELECT symbol, qty, realized_pl FROM positions"),
    } as Snapshot;
  });
}

const OPEN = new Set(["new", "partially_filled"]);

function checkInvariants(s: Snapshot, where: string): void {
  const signed = s.journal.reduce((n, e) => n + (e.direction === "credit" ? e.amount : -e.amount), 0);
  expect(s.posted, `${where}: posted = Σ journal`).toBe(signed);
  const holds = s.orders.filter((o) => OPEN.has(o.status) && o.side === "buy").reduce((n, o) => n + o.hold, 0);
  expect(s.pending, `${where}: pending = Σ open buy holds`).toBe(holds);
  expect(s.posted - s.pending, `${where}: no overdraft`).toBeGreaterThanOrEqual(0);
  expect(
    s.orders.filter((o) => !OPEN.has(o.status) && o.hold !== 0),
    `${where}: closed orders hold nothing`,
  ).toEqual([]);

  const orderOf = new Map(s.orders.map((o) => [o.id, o]));
  const entryOf = new Map(s.journal.map((e) => [e.entry_id, e]));
  for (const o of s.orders) {
    const mine = s.fills.filter((f) => f.order_id === o.id);
    expect(o.filled_qty, `${where}: ${o.id} filled qty`).toBe(mine.reduce((n, f) => n + f.qty, 0));
    expect(o.filled_cash, `${where}: ${o.id} filled cash`).toBe(mine.reduce((n, f) => n + f.cash, 0));
    if (o.qty !== null) expect(o.filled_qty, `${where}: ${o.id} never overfilled`).toBeLessThanOrEqual(o.qty);
  }
  for (const f of s.fills) {
    const o = orderOf.get(f.order_id)!;
    if (f.cash === 0) {
      expect(f.entry_id, `${where}: a zero-cash fill has no entry`).toBeNull();
      continue;
    }
    const e = entryOf.get(f.entry_id ?? "");
    expect(e, `${where}: fill ${f.fill_id} has its journal entry`).toBeDefined();
    expect(e, `${where}: fill ${f.fill_id}'s entry`).toMatchObject({
      kind: o.side === "buy" ? "trade_buy" : "trade_sell",
      direction: o.side === "buy" ? "debit" : "credit",
      amount: f.cash,
      counterparty: `market:${o.symbol}`,
    });
  }
  const tradeEntries = s.journal.filter((e) => e.kind === "trade_buy" || e.kind === "trade_sell");
  expect(tradeEntries.length, `${where}: no trade entry without its fill`).toBe(s.fills.filter((f) => f.cash > 0).length);

  for (const symbol of SYMBOLS) {
    const fills = s.fills.filter((f) => orderOf.get(f.order_id)!.symbol === symbol);
    const net = fills.reduce((n, f) => n + (orderOf.get(f.order_id)!.side === "buy" ? f.qty : -f.qty), 0);
    const p = s.positions.find((x) => x.symbol === symbol);
    expect(p?.qty ?? 0, `${where}: ${symbol} position = Σ fills`).toBe(net);
    expect(net, `${where}: ${symbol} never short`).toBeGreaterThanOrEqual(0);
    expect(p?.realized_pl ?? 0, `${where}: ${symbol} realized P/L = Σ fills`).toBe(fills.reduce((n, f) => n + f.realized_pl, 0));
    const reserved = s.orders
      .filter((o) => o.symbol === symbol && o.side === "sell" && OPEN.has(o.status))
      .reduce((n, o) => n + ((o.qty ?? 0) - o.filled_qty), 0);
    expect(reserved, `${where}: ${symbol} open sells within the position`).toBeLessThanOrEqual(p?.qty ?? 0);
  }
}

async function simulate(seed: number) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const feeder = await registerFeeder();
  const u: User = await registerUser();
  const acct = await openAccount(u, { type: "brokerage", name: "Sim" });
  let entered = 500_000;
  await deposit(u, acct, entered);
  const price: Record<string, number> = { "BTC-USD": 100, "ETH-USD": 40 };
  let t = Date.now();
  const tick = async (symbol: string) => {
    price[symbol] = Math.max(1, Math.round(price[symbol]! * (0.97 + r() * 0.06) * 100) / 100);
    const size = Math.round((0.5 + r() * 4) * 100) / 100;
    const res = await postTicks(feeder.token, [{ symbol, price: price[symbol], size, t: Math.max(Date.now(), ++t) }]);
    expect(res.body.accepted, `seed ${seed}: tick`).toBe(1);
  };
  for (const s of SYMBOLS) await tick(s);
  const order = (body: Record<string, unknown>) => api("POST", `/v1/accounts/${acct}/orders`, { token: u.access_token, body });
  const qty = () => (Math.round((0.01 + r() * 1.5) * 1000) / 1000).toString();
  const limitAway = (symbol: string, side: "buy" | "sell") =>
    (Math.round(price[symbol]! * (side === "buy" ? 0.97 : 1.03) * 100) / 100).toString();

  for (let step = 0; step < STEPS; step++) {
    const where = `seed ${seed} step ${step}`;
    const symbol = pick(SYMBOLS);
    const action = pick(["deposit", "withdraw", "buy", "sell", "notional", "limit", "limit", "tick", "tick", "cancel", "evict"] as const);
    if (action === "deposit") {
      const amount = 100 + Math.floor(r() * 20_000);
      await deposit(u, acct, amount);
      entered += amount;
    } else if (action === "withdraw") {
      const amount = 100 + Math.floor(r() * 100_000);
      const w = await postTx(u, acct, { kind: "withdrawal", amount }, key());
      // Beyond the available balance (what the open buys hold is not available): 422 insufficient_funds.
      expect(w.status === 201 || w.body.error?.code === "insufficient_funds", `${where}: withdrawal ${w.status}`).toBe(true);
      if (w.status === 201) entered -= amount;
    } else if (action === "buy" || action === "sell") {
      const o = await order({ symbol, side: action, type: "market", time_in_force: "gtc", qty: qty() });
      expect([201, 403], `${where}: market ${action} ${JSON.stringify(o.body)}`).toContain(o.status);
    } else if (action === "notional") {
      const o = await order({
        symbol,
        side: "buy",
        type: "market",
        time_in_force: "day",
        notional: (1 + Math.floor(r() * 300)).toString(),
      });
      expect([201, 403], `${where}: notional buy`).toContain(o.status);
    } else if (action === "limit") {
      const side = pick(["buy", "sell"] as const);
      const o = await order({ symbol, side, type: "limit", time_in_force: "gtc", qty: qty(), limit_price: limitAway(symbol, side) });
      expect([201, 403], `${where}: limit ${side}`).toContain(o.status);
    } else if (action === "tick") {
      await tick(symbol);
    } else if (action === "cancel") {
      const open = await api("GET", `/v1/accounts/${acct}/orders?status=open`, { token: u.access_token });
      if (open.body.data.length > 0) {
        const victim = pick(open.body.data as { id: string }[]);
        const d = await api("DELETE", `/v1/accounts/${acct}/orders/${victim.id}`, { token: u.access_token });
        // A fill may have closed it in between: then the cancel is a 422.
        expect([200, 422], `${where}: cancel`).toContain(d.status);
      }
    } else {
      await evictDurableObject(account(acct));
    }
    checkInvariants(await snapshot(acct), where);
  }

  // Deliver every fill the symbols still owe (their alarms retry), then the books close exactly.
  for (const s of SYMBOLS) await runDurableObjectAlarm(market(s));
  await runDurableObjectAlarm(account(acct));
  const end = await snapshot(acct);
  checkInvariants(end, `seed ${seed} end`);
  const traded = end.fills.reduce((n, f) => {
    const side = end.orders.find((o) => o.id === f.order_id)!.side;
    return n + (side === "buy" ? -f.cash : f.cash);
  }, 0);
  expect(end.posted, `seed ${seed}: entered − left + sells − buys`).toBe(entered + traded);
  expect((await balanceOf(u, acct)).posted).toBe(end.posted);
  const v = await api("GET", `/v1/accounts/${acct}/verify`, { token: u.access_token });
  expect(v.body.ok, `seed ${seed}: chain`).toBe(true);
  expect(end.fills.length, `seed ${seed}: the schedule traded`).toBeGreaterThan(3);
}

describe("conservation with trades", () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: every step keeps cash, holds, fills and positions consistent; the end balances exactly`, async () => {
      await simulate(seed);
    }, 120_000);
  }
});
