/**
 * The market's moving parts behind the stream: the simulator runs on the
 * symbol's alarm only while a hub listens (and its prices are the reproducible
 * ones of src/domain/market/simulator.ts), price events reach Silver as
 * `market_price_updated`, and connections per user are limited.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { MarketDO } from "../durable/market-do";
import { formatScaled, PRICE_DECIMALS } from "../src/domain/market/decimal";
import { simulatedPrice } from "../src/domain/market/simulator";
import { symbolSpec } from "../src/domain/market/symbols";
import { registerUser } from "./helpers/auth";
import { postTicks, registerFeeder, TestSocket } from "./helpers/market";
import { deliverEvents, rows, waitFor } from "./helpers/pipeline";

let feeder: { token: string };

beforeAll(async () => {
  feeder = await registerFeeder();
});

const market = (symbol: string) => env.MARKET.get(env.MARKET.idFromName(symbol));

describe("the simulator", () => {
  it("ticks on the alarm while someone listens, at the reproducible price, and stops when nobody does", async () => {
    const user = await registerUser();
    const stub = market("BTC-USD");
    // Nobody listens yet: no alarm.
    expect(await runInDurableObject(stub, (_i: MarketDO, state) => state.storage.getAlarm())).toBeNull();
    const s = await TestSocket.authed(user.access_token);
    s.send({ action: "subscribe", trades: ["BTC-USD"] });
    const snap = await s.waitFor((f) => f.T === "snapshot");
    expect(await runInDurableObject(stub, (_i: MarketDO, state) => state.storage.getAlarm())).not.toBeNull();
    const trade = await s.waitFor((f) => f.T === "t", 12_000);
    expect(trade.q).toBe(snap.seq + 1);
    expect(trade.p).toBe(formatScaled(simulatedPrice(symbolSpec("BTC-USD")!, Date.parse(trade.t)), PRICE_DECIMALS));

    s.send({ action: "unsubscribe", trades: ["BTC-USD"] });
    await s.waitFor((f) => f.T === "subscription" && f.trades.length === 0);
    await waitFor(
      async () =>
        await runInDurableObject(stub, (_i: MarketDO, state) => state.storage.sql.exec("SELECT hub FROM listeners").toArray().length === 0),
    );
    // The alarm already set runs once more and sets no other: an idle symbol costs nothing.
    await runDurableObjectAlarm(stub);
    expect(await runInDurableObject(stub, (_i: MarketDO, state) => state.storage.getAlarm())).toBeNull();
    s.ws.close(1000);
  }, 30_000);
});

describe("price events", () => {
  it("reach Silver as market_price_updated, at most one per symbol and minute", async () => {
    const t = Date.now();
    const r = await postTicks(feeder.token, [
      { symbol: "BRK.B", price: 470.1, size: 1, t },
      { symbol: "BRK.B", price: 470.2, size: 1, t: t + 1 },
      { symbol: "BRK.B", price: 470.3, size: 1, t: t + 2 },
    ]);
    expect(r.body.accepted).toBe(3);
    const found = await waitFor(async () => {
      const got = await rows<{ payload: string; occurred_at: string }>(
        "SELECT payload, occurred_at FROM silver_events WHERE type = 'market_price_updated' AND account_id = 'market:BRK.B' AND occurred_at >= ?",
        new Date(Math.floor(t / 60_000) * 60_000).toISOString(),
      );
      return got.length > 0 ? got : null;
    }, 15_000);
    expect(found).toHaveLength(1);
    expect(JSON.parse(found[0]!.payload)).toMatchObject({ symbol: "BRK.B", currency: "USD", price: "470.1", reason: "minute" });
  }, 30_000);

  it("Silver refuses a market price that is not an exact decimal string", async () => {
    const base = {
      event_id: `mkt_test_${crypto.randomUUID()}`,
      type: "market_price_updated",
      version: 1,
      occurred_at: new Date().toISOString(),
      recorded_at: new Date().toISOString(),
      account_id: "market:AAPL",
      user_id: "market",
      seq: 1,
    };
    const payload = { symbol: "AAPL", asset_class: "us_equity", currency: "USD", price: "187.25", reason: "minute", q: 3 };
    const ok = await deliverEvents([{ ...base, payload }]);
    expect(ok.explicitAcks).toHaveLength(1);
    const bad = await deliverEvents([{ ...base, event_id: `${base.event_id}b`, payload: { ...payload, price: 187.25 } }]);
    expect(bad.explicitAcks).toHaveLength(1);
    expect(await rows("SELECT 1 FROM silver_events WHERE event_id = ?", `${base.event_id}b`)).toHaveLength(0);
    expect(await rows("SELECT 1 FROM silver_events WHERE event_id = ?", base.event_id)).toHaveLength(1);
  });
});

describe("limits", () => {
  it("refuses a user's connection past the limit with 4406 and frees the place when one closes", async () => {
    const user = await registerUser();
    const limit = Number(env.STREAM_MAX_CONNECTIONS_PER_USER);
    const open = [];
    for (let i = 0; i < limit; i++) open.push(await TestSocket.authed(user.access_token));
    const extra = await TestSocket.open();
    extra.send({ action: "auth", token: user.access_token });
    expect((await extra.waitClosed()).code).toBe(4406);
    expect(extra.frames).toContainEqual({ T: "error", code: 406, msg: `connection limit exceeded: at most ${limit} per user` });

    open.pop()!.ws.close(1000);
    const again = await waitFor(async () => {
      const s = await TestSocket.open();
      s.send({ action: "auth", token: user.access_token });
      try {
        await s.waitFor((f) => f.T === "success" && f.msg === "authenticated", 2_000);
        return s;
      } catch {
        return null;
      }
    }, 10_000);
    expect(again.closed).toBeNull();
    for (const s of [...open, again]) s.ws.close(1000);
  }, 30_000);

  it("refuses a symbol list longer than a connection may take (400), keeping the socket", async () => {
    const user = await registerUser();
    const s = await TestSocket.authed(user.access_token);
    s.send({ action: "subscribe", trades: Array.from({ length: 101 }, () => "AAPL") });
    await s.waitFor((f) => f.T === "error" && f.code === 400);
    expect(s.closed).toBeNull();
    s.ws.close(1000);
  });
});
