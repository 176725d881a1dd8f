/**
 * The audit log (issue 13): every admin and security action that exists
 * leaves one entry with its actor, target and request id; filters and the
 * cursor work; secrets never reach it, however a caller words its detail.
 */
import { env } from "cloudflare:workers";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { listAudit, recordAudit, scrubDetail } from "../src/db/audit";
import { upsertDeadLetterStatement } from "../src/db/pipeline/dead-letters";
import { api, registerUser } from "./helpers/auth";
import { adminToken } from "./helpers/pipeline";
import { grantAdmin } from "./helpers/roles";

const PASSWORD = "correct horse battery staple";
const NEW_PASSWORD = "an entirely new passphrase";
const entries = async (admin: string, query: string) => {
  const res = await api("GET", `/v1/admin/audit?${query}`, { token: admin });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as { action: string; actor_id: string; target_id: string; request_id: string; detail: unknown }[];
};

describe("scrubbing", () => {
  it("drops every secret-named key at any depth and bounds strings", () => {
    const out = scrubDetail({
      reason: "x".repeat(600),
      password: PASSWORD,
      new_password: NEW_PASSWORD,
      nested: {
        refresh_token: "rt_abc",
        Authorization: "Bearer x",
        api_key: "k",
        ok: 1,
        national_id: "ABCDE1234F",
        pan: "4111111111111111",
      },
      list: [{ secret: "s", kept: true }],
    }) as Record<string, any>;
    expect(out.reason).toHaveLength(501);
    expect(out.nested).toEqual({ ok: 1 });
    expect(out.list).toEqual([{ kept: true }]);
    expect(JSON.stringify(out)).not.toMatch(/horse|passphrase|rt_abc|Bearer|4111|ABCDE/);
  });

  it("stores a scrubbed detail through recordAudit", async () => {
    const target = `t_${crypto.randomUUID()}`;
    await recordAudit(env.DB, {
      actorId: "system:test",
      action: "test.write",
      targetType: "test",
      targetId: target,
      requestId: null,
      detail: { password: PASSWORD, n: 2 },
    });
    const [row] = await listAudit(env.DB, { targetId: target, limit: 5 });
    expect(row).toMatchObject({ actor_id: "system:test", action: "test.write", detail: { n: 2 } });
  });
});

describe("what is recorded", () => {
  it("password change and logout, by the user, with no secret in the log", async () => {
    const admin = await adminToken();
    const u = await registerUser();
    const changed = await api("POST", "/v1/me/password", {
      token: u.access_token,
      body: { current_password: PASSWORD, new_password: NEW_PASSWORD },
      headers: { "x-request-id": "req-password-audit-1" },
    });
    expect(changed.status).toBe(200);
    expect((await api("POST", "/v1/auth/logout", { token: u.access_token, body: {} })).status).toBe(204);
    const mine = await entries(admin, `actor=${u.user.id}`);
    expect(mine.map((e) => e.action)).toEqual(["session.revoke", "user.password_change"]);
    expect(mine[1]).toMatchObject({ target_id: u.user.id, request_id: "req-password-audit-1", detail: { revoked_sessions: 0 } });
    expect(mine[0]!.target_id).toBe(decodeJwt(u.access_token).sid);
    const { results } = await env.DB.prepare("SELECT detail FROM audit_log WHERE actor_id = ?").bind(u.user.id).all();
    expect(JSON.stringify(results)).not.toMatch(/horse|passphrase|rt_/);
  });

  it("a refresh token reused after rotation: the system revokes the session, on record", async () => {
    const admin = await adminToken();
    const u = await registerUser();
    expect((await api("POST", "/v1/auth/refresh", { body: { refresh_token: u.refresh_token } })).status).toBe(200);
    expect((await api("POST", "/v1/auth/refresh", { body: { refresh_token: u.refresh_token } })).status).toBe(401);
    const [e] = await entries(admin, `action=session.reuse_revoke&target=${decodeJwt(u.access_token).sid}`);
    expect(e).toMatchObject({ actor_id: "system:auth", detail: { user_id: u.user.id } });
  });

  it("the operator command's grants", async () => {
    const admin = await adminToken();
    const u = await registerUser();
    await grantAdmin(u.user.email, { actor: "alice@ops", reason: "on-call rota" });
    const [e] = await entries(admin, `target=${u.user.id}`);
    expect(e).toMatchObject({
      action: "user.role_grant",
      actor_id: "operator:alice@ops",
      detail: { role: "admin", reason: "on-call rota" },
    });
  });

  it("dead-letter discard, pipeline replay and reconcile, by the admin", async () => {
    const admin = await adminToken();
    const me = decodeJwt(admin).sub as string;
    const raw = JSON.stringify({ poison: crypto.randomUUID() });
    const now = new Date().toISOString();
    await (
      await upsertDeadLetterStatement(
        env.DB,
        { rawBody: raw, eventId: null, sourceQueue: "finedge-events", error: "bad", deliveryAttempts: 1, seenAt: now },
        now,
      )
    ).run();
    const open = await api("GET", "/v1/admin/dead-letters?status=open&limit=200", { token: admin });
    const dl = open.body.data.find((d: { raw_body: string }) => d.raw_body === raw);
    expect((await api("POST", `/v1/admin/dead-letters/${dl.id}/discard`, { token: admin })).status).toBe(200);
    const u = await registerUser();
    expect((await api("GET", `/v1/admin/reconcile?user_id=${u.user.id}`, { token: admin })).status).toBe(200);
    const mine = await entries(admin, `actor=${me}`);
    expect(mine.map((e) => e.action)).toEqual(["pipeline.reconcile", "dead_letter.discard"]);
    expect(mine[0]).toMatchObject({ target_id: u.user.id });
    expect(mine[1]).toMatchObject({ target_id: dl.id });
  });
});

describe("GET /v1/admin/audit", () => {
  it("filters by time and pages with a cursor; bad filters are a 400", async () => {
    const admin = await adminToken();
    const target = `t_${crypto.randomUUID()}`;
    const base = Date.parse("2026-01-01T00:00:00Z");
    for (let i = 0; i < 5; i++)
      await recordAudit(
        env.DB,
        { actorId: "system:test", action: "test.page", targetType: "test", targetId: target, requestId: null, detail: { i } },
        base + i * 60_000,
      );
    const window = await entries(admin, `target=${target}&from=2026-01-01T00:01:00Z&to=2026-01-01T01:03:00%2B01:00`);
    expect(window.map((e) => (e.detail as { i: number }).i)).toEqual([2, 1]);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: { detail: { i: number } }[]; next_cursor: string | null } } = await api(
        "GET",
        `/v1/admin/audit?target=${target}&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
        { token: admin },
      );
      seen.push(...res.body.data.map((e) => e.detail.i));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([4, 3, 2, 1, 0]);
    for (const q of ["from=yesterday", "action=DROP TABLE", "limit=0", "cursor=xyz", "target_type=A;B"])
      expect((await api("GET", `/v1/admin/audit?${q}`, { token: admin })).status, q).toBe(400);
  });
});
