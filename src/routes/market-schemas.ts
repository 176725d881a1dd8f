/** Zod schemas of the market routes (symbols, ticks, history, snapshot, bars, clock, the stream). */
import { z } from "@hono/zod-openapi";
import { TIMEFRAMES } from "../domain/market/bars";
import { SYMBOL_PATTERN } from "../domain/market/symbols";

const dec = (description: string, example: string) =>
  z.string().openapi({ description: `${description} (a decimal string, exact)`, example });

export const SymbolParam = z.object({
  symbol: z
    .string()
    .regex(SYMBOL_PATTERN, "must be a symbol: 1–12 of A-Z, 0-9, '.', '-'")
    .openapi({ param: { name: "symbol", in: "path" }, example: "AAPL" }),
});

export const MarketSymbol = z
  .object({
    symbol: z.string().openapi({ example: "AAPL" }),
    name: z.string(),
    asset_class: z.enum(["us_equity", "crypto"]),
    currency: z.literal("USD"),
    price_precision: z.number().int().openapi({ description: "Decimal places a price may have" }),
    fractionable: z.boolean().openapi({ description: "Whether quantities may have up to 9 decimals" }),
    demo: z.boolean().openapi({
      description: "A demo symbol: `npm run dev` loads its year of daily bars and its simulator runs for the demo trades",
    }),
  })
  .openapi("MarketSymbol");

export const SymbolsQuery = z.object({
  asset_class: z.enum(["us_equity", "crypto"]).optional().openapi({ description: "Only symbols of this asset class" }),
  q: z.string().trim().min(1, "must not be empty").max(40, "must be at most 40 characters").optional().openapi({
    description:
      "Case-insensitive search in the symbol and the name (substring); an exact symbol comes first, then symbols starting with q, then the rest in registry order",
    example: "apple",
  }),
});

export const SymbolList = z.object({ object: z.literal("list"), data: z.array(MarketSymbol) }).openapi("MarketSymbolList");

const anyNumber = z.custom<number>((v) => typeof v === "number");
export const MAX_TICKS_PER_BATCH = 1_000;

export const TickBatch = z
  .object({
    ticks: z
      .array(
        z
          .object({
            symbol: z.string().max(16).openapi({ example: "AAPL" }),
            price: anyNumber.openapi({
              type: "number",
              description: "Positive, with at most the symbol's price_precision decimals",
              example: 187.25,
            }),
            size: anyNumber
              .optional()
              .openapi({ type: "number", description: "Shares or coins, at most 9 decimals (default 0)", example: 100 }),
            t: anyNumber.openapi({ type: "integer", description: "Trade time, epoch milliseconds", example: 1767225600000 }),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_TICKS_PER_BATCH),
  })
  .strict()
  .openapi("TickBatch");

export const TickResults = z
  .object({
    accepted: z.number().int(),
    refused: z.number().int(),
    results: z.array(
      z.object({
        index: z.number().int().openapi({ description: "The tick's place in the request" }),
        status: z.enum(["accepted", "refused"]),
        q: z.number().int().optional().openapi({ description: "The accepted trade's place in the symbol's gap-free sequence" }),
        reason: z.string().optional().openapi({ description: "Why a tick was refused" }),
      }),
    ),
  })
  .openapi("TickResults");

export const HistoryImported = z
  .object({ symbol: z.string(), imported: z.number().int(), skipped: z.number().int().openapi({ description: "Rows of nulls" }) })
  .openapi("HistoryImported");

export const Bar = z
  .object({
    t: z.string().openapi({ description: "Bucket start (RFC 3339, UTC)" }),
    o: dec("Open", "187.10"),
    h: dec("High", "188.00"),
    l: dec("Low", "186.90"),
    c: dec("Close", "187.25"),
    v: dec("Volume", "12500"),
    n: z.number().int().openapi({ description: "Trades in the bar (0 for imported history)" }),
  })
  .openapi("Bar");

export const Snapshot = z
  .object({
    symbol: z.string(),
    seq: z.number().int().openapi({ description: "The latest trade's q; the next trade on the stream is seq + 1" }),
    status: z.enum(["open", "closed", "halted"]),
    latest_trade: z.object({ p: dec("Price", "187.25"), s: dec("Size", "100"), t: z.string(), q: z.number().int() }).nullable(),
    minute_bar: Bar.nullable(),
    daily_bar: Bar.nullable(),
    prev_close: dec("The previous daily bar's close", "186.40").nullable(),
  })
  .openapi("Snapshot");

export const BarsQuery = z.object({
  timeframe: z.enum(TIMEFRAMES).openapi({ description: "Bar size" }),
  from: z
    .string()
    .datetime({ offset: true })
    .optional()
    .openapi({ description: "Bars starting at or after (RFC 3339); default: 1000 bars back" }),
  to: z.string().datetime({ offset: true }).optional().openapi({ description: "Bars starting before (RFC 3339); default: now" }),
  limit: z
    .string()
    .regex(/^[1-9][0-9]{0,3}$/, "must be an integer 1–1000")
    .transform(Number)
    .pipe(z.number().int().min(1).max(1000))
    .optional()
    .openapi({ type: "integer", minimum: 1, maximum: 1000, default: 500 }),
  cursor: z.string().max(64).optional().openapi({ description: "next_cursor of the previous page" }),
});

export const BarPage = z
  .object({
    object: z.literal("list"),
    symbol: z.string(),
    timeframe: z.enum(TIMEFRAMES),
    data: z.array(Bar),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .openapi("BarPage");

export const MarketClock = z
  .object({
    timestamp: z.string(),
    is_open: z.boolean().openapi({ description: "Whether US equities trade now (crypto always does)" }),
    next_open: z.string().nullable().openapi({ description: "null in always_open mode" }),
    next_close: z.string().nullable().openapi({ description: "null in always_open mode" }),
    calendar: z.enum(["always_open", "exchange"]),
  })
  .openapi("MarketClock");
