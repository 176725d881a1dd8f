/** Schemas of GET /v1/forecast: they validate the request and document it in /openapi.json. */
import { z } from "@hono/zod-openapi";
import { MAX_HORIZON_DAYS } from "../domain/intel/forecast";
import { MAX_AMOUNT } from "../domain/money";
import { Day } from "./date-schemas";
import { Currency, integerQuery } from "./schemas";

export const ForecastQuery = z.object({
  horizon_days: integerQuery(1, MAX_HORIZON_DAYS)
    .optional()
    .transform((v) => v ?? 90)
    .openapi({ type: "integer", minimum: 1, maximum: MAX_HORIZON_DAYS, default: 90, description: "Days after as_of" }),
  as_of: Day.optional().openapi({ description: "Forecast from the end of this UTC day (not after today); default today" }),
  currency: Currency.optional().openapi({ description: "Default: the currency of most of the caller's transactions" }),
  buffer: integerQuery(0, MAX_AMOUNT)
    .optional()
    .openapi({ type: "integer", minimum: 0, description: "Minor units: the probability is of any day ending below it (default 0)" }),
});

export const ForecastDay = z.object({
  date: z.string(),
  p10: z.number().int(),
  p50: z.number().int(),
  p90: z.number().int(),
  recurring: z.number().int().openapi({ description: "The day's projected recurring flows, signed" }),
});

export const Forecast = z
  .object({
    object: z.literal("forecast"),
    as_of: z.string(),
    currency: Currency,
    horizon_days: z.number().int(),
    paths: z.number().int(),
    seed: z.string().openapi({ description: "user|as_of: the same question gets the same answer" }),
    starting_balance: z.number().int(),
    days: z.array(ForecastDay),
    lowest: z.object({ date: z.string(), p50: z.number().int(), p10: z.number().int() }).nullable(),
    buffer: z.number().int(),
    probability_below_buffer: z.number().min(0).max(1),
    projected: z.array(z.object({ stream_key: z.string(), date: z.string(), amount: z.number().int() })),
  })
  .openapi("Forecast");
