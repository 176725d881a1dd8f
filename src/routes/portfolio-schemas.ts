/** Zod schemas of the portfolio routes: money as exact decimal integer strings, quantities and prices as decimal strings. */
import { z } from "@hono/zod-openapi";
import { MinorTotal } from "./pipeline-schemas";
import { Currency } from "./schemas";

export const PortfolioQuery = z
  .object({ currency: Currency.default("USD").openapi({ description: "Brokerage accounts in this currency (default USD)" }) })
  .strict();

export const HistoryQuery = z
  .object({
    period: z
      .enum(["1M", "3M", "1Y", "all"])
      .default("1M")
      .openapi({ description: "1M = the last 30 days, 3M = 91, 1Y = 365, all = since the first day (at most 3,660 days)", example: "3M" }),
    currency: Currency.default("USD").openapi({ description: "Brokerage accounts in this currency (default USD)" }),
  })
  .strict();

const Weighted = z
  .object({
    key: z.string().openapi({ example: "AAPL" }),
    market_value: MinorTotal,
    weight: z.number().min(0).max(1).openapi({
      description:
        "Share of the total in millionths (≤ 6 decimals), apportioned by the largest remainder: the weights of a list add up to exactly 1",
      example: 0.612345,
    }),
  })
  .openapi("AllocationBucket");

export const Portfolio = z
  .object({
    object: z.literal("portfolio"),
    currency: z.string().openapi({ example: "USD" }),
    as_of: z.string().nullable().openapi({ description: "When Gold last changed (finish of the latest pipeline run)" }),
    accounts: z.array(z.object({ id: z.string(), name: z.string(), status: z.string(), cash: MinorTotal })),
    total_value: MinorTotal,
    cash: MinorTotal,
    positions_value: MinorTotal,
    positions: z.array(
      z.object({
        symbol: z.string().openapi({ example: "AAPL" }),
        asset_class: z.string().openapi({ example: "us_equity" }),
        qty: z.string().openapi({ description: "Shares summed over the accounts, up to 9 decimals", example: "1.5" }),
        close_price: z
          .string()
          .nullable()
          .openapi({ description: "The latest close known to Gold; null: no price yet", example: "187.25" }),
        close_day: z.string().nullable().openapi({ example: "2026-12-02" }),
        market_value: MinorTotal,
      }),
    ),
    unpriced: z.array(z.string()).openapi({ description: "Symbols held with no close yet, valued at 0" }),
    allocation: z.object({
      by_symbol: z.array(Weighted).openapi({ description: "Each symbol and a `cash` bucket, largest first; empty when the total is 0" }),
      by_asset_class: z.array(Weighted).openapi({ description: "Each asset class and a `cash` bucket, largest first" }),
    }),
  })
  .openapi("Portfolio", {
    example: {
      object: "portfolio",
      currency: "USD",
      as_of: "2026-12-03T08:00:00.000Z",
      accounts: [{ id: "acc_0123456789abcdefghij", name: "Paper Brokerage", status: "open", cash: "62500" }],
      total_value: "100000",
      cash: "62500",
      positions_value: "37500",
      positions: [
        { symbol: "AAPL", asset_class: "us_equity", qty: "2.5", close_price: "150", close_day: "2026-12-02", market_value: "37500" },
      ],
      unpriced: [],
      allocation: {
        by_symbol: [
          { key: "cash", market_value: "62500", weight: 0.625 },
          { key: "AAPL", market_value: "37500", weight: 0.375 },
        ],
        by_asset_class: [
          { key: "cash", market_value: "62500", weight: 0.625 },
          { key: "us_equity", market_value: "37500", weight: 0.375 },
        ],
      },
    },
  });

const ReturnFigure = z
  .object({
    method: z.enum(["simple_return", "twr", "mwr", "volatility", "sharpe", "max_drawdown"]),
    value: z.number().nullable().openapi({ description: "A fraction (0.05 = 5 %); null when the series is too short", example: 0.0421 }),
    annualized: z.boolean().openapi({ description: "True only for mwr over a year or more, and for volatility and Sharpe" }),
  })
  .openapi("ReturnFigure");

export const PortfolioHistory = z
  .object({
    object: z.literal("portfolio_history"),
    currency: z.string(),
    period: z.enum(["1M", "3M", "1Y", "all"]),
    from: z.string().openapi({ example: "2026-11-03" }),
    to: z.string().openapi({ example: "2026-12-03" }),
    as_of: z.string().nullable(),
    points: z.array(
      z.object({
        day: z.string(),
        value: MinorTotal,
        cash: MinorTotal,
        positions_value: MinorTotal,
        contributions: MinorTotal,
        withdrawals: MinorTotal,
      }),
    ),
    flows: z
      .object({ contributions: MinorTotal, withdrawals: MinorTotal })
      .openapi({ description: "External flows after the first point (the ones the returns take out)" }),
    returns: z.array(ReturnFigure),
  })
  .openapi("PortfolioHistory", {
    example: {
      object: "portfolio_history",
      currency: "USD",
      period: "1M",
      from: "2026-11-03",
      to: "2026-12-03",
      as_of: "2026-12-03T08:00:00.000Z",
      points: [
        { day: "2026-11-03", value: "100000", cash: "100000", positions_value: "0", contributions: "100000", withdrawals: "0" },
        { day: "2026-11-04", value: "110000", cash: "50000", positions_value: "60000", contributions: "0", withdrawals: "0" },
      ],
      flows: { contributions: "0", withdrawals: "0" },
      returns: [
        { method: "simple_return", value: 0.1, annualized: false },
        { method: "twr", value: 0.1, annualized: false },
        { method: "mwr", value: 0.1, annualized: false },
        { method: "volatility", value: null, annualized: true },
        { method: "sharpe", value: null, annualized: true },
        { method: "max_drawdown", value: 0, annualized: false },
      ],
    },
  });
