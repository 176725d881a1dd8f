/**
 * Access tokens end with their session (issue 8): after logout, after
 * refresh-token reuse revoked the family, and after the user is disabled, the
 * tokens already handed out answer 401 at once, not at their 15-minute expiry.
 * The session id is the token's `sid`; the user's UserDO holds the live ones.
 */
import { env } from "cloudflare:workers";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { api, registerUser } from "./helpers/auth";

const PASSWORD = "correct horse battery staple";
const me = (token: string) => api("GET", "/v1/me", { token });
const refresh = (refresh_token: string) => api("POST", "/v1/auth/refresh", { body: { refresh_token } });
const login = (email: string) => api("POST", "/v1/auth/login", { body: { email, password: PASSWORD } });
const userDO = (userId: string) => env.USER.get(env.USER.idFromName(userId));

function expect401(res: { status: number; body: any; headers: Headers }) {
  expect(res.status, JSON.stringify(res.body)).toBe(401);
  expect(res.body.error.code).toBe("unauthorized");
  expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
}

describe("the session id in the access token", () => {
  it("is the refresh-token family, the same across a refresh and different for each login", async () => {
    const s = await registerUser({ password: PASSWORD });
    const sid = decodeJwt(s.access_token).sid;
    expect(sid).toMatch(/^rtf_[0-9a-z]{20}$/);
    const family = await env.DB.prepare("SELECT family_id FROM refresh_tokens WHERE user_id = ?")
      .bind(s.user.id)
      .first<{ family_id: string }>();
    expect(family?.family_id).toBe(sid);
    const next = await refresh(s.refresh_token);
    expect(decodeJwt(next.body.access_token).sid).toBe(sid);
    expect(decodeJwt((await login(s.user.email)).body.access_token).sid).not.toBe(sid);
  });
});

describe("logout", () => {
  it("ends the session's access tokens at once, and only that session's", async () => {
    const s = await registerUser({ password: PASSWORD });
    const rotated = await refresh(s.refresh_token);
    const other = await login(s.user.email);
    expect((await me(s.access_token)).status).toBe(200);

    const out = await api("POST", "/v1/auth/logout", {
      token: rotated.body.access_token,
      body: { refresh_token: rotated.body.refresh_token },
    });
    expect(out.status).toBe(204);
    // Both access tokens of the session (before and after its refresh) are dead now.
    expect401(await me(s.access_token));
    expect401(await me(rotated.body.access_token));
    // The other login is a separate session and keeps working.
    expect((await me(other.body.access_token)).status).toBe(200);
    expect((await refresh(other.body.refresh_token)).status).toBe(200);
  });
});

describe("refresh-token reuse", () => {
  it("ends every access token of the family at once, the legitimate holder's newest included", async () => {
    const s = await registerUser({ password: PASSWORD });
    const second = await refresh(s.refresh_token);
    expect(second.status).toBe(200);
    expect((await me(second.body.access_token)).status).toBe(200);

    // The first refresh token leaked and is replayed.
    expect((await refresh(s.refresh_token)).status).toBe(401);
    expect401(await me(s.access_token));
    expect401(await me(second.body.access_token));
    expect((await refresh(second.body.refresh_token)).status).toBe(401);
  });
});

describe("disabling a user (UserDO.disable)", () => {
  it("ends every session at once, refuses refreshes and new logins", async () => {
    const s = await registerUser({ password: PASSWORD });
    const other = await login(s.user.email);
    expect((await me(other.body.access_token)).status).toBe(200);

    await userDO(s.user.id).disable();
    expect(await userDO(s.user.id).isDisabled()).toBe(true);
    expect401(await me(s.access_token));
    expect401(await me(other.body.access_token));
    expect((await refresh(s.refresh_token)).status).toBe(401);
    const again = await login(s.user.email);
    expect(again.status).toBe(401);
    expect(again.body.access_token).toBeUndefined();
    // The refused refresh also revoked the family in D1.
    const live = await env.DB.prepare(
      "SELECT count(*) AS n FROM refresh_tokens WHERE user_id = ? AND revoked_at IS NULL AND rotated_at IS NULL",
    )
      .bind(s.user.id)
      .first<{ n: number }>();
    expect(live?.n).toBe(1); // only `other`'s, which the next refresh kills the same way
    expect((await refresh(other.body.refresh_token)).status).toBe(401);
  });
});

describe("the UserDO's session table", () => {
  it("keeps at most 50 sessions per user, revoking the oldest", async () => {
    const s = await registerUser({ password: PASSWORD });
    const stub = userDO(s.user.id);
    const ids = Array.from({ length: 55 }, (_, i) => `rtf_cap${String(i).padStart(17, "0")}`);
    for (const id of ids) await stub.openSession(id, Date.now() + 60_000);
    const active = await Promise.all(ids.map((id) => stub.sessionActive(id)));
    expect(active.filter(Boolean)).toHaveLength(50);
    expect(active.slice(0, 5)).toEqual([false, false, false, false, false]);
    // The registration's own session was the oldest of all.
    expect401(await me(s.access_token));
  });

  it("an expired session is inactive and cannot be renewed", async () => {
    const { user } = await registerUser();
    const stub = userDO(user.id);
    await stub.openSession("rtf_expired0000000000000", Date.now() - 1);
    expect(await stub.sessionActive("rtf_expired0000000000000")).toBe(false);
    expect(await stub.renewSession("rtf_expired0000000000000", Date.now() + 60_000)).toBe(false);
  });
});
