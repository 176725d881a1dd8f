/**
 * Sign in, register, refresh and sign out: the only code that sees tokens.
 * The access token stays in memory (state.ts); the refresh token is an
 * HttpOnly cookie the browser sends to the refresh route (refresh-cookie.ts).
 */
import { unwrap } from "../api/errors";
import { publicApi } from "../api/public-client";
import type { Session } from "../api/types";
import { REFRESH_COOKIE_HEADERS, withRefreshLock } from "./refresh-cookie";
import { getSession, setRestoring, setSession } from "./state";

function start(s: Session): void {
  setSession({ user: s.user, accessToken: s.access_token });
}

export async function signIn(email: string, password: string): Promise<void> {
  start(unwrap(await publicApi.POST("/v1/auth/login", { body: { email, password }, headers: REFRESH_COOKIE_HEADERS })));
}

export async function register(email: string, password: string, name?: string): Promise<void> {
  const body = name ? { email, password, name } : { email, password };
  start(unwrap(await publicApi.POST("/v1/auth/register", { body, headers: REFRESH_COOKIE_HEADERS })));
}

let refreshing: Promise<boolean> | null = null;

/** A new access token (and rotated cookie) from the refresh cookie, one request at a time; false, and signed out, if refused. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= withRefreshLock(async () => {
    const r = await publicApi.POST("/v1/auth/refresh", { body: {}, headers: REFRESH_COOKIE_HEADERS });
    if (!r.data) {
      setSession(null);
      return false;
    }
    start(r.data);
    return true;
  })
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/** At start-up (and on a reload): the refresh cookie, if any, brings the session back. */
export async function restoreSession(): Promise<boolean> {
  if (getSession()) return true;
  setRestoring(true);
  try {
    return await refreshSession();
  } finally {
    setRestoring(false);
  }
}

/** Revokes this session on the server (which also clears the cookie), then forgets the access token whatever the answer. */
export async function signOut(): Promise<void> {
  const session = getSession();
  try {
    if (session) await publicApi.POST("/v1/auth/logout", { body: {}, headers: { Authorization: `Bearer ${session.accessToken}` } });
  } finally {
    setSession(null);
  }
}
