/** Sign in, register, refresh and sign out: the only code that sees tokens. */
import { unwrap } from "../api/errors";
import { publicApi } from "../api/public-client";
import type { Session } from "../api/types";
import { refreshToken } from "./refresh-token";
import { getSession, setSession } from "./state";

function start(s: Session): void {
  refreshToken.set(s.refresh_token);
  setSession({ user: s.user, accessToken: s.access_token });
}

export async function signIn(email: string, password: string): Promise<void> {
  start(unwrap(await publicApi.POST("/v1/auth/login", { body: { email, password } })));
}

export async function register(email: string, password: string, name?: string): Promise<void> {
  start(unwrap(await publicApi.POST("/v1/auth/register", { body: name ? { email, password, name } : { email, password } })));
}

let refreshing: Promise<boolean> | null = null;

/** A new token pair from the refresh token (one request at a time); false, and signed out, if it is refused. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const token = refreshToken.get();
    if (!token) return false;
    const r = await publicApi.POST("/v1/auth/refresh", { body: { refresh_token: token } });
    if (!r.data) {
      clearSession();
      return false;
    }
    start(r.data);
    return true;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** At start-up: nothing to restore while both tokens live in memory (a cookie-held refresh token will restore here). */
export async function restoreSession(): Promise<boolean> {
  return getSession() !== null;
}

/** Revokes the refresh token's family on the server, then forgets both tokens whatever the answer. */
export async function signOut(): Promise<void> {
  const session = getSession();
  const token = refreshToken.get();
  try {
    if (session && token)
      await publicApi.POST("/v1/auth/logout", {
        body: { refresh_token: token },
        headers: { Authorization: `Bearer ${session.accessToken}` },
      });
  } finally {
    clearSession();
  }
}

function clearSession(): void {
  refreshToken.set(undefined);
  setSession(null);
}
