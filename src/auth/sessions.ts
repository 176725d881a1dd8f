/**
 * Sessions as the Worker sees them: a session is a refresh-token family, its
 * id (`rtf_…`) is the access token's `sid`, and the user's UserDO
 * (durable/user-do.ts) says whether it is still live. Logout, refresh-token
 * reuse and disabling the user revoke there, so every access token of the
 * session stops working at once instead of at its expiry.
 */
import type { EmailNotice } from "../domain/notifications/email";
import { REFRESH_TOKEN_TTL_MS } from "./refresh-tokens";

export function userObject(env: Env, userId: string) {
  return env.USER.get(env.USER.idFromName(userId));
}

/** Opens a session for a new refresh-token family; false when the user is disabled. */
export async function openSession(env: Env, userId: string, sessionId: string, now = Date.now()): Promise<boolean> {
  const opened = await userObject(env, userId).openSession(sessionId, now + REFRESH_TOKEN_TTL_MS);
  return opened.ok;
}

/** A refresh keeps the session alive as long as its newest refresh token; false when it is no longer live. */
export function renewSession(env: Env, userId: string, sessionId: string, now = Date.now()): Promise<boolean> {
  return userObject(env, userId).renewSession(sessionId, now + REFRESH_TOKEN_TTL_MS);
}

export async function revokeSession(env: Env, userId: string, sessionId: string): Promise<void> {
  await userObject(env, userId).revokeSession(sessionId);
}

/** The hot-path check of requireAuth: one RPC answered from the object's memory. */
export function sessionActive(env: Env, userId: string, sessionId: string): Promise<boolean> {
  return userObject(env, userId).sessionActive(sessionId);
}

/** Records a sign-in's device (user agent, truncated, and IP prefix) in the user's inbox state; returns the notice's email, if any. */
export async function recordSignIn(
  env: Env,
  userId: string,
  sessionId: string,
  device: { userAgent: string; ipPrefix: string; signUp: boolean },
): Promise<EmailNotice[]> {
  const { emails } = await userObject(env, userId).recordSignIn(sessionId, device.userAgent.slice(0, 200), device.ipPrefix, device.signUp);
  return emails;
}
