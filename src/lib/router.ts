/**
 * Every resource router is an OpenAPIHono whose failed validation answers the
 * standard 400 envelope, so the schema that documents a route also guards it.
 * The helpers here declare the error statuses and headers each route can send.
 */
import { OpenAPIHono, type RouteConfig, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ERROR_STATUS, type ErrorCode } from "../domain/errors";
import { errorResponse } from "../middleware/errors";
import { planValidation, type ValidationHook, validateRequest } from "./request-validation";
import type { AppEnv } from "../types";

const defaultHook: ValidationHook = (result, c) => {
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message, code: i.code }));
    return errorResponse(c as Context<AppEnv>, "validation_error", "Request validation failed", { target: result.target, issues });
  }
};

export function createRouter() {
  const router = new OpenAPIHono<AppEnv>({ defaultHook: defaultHook as never });
  // Each route's request is validated by one middleware (lib/request-validation.ts) instead of one per
  // target; the document still gets the full route. Types are the library's, so `hc` sees no difference.
  const openapi = router.openapi;
  router.openapi = ((route: RouteConfig, handler: never, hook?: unknown) => {
    const plan = hook === undefined ? planValidation(route.request) : null;
    if (!plan) return openapi(route as never, handler, hook as never);
    const { middleware, hide, ...doc } = route;
    if (!hide) router.openAPIRegistry.registerPath(doc);
    const own = middleware === undefined ? [] : Array.isArray(middleware) ? middleware : [middleware];
    return openapi(
      { ...route, hide: true, request: undefined, middleware: [...own, validateRequest(plan, defaultHook)] } as never,
      handler,
    );
  }) as typeof openapi;
  return router;
}

/** The closed list from src/domain/errors.ts, published as the `code` enum. */
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z
        .enum(ERROR_CODES)
        .openapi({ example: "validation_error", description: "One of a closed list; each code has one HTTP status" }),
      message: z.string(),
      request_id: z.string().openapi({ description: "Equals the X-Request-Id response header" }),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

/** Response header components, registered once on the app (see app.ts) and referenced by every response. */
type HeaderName = "X-Request-Id" | "Idempotent-Replayed" | "Retry-After" | "RateLimit" | "RateLimit-Policy";
export const RESPONSE_HEADERS: Record<HeaderName, { description: string; schema: { type: "string" | "integer"; [k: string]: unknown } }> = {
  "X-Request-Id": {
    description: "The request's id (a well-formed incoming X-Request-Id is kept)",
    schema: { type: "string", pattern: "^[A-Za-z0-9._:-]{8,128}$" },
  },
  "Idempotent-Replayed": {
    description: "`true` when this is the stored reply of an earlier request with the same Idempotency-Key",
    schema: { type: "string", enum: ["true"] },
  },
  "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer", minimum: 0 } },
  RateLimit: {
    description:
      'The policy that refused the request, with nothing remaining and the seconds until its window resets, e.g. `"api-user";r=0;t=42` (draft-ietf-httpapi-ratelimit-headers)',
    schema: { type: "string" },
  },
  "RateLimit-Policy": {
    description:
      'The rate-limit policies applied to this request: name, quota and window in seconds, e.g. `"api-ip";q=2000;w=60, "api-user";q=1000;w=60` (draft-ietf-httpapi-ratelimit-headers)',
    schema: { type: "string" },
  },
};

const headerRef = (name: HeaderName) => ({ $ref: `#/components/headers/${name}` });
const requestIdHeader = { "X-Request-Id": headerRef("X-Request-Id") };

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: "Invalid request: validation_error, invalid_json or idempotency_key_required",
  401: "Missing, invalid or expired credentials",
  403: "Authenticated, but not allowed",
  404: "No such resource (or not yours)",
  409: "Conflict: a request with this Idempotency-Key is still running, or the state conflicts",
  413: "The request body exceeds 64 KiB",
  415: "The body is not application/json in UTF-8",
  422: "A business rule refused the request",
  429: "Too many requests (a rate limit or quota); wait Retry-After seconds",
  500: "An unexpected error (a bug); the request id finds it in the log",
  503: "The service is misconfigured or a dependency is unavailable",
};

const codesFor = (status: number) => ERROR_CODES.filter((c) => ERROR_STATUS[c] === status);

/**
 * Standard error responses, spread into each route's `responses`. 429, 500
 * and 503 are added to every route: every route but /health is rate-limited
 * (middleware/rate-limit.ts), and any request can meet a bug or a
 * misconfigured deployment. Routes with a body pass `...bodyErrors`.
 */
type ErrorResponse = {
  description: string;
  headers: Record<string, { $ref: string }>;
  content: { "application/json": { schema: typeof ErrorSchema } };
};

export function errorResponses<S extends ErrorStatus>(...statuses: S[]): { [K in S | 429 | 500 | 503]: ErrorResponse } {
  return buildErrorResponses([...statuses, 429]) as { [K in S | 429 | 500 | 503]: ErrorResponse };
}

/** The same without 429, for the one route outside the rate limits (/health). */
export function unlimitedErrorResponses(): { [K in 500 | 503]: ErrorResponse } {
  return buildErrorResponses([]) as { [K in 500 | 503]: ErrorResponse };
}

function buildErrorResponses(statuses: ErrorStatus[]): Partial<Record<ErrorStatus, ErrorResponse>> {
  const out: Partial<Record<ErrorStatus, ErrorResponse>> = {};
  for (const s of new Set<ErrorStatus>([...statuses, 500, 503])) {
    const headers: Record<string, { $ref: string }> = { ...requestIdHeader };
    if (s === 429 || s === 503) headers["Retry-After"] = headerRef("Retry-After");
    if (s === 429) {
      headers.RateLimit = headerRef("RateLimit");
      headers["RateLimit-Policy"] = headerRef("RateLimit-Policy");
    }
    out[s] = {
      description: `${ERROR_DESCRIPTIONS[s]} (codes: ${codesFor(s).join(", ")})`,
      headers,
      content: { "application/json": { schema: ErrorSchema } },
    };
  }
  // Keyed by the statuses given, so `hc` types each error reply as the envelope.
  return out;
}

/** The statuses a JSON body adds: malformed (400), too large (413), not JSON in UTF-8 (415). */
export const bodyErrors = [400, 413, 415] as const;

export const jsonBody = <T extends z.ZodType>(schema: T, description = "Request body") => ({
  required: true,
  description,
  content: { "application/json": { schema } },
});

/**
 * A body the client may leave out: no body, an empty body (even with
 * Content-Type: application/json, see middleware/json-body.ts) and `{}` all
 * mean the same. Broken JSON and unknown fields are still a 400.
 */
export const optionalJsonBody = <T extends z.ZodType>(schema: T, description = "Optional request body") => ({
  required: false,
  description,
  content: { "application/json": { schema } },
});

/** An optional body with no fields: only `{}` (or nothing) is accepted. */
export const NoFields = z.object({}).strict().openapi("NoFields", { description: "No fields; the body may be omitted" });

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  headers: requestIdHeader,
  content: { "application/json": { schema } },
});

/** A reply of an idempotent POST: it may be the stored first reply, which says so in a header. */
export const idempotentResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  headers: { ...requestIdHeader, "Idempotent-Replayed": headerRef("Idempotent-Replayed") },
  content: { "application/json": { schema } },
});

export const noContent = (description: string) => ({ description, headers: requestIdHeader });

export const bearerSecurity = [{ bearerAuth: [] as string[] }];
/** Public routes say so explicitly, so generators and linters do not assume a global scheme. */
export const publicSecurity: { [name: string]: string[] }[] = [];
