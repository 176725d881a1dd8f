/** Schemas of the /v1/insights routes: they validate the requests and document them in /openapi.json. */
import { z } from "@hono/zod-openapi";
import { Day } from "./date-schemas";
import { Currency } from "./schemas";

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
