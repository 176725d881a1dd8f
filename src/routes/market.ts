/** Market reads: the symbol registry, the clock, a symbol's snapshot and bars (state in each symbol's MarketDO). */
import { createRoute, z } from "@hono/zod-openapi";
import { bucketStart, type Timeframe } from "../domain/market/bars";
import { calendarMode, clockAt } from "../domain/market/clock";
import { DomainError } from "../domain/errors";
import { searchSymbols, type SymbolSpec, symbolSpec } from "../domain/market/symbols";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { bearerSecurity, createRouter, errorResponses, jsonResponse, publicSecurity } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { marketStub } from "../lib/market-rpc";
import { BarPage, BarsQuery, MarketClock, SymbolList, SymbolParam, SymbolsQuery, Snapshot } from "./market-schemas";

const tags = ["market"];
const BUCKET_MS: Record<Timeframe, number> = { "1Min": 60_000, "1Hour": 3_600_000, "1Day": 86_400_000 };

/** The registered symbol named in a path, or a 404. */
export function knownSymbol(symbol: string): SymbolSpec {
  const spec = symbolSpec(symbol);
  if (!spec) throw new DomainError("not_found", `No symbol ${symbol}`);
  return spec;
}

const publicSymbol = (s: SymbolSpec) => ({
  symbol: s.symbol,
  name: s.name,
  asset_class: s.asset_class,
  currency: s.currency,
  price_precision: s.price_precision,
  fractionable: s.fractionable,
  demo: s.demo,
});

const listSymbols = createRoute({
  method: "get",
  path: "/market/symbols",
  tags,
  operationId: "listMarketSymbols",
  summary: "The tradable symbols",
  security: publicSecurity,
  description:
    "The registered symbols with their asset class, currency, price precision, whether they are fractionable and whether they are demo symbols; filtered by `asset_class` and a search text `q`. The whole registry fits in one page (no cursor).",
  request: { query: SymbolsQuery },
  responses: { 200: jsonResponse(SymbolList, "Symbols"), ...errorResponses(400) },
});

const getClock = createRoute({
  method: "get",
  path: "/market/clock",
  tags,
  operationId: "getMarketClock",
  summary: "The market clock",
  security: publicSecurity,
  description:
    "Whether US equities trade now and the next open and close, from the simulated calendar: `exchange` (Mon–Fri 14:30–21:00 UTC, no holidays) or `always_open` (the MARKET_CALENDAR variable; local dev's default). Crypto trades around the clock in both.",
  responses: { 200: jsonResponse(MarketClock, "The clock"), ...errorResponses() },
});

const getSnapshot = createRoute({
  method: "get",
  path: "/market/{symbol}/snapshot",
  tags,
  operationId: "getMarketSnapshot",
  summary: "Latest trade, minute bar, daily bar, previous close and seq",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "A symbol's state now. `seq` is its latest trade's q: a stream client that sees a gap resyncs from here.",
  request: { params: SymbolParam },
  responses: { 200: jsonResponse(Snapshot, "The snapshot"), ...errorResponses(400, 401, 404) },
});

const getBars = createRoute({
  method: "get",
  path: "/market/{symbol}/bars",
  tags,
  operationId: "listMarketBars",
  summary: "OHLCV bars",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Bars of one timeframe starting in [from, to), oldest first, a page at a time (follow next_cursor).",
  request: { params: SymbolParam, query: BarsQuery },
  responses: { 200: jsonResponse(BarPage, "Bars"), ...errorResponses(400, 401, 404) },
});

export const marketRouter = createRouter()
  .openapi(listSymbols, (c) => {
    const { asset_class, q } = c.req.valid("query");
    return c.json({ object: "list" as const, data: searchSymbols(asset_class, q).map(publicSymbol) }, 200);
  })
  .openapi(getClock, (c) => {
    const mode = calendarMode(c.env.MARKET_CALENDAR);
    const clock = clockAt(mode, Date.now());
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    return c.json(
      {
        timestamp: iso(clock.timestamp)!,
        is_open: clock.is_open,
        next_open: iso(clock.next_open),
        next_close: iso(clock.next_close),
        calendar: mode,
      },
      200,
    );
  })
  .openapi(getSnapshot, async (c) => {
    const spec = knownSymbol(c.req.valid("param").symbol);
    return c.json(await marketStub(c.env, spec.symbol).snapshot(), 200);
  })
  .openapi(getBars, async (c) => {
    const spec = knownSymbol(c.req.valid("param").symbol);
    const q = c.req.valid("query");
    const to = q.to ? Date.parse(q.to) : Date.now() + 1;
    const limit = q.limit ?? 500;
    const from = q.from ? Date.parse(q.from) : bucketStart(to, q.timeframe) - 1000 * BUCKET_MS[q.timeframe];
    if (from >= to) throw new DomainError("validation_error", "from must be before to", { field: "from" });
    const after = decodeCursor(q.cursor, z.object({ t: z.number().int(), tf: z.string() }));
    if (after && after.tf !== q.timeframe) throw new DomainError("validation_error", "Invalid cursor", { field: "cursor" });
    const page = await marketStub(c.env, spec.symbol).bars(q.timeframe, from, to, after?.t ?? null, limit);
    return c.json(
      {
        object: "list" as const,
        symbol: spec.symbol,
        timeframe: q.timeframe,
        data: page.bars,
        has_more: page.next !== null,
        next_cursor: page.next === null ? null : encodeCursor({ t: page.next, tf: q.timeframe }),
      },
      200,
    );
  });
