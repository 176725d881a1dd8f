/**
 * /v1/watchlist: replace, add (idempotent, capped), remove; symbols validated
 * against the registry and upper-cased; per user; news relevance uses it.
 */
import { describe, expect, it } from "vitest";
import { WATCHLIST_MAX } from "../src/db/watchlist";
import { randomToken } from "../src/domain/ids";
import { SYMBOLS } from "../src/domain/market/symbols";
import { api, registerUser } from "./helpers/auth";
import { registerFeeder } from "./helpers/market";

describe("/v1/watchlist", () => {
  it("replaces, adds idempotently in order, removes; lower case is canonicalized; another user's list is separate", async () => {
    const u = await registerUser();
    const t = u.access_token;
    expect((await api("GET", "/v1/watchlist", { token: t })).body).toEqual({
      object: "watchlist",
      symbols: [],
      max_symbols: WATCHLIST_MAX,
    });
    const put = await api("PUT", "/v1/watchlist", { token: t, body: { symbols: ["nvda", "AAPL"] } });
    expect(put.status).toBe(200);
    expect(put.body.symbols).toEqual(["NVDA", "AAPL"]);
    const add = await api("POST", "/v1/watchlist/symbols", { token: t, body: { symbol: "msft" } });
    expect(add.body.symbols).toEqual(["NVDA", "AAPL", "MSFT"]);
    expect((await api("POST", "/v1/watchlist/symbols", { token: t, body: { symbol: "NVDA" } })).body.symbols).toEqual([
      "NVDA",
      "AAPL",
      "MSFT",
    ]);
    const del = await api("DELETE", "/v1/watchlist/symbols/aapl", { token: t });
    expect(del.status).toBe(200);
    expect(del.body.symbols).toEqual(["NVDA", "MSFT"]);
    expect((await api("DELETE", "/v1/watchlist/symbols/AAPL", { token: t })).status).toBe(404);
    const other = await registerUser();
    expect((await api("GET", "/v1/watchlist", { token: other.access_token })).body.symbols).toEqual([]);
    expect((await api("DELETE", "/v1/watchlist/symbols/NVDA", { token: other.access_token })).status).toBe(404);
    expect((await api("GET", "/v1/watchlist", { token: t })).body.symbols).toEqual(["NVDA", "MSFT"]);
  });

  it("refuses bad input with 400, no token with 401, a full list with 409", async () => {
    const t = (await registerUser()).access_token;
    for (const body of [{ symbols: ["NOPE"] }, { symbols: ["AAPL", "aapl"] }, { symbols: "AAPL" }, {}, { symbols: [], x: 1 }])
      expect((await api("PUT", "/v1/watchlist", { token: t, body })).status, JSON.stringify(body)).toBe(400);
    for (const body of [{ symbol: "NOPE" }, { symbol: "" }, {}, { symbol: 5 }])
      expect((await api("POST", "/v1/watchlist/symbols", { token: t, body })).status, JSON.stringify(body)).toBe(400);
    expect((await api("DELETE", "/v1/watchlist/symbols/NOPE", { token: t })).status).toBe(400);
    expect((await api("GET", "/v1/watchlist")).status).toBe(401);
    const tooMany = Array.from({ length: WATCHLIST_MAX + 1 }, (_, i) => `X${i}`);
    expect((await api("PUT", "/v1/watchlist", { token: t, body: { symbols: tooMany } })).status).toBe(400);
  });

  it("answers 409 when a full list gets one more symbol, changing nothing; a listed symbol stays idempotent", async () => {
    const t = (await registerUser()).access_token;
    expect(SYMBOLS.length).toBeGreaterThan(WATCHLIST_MAX);
    const full = SYMBOLS.slice(0, WATCHLIST_MAX).map((s) => s.symbol);
    expect((await api("PUT", "/v1/watchlist", { token: t, body: { symbols: full } })).body.symbols).toEqual(full);
    const more = await api("POST", "/v1/watchlist/symbols", { token: t, body: { symbol: SYMBOLS[WATCHLIST_MAX]!.symbol } });
    expect(more.status).toBe(409);
    expect(more.body.error.code).toBe("conflict");
    expect(more.body.error.details).toEqual({ max_symbols: WATCHLIST_MAX });
    const again = await api("POST", "/v1/watchlist/symbols", { token: t, body: { symbol: full[3]!.toLowerCase() } });
    expect(again.status).toBe(200);
    expect(again.body.symbols).toEqual(full);
    expect((await api("GET", "/v1/watchlist", { token: t })).body.symbols).toEqual(full);
    // After a removal there is room again.
    await api("DELETE", `/v1/watchlist/symbols/${full[0]}`, { token: t });
    const added = await api("POST", "/v1/watchlist/symbols", { token: t, body: { symbol: SYMBOLS[WATCHLIST_MAX]!.symbol } });
    expect(added.status).toBe(200);
    expect(added.body.symbols).toEqual([...full.slice(1), SYMBOLS[WATCHLIST_MAX]!.symbol]);
  });

  it("ranks news about watched symbols higher in sort=relevant and reports them as matched", async () => {
    const feeder = (await registerFeeder()).token;
    const topic = `t${randomToken().slice(0, 12)}`;
    const mk = (symbols: string[], ageMin: number) => {
      const id = `test-${randomToken()}`;
      const published_at = new Date(Date.now() - ageMin * 60_000).toISOString();
      return { id, title: id, summary: "S.", url: `https://news.example/${id}`, source: "W", published_at, topics: [topic], symbols };
    };
    const [newer, watched] = [mk(["MSFT"], 1), mk(["NVDA"], 30)];
    expect((await api("POST", "/v1/news", { token: feeder, body: { articles: [newer, watched] } })).status).toBe(200);
    const u = await registerUser();
    const feed = () => api("GET", `/v1/news?topic=${topic}&sort=relevant`, { token: u.access_token });
    expect((await feed()).body.data.map((a: { id: string }) => a.id)).toEqual([newer.id, watched.id]);
    await api("POST", "/v1/watchlist/symbols", { token: u.access_token, body: { symbol: "NVDA" } });
    const after = await feed();
    expect(after.body.data.map((a: { id: string }) => a.id)).toEqual([watched.id, newer.id]);
    expect(after.body.data[0].matched.watched).toEqual(["NVDA"]);
  });
});
