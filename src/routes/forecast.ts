/**
 * GET /v1/forecast: the caller's balance over the next days
 * (src/domain/intel/forecast.ts): recurring streams they did not dismiss
 * projected on their schedules, plus a Monte Carlo (N = 1,000) of their own
 * non-recurring days seeded by user and as-of. Starts from the Gold balance.
 */
import { createRoute } from "@hono/zod-openapi";
import { forecast } from "../domain/intel/forecast";
import { loadContext, resolveAsOf, resolveCurrency } from "../lib/intel/context";
import { forecastInput } from "../lib/intel/simulations";
import { bearerSecurity, createRouter, errorResponses, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { Forecast, ForecastQuery } from "./forecast-schemas";

const getForecast = createRoute({
  method: "get",
  path: "/forecast",
  tags: ["intelligence"],
  operationId: "getForecast",
  summary: "Forecast the balance: P10/P50/P90 per day",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "The sum of the caller's account balances in the currency, projected day by day: recurring charges and income on their schedules plus 1,000 seeded paths drawn from the caller's own non-recurring days of the last 90 (by weekday). The same question gets the same answer.",
  request: { query: ForecastQuery },
  responses: { 200: jsonResponse(Forecast, "The forecast"), ...errorResponses(400, 401) },
});

export const forecastRouter = createRouter().openapi(getForecast, async (c) => {
  const q = c.req.valid("query");
  const ctx = await loadContext(c.env, c.get("principal").userId, resolveAsOf(q.as_of));
  const currency = await resolveCurrency(c.env, ctx, q.currency);
  const input = await forecastInput(c.env, ctx, { currency, horizon_days: q.horizon_days, buffer: q.buffer ?? 0 });
  return c.json({ object: "forecast" as const, starting_balance: input.starting_balance, ...forecast(input) }, 200);
});
