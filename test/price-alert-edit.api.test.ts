/**
 * PATCH /v1/alerts/price/{id} in the Workers runtime against the real MarketDO
 * and UserDO: an edit replaces the rule's terms and re-arms a triggered rule,
 * the symbol object evaluates the new threshold (not the old one); another
 * user's id is a 404 and bad input is a 4xx, neither changing the rule.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { api, registerUser } from "./helpers/auth";
import { postTicks, registerFeeder } from "./helpers/market";

let feeder: { token: string };
type User = Awaited<ReturnType<typeof registerUser>>;

beforeAll(async () => {
  feeder = await registerFeeder();
});

const get = (u: User, id: string) => api("GET", `/v1/alerts/price/${id}`, { token: u.access_token });
const edit = (u: User, id: string, body: unknown) => api("PATCH", `/v1/alerts/price/${id}`, { token: u.access_token, body });

async function trade(symbol: string, ...prices: number[]) {
  const t0 = Date.now();
  const r = await postTicks(
    feeder.token,
    prices.map((price, i) => ({ symbol, price, size: 1, t: t0 + i })),
  );
  expect(r.status).toBe(200);
  expect(r.body.accepted).toBe(prices.length);
}

describe("editing a price alert rule", () => {
  it("replaces the terms, re-arms a triggered rule, and the symbol evaluates the new value", async () => {
    const u = await registerUser();
    const created = await api("POST", "/v1/alerts/price", {
      token: u.access_token,
      body: { symbol: "MSFT", condition: "greater_than", value: "100", frequency: "once" },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await trade("MSFT", 101);
    expect((await get(u, id)).body).toMatchObject({ status: "triggered", trigger_count: 1 });

    const r = await edit(u, id, { value: "200.5" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id, status: "active", value: "200.5", condition: "greater_than", trigger_count: 1 });
    await trade("MSFT", 150);
    expect((await get(u, id)).body).toMatchObject({ status: "active", trigger_count: 1 });
    await trade("MSFT", 201);
    expect((await get(u, id)).body).toMatchObject({ status: "triggered", trigger_count: 2, last_triggered_price: "201" });

    const e = await edit(u, id, {
      condition: "less_than",
      frequency: "every_time",
      expires_at: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(e.status).toBe(200);
    expect(e.body).toMatchObject({ status: "active", condition: "less_than", frequency: "every_time", value: "200.5" });
    expect(e.body.expires_at).not.toBeNull();
    const cleared = await edit(u, id, { expires_at: null });
    expect(cleared.body.expires_at).toBeNull();
  });

  it("another user's id is a 404 and bad input is a 4xx; the rule stays as it was", async () => {
    const u = await registerUser();
    const other = await registerUser();
    const created = await api("POST", "/v1/alerts/price", {
      token: u.access_token,
      body: { symbol: "AAPL", condition: "crossing_up", value: "150" },
    });
    const id = created.body.id as string;
    const before = (await get(u, id)).body;
    expect((await edit(other, id, { value: "1" })).status).toBe(404);
    expect((await edit(u, "pal_0123456789abcdefghjk", { value: "1" })).status).toBe(404);
    for (const bad of [
      {},
      { value: "abc" },
      { value: "-1" },
      { value: "1.123" },
      { condition: "percent_change_up", value: "1500" },
      { condition: "sideways" },
      { frequency: "hourly" },
      { expires_at: "2020-01-01T00:00:00Z" },
      { expires_at: "tomorrow" },
      { symbol: "MSFT" },
    ]) {
      const r = await edit(u, id, bad);
      expect(r.status, JSON.stringify(bad)).toBeGreaterThanOrEqual(400);
      expect(r.status, JSON.stringify(bad)).toBeLessThan(500);
    }
    expect((await get(u, id)).body).toEqual(before);
  });
});
