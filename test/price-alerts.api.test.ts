/**
 * Price alerts over HTTP in the Workers runtime, against the real MarketDO
 * and UserDO and the real EVENTS queue consumer: create, list (cursor), get
 * and delete; ticks ingested through POST /v1/market/ticks trigger rules in
 * the symbol's object, whose alert_created events reach the inbox as open
 * alerts with their reasons; once vs every_time; expiry; another user's
 * rules are not found; the per-user limit; bad input on every field is a 4xx
 * that changes nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { api, registerUser } from "./helpers/auth";
import { postTicks, registerFeeder } from "./helpers/market";

let feeder: { token: string };
type User = Awaited<ReturnType<typeof registerUser>>;

beforeAll(async () => {
  feeder = await registerFeeder();
});

const create = (u: User, body: unknown) => api("POST", "/v1/alerts/price", { token: u.access_token, body });
const listAll = async (u: User) => {
  const r = await api("GET", "/v1/alerts/price?limit=100", { token: u.access_token });
  expect(r.status).toBe(200);
  return r.body.data as any[];
};

/** Ticks at increasing times near now (the feed refuses times far from now or behind the latest trade). */
async function trade(symbol: string, ...prices: number[]) {
  const t0 = Date.now();
  const r = await postTicks(
    feeder.token,
    prices.map((price, i) => ({ symbol, price, size: 1, t: t0 + i })),
  );
  expect(r.status).toBe(200);
  expect(r.body.accepted).toBe(prices.length);
}

/** Polls GET /v1/alerts until `match` holds (the queue consumer delivers asynchronously). */
async function alertsUntil(u: User, match: (alerts: any[]) => boolean, ms = 15_000): Promise<any[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await api("GET", "/v1/alerts", { token: u.access_token });
    expect(r.status).toBe(200);
    if (match(r.body.data)) return r.body.data;
    if (Date.now() > deadline) throw new Error(`alerts never matched: ${JSON.stringify(r.body.data)}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

describe("create, list, get, delete", () => {
  it("stores each rule in its symbol's object, lists newest first with a cursor, gets and deletes", async () => {
    const u = await registerUser();
    const a = await create(u, { symbol: "VTI", condition: "crossing_up", value: "300.50", frequency: "once" });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({
      object: "price_alert",
      symbol: "VTI",
      condition: "crossing_up",
      value: "300.5",
      frequency: "once",
      status: "active",
      expires_at: null,
      triggered_at: null,
      trigger_count: 0,
      last_triggered_price: null,
    });
    expect(a.body.id).toMatch(/^pal_[0-9a-z]{20}$/);
    const b = await create(u, { symbol: "BTC-USD", condition: "percent_change_down", value: "2.5" });
    expect(b.status).toBe(201);
    expect(b.body).toMatchObject({ value: "2.5", frequency: "once" });
    const expires = new Date(Date.now() + 86_400_000).toISOString();
    const c = await create(u, { symbol: "VTI", condition: "less_than", value: "1", frequency: "every_time", expires_at: expires });
    expect(c.status).toBe(201);
    expect(c.body.expires_at).toBe(expires);

    const p1 = await api("GET", "/v1/alerts/price?limit=2", { token: u.access_token });
    expect(p1.status).toBe(200);
    expect(p1.body).toMatchObject({ object: "list", has_more: true });
    expect(p1.body.data.map((r: any) => r.id)).toEqual([c.body.id, b.body.id]);
    const p2 = await api("GET", `/v1/alerts/price?limit=2&cursor=${p1.body.next_cursor}`, { token: u.access_token });
    expect(p2.body).toMatchObject({ has_more: false, next_cursor: null });
    expect(p2.body.data.map((r: any) => r.id)).toEqual([a.body.id]);

    const got = await api("GET", `/v1/alerts/price/${b.body.id}`, { token: u.access_token });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(b.body);

    const del = await api("DELETE", `/v1/alerts/price/${b.body.id}`, { token: u.access_token });
    expect(del.status).toBe(204);
    expect((await api("GET", `/v1/alerts/price/${b.body.id}`, { token: u.access_token })).status).toBe(404);
    expect((await api("DELETE", `/v1/alerts/price/${b.body.id}`, { token: u.access_token })).status).toBe(404);
    expect((await listAll(u)).map((r) => r.id)).toEqual([c.body.id, a.body.id]);
  });

  it("another user's rule is not found, and their attempts change nothing", async () => {
    const owner = await registerUser();
    const other = await registerUser();
    const r = await create(owner, { symbol: "VTI", condition: "greater_than", value: "9999" });
    expect(r.status).toBe(201);
    expect((await api("GET", `/v1/alerts/price/${r.body.id}`, { token: other.access_token })).status).toBe(404);
    const del = await api("DELETE", `/v1/alerts/price/${r.body.id}`, { token: other.access_token });
    expect(del.status).toBe(404);
    expect(del.body.error.code).toBe("not_found");
    expect(await listAll(other)).toEqual([]);
    expect((await api("GET", `/v1/alerts/price/${r.body.id}`, { token: owner.access_token })).body).toEqual(r.body);
    expect((await api("GET", "/v1/alerts/price", {})).status).toBe(401);
  });

  it("refuses more than 100 rules per user", async () => {
    const u = await registerUser();
    for (let i = 0; i < 100; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: 10 }, (_, j) => create(u, { symbol: "SPY", condition: "greater_than", value: `${50_000 + i + j}` })),
      );
      expect(batch.map((r) => r.status)).toEqual(Array(10).fill(201));
    }
    const over = await create(u, { symbol: "SPY", condition: "greater_than", value: "1" });
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe("unprocessable");
    const page = await api("GET", "/v1/alerts/price?limit=100", { token: u.access_token });
    expect(page.body.data).toHaveLength(100);
    expect(page.body.has_more).toBe(false);
  });
});

describe("bad input", () => {
  it("refuses every bad field with a 4xx and creates nothing", async () => {
    const u = await registerUser();
    const good = { symbol: "VTI", condition: "crossing_up", value: "300.00", frequency: "once" };
    const cases: [unknown, number][] = [
      [{ ...good, symbol: undefined }, 400],
      [{ ...good, symbol: "vti" }, 400],
      [{ ...good, symbol: "NOPE" }, 400],
      [{ ...good, symbol: 5 }, 400],
      [{ ...good, condition: undefined }, 400],
      [{ ...good, condition: "above" }, 400],
      [{ ...good, value: undefined }, 400],
      [{ ...good, value: 300 }, 400],
      [{ ...good, value: "300.001" }, 400],
      [{ ...good, value: "-1" }, 400],
      [{ ...good, value: "0" }, 400],
      [{ ...good, value: "1e3" }, 400],
      [{ ...good, value: "10000000.01" }, 400],
      [{ ...good, value: "9".repeat(40) }, 400],
      [{ ...good, condition: "percent_change_up", value: "0" }, 400],
      [{ ...good, condition: "percent_change_up", value: "1000.5" }, 400],
      [{ ...good, condition: "percent_change_up", value: "1.234" }, 400],
      [{ ...good, frequency: "always" }, 400],
      [{ ...good, frequency: null }, 400],
      [{ ...good, expires_at: "tomorrow" }, 400],
      [{ ...good, expires_at: new Date(Date.now() - 1_000).toISOString() }, 400],
      [{ ...good, expires_at: new Date(Date.now() + 400 * 86_400_000).toISOString() }, 400],
      [{ ...good, expires_at: 1_900_000_000_000 }, 400],
      [{ ...good, user_id: "usr_someone" }, 400],
      [[good], 400],
      ["x", 400],
    ];
    for (const [body, status] of cases) {
      const r = await create(u, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error.code, JSON.stringify(body)).toMatch(/^(validation_error|invalid_json)$/);
    }
    const raw = await api("POST", "/v1/alerts/price", { token: u.access_token, rawBody: "{not json" });
    expect(raw.status).toBe(400);
    const text = await api("POST", "/v1/alerts/price", { token: u.access_token, headers: { "content-type": "text/plain" }, rawBody: "{}" });
    expect(text.status).toBe(415);
    expect(await listAll(u)).toEqual([]);

    for (const q of ["limit=0", "limit=101", "limit=x", "cursor=%%%", "cursor=eyJ4IjoxfQ"])
      expect((await api("GET", `/v1/alerts/price?${q}`, { token: u.access_token })).status, q).toBe(400);
    for (const id of ["nope", "pal_short", "pal_0123456789ABCDEFGHJK"]) {
      expect((await api("GET", `/v1/alerts/price/${id}`, { token: u.access_token })).status, id).toBe(400);
      expect((await api("DELETE", `/v1/alerts/price/${id}`, { token: u.access_token })).status, id).toBe(400);
    }
    expect((await api("GET", "/v1/alerts/price/pal_0123456789abcdefghjk", { token: u.access_token })).status).toBe(404);
  });
});

describe("triggering through ingested ticks", () => {
  it("a crossing fires once rules a single time and every_time rules again after the price went back (throttled), into the inbox", async () => {
    const u = await registerUser();
    await trade("VTI", 4_400);
    const once = (await create(u, { symbol: "VTI", condition: "crossing_up", value: "4500", frequency: "once" })).body;
    const every = (await create(u, { symbol: "VTI", condition: "crossing_up", value: "4500", frequency: "every_time" })).body;
    const above = (await create(u, { symbol: "VTI", condition: "greater_than", value: "90000" })).body;

    // Up through 4500, back, and up again within the minute.
    await trade("VTI", 4_499.99, 4_600.25, 4_400, 4_601);
    const onceNow = (await api("GET", `/v1/alerts/price/${once.id}`, { token: u.access_token })).body;
    expect(onceNow).toMatchObject({ status: "triggered", trigger_count: 1, last_triggered_price: "4600.25" });
    expect(onceNow.triggered_at).not.toBeNull();
    const everyNow = (await api("GET", `/v1/alerts/price/${every.id}`, { token: u.access_token })).body;
    // The second crossing came inside the throttle minute: not fired, still active.
    expect(everyNow).toMatchObject({ status: "active", trigger_count: 1, last_triggered_price: "4600.25" });
    expect((await api("GET", `/v1/alerts/price/${above.id}`, { token: u.access_token })).body).toMatchObject({
      status: "active",
      trigger_count: 0,
    });

    const alerts = await alertsUntil(u, (a) => a.length >= 2);
    expect(alerts).toHaveLength(2);
    for (const a of alerts) {
      expect(a).toMatchObject({ kind: "alert_created", status: "open", title: "VTI crossed above 4500", link: "/alerts" });
      expect(a.data.reason).toMatchObject({
        kind: "price",
        symbol: "VTI",
        condition: "crossing_up",
        value: "4500",
        observed_price: "4600.25",
        previous_price: "4499.99",
      });
      expect(a.reasons[0]).toContain("VTI traded at 4600.25");
    }
    expect(new Set(alerts.map((a) => a.data.reason.rule_id))).toEqual(new Set([once.id, every.id]));
    const inbox = await api("GET", "/v1/notifications?kind=alert_created", { token: u.access_token });
    expect(inbox.body.data).toHaveLength(2);
    expect(inbox.body.unread_count).toBe(2);

    const ack = await api("POST", `/v1/alerts/${alerts[0].id}/acknowledge`, { token: u.access_token });
    expect(ack.status).toBe(200);
    expect(ack.body.status).toBe("acknowledged");

    // A deleted rule raises nothing more.
    expect((await api("DELETE", `/v1/alerts/price/${every.id}`, { token: u.access_token })).status).toBe(204);
    await trade("VTI", 4_400, 4_700);
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await api("GET", "/v1/alerts", { token: u.access_token })).body.data).toHaveLength(2);
  });

  it("percent change is measured on the previous close", async () => {
    const u = await registerUser();
    await trade("BRK.B", 700);
    const snap = await api("GET", "/v1/market/BRK.B/snapshot", { token: u.access_token });
    if (!snap.body.prev_close) throw new Error("the simulator backfills daily bars: a previous close exists");
    const closeCents = Math.round(Number(snap.body.prev_close) * 100);
    const rule = (await create(u, { symbol: "BRK.B", condition: "percent_change_up", value: "10" })).body;
    await trade("BRK.B", Math.floor(closeCents * 1.09) / 100);
    expect((await api("GET", `/v1/alerts/price/${rule.id}`, { token: u.access_token })).body.trigger_count).toBe(0);
    await trade("BRK.B", (Math.ceil(closeCents * 1.1) + 1) / 100);
    expect((await api("GET", `/v1/alerts/price/${rule.id}`, { token: u.access_token })).body).toMatchObject({
      status: "triggered",
      trigger_count: 1,
    });
    const [alert] = await alertsUntil(u, (a) => a.length === 1);
    expect(alert.data.reason).toMatchObject({ condition: "percent_change_up", value: "10", previous_close: snap.body.prev_close });
  });

  it("an expired rule is evaluated no more", async () => {
    const u = await registerUser();
    await trade("AMZN", 9_000);
    const rule = (
      await create(u, { symbol: "AMZN", condition: "crossing_up", value: "9100", expires_at: new Date(Date.now() + 1_000).toISOString() })
    ).body;
    expect(rule.status).toBe("active");
    await new Promise((r) => setTimeout(r, 1_200));
    expect((await api("GET", `/v1/alerts/price/${rule.id}`, { token: u.access_token })).body.status).toBe("expired");
    await trade("AMZN", 9_050, 9_200);
    const after = (await api("GET", `/v1/alerts/price/${rule.id}`, { token: u.access_token })).body;
    expect(after).toMatchObject({ status: "expired", trigger_count: 0, triggered_at: null });
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await api("GET", "/v1/alerts", { token: u.access_token })).body.data).toEqual([]);
  });
});
