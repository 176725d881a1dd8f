/** Zod schemas shared by the pipeline's read, admin and export routes (validate and document). */
import { z } from "@hono/zod-openapi";
import { pageLimit } from "./schemas";

export { Day, Instant, Month } from "./date-schemas";

export const PageLimit = pageLimit;
export const PageCursor = z.string().min(1).max(1024).optional().openapi({ description: "next_cursor from the previous page" });

/**
 * A total across accounts (or over time) in minor units, as a decimal integer
 * string. Such totals pass 2^53 (50 accounts of up to 10^15 each), where a JSON
 * number is silently rounded by JavaScript clients (JSON.parse) and by every
 * generator that maps integers to doubles; a string reaches every client exact
 * and parses with BigInt / Long / Decimal. Single-account figures stay JSON
 * integers: MAX_BALANCE keeps them far below 2^53.
 */
export const MinorTotal = z
  .string()
  .regex(/^-?(0|[1-9][0-9]{0,18})$/)
  .openapi({ description: "Exact total in minor units as a decimal integer string (may exceed 2^53)", example: "9007199254740993" });

export const MoneyByCurrency = z.object({ currency: z.string(), amount: MinorTotal });

export const JobView = z
  .object({
    id: z.string(),
    object: z.literal("job"),
    kind: z.enum(["replay", "export", "rules_apply"]),
    status: z.enum(["queued", "running", "succeeded", "failed"]),
    processed: z.number().int(),
    total: z.number().int().nullable(),
    percent: z.number().openapi({ description: "processed / total × 100, one decimal; 100 once succeeded" }),
    params: z.unknown(),
    result: z.unknown().nullable(),
    error: z.string().nullable(),
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
  })
  .openapi("Job");

export const IdParam = (pattern: RegExp, example: string) => z.object({ id: z.string().regex(pattern).openapi({ example }) });
export const JobIdParam = IdParam(/^job_[0-9a-z]{20}$/, "job_0123456789abcdefghjk");
