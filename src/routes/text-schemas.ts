/**
 * Free text and metadata as the API accepts them: the one rule every name,
 * description, merchant, note, reason and metadata value follows.
 */
import { z } from "@hono/zod-openapi";

/**
 * Control characters (C0, DEL, C1) have no place in names, descriptions or
 * metadata, and a lone UTF-16 surrogate is not text at all: SQLite stores it
 * as U+FFFD, so the stored row would no longer match the hash chained when it
 * was written and /verify would report the journal as tampered with.
 */
const CONTROL_OR_LONE_SURROGATE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/**
 * Bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069) reorder the text around them, so "Coffee \u202Egpj.exe" shows
 * as "Coffee exe.jpg" in a statement (Trojan Source, CVE-2021-42574). They are
 * refused, not stripped, in every free-text field, so what is stored is what was
 * sent. Right-to-left text and the plain marks (U+200E, U+200F, U+061C) stay.
 */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

export const isPlainText = (s: string) => !CONTROL_OR_LONE_SURROGATE.test(s) && !BIDI_CONTROL.test(s);
export const PLAIN_TEXT_MESSAGE = "must be Unicode text without control characters or bidirectional overrides";

/** A trimmed, non-empty, bounded string of plain text. */
export const text = (max: number) => z.string().trim().min(1).max(max).refine(isPlainText, PLAIN_TEXT_MESSAGE);

const METADATA_MAX_KEYS = 20;
const METADATA_KEY = /^[A-Za-z0-9_.-]{1,40}$/;
/**
 * `__proto__` fits the key pattern, but a record parse skips it (assigning it
 * would set the copy's prototype), so without this check it vanished from the
 * stored metadata while the request succeeded. It is refused by name instead.
 */
function refuseProtoKey(value: unknown, ctx: z.RefinementCtx): unknown {
  if (typeof value === "object" && value !== null && Object.hasOwn(value, "__proto__")) {
    ctx.addIssue({ code: "custom", message: "the key __proto__ is not allowed", path: ["__proto__"] });
  }
  return value;
}
// propertyNames is JSON Schema the generator's metadata type does not list; it is passed through as is.
const metadataKeysDoc: Record<string, unknown> = { propertyNames: { type: "string", pattern: METADATA_KEY.source } };
const MetadataRecord = z
  .record(z.string().regex(METADATA_KEY), z.string().max(200).refine(isPlainText, PLAIN_TEXT_MESSAGE))
  .refine((m) => Object.keys(m).length <= METADATA_MAX_KEYS, `at most ${METADATA_MAX_KEYS} keys`)
  .openapi({
    description: "Up to 20 keys (1–40 of A-Z a-z 0-9 _ . -) with string values of at most 200 characters",
    maxProperties: METADATA_MAX_KEYS,
    ...metadataKeysDoc,
  });
export const Metadata = z.preprocess(refuseProtoKey, MetadataRecord);
