/** Schemas of /v1/watchlist: registry symbols, upper-cased to their canonical form, at most WATCHLIST_MAX, no repeats. */
import { z } from "@hono/zod-openapi";
import { WATCHLIST_MAX } from "../db/watchlist";
import { SYMBOL_PATTERN, symbolSpec } from "../domain/market/symbols";

export const WatchSymbol = z
  .string()
  .max(12)
  .trim()
  .toUpperCase()
  .regex(SYMBOL_PATTERN, "must be a symbol: 1–12 of A-Z, 0-9, '.', '-'")
  .refine((s) => symbolSpec(s) !== undefined, "must be a registered symbol (GET /v1/market/symbols)")
  .openapi({ example: "AAPL", description: "A registered symbol; lower case is accepted and stored upper-case" });

export const WatchSymbolParam = z.object({ symbol: WatchSymbol.openapi({ param: { name: "symbol", in: "path" } }) });

export const Watchlist = z
  .object({
    object: z.literal("watchlist"),
    symbols: z.array(z.string()).openapi({ description: "In the order they were put on the list" }),
    max_symbols: z.number().int(),
  })
  .openapi("Watchlist", { example: { object: "watchlist", symbols: ["AAPL", "NVDA"], max_symbols: WATCHLIST_MAX } });

export const ReplaceWatchlist = z
  .object({
    symbols: z
      .array(WatchSymbol)
      .max(WATCHLIST_MAX)
      .refine((a) => new Set(a).size === a.length, "must not repeat a symbol"),
  })
  .strict()
  .openapi("ReplaceWatchlist", { example: { symbols: ["AAPL", "NVDA"] } });

export const AddWatchSymbol = z
  .object({ symbol: WatchSymbol })
  .strict()
  .openapi("AddWatchSymbol", { example: { symbol: "MSFT" } });
