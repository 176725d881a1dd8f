/**
 * A Worker deployed without real secrets must refuse /v1 with 503
 * `misconfigured` (and so never sign a token); /health says so too.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { backdateDays, loadConfig } from "../src/config";

const app = createApp();

async function call(path: string, bindings: Partial<Record<keyof Env, unknown>>, init?: RequestInit) {
  const res = await app.fetch(new Request(`http://x${path}`, init), { ...env, ...bindings } as Env);
  return { status: res.status, body: (await res.json()) as any };
}

const register = (email: string): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ email, password: "correct horse battery staple" }),
});

describe("configuration checks", () => {
  it.each([
    ["JWT_SECRET missing", { JWT_SECRET: undefined }],
    ["JWT_SECRET placeholder", { JWT_SECRET: "generate-me" }],
    ["JWT_SECRET too short", { JWT_SECRET: "short-but-not-a-placeholder" }],
    ["PASSWORD_PEPPER missing", { PASSWORD_PEPPER: undefined }],
    ["PASSWORD_PEPPER placeholder", { PASSWORD_PEPPER: "changeme" }],
    // The benchmark's switches: never off in production, never an unknown value.
    ["RATE_LIMIT_BACKEND=off in production", { ENVIRONMENT: "production", RATE_LIMIT_BACKEND: "off" }],
    ["SESSION_CHECK=off in production", { ENVIRONMENT: "production", SESSION_CHECK: "off" }],
    ["SESSION_CHECK=off with no environment named", { ENVIRONMENT: undefined, SESSION_CHECK: "off" }],
    ["RATE_LIMIT_BACKEND unknown", { RATE_LIMIT_BACKEND: "memory" }],
    ["SESSION_CHECK unknown", { SESSION_CHECK: "no" }],
    ["INTEL_SCORING=off in production", { ENVIRONMENT: "production", INTEL_SCORING: "off" }],
    ["INTEL_SCORING unknown", { INTEL_SCORING: "disabled" }],
    ["API_USER_LIMIT in production", { ENVIRONMENT: "production", API_USER_LIMIT: "5000" }],
    ["API_USER_LIMIT not a positive integer", { API_USER_LIMIT: "0" }],
    // The local demo year's longer occurred_at limit: never deployed, never malformed.
    ["BACKDATE_DAYS above 90 in production", { ENVIRONMENT: "production", BACKDATE_DAYS: "370" }],
    ["BACKDATE_DAYS not an integer", { BACKDATE_DAYS: "a year" }],
    ["BACKDATE_DAYS above 400", { BACKDATE_DAYS: "401" }],
    ["BACKDATE_DAYS below 90", { BACKDATE_DAYS: "30" }],
  ])("%s: every route, /health included, answers 503 misconfigured", async (_label, bindings) => {
    const me = await call("/v1/me", bindings);
    expect(me.status).toBe(503);
    expect(me.body.error.code).toBe("misconfigured");

    const email = `cfg-${crypto.randomUUID()}@example.test`;
    const reg = await call("/v1/auth/register", bindings, register(email));
    expect(reg.status).toBe(503);
    expect(reg.body.access_token).toBeUndefined();
    expect(await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(email).first()).toBeNull();

    const health = await call("/health", bindings);
    expect(health.status).toBe(503);
    expect(health.body.error.code).toBe("misconfigured");
    expect((await call("/openapi.json", bindings)).status).toBe(503);
  });

  it("locally, the switches' off values skip the limiter and the session check (what the bench prices)", async () => {
    const email = `cfg-${crypto.randomUUID()}@example.test`;
    const reg = await call("/v1/auth/register", {}, register(email));
    const token = reg.body.access_token as string;
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const on = await app.fetch(new Request("http://x/v1/me", auth), env);
    expect(on.status).toBe(200);
    expect(on.headers.get("RateLimit-Policy")).toContain("api-user");
    const off = await app.fetch(new Request("http://x/v1/me", auth), { ...env, RATE_LIMIT_BACKEND: "off" } as Env);
    expect(off.status).toBe(200);
    expect(off.headers.get("RateLimit-Policy")).toBeNull();
    // A raised per-user limit is the one the headers name.
    const raised = await app.fetch(new Request("http://x/v1/me", auth), { ...env, API_USER_LIMIT: "5000" } as Env);
    expect(raised.headers.get("RateLimit-Policy")).toContain('"api-user";q=5000;w=60');
    // Logged out, the token is refused with the check on and still accepted with it off.
    const logout = await app.fetch(new Request("http://x/v1/auth/logout", { method: "POST", ...auth }), env);
    expect(logout.status).toBeLessThan(300);
    expect((await app.fetch(new Request("http://x/v1/me", auth), env)).status).toBe(401);
    expect((await app.fetch(new Request("http://x/v1/me", auth), { ...env, SESSION_CHECK: "off" } as Env)).status).toBe(200);
  });

  it("BACKDATE_DAYS: a production config is refused for it alone; only a local environment raises the limit", () => {
    const production = {
      ...env,
      ENVIRONMENT: "production",
      EMAIL_SENDER: "http",
      EMAIL_HTTP_URL: "https://mail.example.test/send",
      EMAIL_HTTP_KEY: "k".repeat(40),
    } as Env;
    // The test bindings carry other local-only switches: the BACKDATE_DAYS problem is the one added on top.
    const problems = (e: Env) => {
      const r = loadConfig(e);
      return r.ok ? [] : r.problems;
    };
    const base = problems(production);
    expect(problems({ ...production, BACKDATE_DAYS: "90" })).toEqual(base);
    expect(problems({ ...production, BACKDATE_DAYS: "370" })).toEqual([
      ...base,
      "BACKDATE_DAYS above 90 is for local development only (the demo year)",
    ]);
    expect(problems({ ...env, BACKDATE_DAYS: "370" } as Env)).toEqual([]);
    expect(backdateDays({ ...production, BACKDATE_DAYS: "370" })).toBe(90);
    expect(backdateDays({ ...env, ENVIRONMENT: "development", BACKDATE_DAYS: "370" } as Env)).toBe(370);
    expect(backdateDays({ ...env, ENVIRONMENT: "development", BACKDATE_DAYS: "401" } as Env)).toBe(90);
    expect(backdateDays({ ...env, BACKDATE_DAYS: undefined } as unknown as Env)).toBe(90);
  });

  it("control: the same app with the test bindings serves /v1", async () => {
    const email = `cfg-${crypto.randomUUID()}@example.test`;
    expect((await call("/v1/auth/register", {}, register(email))).status).toBe(201);
  });
});
