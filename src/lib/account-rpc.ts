/**
 * The edge's side of the AccountDO: find an account's stub, say who is
 * calling, require an Idempotency-Key, and pass a stored reply through as is.
 */
import type { Context } from "hono";
import type { Caller, Reply } from "../../durable/account-do";
import { DomainError } from "../domain/errors";
import { IDEMPOTENCY_KEY_PATTERN } from "../domain/idempotency";
import type { AppEnv } from "../types";

export function accountStub(env: Env, accountId: string) {
  return env.ACCOUNT.get(env.ACCOUNT.idFromName(accountId));
}

export function callerOf(c: Context<AppEnv>): Caller {
  return { userId: c.get("principal").userId, requestId: c.get("requestId") };
}

export function idempotencyKey(c: Context<AppEnv>): string {
  const key = c.req.header("idempotency-key");
  if (key === undefined || key === "") {
    throw new DomainError("idempotency_key_required", "This request moves money and needs an Idempotency-Key header");
  }
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new DomainError("validation_error", "Idempotency-Key must be 1 to 255 printable ASCII characters");
  }
  return key;
}

/**
 * The Durable Object's reply, byte for byte (an idempotent replay says so in a
 * header). Typed loosely on purpose: the route's schema documents the body.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function sendReply(reply: Reply): any {
  const headers: Record<string, string> = {};
  if (reply.status !== 204) headers["Content-Type"] = "application/json; charset=UTF-8";
  if (reply.replayed) headers["Idempotent-Replayed"] = "true";
  return new Response(reply.status === 204 ? null : reply.body, { status: reply.status, headers });
}

