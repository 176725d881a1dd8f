/** Schemas of the merchant routes: they validate the requests and document them in /openapi.json. */
import { z } from "@hono/zod-openapi";
import { cursorQuery } from "../lib/cursor";
import { Instant, Month } from "./date-schemas";
import { MinorTotal } from "./pipeline-schemas";
import { pageLimit } from "./schemas";

export const MerchantQuery = z
  .object({
    from: Instant.optional().openapi({ description: "Entries at or after this event time" }),
    to: Instant.optional().openapi({ description: "Entries before this event time (exclusive)" }),
    limit: pageLimit(200, 50),
    cursor: cursorQuery,
  })
  .strict();

export const TopMerchantQuery = z
  .object({
    month: Month.optional().openapi({ description: "A UTC month; omitted: all time" }),
    limit: pageLimit(50, 10),
  })
  .strict();

export const Merchant = z
  .object({
    object: z.literal("merchant"),
    merchant_key: z.string().openapi({ description: "The merchant entity's key (the normalizer's output)", example: "blue-bottle" }),
    name: z.string().openapi({ description: "Display name of the latest entry", example: "Blue Bottle" }),
    currency: z.string(),
    spend: MinorTotal.openapi({ description: "Purchases − refunds, reversals folded in, minor units" }),
    visits: z.number().int().openapi({ description: "Purchases, less reversed ones" }),
    refunds: z.number().int(),
    first_seen: z.string(),
    last_seen: z.string(),
    category: z
      .object({ key: z.string(), primary: z.string(), detailed: z.string() })
      .openapi({ description: "The latest entry's category: the flat key and its PFC-style primary/detailed pair" }),
  })
  .openapi("Merchant");

export const MerchantList = z
  .object({
    object: z.literal("list"),
    data: z.array(Merchant),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .openapi("MerchantList");

export const TopMerchantList = z
  .object({ object: z.literal("list"), month: z.string().nullable(), data: z.array(Merchant) })
  .openapi("TopMerchantList");
