/** The API's date, month and instant schemas: every date goes through the calendar module, one valid range for all routes. */
import { z } from "@hono/zod-openapi";
import { DAY_RULE, INSTANT_RULE, isDay, isInstant, isMonth, MONTH_RULE } from "../domain/calendar";

export const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, `must be ${DAY_RULE}`)
  .refine(isDay, `must be ${DAY_RULE}`)
  .openapi({ format: "date", description: `UTC day, ${DAY_RULE}`, example: "2026-11-22" });
export const Month = z
  .string()
  .regex(/^\d{4}-\d{2}$/, `must be ${MONTH_RULE}`)
  .refine(isMonth, `must be ${MONTH_RULE}`)
  .openapi({ description: `UTC month, ${MONTH_RULE}`, example: "2026-11" });
export const Instant = z
  .string()
  .datetime({ offset: true })
  .refine(isInstant, `must be ${INSTANT_RULE}`)
  .openapi({ description: INSTANT_RULE, example: "2026-11-22T10:00:00Z" });
