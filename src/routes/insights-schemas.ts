/** Schemas of the /v1/insights routes: they validate the requests and document them in /openapi.json. */
import { z } from "@hono/zod-openapi";
import { cursorQuery } from "../lib/cursor";
import { Day } from "./date-schemas";
import { Explanation } from "./recurring-schemas";
import { Currency, pageLimit } from "./schemas";

export const InsightQuery = z.object({
  as_of: Day.optional().openapi({ description: "Judge as of the end of this UTC day (not after today); default today" }),
  currency: Currency.optional().openapi({ description: "Default: the currency of most of the caller's transactions" }),
});

const Facts = z.record(z.string(), z.number().nullable());

export const HealthPillar = z
  .object({
    pillar: z.enum(["spend_vs_income", "liquid_buffer", "negative_days", "bills_on_time"]),
    score: z.number().int().min(0).max(100),
    reason: z.string(),
    observed: Facts,
    baseline: Facts,
  })
  .openapi("HealthPillar");

export const HealthScore = z
  .object({
    object: z.literal("health_score"),
    version: z.string(),
    as_of: z.string(),
    currency: Currency,
    score: z.number().int().min(0).max(100).openapi({ description: "The rounded mean of the four pillars" }),
    pillars: z.array(HealthPillar),
    drivers: z.array(HealthPillar).openapi({ description: "The pillars, weakest first" }),
  })
  .openapi("HealthScore");

export const RiskDriver = z
  .object({
    driver: z.enum(["balance_buffer", "velocity", "recent_anomalies", "negative_days"]),
    points: z.number().int().min(0),
    reason: z.string(),
    observed: Facts,
    baseline: Facts,
  })
  .openapi("RiskDriver");

export const RiskScore = z
  .object({
    object: z.literal("risk_score"),
    version: z.string(),
    as_of: z.string(),
    currency: Currency,
    score: z.number().int().min(0).max(100).openapi({ description: "Additive points, higher is riskier" }),
    level: z.enum(["low", "medium", "high"]),
    drivers: z.array(RiskDriver).openapi({ description: "Most points first" }),
  })
  .openapi("RiskScore");

const Period = z.enum(["weekly", "monthly"]);

export const DigestQuery = InsightQuery.extend({
  kind: Period.optional().openapi({ description: "weekly (Monday–Sunday weeks) or monthly (calendar months); default both" }),
  limit: pageLimit(100, 20),
  cursor: cursorQuery,
});

export const DigestParam = z.object({
  id: z
    .string()
    .regex(/^dgst_[0-9a-z]{20}$/, "a digest id")
    .openapi({ param: { name: "id", in: "path" }, example: "dgst_0123456789abcdefghjk" }),
});

const Amounted = z.object({ amount: z.number().int() });

export const Digest = z
  .object({
    object: z.literal("digest"),
    id: z.string().nullable().openapi({ description: "The stored digest's id; null for one computed on read (the fallback)" }),
    stored: z.boolean().openapi({ description: "false: no digest was stored yet, this one was computed on read for the current period" }),
    created_at: z.string().nullable().openapi({ description: "When the cron run stored it" }),
    period: Period,
    start: z.string(),
    end: z.string().openapi({ description: "The period's last day (inclusive)" }),
    currency: Currency,
    totals: z.object({
      spend: z.number().int().openapi({ description: "Debits less refunds (a refund is not income)" }),
      income: z.number().int(),
      previous_spend: z.number().int(),
      previous_income: z.number().int(),
      spend_change_pct: z
        .number()
        .nullable()
        .openapi({ description: "Week over week or month over month; null when the period before was 0" }),
      income_change_pct: z.number().nullable(),
      savings_rate: z.number().nullable(),
    }),
    top_categories: z.array(Amounted.extend({ category: z.string() })),
    largest_expenses: z.array(Amounted.extend({ transaction_id: z.string(), date: z.string(), merchant: z.string().nullable() })),
    new_merchants: z.array(z.object({ merchant_key: z.string(), name: z.string() })),
    subscriptions: z.object({
      new: z.array(z.string()),
      cancelled: z.array(z.string()),
      price_changed: z.array(z.record(z.string(), z.unknown())),
    }),
    anomalies: z
      .array(
        Amounted.extend({
          transaction_id: z.string(),
          date: z.string(),
          score: z.number(),
          risk_level: z.enum(["normal", "elevated", "highest"]),
          reasons: z.array(Explanation.extend({ points: z.number() })),
        }),
      )
      .openapi({ description: "The period's scored anomalies (elevated or highest) with their reasons" }),
    bills_due_7d: z.array(Amounted.extend({ stream_key: z.string(), merchant_name: z.string(), date: z.string() })),
    forecast_low: z
      .object({ date: z.string(), p50: z.number().int() })
      .nullable()
      .openapi({ description: "The 30-day forecast's lowest P50" }),
    budget_suggestions: z
      .array(Amounted.extend({ category: z.string(), months: z.number().int() }))
      .openapi({ description: "Per category: the 75th percentile of the last 6 full months' spend" }),
  })
  .openapi("Digest");

export const DigestList = z
  .object({
    object: z.literal("list"),
    data: z.array(Digest),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .openapi("DigestList");
