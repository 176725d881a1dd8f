/**
 * Turns every failure into the one error envelope. Bad input is a 4xx with a
 * closed code; only a bug is a 500, and its details stay in the log.
 */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ZodError } from "zod";
import { DomainError, errorBody, statusOf, type ErrorCode } from "../domain/errors";
import type { AppEnv } from "../types";

export function errorResponse(c: Context<AppEnv>, code: ErrorCode, message: string, details?: unknown, headers?: Record<string, string>) {
  const requestId = c.get("requestId") ?? "unknown";
  return c.json(errorBody(code, message, requestId, details), statusOf(code) as ContentfulStatusCode, headers);
}

function codeForHttpStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return "validation_error";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 409:
      return "conflict";
    case 413:
      return "payload_too_large";
    case 415:
      return "unsupported_media_type";
    case 422:
      return "unprocessable";
    case 429:
      return "rate_limited";
    case 503:
      return "unavailable";
    default:
      return status >= 500 ? "internal_error" : "validation_error";
  }
}

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof DomainError) return errorResponse(c, err.code, err.message, err.details, retryAfter(err));
  if (err instanceof ZodError) return errorResponse(c, "validation_error", "Request validation failed", err.issues);
  if (err instanceof HTTPException) {
    const malformedJson = err.status === 400 && /json|content-type/i.test(err.message);
    const code = malformedJson ? "invalid_json" : codeForHttpStatus(err.status);
    return errorResponse(c, code, err.message || code);
  }
  console.error(
    JSON.stringify({ level: "error", msg: "unhandled", request_id: c.get("requestId"), error: String(err), stack: (err as Error)?.stack }),
  );
  return errorResponse(c, "internal_error", "Internal error");
};

/** A refusal that says when to come back (`details.retry_after_seconds`) also says it in Retry-After. */
function retryAfter(err: DomainError): Record<string, string> | undefined {
  const wait = (err.details as { retry_after_seconds?: unknown } | undefined)?.retry_after_seconds;
  return err.code === "rate_limited" && typeof wait === "number" ? { "Retry-After": String(wait) } : undefined;
}

export const onNotFound: NotFoundHandler<AppEnv> = (c) => errorResponse(c, "not_found", `No route for ${c.req.method} ${c.req.path}`);
