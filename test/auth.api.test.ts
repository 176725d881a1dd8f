import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hashRefreshToken } from "../src/auth/refresh-tokens";
import { api, registerUser, uniqueEmail } from "./helpers/auth";
import { from, randomIp } from "./helpers/clients";
import { referenceHash } from "./helpers/passwords";

const PASSWORD = "correct horse battery staple";
const refresh = (refresh_token: string) => api("POST", "/v1/auth/refresh", { body: { refresh_token } });

async function userRow(email: string) {
  return env.DB.prepare("SELECT * FROM users WHERE email = ?").bind(email).first<Record<string, string>>();
}

function expectEnvelope(res: { status: number; body: any; headers: Headers }, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(res.body.error.request_id).toBe(res.headers.get("x-request-id"));
}

function expectSession(body: any) {
  expect(body).toMatchObject({ token_type: "Bearer", expires_in: 900 });
  expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "refresh_token", "token_type", "user"]);
  expect(Object.keys(body.user).sort()).toEqual(["created_at", "email", "id", "name", "role"]);
  expect(body.access_token.split(".")).toHaveLength(3);
  expect(body.refresh_token).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
}

describe("POST /v1/auth/register", () => {
  it("creates the user and a working session, with the email normalized", async () => {
    const email = uniqueEmail("Reg").toUpperCase();
    const res = await api("POST", "/v1/auth/register", { body: { email: `  ${email} `, password: PASSWORD, name: "Ada Lovelace" } });
    expect(res.status).toBe(201);
    expectSession(res.body);
    expect(res.body.user).toMatchObject({ email: email.toLowerCase(), name: "Ada Lovelace", role: "user" });
    expect(res.body.user.id).toMatch(/^usr_[0-9a-z]{20}$/);
    expect(Date.parse(res.body.user.created_at)).not.toBeNaN();
    expect(JSON.stringify(res.body)).not.toMatch(/pbkdf2|password/i);

    const me = await api("GET", "/v1/me", { token: res.body.access_token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ ...res.body.user, unread_notifications: 0 });
  });

  it("stores only a self-describing hash and only the SHA-256 of the refresh token", async () => {
    const { user, refresh_token } = await registerUser();
    const row = await userRow(user.email);
    expect(row?.password_hash).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    const tokens = await env.DB.prepare("SELECT * FROM refresh_tokens WHERE user_id = ?").bind(user.id).all<Record<string, string>>();
    expect(tokens.results).toHaveLength(1);
    const stored = tokens.results[0]!;
    expect(stored.token_hash).toBe(await hashRefreshToken(refresh_token));
    expect(JSON.stringify(stored)).not.toContain(refresh_token);
    const days = (Date.parse(stored.expires_at!) - Date.parse(stored.created_at!)) / 86_400_000;
    expect(days).toBe(30);
  });

  it("leaves name null when omitted", async () => {
    const { user } = await registerUser();
    expect((user as { name?: unknown }).name).toBeNull();
  });

  it("answers 409 email_taken for an existing email in any letter case", async () => {
    const email = uniqueEmail("dup");
    await registerUser({ email });
    const res = await api("POST", "/v1/auth/register", { body: { email: email.toUpperCase(), password: PASSWORD } });
    expectEnvelope(res, 409, "email_taken");
    const count = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ?").bind(email).first<{ n: number }>();
    expect(count?.n).toBe(1);
  });

  it.each([
    ["unknown field", { email: "x-unknown@example.test", password: PASSWORD, role: "admin" }],
    ["invalid email", { email: "not-an-email", password: PASSWORD }],
    ["email over 254 chars", { email: `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.test`, password: PASSWORD }],
    ["password of 9 chars", { email: "x-short@example.test", password: "123456789" }],
    ["password of 129 chars", { email: "x-long@example.test", password: "p".repeat(129) }],
    ["name over 100 chars", { email: "x-name@example.test", password: PASSWORD, name: "n".repeat(101) }],
    ["password not a string", { email: "x-type@example.test", password: 1234567890123 }],
    ["missing password", { email: "x-missing@example.test" }],
    ["array body", [{ email: "x-array@example.test", password: PASSWORD }]],
  ])("rejects %s with 400 and creates nothing", async (_label, body) => {
    const res = await api("POST", "/v1/auth/register", { body });
    expectEnvelope(res, 400, "validation_error");
    const email = (Array.isArray(body) ? body[0]! : body).email as string;
    expect(await userRow(email.toLowerCase())).toBeNull();
  });

  it("accepts the boundaries: 10 and 128 char passwords, 100 char names", async () => {
    await registerUser({ password: "p".repeat(10), name: "n".repeat(100) });
    await registerUser({ password: "p".repeat(128) });
  });

  it("answers broken JSON with 400 invalid_json", async () => {
    expectEnvelope(await api("POST", "/v1/auth/register", { rawBody: '{"email": "a@b.test", ' }), 400, "invalid_json");
  });

  it("documents the identity routes in /openapi.json", async () => {
    const res = await api("GET", "/openapi.json");
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(["/v1/auth/register", "/v1/auth/login", "/v1/auth/refresh", "/v1/auth/logout", "/v1/me"]),
    );
    expect(res.body.components.schemas.RegisterRequest.additionalProperties).toBe(false);
  });
});

describe("POST /v1/auth/login", () => {
  it("starts a new session for the right password, whatever the email's case", async () => {
    const { user } = await registerUser({ password: PASSWORD, name: "Grace" });
    const res = await api("POST", "/v1/auth/login", { body: { email: user.email.toUpperCase(), password: PASSWORD } });
    expect(res.status).toBe(200);
    expectSession(res.body);
    expect(res.body.user).toMatchObject({ id: user.id, email: user.email, name: "Grace" });
    expect((await api("GET", "/v1/me", { token: res.body.access_token })).body.id).toBe(user.id);
  });

  it("answers a wrong password and an unknown email identically", async () => {
    const { user } = await registerUser();
    const wrong = await api("POST", "/v1/auth/login", {
      headers: from(randomIp()),
      body: { email: user.email, password: "wrong password!" },
    });
    const unknown = await api("POST", "/v1/auth/login", {
      headers: from(randomIp()),
      body: { email: uniqueEmail("ghost"), password: "wrong password!" },
    });
    expectEnvelope(wrong, 401, "invalid_credentials");
    expectEnvelope(unknown, 401, "invalid_credentials");
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
    expect(wrong.body.error.details).toBeUndefined();
  });

  it("spends comparable time on an unknown email (it verifies against a dummy hash)", async () => {
    const { user } = await registerUser();
    const timed = async (email: string) => {
      const t = Date.now();
      await api("POST", "/v1/auth/login", { headers: from(randomIp()), body: { email, password: "wrong password!" } });
      return Date.now() - t;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1]!;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await timed(user.email));
      unknown.push(await timed(uniqueEmail("ghost")));
    }
    // Loose on purpose (shared CPU): skipping the PBKDF2 would make it ~10x faster.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
  });

  it("rejects unknown fields and missing fields with 400", async () => {
    expectEnvelope(
      await api("POST", "/v1/auth/login", { body: { email: "a@b.test", password: PASSWORD, otp: "1" } }),
      400,
      "validation_error",
    );
    expectEnvelope(await api("POST", "/v1/auth/login", { body: { email: "a@b.test" } }), 400, "validation_error");
  });

  it("upgrades a hash stored with older parameters on a successful login", async () => {
    const email = uniqueEmail("legacy");
    const old = await referenceHash(PASSWORD, env.PASSWORD_PEPPER, crypto.getRandomValues(new Uint8Array(16)), 1_000);
    await env.DB.prepare("INSERT INTO users (id, email, name, password_hash, role, created_at) VALUES (?, ?, NULL, ?, 'user', ?)")
      .bind(`usr_legacy${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`, email, old, new Date().toISOString())
      .run();
    expect((await api("POST", "/v1/auth/login", { body: { email, password: PASSWORD } })).status).toBe(200);
    const upgraded = (await userRow(email))?.password_hash;
    expect(upgraded).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(upgraded).not.toBe(old);
    expect((await api("POST", "/v1/auth/login", { body: { email, password: PASSWORD } })).status).toBe(200);
  });

  it("does not rehash after a failed login", async () => {
    const email = uniqueEmail("legacy-fail");
    const old = await referenceHash(PASSWORD, env.PASSWORD_PEPPER, crypto.getRandomValues(new Uint8Array(16)), 1_000);
    await env.DB.prepare("INSERT INTO users (id, email, name, password_hash, role, created_at) VALUES (?, ?, NULL, ?, 'user', ?)")
      .bind(`usr_legacy${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`, email, old, new Date().toISOString())
      .run();
    expect((await api("POST", "/v1/auth/login", { headers: from(randomIp()), body: { email, password: "wrong password!" } })).status).toBe(
      401,
    );
    expect((await userRow(email))?.password_hash).toBe(old);
  });
});

describe("POST /v1/auth/refresh", () => {
  it("rotates: a new working pair, and the old refresh token is spent", async () => {
    const s = await registerUser();
    const res = await refresh(s.refresh_token);
    expect(res.status).toBe(200);
    expectSession(res.body);
    expect(res.body.refresh_token).not.toBe(s.refresh_token);
    expect(res.body.user.id).toBe(s.user.id);
    expect((await api("GET", "/v1/me", { token: res.body.access_token })).status).toBe(200);
    const rows = await env.DB.prepare("SELECT family_id, rotated_at FROM refresh_tokens WHERE user_id = ? ORDER BY created_at")
      .bind(s.user.id)
      .all<{ family_id: string; rotated_at: string | null }>();
    expect(rows.results).toHaveLength(2);
    expect(new Set(rows.results.map((r) => r.family_id)).size).toBe(1);
    expect(rows.results.filter((r) => r.rotated_at === null)).toHaveLength(1);
  });

  it("answers 401 for an unknown token", async () => {
    expectEnvelope(await refresh("rt_" + "A".repeat(43)), 401, "unauthorized");
  });

  it("answers 401 for an expired token", async () => {
    const s = await registerUser();
    await env.DB.prepare("UPDATE refresh_tokens SET expires_at = ? WHERE token_hash = ?")
      .bind(new Date(Date.now() - 1000).toISOString(), await hashRefreshToken(s.refresh_token))
      .run();
    expectEnvelope(await refresh(s.refresh_token), 401, "unauthorized");
  });

  it("lets at most one of two concurrent refreshes with one token win", async () => {
    const s = await registerUser();
    const results = await Promise.all([refresh(s.refresh_token), refresh(s.refresh_token)]);
    expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
    expect(results.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(1);
  });

  it("rejects unknown fields and empty tokens with 400", async () => {
    expectEnvelope(await api("POST", "/v1/auth/refresh", { body: { refresh_token: "x", user_id: "usr_x" } }), 400, "validation_error");
    expectEnvelope(await api("POST", "/v1/auth/refresh", { body: { refresh_token: "" } }), 400, "validation_error");
  });
});

describe("POST /v1/auth/logout", () => {
  const logout = (token: string | undefined, refresh_token: string) => api("POST", "/v1/auth/logout", { token, body: { refresh_token } });
  it("revokes the whole family of the presented token", async () => {
    const s = await registerUser();
    const second = (await refresh(s.refresh_token)).body.refresh_token as string;
    const res = await logout(s.access_token, s.refresh_token);
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    expectEnvelope(await refresh(second), 401, "unauthorized");
  });

  it("leaves the user's other sessions alone", async () => {
    const s = await registerUser({ password: PASSWORD });
    const other = await api("POST", "/v1/auth/login", { body: { email: s.user.email, password: PASSWORD } });
    expect((await logout(s.access_token, s.refresh_token)).status).toBe(204);
    expect((await refresh(other.body.refresh_token)).status).toBe(200);
  });

  it("requires an access token", async () => {
    const s = await registerUser();
    expectEnvelope(await logout(undefined, s.refresh_token), 401, "unauthorized");
    expect((await refresh(s.refresh_token)).status).toBe(200);
  });

  it("cannot revoke another user's token, and says so like for an unknown one", async () => {
    const alice = await registerUser();
    const mallory = await registerUser();
    const foreign = await logout(mallory.access_token, alice.refresh_token);
    const unknown = await logout(mallory.access_token, "rt_" + "B".repeat(43));
    expectEnvelope(foreign, 404, "not_found");
    expectEnvelope(unknown, 404, "not_found");
    expect(foreign.body.error.message).toBe(unknown.body.error.message);
    expect((await refresh(alice.refresh_token)).status).toBe(200);
  });
});

describe("GET /v1/me", () => {
  it("returns the caller and only the caller", async () => {
    const a = await registerUser({ name: "A" });
    const b = await registerUser({ name: "B" });
    expect((await api("GET", "/v1/me", { token: a.access_token })).body).toMatchObject({ id: a.user.id, name: "A" });
    expect((await api("GET", "/v1/me", { headers: b.authHeader })).body).toMatchObject({ id: b.user.id, name: "B" });
  });

  it("answers 401 with WWW-Authenticate without a token", async () => {
    const res = await api("GET", "/v1/me");
    expectEnvelope(res, 401, "unauthorized");
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("answers 401 once the user no longer exists", async () => {
    const s = await registerUser();
    await env.DB.prepare("DELETE FROM users WHERE id = ?").bind(s.user.id).run();
    expectEnvelope(await api("GET", "/v1/me", { token: s.access_token }), 401, "unauthorized");
    expectEnvelope(await refresh(s.refresh_token), 401, "unauthorized");
  });
});
