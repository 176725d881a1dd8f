/**
 * The edge's side of the AccountDO: find an account's stub, say who is
 * calling, require an Idempotency-Key, and turn the object's typed Result
 * into HTTP. The body is JSON.stringify of the result, which for a replay is
 * the stored first reply byte for byte.
 */
import type { Context } from "hono";
import type { Caller, Result } from "../../durable/account/api";
import { DomainError } from "../domain/errors";
import { IDEMPOTENCY_KEY_PATTERN } from "../domain/idempotency";
import type { AppEnv } from "../types";

export function accountStub(env: Env, accountId: string) {
  return env.ACCOUNT.get(env.ACCOUNT.idFromName(accountId));
}

export function callerOf(c: Context<AppEnv>): Caller {
  return { userId: c.get("principal").userId, requestId: c.get("requestId") };
}

/** The Idempotency-Key header, checked; undefined when absent and `optional`. */
export function idempotencyKey(c: Context<AppEnv>): string;
export function idempotencyKey(c: Context<AppEnv>, opts: { optional: true }): string | undefined;
export function idempotencyKey(c: Context<AppEnv>, opts?: { optional: true }): string | undefined {
  const key = c.req.header("idempotency-key");
  if (key === undefined || key === "") {
    if (opts?.optional) return undefined;
    throw new DomainError("idempotency_key_required", "This request moves money and needs an Idempotency-Key header");
  }
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new DomainError("validation_error", "Idempotency-Key must be 1 to 255 printable ASCII characters");
  }
  return key;
}

/**
 * The object's result as HTTP (an idempotent replay says so in a header).
 * Typed as the route's declared responses by the caller's route config, so
 * the return is the plain Response the OpenAPI handler accepts.
 */
// biome-ignore lint/suspicious/noExplicitAny: the route's createRoute config types the response for hc and OpenAPI
export function sendReply<T>(reply: Result<T>): any {
  const headers: Record<string, string> = {};
  if (reply.status !== 204) headers["Content-Type"] = "application/json; charset=UTF-8";
  if (reply.replayed) headers["Idempotent-Replayed"] = "true";
  const body = reply.status === 204 ? null : JSON.stringify(reply.ok ? reply.value : { error: reply.error });
  return new Response(body, { status: reply.status, headers });
}
