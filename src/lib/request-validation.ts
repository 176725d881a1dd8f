/**
 * A route's request validation as ONE middleware. @hono/zod-openapi's
 * `openapi()` adds a middleware per target (query, param, header, a media-type
 * gate, json), each reading Content-Type again and awaiting an async parse;
 * on the money routes that was four layers and, for the header target, an
 * object of every request header. This does the same checks in the same order
 * with the same results: the first failing target answers through the
 * router's default hook (the 400 envelope with `target` and `issues`), a JSON
 * body that does not parse is the same 400 HTTPException (→ invalid_json), a
 * body of an undeclared media type the same 415. Validated data is stored
 * where `c.req.valid()` reads it. Routes it does not cover (cookies, form
 * bodies) keep the library's validators: `planValidation` returns null.
 */
import type { RouteConfig } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";

type Target = "query" | "param" | "header" | "json";
type Parsed = { success: true; data: unknown } | { success: false; error: z.ZodError };
/** The router's hook: a Response for a failed result, nothing for a good one. */
export type ValidationHook = (result: Parsed & { target: Target; data?: unknown }, c: Context) => unknown;

interface Plan {
  query?: z.ZodType;
  param?: z.ZodType;
  header?: { schema: z.ZodType; keys: [lower: string, key: string][] };
  /** Declared body media types, when the library would gate them (a zod schema under a JSON or form type). */
  gate?: string[];
  json?: { schema: z.ZodType; required: boolean };
}

// The library's own tests of media types (@hono/zod-openapi, hono/validator), so every request is classified as before.
const JSON_TYPE = /^application\/([a-z-.]+\+)?json/i;
const JSON_REQUEST = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;
const JSON_ESSENCE = /^application\/([\w.-]+\+)?json$/i;
const isFormType = (t: string) => /^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(t);

const isZod = (x: unknown): x is z.ZodType =>
  typeof x === "object" &&
  x !== null &&
  typeof (x as z.ZodType).safeParse === "function" &&
  typeof (x as z.ZodType).safeParseAsync === "function";

/** What to validate for `request`, or null when the route needs a target this module does not handle. */
export function planValidation(request: RouteConfig["request"]): Plan | null {
  if (!request || request.cookies) return null;
  const plan: Plan = {};
  if (request.query) plan.query = request.query as z.ZodType;
  if (request.params) plan.param = request.params as z.ZodType;
  if (request.headers) {
    const keys = isZod(request.headers) ? headerKeys(request.headers) : null;
    if (!keys) return null;
    plan.header = { schema: request.headers as z.ZodType, keys };
  }
  const content = request.body?.content;
  if (content) {
    const types = Object.keys(content);
    const schemaOf = (t: string) => (content as Record<string, { schema?: unknown } | undefined>)[t]?.schema;
    if (types.some((t) => isZod(schemaOf(t)) && (JSON_TYPE.test(t) || isFormType(t)))) plan.gate = types;
    for (const t of types) {
      const schema = schemaOf(t);
      if (!isZod(schema)) continue;
      if (isFormType(t)) return null;
      if (JSON_TYPE.test(t)) plan.json = { schema, required: request.body?.required === true };
    }
  }
  return plan;
}

/**
 * The header names a plain (stripping) object schema reads, each under its own
 * spelling (it ignores every other header); null for any other schema, which
 * keeps the library's validator.
 */
function headerKeys(schema: z.ZodType): [string, string][] | null {
  const def = (schema as { _zod?: { def?: { type?: string; catchall?: unknown; shape?: Record<string, unknown> } } })._zod?.def;
  if (def?.type !== "object" || def.catchall !== undefined || !def.shape) return null;
  return Object.keys(def.shape).map((k) => [k.toLowerCase(), k]);
}

export function validateRequest(plan: Plan, hook: ValidationHook): MiddlewareHandler {
  return async function requestValidation(c, next) {
    const req = c.req;
    if (plan.query) {
      const value: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(req.queries())) value[k] = v.length === 1 ? v[0]! : v;
      const r = await check(c, hook, "query", plan.query, value);
      if (r) return r;
    }
    if (plan.param) {
      const r = await check(c, hook, "param", plan.param, req.param());
      if (r) return r;
    }
    if (plan.header) {
      const r = await check(c, hook, "header", plan.header.schema, headerValue(c, plan.header.keys));
      if (r) return r;
    }
    const contentType = req.header("content-type");
    if (plan.gate) {
      if (contentType) {
        if (!plan.gate.some((t) => matchesMediaType(contentType, t))) throw new HTTPException(415, { message: "Unsupported Media Type" });
      } else if (await hasRequestBody(c)) throw new HTTPException(415, { message: "Unsupported Media Type" });
    }
    if (plan.json) {
      if (plan.json.required || (contentType && JSON_TYPE.test(contentType))) {
        let value: unknown = {};
        if (contentType && JSON_ESSENCE.test(contentType.split(";")[0]!.trim().toLowerCase())) {
          try {
            // The body's text as json-body.ts decoded it (Hono's json() would rebuild a Response from the bytes).
            const text = (req.bodyCache as { text?: Promise<string> }).text;
            value = text === undefined ? await req.json() : JSON.parse(await text);
          } catch {
            throw new HTTPException(400, { message: "Malformed JSON in request body" });
          }
        }
        const r = await check(c, hook, "json", plan.json.schema, value);
        if (r) return r;
      } else req.addValidatedData("json", {});
    }
    await next();
  };
}

/** One target: the hook's Response when it fails, else the data is stored and nothing is returned. */
async function check(c: Context, hook: ValidationHook, target: Target, schema: z.ZodType, value: unknown): Promise<Response | undefined> {
  const result = await parse(schema, value);
  const answer = await hook({ data: value, ...result, target }, c);
  if (answer instanceof Response) return answer;
  if (!result.success) return c.json(result, 400);
  c.req.addValidatedData(target, result.data as object);
  return undefined;
}

/** A synchronous parse, the same result as the async one; a schema with an async step is parsed asynchronously. */
async function parse(schema: z.ZodType, value: unknown): Promise<Parsed> {
  try {
    return schema.safeParse(value) as Parsed;
  } catch (err) {
    if (err instanceof z.core.$ZodAsyncError) return (await schema.safeParseAsync(value)) as Parsed;
    throw err;
  }
}

function headerValue(c: Context, keys: [string, string][]): Record<string, string> {
  const headers = c.req.raw.headers;
  const value: Record<string, string> = {};
  for (const [lower, key] of keys) {
    const v = headers.get(lower);
    if (v !== null) value[key] = v;
  }
  return value;
}

function matchesMediaType(contentType: string, mediaType: string): boolean {
  if (mediaType === "*/*") return true;
  if (JSON_TYPE.test(mediaType)) return JSON_REQUEST.test(contentType);
  const essence = contentType.split(";")[0]!.trim().toLowerCase();
  if (mediaType.endsWith("/*")) return essence.startsWith(mediaType.slice(0, -1).toLowerCase());
  return essence === mediaType.toLowerCase();
}

async function hasRequestBody(c: Context): Promise<boolean> {
  const raw = c.req.raw;
  if (raw.body === null) return false;
  if (raw.bodyUsed) return (await c.req.arrayBuffer()).byteLength > 0;
  const body = raw.clone().body;
  if (body === null) return false;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return false;
      if (value.byteLength > 0) return true;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
