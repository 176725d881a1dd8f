/**
 * The refresh token as an HttpOnly cookie (src/auth/refresh-cookie.ts), for
 * the web app: set by register / login / refresh when the client sends
 * `X-Refresh-Cookie: 1`, read by refresh when the body has no token, cleared
 * by logout and by a refused refresh. Other clients keep the JSON form.
 */
import { describe, expect, it } from "vitest";
import { api, uniqueEmail } from "./helpers/auth";

const PASSWORD = "correct horse battery staple";
const COOKIE = { "X-Refresh-Cookie": "1" };
const NAME = "__Secure-finedge_refresh";

/** The refresh cookie set by a response: its value and attributes. */
function refreshCookie(headers: Headers): { value: string; attrs: string[] } | null {
  const line = headers.getSetCookie().find((l) => l.startsWith(`${NAME}=`));
  if (!line) return null;
  const [pair, ...attrs] = line.split(/;\s*/);
  return { value: decodeURIComponent(pair!.slice(NAME.length + 1)), attrs: attrs.map((a) => a.toLowerCase()) };
}

function expectCookieAttributes(attrs: string[]) {
  expect(attrs).toEqual(expect.arrayContaining(["httponly", "secure", "samesite=strict", "path=/v1/auth/refresh"]));
  expect(attrs.some((a) => a.startsWith("domain="))).toBe(false);
}

async function cookieLogin() {
  const email = uniqueEmail("cookie");
  const reg = await api("POST", "/v1/auth/register", { body: { email, password: PASSWORD }, headers: COOKIE });
  expect(reg.status).toBe(201);
  return { email, reg };
}

describe("the refresh cookie", () => {
  it("register and login with X-Refresh-Cookie set the cookie and leave the token out of the JSON", async () => {
    const { email, reg } = await cookieLogin();
    expect(reg.body.refresh_token).toBeUndefined();
    expect(reg.body.access_token.split(".")).toHaveLength(3);
    const set = refreshCookie(reg.headers);
    expect(set?.value).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    expectCookieAttributes(set!.attrs);
    expect(set!.attrs).toContain(`max-age=${30 * 86_400}`);

    const login = await api("POST", "/v1/auth/login", { body: { email, password: PASSWORD }, headers: COOKIE });
    expect(login.status).toBe(200);
    expect(login.body.refresh_token).toBeUndefined();
    const again = refreshCookie(login.headers);
    expectCookieAttributes(again!.attrs);
    expect(again!.value).not.toBe(set!.value);
  });

  it("without the header the API answers as before: the token in JSON and no cookie", async () => {
    const email = uniqueEmail("json");
    const reg = await api("POST", "/v1/auth/register", { body: { email, password: PASSWORD } });
    expect(reg.body.refresh_token).toMatch(/^rt_/);
    expect(reg.headers.getSetCookie()).toEqual([]);
    const r = await api("POST", "/v1/auth/refresh", { body: { refresh_token: reg.body.refresh_token } });
    expect(r.status).toBe(200);
    expect(r.body.refresh_token).toMatch(/^rt_/);
    expect(r.headers.getSetCookie()).toEqual([]);
  });

  it("refresh reads the cookie when the body has none, rotates it, and treats a replayed cookie as reuse", async () => {
    const { reg } = await cookieLogin();
    const first = refreshCookie(reg.headers)!.value;
    const r = await api("POST", "/v1/auth/refresh", { body: {}, headers: { cookie: `${NAME}=${first}` } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.refresh_token).toBeUndefined();
    expect(r.body.user.id).toBe(reg.body.user.id);
    const next = refreshCookie(r.headers)!;
    expectCookieAttributes(next.attrs);
    expect(next.value).not.toBe(first);
    expect((await api("GET", "/v1/me", { token: r.body.access_token })).status).toBe(200);

    // The old cookie again: refused, the cookie cleared, and the whole family revoked.
    const replay = await api("POST", "/v1/auth/refresh", { body: {}, headers: { cookie: `${NAME}=${first}` } });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe("unauthorized");
    const cleared = refreshCookie(replay.headers)!;
    expect(cleared.value).toBe("");
    expect(cleared.attrs).toContain("max-age=0");
    expect((await api("GET", "/v1/me", { token: r.body.access_token })).status).toBe(401);
    expect((await api("POST", "/v1/auth/refresh", { body: {}, headers: { cookie: `${NAME}=${next.value}` } })).status).toBe(401);
  });

  it("refresh with neither a body token nor a cookie is a 401 in the envelope", async () => {
    const r = await api("POST", "/v1/auth/refresh", { body: {} });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("unauthorized");
    expect((await api("POST", "/v1/auth/refresh", { body: {}, headers: { cookie: `${NAME}=rt_nonsense` } })).status).toBe(401);
  });

  it("logout without a body token ends the access token's own session and clears the cookie", async () => {
    const { reg } = await cookieLogin();
    const cookie = refreshCookie(reg.headers)!.value;
    const out = await api("POST", "/v1/auth/logout", { token: reg.body.access_token, body: {} });
    expect(out.status).toBe(204);
    const cleared = refreshCookie(out.headers)!;
    expect(cleared.value).toBe("");
    expect(cleared.attrs).toEqual(expect.arrayContaining(["max-age=0", "path=/v1/auth/refresh"]));
    expect((await api("GET", "/v1/me", { token: reg.body.access_token })).status).toBe(401);
    expect((await api("POST", "/v1/auth/refresh", { body: {}, headers: { cookie: `${NAME}=${cookie}` } })).status).toBe(401);
  });

  it("logout with someone else's refresh token still answers 404 and revokes nothing", async () => {
    const a = await cookieLogin();
    const b = await api("POST", "/v1/auth/register", { body: { email: uniqueEmail("other"), password: PASSWORD } });
    const out = await api("POST", "/v1/auth/logout", { token: a.reg.body.access_token, body: { refresh_token: b.body.refresh_token } });
    expect(out.status).toBe(404);
    expect((await api("GET", "/v1/me", { token: b.body.access_token })).status).toBe(200);
    expect((await api("GET", "/v1/me", { token: a.reg.body.access_token })).status).toBe(200);
  });
});
