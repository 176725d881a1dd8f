/**
 * The market routes in the Workers runtime against the real MarketDO: the
 * registry, tick validation with a reason per tick, gap-free q, bars built
 * from trades, Yahoo history import, the snapshot, the clock, and bad input
 * on every route (a 4xx that changes nothing).
 */
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { api, randomClientIp, registerUser } from "./helpers/auth";
import { postTicks, registerFeeder } from "./helpers/market";

let feeder: { token: string };
let user: { access_token: string };

beforeAll(async () => {
  feeder = await registerFeeder();
  user = await registerUser();
});

const snapshot = async (symbol: string) => (await api("GET", `/v1/market/${symbol}/snapshot`, { token: user.access_token })).body;

describe("symbols and clock", () => {
  it("lists the registry and answers the clock from the simulated calendar", async () => {
    const r = await api("GET", "/v1/market/symbols");
    expect(r.status).toBe(200);
    const aapl = r.body.data.find((s: any) => s.symbol === "AAPL");
    expect(aapl).toEqual({
      symbol: "AAPL",
      name: "Apple Inc.",
      asset_class: "us_equity",
      currency: "USD",
      price_precision: 2,
      fractionable: true,
      demo: true,
    });
    expect(r.body.data.find((s: any) => s.symbol === "BTC-USD").asset_class).toBe("crypto");
    expect(r.body.data.length).toBeGreaterThanOrEqual(100);
    expect(r.body.data.find((s: any) => s.symbol === "GOOGL").demo).toBe(false);

    const clock = await api("GET", "/v1/market/clock");
    expect(clock.status).toBe(200);
    // wrangler.toml's default is the exchange calendar: Mon–Fri 14:30–21:00 UTC.
    expect(clock.body.calendar).toBe("exchange");
    const now = new Date(clock.body.timestamp);
    const minutes = now.getUTCHours() * 60 + now.getUTCMinutes();
    const weekday = now.getUTCDay() >= 1 && now.getUTCDay() <= 5;
    expect(clock.body.is_open).toBe(weekday && minutes >= 870 && minutes < 1260);
    const nextOpen = new Date(clock.body.next_open);
    const nextClose = new Date(clock.body.next_close);
    expect(nextOpen.getTime()).toBeGreaterThan(now.getTime());
    expect(nextClose.getTime()).toBeGreaterThan(now.getTime());
    expect(nextOpen.toISOString().slice(11, 16)).toBe("14:30");
    expect(nextClose.toISOString().slice(11, 16)).toBe("21:00");
    expect([1, 2, 3, 4, 5]).toContain(nextOpen.getUTCDay());
  });
});

describe("symbol filters", () => {
  const list = (query: string) => api("GET", `/v1/market/symbols?${query}`);
  it("filters by asset_class and q (symbol or name, case-insensitive, exact symbol first) and keeps the list shape", async () => {
    const all = (await list("")).body.data;
    const crypto = await list("asset_class=crypto");
    expect(crypto.status).toBe(200);
    expect(Object.keys(crypto.body).sort()).toEqual(["data", "object"]);
    expect(crypto.body.data.map((s: any) => s.symbol)).toEqual(
      all.filter((s: any) => s.asset_class === "crypto").map((s: any) => s.symbol),
    );
    expect(crypto.body.data.length).toBeGreaterThanOrEqual(4);
    expect((await list("q=microsoft")).body.data.map((s: any) => s.symbol)).toEqual(["MSFT"]);
    const v = (await list("q=v&asset_class=us_equity")).body.data.map((s: any) => s.symbol);
    expect(v[0]).toBe("V");
    expect(v).toContain("VTI");
    expect(v).toContain("NVDA"); // NVIDIA: the symbol contains V
    expect((await list("q=%20BTC%20")).body.data.map((s: any) => s.symbol)).toEqual(["BTC-USD"]);
    expect((await list("q=bitcoin&asset_class=us_equity")).body.data).toEqual([]);
  });

  it("refuses bad filters with 400 validation_error naming the field", async () => {
    const cases: [string, string][] = [
      ["asset_class=stock", "asset_class"],
      ["asset_class=", "asset_class"],
      ["q=", "q"],
      ["q=%20%20", "q"],
      [`q=${"x".repeat(41)}`, "q"],
    ];
    for (const [query, field] of cases) {
      const r = await list(query);
      expect(r.status, query).toBe(400);
      expect(r.body.error.code, query).toBe("validation_error");
      expect(JSON.stringify(r.body.error), query).toContain(field);
    }
  });
});

describe("ticks", () => {
  it("accepts good ticks with gap-free q and refuses each bad one with its reason, changing nothing", async () => {
    const before = await snapshot("MSFT");
    const t = Date.now();
    const r = await postTicks(feeder.token, [
      { symbol: "MSFT", price: 410.25, size: 10, t },
      { symbol: "MSFT", price: -1, t },
      { symbol: "MSFT", price: 0, t },
      { symbol: "MSFT", price: 410.255, t },
      { symbol: "NOPE", price: 1, t },
      { symbol: "MSFT", price: 410.5, size: 0.5, t: t + 1 },
      { symbol: "MSFT", price: 400, t: t - 60_000 },
      { symbol: "MSFT", price: 400, t: t + 3_600_000 },
      { symbol: "MSFT", price: 400, size: -2, t },
    ]);
    expect(r.status).toBe(200);
    expect(r.body.accepted).toBe(2);
    expect(r.body.refused).toBe(7);
    const reasons = r.body.results.map((x: any) => x.reason ?? x.q);
    expect(reasons).toEqual([
      before.seq + 1,
      "price must be a positive finite number",
      "price must be a positive finite number",
      "price has more than 2 decimals",
      "unknown symbol",
      before.seq + 2,
      "t is too far behind the latest trade",
      "t is in the future",
      "size must be a non-negative number with at most 9 decimals",
    ]);
    // JSON's 1e400 is Infinity once parsed: refused for itself, not the batch.
    const inf = await api("POST", "/v1/market/ticks", {
      token: feeder.token,
      rawBody: `{"ticks":[{"symbol":"MSFT","price":1e400,"t":${t}}]}`,
    });
    expect(inf.body.results).toEqual([{ index: 0, status: "refused", reason: "price must be a positive finite number" }]);
    const after = await snapshot("MSFT");
    expect(after.seq).toBe(before.seq + 2);
    expect(after.latest_trade).toEqual({ p: "410.5", s: "0.5", t: new Date(t + 1).toISOString(), q: before.seq + 2 });
  });

  it("builds minute, hour and day bars from trades", async () => {
    const base = Date.now();
    const r = await postTicks(feeder.token, [
      { symbol: "NVDA", price: 100, size: 1, t: base },
      { symbol: "NVDA", price: 103.5, size: 2, t: base },
      { symbol: "NVDA", price: 99.25, size: 3, t: base },
      { symbol: "NVDA", price: 101, size: 4, t: base },
    ]);
    expect(r.body.accepted).toBe(4);
    const minute = Math.floor(base / 60_000) * 60_000;
    const bars = await api("GET", `/v1/market/NVDA/bars?timeframe=1Min&from=${new Date(minute).toISOString()}`, {
      token: user.access_token,
    });
    expect(bars.status).toBe(200);
    const bar = bars.body.data.find((b: any) => b.t === new Date(minute).toISOString());
    expect(bar).toMatchObject({ h: "103.5", l: "99.25", c: "101", v: "10" });
    const snap = await snapshot("NVDA");
    expect(snap.minute_bar.t).toBe(new Date(minute).toISOString());
    expect(snap.daily_bar.t).toBe(new Date(Math.floor(base / 86_400_000) * 86_400_000).toISOString());
    // The simulator's year of daily bars is there, so the previous close is too.
    expect(snap.prev_close).toMatch(/^\d+(\.\d{1,2})?$/);
  });

  it("is for feeders and admins only", async () => {
    const r = await postTicks(user.access_token, [{ symbol: "AAPL", price: 1, t: Date.now() }]);
    expect(r.status).toBe(403);
    expect((await postTicks("", [{ symbol: "AAPL", price: 1, t: Date.now() }])).status).toBe(401);
  });

  it("refuses malformed batches as a whole with 400", async () => {
    const before = await snapshot("AMZN");
    for (const body of [
      {},
      { ticks: [] },
      { ticks: [{ symbol: "AMZN", price: "1", t: 1 }] },
      { ticks: [{ symbol: "AMZN", price: 1 }] },
      { ticks: [{ symbol: "AMZN", price: 1, t: 1, x: 1 }] },
    ]) {
      const r = await api("POST", "/v1/market/ticks", { token: feeder.token, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe("validation_error");
    }
    expect((await api("POST", "/v1/market/ticks", { token: feeder.token, rawBody: "{" })).status).toBe(400);
    expect((await snapshot("AMZN")).seq).toBe(before.seq);
  });
});

const CSV = `Date,Open,High,Low,Close,Adj Close,Volume
2021-03-05,120.98,121.94,117.57,121.42,119.52,153766600
2021-03-04,121.75,123.60,118.62,120.13,118.25,178155000
2021-03-03,124.81,125.71,121.84,122.06,120.15,112966300
2021-03-02,null,null,null,null,null,null
2021-03-01,123.75,127.93,122.79,127.79,125.79,116307900
`;

describe("history import", () => {
  const csv = (body: string, token = feeder.token, type = "text/csv") =>
    fetchRaw("POST", "/v1/market/TSLA/history", body, { authorization: `Bearer ${token}`, "content-type": type });

  it("imports Yahoo daily bars newest-first, skipping null rows, and serves them as 1Day bars", async () => {
    const r = await csv(CSV);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ symbol: "TSLA", imported: 4, skipped: 1 });
    const bars = await api("GET", "/v1/market/TSLA/bars?timeframe=1Day&from=2021-03-01T00:00:00Z&to=2021-03-06T00:00:00Z&limit=2", {
      token: user.access_token,
    });
    expect(bars.status).toBe(200);
    expect(bars.body.data).toEqual([
      { t: "2021-03-01T00:00:00.000Z", o: "123.75", h: "127.93", l: "122.79", c: "127.79", v: "116307900", n: 0 },
      { t: "2021-03-03T00:00:00.000Z", o: "124.81", h: "125.71", l: "121.84", c: "122.06", v: "112966300", n: 0 },
    ]);
    expect(bars.body.has_more).toBe(true);
    const next = await api(
      "GET",
      `/v1/market/TSLA/bars?timeframe=1Day&from=2021-03-01T00:00:00Z&to=2021-03-06T00:00:00Z&limit=2&cursor=${bars.body.next_cursor}`,
      {
        token: user.access_token,
      },
    );
    expect(next.body.data.map((b: any) => b.c)).toEqual(["120.13", "121.42"]);
    expect(next.body.has_more).toBe(false);
  });

  it("refuses a bad file whole, with its line, and imports nothing", async () => {
    const bad = [
      ["Date,Open,High,Low,Close,Volume\n2021-01-04,1,1,1,1,1", 1],
      [`${CSV.split("\n")[0]}\n2021-01-04,1,1,1,1,1,1\n2021-01-05,1.001,1,1,1,1,1`, 3],
      [`${CSV.split("\n")[0]}\n2021-02-30,1,1,1,1,1,1`, 2],
      [`${CSV.split("\n")[0]}\n2021-01-04,1,0.5,1,1,1,1`, 2],
      [`${CSV.split("\n")[0]}\n2021-01-04,-1,1,1,1,1,1`, 2],
    ] as const;
    for (const [body, line] of bad) {
      const r = await csv(body);
      expect(r.status, body).toBe(400);
      expect(r.body.error.details.line).toBe(line);
    }
    const bars = await api("GET", "/v1/market/TSLA/bars?timeframe=1Day&from=2021-01-04T00:00:00Z&to=2021-01-06T00:00:00Z", {
      token: user.access_token,
    });
    expect(bars.body.data).toEqual([]);
    expect((await csv(CSV, feeder.token, "application/json")).status).toBe(415);
    expect((await csv(CSV, feeder.token, "text/plain")).status).toBe(415);
    expect((await csv(CSV, user.access_token)).status).toBe(403);
    expect(
      (await fetchRaw("POST", "/v1/market/ZZZZ/history", CSV, { authorization: `Bearer ${feeder.token}`, "content-type": "text/csv" }))
        .status,
    ).toBe(404);
  });
});

describe("bad input on the read routes", () => {
  it("answers 4xx in the envelope", async () => {
    const token = user.access_token;
    const cases: [string, number][] = [
      ["/v1/market/aapl/snapshot", 400],
      ["/v1/market/ZZZZ/snapshot", 404],
      ["/v1/market/AAPL/bars", 400],
      ["/v1/market/AAPL/bars?timeframe=5Min", 400],
      ["/v1/market/AAPL/bars?timeframe=1Day&from=yesterday", 400],
      ["/v1/market/AAPL/bars?timeframe=1Day&from=2021-01-02T00:00:00Z&to=2021-01-01T00:00:00Z", 400],
      ["/v1/market/AAPL/bars?timeframe=1Day&limit=0", 400],
      ["/v1/market/AAPL/bars?timeframe=1Day&cursor=%%%", 400],
      ["/v1/market/ZZZZ/bars?timeframe=1Day", 404],
    ];
    for (const [path, status] of cases) {
      const r = await api("GET", path, { token });
      expect(r.status, path).toBe(status);
      expect(r.body.error.code).toBeTypeOf("string");
    }
    expect((await api("GET", "/v1/market/AAPL/snapshot")).status).toBe(401);
    expect((await api("GET", "/v1/market/stream")).status).toBe(400);
  });
});

async function fetchRaw(method: string, path: string, body: string, headers: Record<string, string>) {
  const r = await exports.default.fetch(`http://x${path}`, { method, body, headers: { ...headers, "cf-connecting-ip": randomClientIp() } });
  return { status: r.status, body: await r.json<any>() };
}
