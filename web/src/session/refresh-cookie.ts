/**
 * The refresh token lives in an `HttpOnly; Secure; SameSite=Strict` cookie
 * scoped to /v1/auth/refresh (src/auth/refresh-cookie.ts): no script here can
 * read it, and nothing stores it. The app asks for the cookie with this header
 * and sends refresh and logout with no token in the body.
 */
export const REFRESH_COOKIE_HEADERS = { "X-Refresh-Cookie": "1" } as const;

/**
 * Runs a refresh under a lock shared by this origin's tabs: two tabs rotating
 * the same cookie at once would look like token reuse and end the session.
 */
export function withRefreshLock<T>(run: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? (locks.request("finedge-refresh", run) as Promise<unknown> as Promise<T>) : run();
}
