/** Schemas of the recurring-stream routes: they validate the requests and document them in /openapi.json. */
import { z } from "@hono/zod-openapi";
import { FREQUENCIES } from "../domain/intel/recurring";
import { STREAM_ID_PATTERN } from "../domain/intel/stream-id";
import { Day } from "./date-schemas";
import { Currency } from "./schemas";

export const StreamId = z
  .string()
  .regex(STREAM_ID_PATTERN, "must be a recurring stream id")
  .openapi({ example: "rec_0123456789abcdef0123" });
export const StreamParam = z.object({ id: StreamId });
export const USER_STATES = ["suggested", "confirmed", "dismissed"] as const;

export const AsOfQuery = z.object({
  as_of: Day.optional().openapi({ description: "Judge as of the end of this UTC day (not after today); default today" }),
});

export const Explanation = z
  .object({
    rule_id: z.string(),
    reason: z.string(),
    observed: z.record(z.string(), z.unknown()),
    baseline: z.record(z.string(), z.unknown()),
    transaction_ids: z.array(z.string()),
  })
  .openapi("Explanation", { description: "Why a rule fired, stored and returned as it is" });

export const RecurringStream = z
  .object({
    id: StreamId,
    object: z.literal("recurring_stream"),
    merchant_name: z.string(),
    merchant_key: z.string(),
    direction: z.enum(["debit", "credit"]).openapi({ description: "debit: a charge (outflow); credit: income (inflow)" }),
    currency: Currency,
    frequency: z.enum(FREQUENCIES),
    amount_kind: z
      .enum(["fixed", "variable"])
      .openapi({ description: "variable: a charge outside 7.5 % that was not a confirmed price change" }),
    average_amount: z.number().int().openapi({ description: "Minor units: the rounded mean of every charge" }),
    last_amount: z.number().int(),
    current_amount: z.number().int().openapi({ description: "The amount in force after accepted price changes" }),
    first_date: z.string(),
    last_date: z.string(),
    predicted_next_date: z.string(),
    status: z.enum(["EARLY_DETECTION", "MATURE", "TOMBSTONED"]),
    is_active: z.boolean(),
    transaction_ids: z.array(z.string()),
    user_state: z.enum(USER_STATES),
    price_changes: z.array(Explanation),
  })
  .openapi("RecurringStream");

export const RecurringList = z
  .object({
    object: z.literal("list"),
    as_of: z.string(),
    data: z.array(RecurringStream),
    monthly_fixed_costs: z
      .array(z.object({ currency: Currency, amount: z.number().int() }))
      .openapi({ description: "Per currency: active fixed-amount debit streams not dismissed, × occurrences per year / 12" }),
  })
  .openapi("RecurringList");

export const PatchRecurringBody = z
  .object({ user_state: z.enum(USER_STATES).openapi({ description: "suggested forgets an earlier verdict" }) })
  .strict()
  .openapi("PatchRecurring", { example: { user_state: "confirmed" } });
