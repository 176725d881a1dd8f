/**
 * Opaque keyset cursors for bounded lists: base64url JSON of the last row's
 * sort key. A cursor that does not decode is a 400, never a 500.
 */
import { z } from "@hono/zod-openapi";
import { DomainError } from "../domain/errors";

export function encodeCursor(key: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(key));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function decodeCursor<T extends z.ZodType>(cursor: string | undefined, schema: T): z.infer<T> | null {
  if (!cursor) return null;
  try {
    const bin = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const json = new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
    const parsed = schema.safeParse(JSON.parse(json));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through to the 400 below
  }
  throw new DomainError("validation_error", "Invalid cursor", { field: "cursor" });
}

export const cursorQuery = z.string().max(512).optional().openapi({ description: "Opaque cursor from the previous page's next_cursor" });

export function limitQuery(max: number, def: number) {
  return z.coerce
    .number()
    .int()
    .min(1)
    .max(max)
    .default(def)
    .openapi({ description: `Page size (1–${max})` });
}
