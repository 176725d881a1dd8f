/** The field types the event payloads share: money in minor units, ISO currencies and instants, decimal strings, symbols. */
import { z } from "zod";

export const amount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const signed = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
export const currency = z.string().regex(/^[A-Z]{3}$/);
export const iso = z.string().datetime({ offset: true });
export const nullableText = z.string().max(500).nullable();
export const decimal = z.string().regex(/^(0|[1-9][0-9]*)(\.[0-9]{1,9})?$/);
export const symbol = z.string().regex(/^[A-Z0-9][A-Z0-9.-]{0,11}$/);
