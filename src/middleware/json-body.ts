/**
 * Reads a JSON request body once, before any route parses it: a charset other
 * than UTF-8 is a 415 (we would otherwise read UTF-16 as UTF-8), bytes that are
 * not UTF-8 are a 400, and an empty body is no body — so a route whose body is
 * optional takes `Content-Type: application/json` with nothing after it, as
 * common clients send it, and a route whose body is required says which fields
 * are missing. Runs after the body limit, so the read is bounded.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../types";
import { errorResponse } from "./errors";

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;
const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** One decoder for every request: a non-streaming decode() starts from a clean state each time. */
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The charset parameter of a Content-Type, lowercased and unquoted, or null. */
function charsetOf(contentType: string): string | null {
  for (const param of contentType.split(";").slice(1)) {
    const [name, value] = param.split("=", 2).map((s) => s.trim());
    if (name?.toLowerCase() === "charset") return (value ?? "").replace(/^"(.*)"$/, "$1").toLowerCase();
  }
  return null;
}

export function readJsonBody(): MiddlewareHandler<AppEnv> {
  return async function jsonBodyMiddleware(c, next) {
    const contentType = c.req.header("content-type");
    if (!contentType || !BODY_METHODS.has(c.req.method)) return next();
    if (!JSON_MEDIA_TYPE.test(contentType.split(";")[0]!.trim())) return next();
    const charset = charsetOf(contentType);
    if (charset !== null && charset !== "utf-8" && charset !== "utf8") {
      return errorResponse(c, "unsupported_media_type", `JSON bodies must be UTF-8, not ${charset || "an empty charset"}`);
    }
    const bytes = c.req.raw.body ? await c.req.arrayBuffer() : new ArrayBuffer(0);
    if (bytes.byteLength === 0) {
      // Drop the header of a body that is not there: the route then sees "no body".
      const headers = new Headers(c.req.raw.headers);
      headers.delete("content-type");
      headers.delete("content-length");
      c.req.raw = new Request(c.req.raw.url, { method: c.req.method, headers });
      c.req.bodyCache = {};
      return next();
    }
    let text: string;
    try {
      text = UTF8.decode(bytes);
    } catch {
      return errorResponse(c, "invalid_json", "The request body is not valid UTF-8");
    }
    // The validator's c.req.json() reads this text instead of decoding the bytes again.
    // Hono caches promises here at runtime though its type says string.
    c.req.bodyCache.text = Promise.resolve(text) as unknown as string;
    await next();
  };
}
