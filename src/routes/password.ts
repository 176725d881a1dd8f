/**
 * POST /v1/me/password: the signed-in user changes their password. Same
 * hashing and the same throttles as login (the per-IP auth limit, and the
 * per-client-and-email attempt count before the current password is
 * checked); on success every other session ends (the caller's stays), and a
 * `password_changed` notice enters the inbox and, as the preferences say
 * (by default), the mailbox.
 */
import { createRoute } from "@hono/zod-openapi";
import { drizzle } from "drizzle-orm/d1";
import { clientKey, networkPrefix } from "../auth/client-address";
import { beginLoginAttempt, recordLoginSuccess } from "../auth/login-throttle";
import { hashPassword, verifyPassword } from "../auth/password";
import { revokeOtherFamilies } from "../auth/refresh-tokens";
import { userObject } from "../auth/sessions";
import { findUserById, updatePasswordHash } from "../auth/users";
import { DomainError } from "../domain/errors";
import { notificationJob } from "../domain/notifications/email";
import { enqueueQuietly } from "../lib/email/enqueue";
import { audit } from "../lib/audit-context";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { ChangePasswordBodySchema, PasswordChangedSchema } from "./identity-schemas";

const changeRoute = createRoute({
  method: "post",
  path: "/me/password",
  tags: ["auth"],
  operationId: "changePassword",
  summary: "Change your password",
  description:
    "Checks `current_password` exactly like login (and counts the attempt in the same throttle: five wrong ones from one client within 15 minutes answer 429 with Retry-After), then sets `new_password` (10–128 characters, different from the current one). Every other session is signed out (its refresh tokens and access tokens stop working at once); the calling session stays. A `password_changed` notice enters the inbox and is emailed. A wrong current password is a 403 (not 401: the caller's session is fine).",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { body: jsonBody(ChangePasswordBodySchema) },
  responses: { 200: jsonResponse(PasswordChangedSchema, "Changed; other sessions revoked"), ...errorResponses(...bodyErrors, 401, 403) },
});

export const passwordRouter = createRouter().openapi(changeRoute, async (c) => {
  const { current_password, new_password } = c.req.valid("json");
  const principal = c.get("principal");
  const config = c.get("config");
  const db = drizzle(c.env.DB);
  const user = await findUserById(db, principal.userId);
  if (!user) throw new DomainError("unauthorized", "A valid bearer access token is required");

  // Counted before the check, as at login, so a stolen access token cannot guess the password at speed.
  const ip = c.req.header("cf-connecting-ip");
  const client = clientKey(ip);
  const attempt = await beginLoginAttempt(c.env.DB, client, user.email);
  if (!attempt.allowed) {
    c.header("Retry-After", String(attempt.retryAfterSeconds));
    throw new DomainError("rate_limited", "Too many failed password checks from this client; try again later", {
      retry_after_seconds: attempt.retryAfterSeconds,
    });
  }
  const check = await verifyPassword(current_password, user.passwordHash, config.pepper);
  if (!check.ok) throw new DomainError("forbidden", "The current password is wrong", { field: "current_password" });
  await recordLoginSuccess(c.env.DB, client, user.email);

  const now = Date.now();
  await updatePasswordHash(db, user.id, await hashPassword(new_password, config.pepper));
  // Sessions first (their access tokens stop at once), then their refresh tokens in D1.
  const { revoked, emails } = await userObject(c.env, user.id).passwordChanged(
    principal.sessionId,
    crypto.randomUUID(),
    (c.req.header("user-agent") ?? "").slice(0, 200),
    networkPrefix(ip),
  );
  await revokeOtherFamilies(db, user.id, principal.sessionId, now);
  await audit(c, "user.password_change", "user", user.id, { revoked_sessions: revoked.length });
  await enqueueQuietly(
    c.env,
    emails.map((n) => notificationJob(user.email, n)),
  );
  return c.json({ changed_at: new Date(now).toISOString(), revoked_sessions: revoked.length }, 200);
});
