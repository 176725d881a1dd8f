/**
 * The refresh token as a cookie, for the web app: `HttpOnly; Secure;
 * SameSite=Strict`, scoped to the refresh path, so page scripts never see it
 * and the browser sends it only to POST /v1/auth/refresh from this site.
 * A client opts in with the `X-Refresh-Cookie: 1` header on register, login or
 * refresh; every other client keeps the refresh token in the JSON body.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { REFRESH_TOKEN_TTL_MS } from "./refresh-tokens";

export const REFRESH_COOKIE = "__Secure-finedge_refresh";
export const REFRESH_COOKIE_PATH = "/v1/auth/refresh";
export const REFRESH_COOKIE_HEADER = "x-refresh-cookie";

const attributes = { path: REFRESH_COOKIE_PATH, secure: true, httpOnly: true, sameSite: "Strict" } as const;

/** The client asked for the cookie form. */
export function wantsRefreshCookie(c: Context): boolean {
  return c.req.header(REFRESH_COOKIE_HEADER) === "1";
}

export function readRefreshCookie(c: Context): string | undefined {
  const value = getCookie(c, REFRESH_COOKIE);
  return value && value.length <= 512 ? value : undefined;
}

export function setRefreshCookie(c: Context, token: string): void {
  setCookie(c, REFRESH_COOKIE, token, { ...attributes, maxAge: Math.floor(REFRESH_TOKEN_TTL_MS / 1000) });
}

/** Expires the cookie (sent from any path: a cookie's Path does not limit who may set it). */
export function clearRefreshCookie(c: Context): void {
  deleteCookie(c, REFRESH_COOKIE, attributes);
}
