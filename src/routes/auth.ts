/**
 * /v1/auth: register, login, refresh (rotation with reuse detection), logout.
 * Failures answer one message whatever the cause, so responses do not tell
 * which emails exist (register's 409 aside, which sign-up cannot avoid).
 */
import { createRoute } from "@hono/zod-openapi";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken } from "../auth/access-token";
import { clientKey, networkPrefix } from "../auth/client-address";
import { beginLoginAttempt, recordLoginSuccess } from "../auth/login-throttle";
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "../auth/password";
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie, wantsRefreshCookie } from "../auth/refresh-cookie";
import { findRefreshToken, issueRefreshToken, revokeFamily, rotateRefreshToken } from "../auth/refresh-tokens";
import { openSession, recordSignIn, renewSession, revokeSession } from "../auth/sessions";
import { createUser, findUserByEmail, findUserById, publicUser, updatePasswordHash, type UserRow } from "../auth/users";
import { recordAudit } from "../db/audit";
import { DomainError } from "../domain/errors";
import { audit } from "../lib/audit-context";
import { notificationJob, signupJob } from "../domain/notifications/email";
import { enqueueQuietly } from "../lib/email/enqueue";
import { newTokenFamilyId } from "../domain/ids";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonBody, jsonResponse, noContent, publicSecurity } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import type { AppEnv } from "../types";
import { LoginBodySchema, RefreshBodySchema, RegisterBodySchema, SessionSchema } from "./identity-schemas";

const INVALID_CREDENTIALS = "Invalid email or password";
const INVALID_REFRESH = "The refresh token is invalid, expired or revoked";

const registerRoute = createRoute({
  method: "post",
  path: "/auth/register",
  tags: ["auth"],
  operationId: "register",
  description:
    "Creates a user and returns a session: an access token (short-lived JWT) and a rotating refresh token. With `X-Refresh-Cookie: 1` the refresh token is set as an `HttpOnly; Secure; SameSite=Strict` cookie on the refresh path instead of the body.",
  security: publicSecurity,
  summary: "Create an account and start a session",
  request: { body: jsonBody(RegisterBodySchema) },
  responses: { 201: jsonResponse(SessionSchema, "Registered"), ...errorResponses(...bodyErrors, 409) },
});

const loginRoute = createRoute({
  method: "post",
  path: "/auth/login",
  tags: ["auth"],
  operationId: "login",
  security: publicSecurity,
  summary: "Start a session with email and password",
  description:
    "Throttled per client address and per client and email, never per email alone: five attempts at one email within 15 minutes, or twenty at any emails, from one client start a backoff of 5 minutes that doubles up to an hour (429 with Retry-After). The right password from another client is unaffected. With `X-Refresh-Cookie: 1` the refresh token is set as an HttpOnly cookie instead of the body.",
  request: { body: jsonBody(LoginBodySchema) },
  responses: { 200: jsonResponse(SessionSchema, "Logged in"), ...errorResponses(...bodyErrors, 401, 429) },
});

const refreshRoute = createRoute({
  method: "post",
  path: "/auth/refresh",
  tags: ["auth"],
  operationId: "refreshSession",
  security: publicSecurity,
  summary: "Exchange a refresh token for a new pair",
  description:
    "Each refresh token works once. Presenting a used or revoked one revokes its whole family, and every access token of that session stops working at once. The new access token carries the user's current role. Without `refresh_token` in the body, the refresh cookie is read; a refresh from the cookie (or with `X-Refresh-Cookie: 1`) answers with the successor in the cookie, and a refused one clears it.",
  request: { body: jsonBody(RefreshBodySchema) },
  responses: { 200: jsonResponse(SessionSchema, "New token pair"), ...errorResponses(...bodyErrors, 401) },
});

const logoutRoute = createRoute({
  method: "post",
  path: "/auth/logout",
  tags: ["auth"],
  operationId: "logout",
  description:
    "Revokes the whole family of the given refresh token, which must be one of yours, or without `refresh_token` the session of the access token itself; the session's access tokens stop working at once. Clears the refresh cookie.",
  summary: "Revoke the session (refresh token family) of one of your refresh tokens",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { body: jsonBody(RefreshBodySchema) },
  responses: { 204: noContent("Logged out"), ...errorResponses(...bodyErrors, 401, 404) },
});

/**
 * The session body: a fresh access token naming the session (`sid`, the
 * refresh-token family) and carrying the user's current role, with the
 * rotated refresh token or, without one, the first of a new family whose
 * session is opened in the user's UserDO (null when the user is disabled).
 */
async function session(c: Context<AppEnv>, user: UserRow, rotated?: { familyId: string; token: string }, signUp = false) {
  const config = c.get("config");
  let familyId = rotated?.familyId;
  let refreshToken = rotated?.token;
  if (!familyId || !refreshToken) {
    familyId = newTokenFamilyId();
    if (!(await openSession(c.env, user.id, familyId))) return null;
    refreshToken = await issueRefreshToken(drizzle(c.env.DB), user.id, familyId);
    // A new session is a sign-in: a device not seen before gets a notice in the inbox (not at sign-up),
    // emailed as the preferences say; a sign-up gets its confirmation email.
    const notices = await recordSignIn(c.env, user.id, familyId, {
      userAgent: c.req.header("user-agent") ?? "",
      ipPrefix: networkPrefix(c.req.header("cf-connecting-ip")),
      signUp,
    });
    await enqueueQuietly(c.env, [
      ...(signUp ? [signupJob(user.id, user.email, user.name)] : []),
      ...notices.map((n) => notificationJob(user.email, n)),
    ]);
  }
  return {
    user: publicUser(user),
    access_token: await signAccessToken(config, { userId: user.id, role: user.role, sessionId: familyId }),
    refresh_token: refreshToken,
    token_type: "Bearer" as const,
    expires_in: ACCESS_TOKEN_TTL_SECONDS,
  };
}

type SessionBody = NonNullable<Awaited<ReturnType<typeof session>>>;

/** The session as JSON, or with the refresh token moved into its HttpOnly cookie when the client uses the cookie. */
function sessionBody(
  c: Context<AppEnv>,
  body: SessionBody,
  cookie: boolean,
): Omit<SessionBody, "refresh_token"> & { refresh_token?: string } {
  if (!cookie) return body;
  setRefreshCookie(c, body.refresh_token);
  const { refresh_token: _, ...rest } = body;
  return rest;
}

export const authRouter = createRouter()
  .openapi(registerRoute, async (c) => {
    const { email, password, name } = c.req.valid("json");
    const config = c.get("config");
    const db = drizzle(c.env.DB);
    // Everyone starts as a plain user: only the operator command grants a role (src/auth/role-grants.ts).
    const passwordHash = await hashPassword(password, config.pepper);
    const user = await createUser(db, { email, name: name ?? null, passwordHash, role: "user" });
    if (!user) throw new DomainError("email_taken", "An account with this email already exists");
    const body = await session(c, user, undefined, true);
    if (!body) throw new DomainError("unauthorized", INVALID_CREDENTIALS);
    return c.json(sessionBody(c, body, wantsRefreshCookie(c)), 201);
  })
  .openapi(loginRoute, async (c) => {
    const { email, password } = c.req.valid("json");
    const config = c.get("config");
    const db = drizzle(c.env.DB);

    // Counted (atomically) before the password is checked, so parallel guesses
    // cannot outrun the limit and a client in backoff learns nothing, even from the
    // right password. Unknown emails are counted the same way. The keys are the
    // client's, so only the client's own guesses can hold it back.
    const client = clientKey(c.req.header("cf-connecting-ip"));
    const attempt = await beginLoginAttempt(c.env.DB, client, email);
    if (!attempt.allowed) {
      const wait = attempt.retryAfterSeconds;
      // onError builds the envelope on this context, keeping the header.
      c.header("Retry-After", String(wait));
      throw new DomainError("rate_limited", "Too many failed logins from this client; try again later", { retry_after_seconds: wait });
    }

    const user = await findUserByEmail(db, email);
    // An unknown email still pays for one full PBKDF2, so timing does not reveal it.
    const check = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH, config.pepper);
    // The attempt is already counted; a failure needs no further write.
    if (!user || !check.ok) throw new DomainError("invalid_credentials", INVALID_CREDENTIALS);
    await recordLoginSuccess(c.env.DB, client, email);
    if (check.needsRehash) await updatePasswordHash(db, user.id, await hashPassword(password, config.pepper));
    // A disabled user is answered like a wrong password.
    const body = await session(c, user);
    if (!body) throw new DomainError("invalid_credentials", INVALID_CREDENTIALS);
    return c.json(sessionBody(c, body, wantsRefreshCookie(c)), 200);
  })
  .openapi(refreshRoute, async (c) => {
    const fromBody = c.req.valid("json").refresh_token;
    const refresh_token = fromBody ?? readRefreshCookie(c);
    const cookie = fromBody === undefined || wantsRefreshCookie(c);
    // A refused refresh from the cookie clears it, so the browser stops sending a dead token.
    if (cookie) clearRefreshCookie(c);
    if (!refresh_token) throw new DomainError("unauthorized", INVALID_REFRESH);
    const db = drizzle(c.env.DB);
    const rotated = await rotateRefreshToken(db, refresh_token);
    if (!rotated.ok) {
      // Reuse: the family is revoked in D1 already; its access tokens die now too.
      if (rotated.reason === "reused") {
        await revokeSession(c.env, rotated.userId, rotated.familyId);
        await recordAudit(c.env.DB, {
          actorId: "system:auth",
          action: "session.reuse_revoke",
          targetType: "session",
          targetId: rotated.familyId,
          requestId: c.get("requestId"),
          detail: { user_id: rotated.userId },
        });
      }
      throw new DomainError("unauthorized", INVALID_REFRESH);
    }
    // The role is read again here, so a granted or revoked role reaches the session at its next refresh.
    const user = await findUserById(db, rotated.userId);
    // A session revoked in the UserDO (disabled user, revoke-all) ends its refresh tokens too.
    if (!user || !(await renewSession(c.env, user.id, rotated.familyId))) {
      await revokeFamily(db, rotated.familyId);
      await revokeSession(c.env, rotated.userId, rotated.familyId);
      throw new DomainError("unauthorized", INVALID_REFRESH);
    }
    const body = await session(c, user, rotated);
    if (!body) throw new DomainError("unauthorized", INVALID_REFRESH);
    return c.json(sessionBody(c, body, cookie), 200);
  })
  .openapi(logoutRoute, async (c) => {
    const { refresh_token } = c.req.valid("json");
    const principal = c.get("principal");
    const db = drizzle(c.env.DB);
    clearRefreshCookie(c);
    // Without a token (the web app, whose refresh token is in its cookie): the access token's own session.
    let family = { userId: principal.userId, familyId: principal.sessionId };
    if (refresh_token !== undefined) {
      const row = await findRefreshToken(db, refresh_token);
      // Someone else's token is answered exactly like an unknown one: no revocation, no hint.
      if (!row || row.userId !== principal.userId) throw new DomainError("not_found", "Refresh token not found");
      family = row;
    }
    // The session first: its access tokens stop at once, even if the D1 write below failed.
    await revokeSession(c.env, family.userId, family.familyId);
    await revokeFamily(db, family.familyId);
    await audit(c, "session.revoke", "session", family.familyId, { own: family.familyId === principal.sessionId });
    return c.body(null, 204);
  });
