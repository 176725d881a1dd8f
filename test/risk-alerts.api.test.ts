/**
 * Risk alerts on brokerage holdings, against the real AccountDO, UserDO,
 * MarketDO and EVENTS consumer: a trade that concentrates the account fires
 * a concentration alert, a price fall seen at the next trade fires a drawdown
 * alert, each at most once a day; a symbol's daily close re-evaluates the
 * users holding it; other users' accounts and rules are not found; bad input
 * is a 4xx that changes nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomToken } from "../src/domain/ids";
import { api, registerUser } from "./helpers/auth";
import { deposit, openAccount, type User } from "./helpers/ledger";
import { postTicks, registerFeeder } from "./helpers/market";
import { deliverEvents } from "./helpers/pipeline";

const SYMBOL = "BTC-USD";
let feeder: { token: string };

beforeAll(async () => {
  feeder = await registerFeeder();
});

const tick = async (price: number) =>
  expect((await postTicks(feeder.token, [{ symbol: SYMBOL, price, size: 0, t: Date.now() }])).body.accepted).toBe(1);
const buy = async (u: User, acct: string, qty: string) => {
  const r = await api("POST", `/v1/accounts/${acct}/orders`, {
    token: u.access_token,
    body: { symbol: SYMBOL, side: "buy", type: "market", time_in_force: "gtc", qty },
  });
  expect(r.status).toBe(201);
  expect(r.body.status).toBe("filled");
};
const create = (u: User, body: unknown) => api("POST", "/v1/alerts/risk", { token: u.access_token, body });
const rules = async (u: User) => (await api("GET", "/v1/alerts/risk", { token: u.access_token })).body.data as any[];

async function alertsUntil(u: User, match: (alerts: any[]) => boolean, ms = 15_000): Promise<any[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await api("GET", "/v1/alerts", { token: u.access_token });
    if (match(r.body.data)) return r.body.data;
    if (Date.now() > deadline) throw new Error(`alerts never matched: ${JSON.stringify(r.body.data)}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

async function investor() {
  const u = await registerUser();
  const acct = await openAccount(u, { type: "brokerage", name: "Invest" });
  await deposit(u, acct, 1_000_000); // $10,000.00
  return { u, acct };
}

describe("risk alerts", () => {
  it("fires concentration after a concentrating trade and drawdown after a fall, once a day each", async () => {
    const { u, acct } = await investor();
    await tick(1_000);
    const conc = await create(u, { account_id: acct, kind: "concentration", threshold: "50" });
    expect(conc.status).toBe(201);
    expect(conc.body).toMatchObject({
      object: "risk_alert",
      kind: "concentration",
      threshold: "50",
      peak_value: 1_000_000,
      trigger_count: 0,
    });
    const dd = (await create(u, { account_id: acct, kind: "drawdown", threshold: "20" })).body;

    await buy(u, acct, "6"); // $6,000 of $10,000: 60 %
    const first = await alertsUntil(u, (a) => a.length >= 1);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ kind: "alert_created", title: "BTC-USD is 60 % of your brokerage account" });
    expect(first[0].data.reason).toMatchObject({
      kind: "risk",
      rule_id: conc.body.id,
      account_id: acct,
      risk: "concentration",
      measured: "60",
      value: 1_000_000,
    });
    // Addressed to the user, not the account: the account's own event seq stays gap-free for reconcile.
    expect(first[0].data.account_id).toBe(`user:${u.user.id}`);

    // The price falls to 300: $4,000 cash + 6 × 300 = $5,800, 42 % below the $10,000 peak; the next trade sees it.
    await tick(300);
    await buy(u, acct, "0.01");
    const both = await alertsUntil(u, (a) => a.length >= 2);
    const drawdown = both.find((a) => a.data.reason.risk === "drawdown");
    expect(drawdown.data.reason).toMatchObject({ rule_id: dd.id, peak: 1_000_000, value: 580_000, measured: "42" });
    expect(drawdown.reasons[0]).toContain("42 % below its peak $10,000.00");

    // Still concentrated and still down, but each rule fired today already.
    await buy(u, acct, "0.01");
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await api("GET", "/v1/alerts", { token: u.access_token })).body.data).toHaveLength(2);
    const listed = await rules(u);
    expect(listed.map((r) => r.trigger_count).sort()).toEqual([1, 1]);
    expect(listed.every((r) => r.last_triggered_day === new Date().toISOString().slice(0, 10))).toBe(true);
  });

  it("a daily close of a held symbol re-evaluates the holders' rules", async () => {
    const { u, acct } = await investor();
    await tick(1_000);
    await buy(u, acct, "5");
    const dd = (await create(u, { account_id: acct, kind: "drawdown", threshold: "10" })).body;
    expect(dd.peak_value).toBe(1_000_000);
    await tick(500); // $5,000 + 5 × 500 = $7,500: 25 % down
    const close = {
      event_id: `mkt_${SYMBOL}_d${Date.now()}_${randomToken(4)}`,
      type: "market_price_updated",
      version: 1,
      occurred_at: new Date().toISOString(),
      recorded_at: new Date().toISOString(),
      account_id: `market:${SYMBOL}`,
      user_id: "market",
      seq: 1,
      payload: { symbol: SYMBOL, asset_class: "crypto", currency: "USD", price: "500", reason: "daily_close", q: 1 },
    };
    const r = await deliverEvents([close]);
    expect(r.retryMessages).toEqual([]);
    const [alert] = await alertsUntil(u, (a) => a.length === 1);
    expect(alert.data.reason).toMatchObject({ rule_id: dd.id, risk: "drawdown", value: 750_000, measured: "25" });
  });

  it("refuses other users' accounts and rules, non-brokerage accounts and bad input, changing nothing", async () => {
    const { u, acct } = await investor();
    const other = await investor();
    const checking = await openAccount(u);
    const good = { account_id: acct, kind: "concentration", threshold: "25" };
    const cases: [unknown, number, string][] = [
      [{ ...good, account_id: other.acct }, 404, "not_found"],
      [{ ...good, account_id: `acc_${randomToken()}` }, 404, "not_found"],
      [{ ...good, account_id: checking }, 422, "not_brokerage"],
      [{ ...good, account_id: "acc_x" }, 400, "validation_error"],
      [{ ...good, account_id: undefined }, 400, "validation_error"],
      [{ ...good, kind: "volatility" }, 400, "validation_error"],
      [{ ...good, threshold: "0" }, 400, "validation_error"],
      [{ ...good, threshold: "100.01" }, 400, "validation_error"],
      [{ ...good, threshold: "25.001" }, 400, "validation_error"],
      [{ ...good, threshold: "-5" }, 400, "validation_error"],
      [{ ...good, threshold: 25 }, 400, "validation_error"],
      [{ ...good, extra: 1 }, 400, "validation_error"],
    ];
    for (const [body, status, code] of cases) {
      const r = await create(u, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error.code, JSON.stringify(body)).toBe(code);
    }
    expect(await rules(u)).toEqual([]);

    const mine = (await create(u, good)).body;
    for (const id of ["rsk_short", "nope"])
      expect((await api("DELETE", `/v1/alerts/risk/${id}`, { token: u.access_token })).status).toBe(400);
    expect((await api("DELETE", `/v1/alerts/risk/${mine.id}`, { token: other.u.access_token })).status).toBe(404);
    expect((await rules(u)).map((r) => r.id)).toEqual([mine.id]);
    expect((await api("DELETE", `/v1/alerts/risk/${mine.id}`, { token: u.access_token })).status).toBe(204);
    expect((await api("DELETE", `/v1/alerts/risk/${mine.id}`, { token: u.access_token })).status).toBe(404);
    expect(await rules(u)).toEqual([]);
  });
});
