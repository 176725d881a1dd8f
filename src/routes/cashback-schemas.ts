/** Schemas of the cashback routes: they validate the requests and document them in /openapi.json. */
import { z } from "@hono/zod-openapi";
import { MAX_AMOUNT } from "../domain/money";
import { Day, Month } from "./date-schemas";
import { AccountId, Category } from "./schemas";

export const CashbackRuleId = z
  .string()
  .regex(/^cbr_[0-9a-z]{20}$/, "must be a cashback rule id")
  .openapi({ example: "cbr_0123456789abcdefghjk" });
export const CashbackRuleParam = z.object({ id: CashbackRuleId });

const Bps = z.number().int().min(0).max(10_000).openapi({ description: "Basis points: 100 = 1 %", example: 150 });
const Quarter = z.string().regex(/^\d{4}-Q[1-4]$/, "must be a quarter like 2026-Q4");

export const CreateCashbackRuleBody = z
  .object({
    account_id: AccountId,
    name: z.string().trim().min(1).max(100),
    scope: z.enum(["merchant", "category", "rotating", "all"]).openapi({
      description:
        "merchant: one merchant entity (GET /v1/merchants keys); category: one category; rotating: the quarter's categories; all: every purchase. The most specific matching rule wins",
    }),
    scope_value: z
      .string()
      .min(1)
      .max(200)
      .nullable()
      .default(null)
      .openapi({ description: "The merchant key or category; null for rotating and all" }),
    rate_bps: Bps,
    cap: z
      .number()
      .int()
      .min(0)
      .max(MAX_AMOUNT)
      .nullable()
      .default(null)
      .openapi({ description: "Cashback per period at rate_bps, minor units; null = no cap" }),
    cap_period: z.enum(["month", "quarter"]).default("month"),
    fallback_bps: Bps.default(0).openapi({ description: "The rate once the cap is reached" }),
    valid_from: Day,
    valid_to: Day.nullable().default(null),
    rotating: z
      .record(Quarter, z.array(Category).min(1).max(10))
      .default({})
      .openapi({ description: "rotating only: quarter → categories" }),
  })
  .strict()
  .superRefine((b, ctx) => {
    const needsValue = b.scope === "merchant" || b.scope === "category";
    if (needsValue !== (b.scope_value !== null))
      ctx.addIssue({
        code: "custom",
        path: ["scope_value"],
        message: needsValue ? "required for this scope" : "must be null for this scope",
      });
    if (b.scope === "rotating" ? Object.keys(b.rotating).length === 0 : Object.keys(b.rotating).length > 0)
      ctx.addIssue({
        code: "custom",
        path: ["rotating"],
        message: "rotating categories belong to (and are required by) the rotating scope",
      });
    if (Object.keys(b.rotating).length > 8) ctx.addIssue({ code: "custom", path: ["rotating"], message: "at most 8 quarters" });
    if (b.valid_to !== null && b.valid_to < b.valid_from)
      ctx.addIssue({ code: "custom", path: ["valid_to"], message: "must not be before valid_from" });
  })
  .openapi("CreateCashbackRule");

export const CashbackRule = z
  .object({
    id: CashbackRuleId,
    object: z.literal("cashback_rule"),
    account_id: z.string(),
    name: z.string(),
    scope: z.enum(["merchant", "category", "rotating", "all"]),
    scope_value: z.string().nullable(),
    rate_bps: z.number().int(),
    cap: z.number().int().nullable(),
    cap_period: z.enum(["month", "quarter"]),
    fallback_bps: z.number().int(),
    valid_from: z.string(),
    valid_to: z.string().nullable(),
    rotating: z.record(z.string(), z.array(z.string())),
    created_at: z.string(),
  })
  .openapi("CashbackRule");

export const CashbackRuleList = z.object({ object: z.literal("list"), data: z.array(CashbackRule) }).openapi("CashbackRuleList");

export const CashbackQuery = z.object({ month: Month }).strict();

export const CashbackSummary = z
  .object({
    object: z.literal("cashback"),
    month: z.string(),
    estimate: z.literal(true).openapi({ description: "Always true: these are estimates, not what the issuer credits" }),
    totals: z.array(z.object({ currency: z.string(), net: z.number().int() })),
    rules: z.array(
      z.object({
        rule_id: z.string(),
        name: z.string(),
        account_id: z.string(),
        currency: z.string(),
        purchases: z.number().int(),
        earned: z.number().int(),
        reversed: z.number().int(),
        net: z.number().int(),
      }),
    ),
  })
  .openapi("CashbackSummary");
