/**
 * Users for admins (issue 13): the admin gate, disable (every session ends at
 * once, refresh and login refused), enable, role changes, the self rule, and
 * the audit entry each one leaves (with the request id, never a secret).
 */
import { env } from "cloudflare:workers";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { api, registerUser, uniqueEmail } from "./helpers/auth";
import { adminToken } from "./helpers/pipeline";

const PASSWORD = "correct horse battery staple";
const login = (email: string, password = PASSWORD) => api("POST", "/v1/auth/login", { body: { email, password } });
const refresh = (refresh_token: string) => api("POST", "/v1/auth/refresh", { body: { refresh_token } });
const auditFor = async (admin: string, query: string) => (await api("GET", `/v1/admin/audit?${query}`, { token: admin })).body.data;

describe("the admin gate", () => {
  it("answers a user token 403 and no token 401 on every admin user and audit route", async () => {
    const u = await registerUser();
    const other = await registerUser();
    const routes: [string, string, unknown?][] = [
      ["GET", "/v1/admin/users"],
      ["GET", "/v1/admin/audit"],
      ["POST", `/v1/admin/users/${other.user.id}/disable`, {}],
      ["POST", `/v1/admin/users/${other.user.id}/enable`, {}],
      ["PATCH", `/v1/admin/users/${other.user.id}/role`, { role: "admin" }],
    ];
    for (const [method, path, body] of routes) {
      expect((await api(method, path, { token: u.access_token, body })).status, `${method} ${path}`).toBe(403);
      expect((await api(method, path, { body })).status, `${method} ${path}`).toBe(401);
    }
    // The user was not promoted by their own attempt, and is still active.
    expect((await login(other.user.email)).status).toBe(200);
    expect((await refresh(u.refresh_token)).body.user.role).toBe("user");
  });
});

describe("disable and enable", () => {
  it("ends the live access token at once, refuses refresh and login, and enable lets login back in", async () => {
    const admin = await adminToken();
    const victim = await registerUser({ email: uniqueEmail("victim") });
    const second = await login(victim.user.email);
    expect((await api("GET", "/v1/me", { token: victim.access_token })).status).toBe(200);

    const res = await api("POST", `/v1/admin/users/${victim.user.id}/disable`, {
      token: admin,
      body: { reason: "fraud review" },
      headers: { "x-request-id": "req-disable-test-0001" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: victim.user.id, status: "disabled", role: "user" });

    // Both sessions' access tokens, still within their 15-minute lifetime, are refused now.
    expect((await api("GET", "/v1/me", { token: victim.access_token })).status).toBe(401);
    expect((await api("GET", "/v1/me", { token: second.body.access_token })).status).toBe(401);
    expect((await refresh(victim.refresh_token)).status).toBe(401);
    expect((await refresh(second.body.refresh_token)).status).toBe(401);
    const refused = await login(victim.user.email);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("invalid_credentials");
    const live = await env.DB.prepare("SELECT COUNT(*) AS n FROM refresh_tokens WHERE user_id = ? AND revoked_at IS NULL")
      .bind(victim.user.id)
      .first<{ n: number }>();
    expect(live?.n).toBe(0);

    // Disabling again is harmless.
    expect((await api("POST", `/v1/admin/users/${victim.user.id}/disable`, { token: admin })).body.status).toBe("disabled");

    const listed = await api("GET", `/v1/admin/users?status=disabled&email=${encodeURIComponent(victim.user.email.toUpperCase())}`, {
      token: admin,
    });
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body.data.map((u: { id: string }) => u.id)).toEqual([victim.user.id]);

    const enabled = await api("POST", `/v1/admin/users/${victim.user.id}/enable`, { token: admin, body: {} });
    expect(enabled.body).toMatchObject({ status: "active", disabled_at: null });
    const back = await login(victim.user.email);
    expect(back.status).toBe(200);
    expect((await api("GET", "/v1/me", { token: back.body.access_token })).status).toBe(200);
    // What ended stays ended.
    expect((await api("GET", "/v1/me", { token: victim.access_token })).status).toBe(401);

    const entries = await auditFor(admin, `target=${victim.user.id}`);
    expect(entries.map((e: { action: string }) => e.action)).toEqual(["user.enable", "user.disable", "user.disable"]);
    const first = entries[2];
    expect(first).toMatchObject({
      object: "audit_entry",
      actor_id: decodeJwt(admin).sub,
      target_type: "user",
      request_id: "req-disable-test-0001",
      detail: { reason: "fraud review", was_disabled: false },
    });
    expect(entries[1].detail.was_disabled).toBe(true);
  });

  it("refuses an admin's own account (422) and unknown users (404)", async () => {
    const admin = await adminToken();
    const self = decodeJwt(admin).sub as string;
    for (const [method, path, body] of [
      ["POST", `/v1/admin/users/${self}/disable`, {}],
      ["PATCH", `/v1/admin/users/${self}/role`, { role: "user" }],
    ] as const) {
      const res = await api(method, path, { token: admin, body });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe("self_modification");
    }
    expect((await api("GET", "/v1/admin/users?limit=1", { token: admin })).status).toBe(200);
    expect((await api("POST", "/v1/admin/users/usr_nosuchuser/disable", { token: admin })).status).toBe(404);
    expect((await api("POST", "/v1/admin/users/not-a-user/disable", { token: admin })).status).toBe(400);
    expect((await api("PATCH", "/v1/admin/users/usr_nosuchuser/role", { token: admin, body: { role: "root" } })).status).toBe(400);
    const other = await registerUser();
    for (const [method, path, body] of [
      ["POST", `/v1/admin/users/${other.user.id}/disable`, { reason: 5 }],
      ["POST", `/v1/admin/users/${other.user.id}/disable`, { reason: "ok", extra: true }],
      ["POST", `/v1/admin/users/${other.user.id}/enable`, { reason: "\u202egpj" }],
      ["PATCH", `/v1/admin/users/${other.user.id}/role`, {}],
      ["PATCH", `/v1/admin/users/${other.user.id}/role`, { role: "admin", reason: "x".repeat(201) }],
    ] as const) {
      const res = await api(method, path, { token: admin, body });
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
    }
    expect((await api("PATCH", `/v1/admin/users/${other.user.id}/role`, { token: admin, rawBody: "{nope" })).status).toBe(400);
    // Nothing above changed the user.
    expect((await login(other.user.email)).body.user.role).toBe("user");
  });
});

describe("role changes", () => {
  it("a grant applies at the next refresh; a demotion signs the user out at once; both are recorded", async () => {
    const admin = await adminToken();
    const u = await registerUser({ email: uniqueEmail("promote") });
    const granted = await api("PATCH", `/v1/admin/users/${u.user.id}/role`, { token: admin, body: { role: "admin", reason: "on call" } });
    expect(granted.status, JSON.stringify(granted.body)).toBe(200);
    expect(granted.body).toMatchObject({ role: "admin", signed_out_sessions: 0 });
    const asAdmin = await refresh(u.refresh_token);
    expect(asAdmin.body.user.role).toBe("admin");
    expect((await api("GET", "/v1/admin/users?limit=1", { token: asAdmin.body.access_token })).status).toBe(200);

    const demoted = await api("PATCH", `/v1/admin/users/${u.user.id}/role`, { token: admin, body: { role: "user" } });
    expect(demoted.body).toMatchObject({ role: "user", signed_out_sessions: 1 });
    // The admin token in hand stops at once, not at its expiry.
    expect((await api("GET", "/v1/admin/users?limit=1", { token: asAdmin.body.access_token })).status).toBe(401);
    expect((await refresh(asAdmin.body.refresh_token)).status).toBe(401);
    expect((await login(u.user.email)).body.user.role).toBe("user");

    const grants = await env.DB.prepare("SELECT role, action, actor FROM role_grants WHERE user_id = ? ORDER BY id").bind(u.user.id).all();
    expect(grants.results).toEqual([
      { role: "admin", action: "grant", actor: decodeJwt(admin).sub },
      { role: "admin", action: "revoke", actor: decodeJwt(admin).sub },
    ]);
    const entries = await auditFor(admin, `target=${u.user.id}&action=user.role_change`);
    expect(entries.map((e: { detail: unknown }) => e.detail)).toEqual([
      { from: "admin", to: "user" },
      { from: "user", to: "admin", reason: "on call" },
    ]);
  });
});

describe("the user list", () => {
  it("filters by role and pages with a cursor, newest first", async () => {
    const admin = await adminToken();
    const tag = crypto.randomUUID().slice(0, 8);
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await registerUser({ email: `page-${tag}-${i}@example.test` })).user.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `email=page-${tag}&role=user&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await api("GET", `/v1/admin/users?${q}`, { token: admin });
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((u: { id: string }) => u.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(made.reverse());
    expect((await api("GET", `/v1/admin/users?email=page-${tag}&role=admin`, { token: admin })).body.data).toEqual([]);
    expect((await api("GET", "/v1/admin/users?cursor=garbage", { token: admin })).status).toBe(400);
    expect((await api("GET", "/v1/admin/users?status=gone", { token: admin })).status).toBe(400);
    // A LIKE wildcard in the filter is a literal character.
    expect((await api("GET", "/v1/admin/users?email=%25", { token: admin })).body.data).toEqual([]);
  });
});
