/** Schemas of the price alert routes: they validate the requests and document them in /openapi.json. */
import { z } from "@hono/zod-openapi";
import { FREQUENCIES, PRICE_CONDITIONS } from "../domain/alerts/price-rules";
import { cursorQuery } from "../lib/cursor";
import { pageLimit } from "./schemas";

export const PriceAlertId = z
  .string()
  .regex(/^pal_[0-9a-z]{20}$/, "must be a price alert id")
  .openapi({ example: "pal_0123456789abcdefghjk" });

export const PriceAlertParam = z.object({ id: PriceAlertId });

export const CreatePriceAlertBody = z
  .object({
    symbol: z
      .string()
      .regex(/^[A-Z0-9][A-Z0-9.-]{0,11}$/, "must be a symbol")
      .openapi({ description: "A registered symbol (GET /v1/market/symbols)", example: "AAPL" }),
    condition: z.enum(PRICE_CONDITIONS).openapi({
      description:
        "crossing_up / crossing_down: a trade at or beyond value after a trade that was not; greater_than / less_than: a trade strictly above / below value; percent_change_up / percent_change_down: a trade at least value percent above / below the previous session's close",
      example: "crossing_up",
    }),
    value: z.string().max(32).openapi({
      description:
        "A decimal string: a price at the symbol's price precision, or for the percent conditions a percent with at most 2 decimals (5 = 5 %, above 0, at most 1000)",
      example: "150.00",
    }),
    frequency: z.enum(FREQUENCIES).default("once").openapi({
      description:
        "once: fires a single time, then the rule is triggered; every_time: fires again after the price went back, at most once a minute",
      example: "once",
    }),
    expires_at: z.string().datetime({ offset: true }).optional().openapi({
      description: "RFC 3339; in the future and at most 366 days ahead. Omitted: never expires",
      example: "2027-01-31T21:00:00Z",
    }),
  })
  .strict()
  .openapi("CreatePriceAlert", { example: { symbol: "AAPL", condition: "crossing_up", value: "150.00", frequency: "once" } });

export const EditPriceAlertBody = z
  .object({
    condition: CreatePriceAlertBody.shape.condition.optional(),
    value: CreatePriceAlertBody.shape.value.optional(),
    frequency: z.enum(FREQUENCIES).optional(),
    expires_at: z.string().datetime({ offset: true }).nullable().optional().openapi({
      description: "RFC 3339, in the future and at most 366 days ahead; null: never expires",
    }),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "must change at least one field" })
  .openapi("EditPriceAlert", { example: { value: "155.00", frequency: "every_time" } });

export const PriceAlert = z
  .object({
    id: PriceAlertId,
    object: z.literal("price_alert"),
    symbol: z.string(),
    condition: z.enum(PRICE_CONDITIONS),
    value: z.string().openapi({ description: "The price (shortest decimal form) or percent", example: "150" }),
    frequency: z.enum(FREQUENCIES),
    status: z.enum(["active", "triggered", "expired"]).openapi({ description: "triggered: a once rule that fired" }),
    expires_at: z.string().nullable(),
    created_at: z.string(),
    triggered_at: z.string().nullable().openapi({ description: "The trade time of the latest firing" }),
    trigger_count: z.number().int().nonnegative(),
    last_triggered_price: z.string().nullable(),
  })
  .openapi("PriceAlert", {
    example: {
      id: "pal_0123456789abcdefghjk",
      object: "price_alert",
      symbol: "AAPL",
      condition: "crossing_up",
      value: "150",
      frequency: "once",
      status: "triggered",
      expires_at: null,
      created_at: "2026-12-03T07:00:00.000Z",
      triggered_at: "2026-12-03T15:02:11.000Z",
      trigger_count: 1,
      last_triggered_price: "150.12",
    },
  });

export const PriceAlertList = z
  .object({ object: z.literal("list"), data: z.array(PriceAlert), has_more: z.boolean(), next_cursor: z.string().nullable() })
  .openapi("PriceAlertList");

export const PriceAlertQuery = z.object({ cursor: cursorQuery, limit: pageLimit(100, 50) });
