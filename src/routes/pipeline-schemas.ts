/** Zod schemas shared by the pipeline's read, admin and export routes (validate and document). */
import { z } from "@hono/zod-openapi";
import { isDay, isMonth } from "../pipeline/time";
import { pageLimit } from "./schemas";

export const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a calendar date YYYY-MM-DD").refine(isDay, "must be a calendar date YYYY-MM-DD").openapi({ example: "2026-11-22", format: "date" });
export const Month = z.string().regex(/^\d{4}-\d{2}$/, "must be a month YYYY-MM").refine(isMonth, "must be a month YYYY-MM").openapi({ example: "2026-11" });

export const PageLimit = pageLimit;
export const PageCursor = z.string().min(1).max(1024).optional().openapi({ description: "next_cursor from the previous page" });

export const MoneyByCurrency = z.object({ currency: z.string(), amount: z.number().int() });

export const JobView = z
  .object({
    id: z.string(),
    object: z.literal("job"),
    kind: z.enum(["replay", "export"]),
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
