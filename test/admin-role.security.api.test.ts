/**
 * The admin role (issue 8): no address becomes admin by registering first,
 * the role comes only from the operator command's statements (run here through
 * env.DB by test/helpers/roles.ts), every change is recorded in role_grants,
 * and a session carries the current role from its next refresh on.
 */
import { env } from "cloudflare:workers";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { operatorEmail, roleChangeStatements } from "../src/auth/role-grants";
import { api, registerUser, uniqueEmail } from "./helpers/auth";
import { grantAdmin, revokeAdmin } from "./helpers/roles";

const PASSWORD = "correct horse battery staple";
const ADMIN_ROUTE = "/v1/admin/pipeline/runs?limit=1";
const refresh = (refresh_token: string) => api("POST", "/v1/auth/refresh", { body: { refresh_token } });

describe("registration grants no role", () => {
  it("the formerly configured admin address and an ops address register as plain users, however spelled", async () => {
    for (const email of [" Admin@FinEdge.test ", " OPS@Example.COM ", "\tops@example.com"]) {
      let res = await api("POST", "/v1/auth/register", { body: { email, password: PASSWORD } });
      if (res.status === 409) res = await api("POST", "/v1/auth/login", { body: { email, password: PASSWORD } });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      expect(res.body.user.role).toBe("user");
      expect(decodeJwt(res.body.access_token).role).toBe("user");
      expect((await api("GET", ADMIN_ROUTE, { token: res.body.access_token })).status).toBe(403);
    }
  });
});

describe("the operator command", () => {
  it("grants through the next refresh, revokes through the next refresh, and records both", async () => {
    const s = await registerUser({ email: uniqueEmail("ops") });
    const granted = await grantAdmin(` ${s.user.email.toUpperCase()} `, { actor: "alice@ops", reason: "on-call rota" });
    expect(granted).toEqual({ id: s.user.id, role: "admin" });

    // The token in hand still says user; the next refresh carries the role.
    expect((await api("GET", ADMIN_ROUTE, { token: s.access_token })).status).toBe(403);
    const asAdmin = await refresh(s.refresh_token);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.user.role).toBe("admin");
    expect(decodeJwt(asAdmin.body.access_token).role).toBe("admin");
    expect((await api("GET", ADMIN_ROUTE, { token: asAdmin.body.access_token })).status).toBe(200);

    expect(await revokeAdmin(s.user.email, { actor: "bob@ops", reason: "left the rota" })).toEqual({ id: s.user.id, role: "user" });
    const demoted = await refresh(asAdmin.body.refresh_token);
    expect(demoted.status).toBe(200);
    expect(demoted.body.user.role).toBe("user");
    expect(decodeJwt(demoted.body.access_token).role).toBe("user");
    expect((await api("GET", ADMIN_ROUTE, { token: demoted.body.access_token })).status).toBe(403);
    // A fresh login after the revocation is a plain user too.
    const login = await api("POST", "/v1/auth/login", { body: { email: s.user.email, password: PASSWORD } });
    expect(decodeJwt(login.body.access_token).role).toBe("user");

    const audit = await env.DB.prepare("SELECT role, action, actor, reason, at FROM role_grants WHERE user_id = ? ORDER BY id")
      .bind(s.user.id)
      .all();
    expect(audit.results).toEqual([
      { role: "admin", action: "grant", actor: "alice@ops", reason: "on-call rota", at: expect.any(String) },
      { role: "admin", action: "revoke", actor: "bob@ops", reason: "left the rota", at: expect.any(String) },
    ]);
  });

  it("changes nothing and records nothing for an address nobody registered", async () => {
    const ghost = uniqueEmail("ghost");
    expect(await grantAdmin(ghost)).toBeNull();
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM role_grants g JOIN users u ON u.id = g.user_id WHERE u.email = ?")
      .bind(ghost)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
    // Registering afterwards still gives a plain user.
    expect((await registerUser({ email: ghost })).user.role).toBe("user");
  });

  it("refuses emails and texts that could break out of the SQL, before anything runs", () => {
    const base = { action: "grant" as const, actor: "ops", reason: "r", at: new Date().toISOString() };
    for (const email of [
      "x'@example.com",
      "a@b.com' OR 1=1 --",
      "a@b.com;DROP TABLE users",
      "a b@example.com",
      "@example.com",
      "a@example",
    ]) {
      expect(() => roleChangeStatements({ ...base, email }), email).toThrow();
    }
    expect(() => roleChangeStatements({ ...base, email: "a@example.com", reason: "it's'; DROP TABLE users; --" })).toThrow();
    expect(() => roleChangeStatements({ ...base, email: "a@example.com", actor: "ops\n" })).toThrow();
    expect(() => roleChangeStatements({ ...base, email: "a@example.com", at: "now'" })).toThrow();
    expect(operatorEmail("  Ops@Example.COM\t")).toBe("ops@example.com");
  });
});
