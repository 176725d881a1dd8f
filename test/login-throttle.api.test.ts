/**
 * Login throttling through the public login route (RELIABILITY #12 in depth),
 * per (client, email) here; per client, lockout by strangers and the table's
 * bounds are in login-abuse.security.api.test.ts. Each test is its own client
 * (CF-Connecting-IP), so counts never mix.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { pairThrottleKey } from "../src/auth/login-throttle";
import { api, registerUser, uniqueEmail } from "./helpers/auth";
import { randomIp } from "./helpers/clients";

const PASSWORD = "correct horse battery staple";

describe("login throttling per client and email", () => {
  const client = () => {
    const ip = randomIp();
    const headers = { "cf-connecting-ip": ip };
    return {
      ip,
      fail: (email: string) => api("POST", "/v1/auth/login", { headers, body: { email, password: "wrong password!" } }),
      login: (email: string) => api("POST", "/v1/auth/login", { headers, body: { email, password: PASSWORD } }),
      attempts: async (email: string) =>
        (
          await env.DB.prepare("SELECT failures FROM login_attempts WHERE key = ?")
            .bind(pairThrottleKey(ip, email))
            .first<{ failures: number }>()
        )?.failures,
      setRow: (email: string, failures: number, windowStartedAt: number, lockedUntil: number) =>
        env.DB.prepare("UPDATE login_attempts SET failures = ?, window_started_at = ?, locked_until = ? WHERE key = ?")
          .bind(failures, windowStartedAt, lockedUntil, pairThrottleKey(ip, email))
          .run(),
    };
  };

  /** Every answer is a 401 or a 429 carrying Retry-After within the first backoff; returns how many of each. */
  function tally(results: Awaited<ReturnType<typeof api>>[]) {
    for (const r of results) {
      expect([401, 429]).toContain(r.status);
      if (r.status === 429) {
        expect(r.body.error.code).toBe("rate_limited");
        const wait = Number(r.headers.get("retry-after"));
        expect(wait).toBeGreaterThan(0);
        expect(wait).toBeLessThanOrEqual(300);
      }
    }
    return { checked: results.filter((r) => r.status === 401).length, refused: results.filter((r) => r.status === 429).length };
  }

  it("a success resets the failure count", async () => {
    const c = client();
    const { user } = await registerUser({ password: PASSWORD });
    for (let i = 0; i < 4; i++) expect((await c.fail(user.email)).status).toBe(401);
    expect((await c.login(user.email)).status).toBe(200);
    expect(await c.attempts(user.email)).toBeUndefined();
    for (let i = 0; i < 4; i++) expect((await c.fail(user.email)).status).toBe(401);
    expect((await c.login(user.email)).status).toBe(200);
  });

  it("backs off only the client's attempts at the attacked email", async () => {
    const c = client();
    const victim = await registerUser({ password: PASSWORD });
    const bystander = await registerUser({ password: PASSWORD });
    for (let i = 0; i < 5; i++) await c.fail(victim.user.email);
    expect((await c.login(victim.user.email)).status).toBe(429);
    expect((await c.login(bystander.user.email)).status).toBe(200);
  });

  it("throttles unknown emails the same way, so 429 does not reveal which exist", async () => {
    const c = client();
    const ghost = uniqueEmail("ghost");
    for (let i = 0; i < 5; i++) expect((await c.fail(ghost)).status).toBe(401);
    const res = await c.fail(ghost);
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe("rate_limited");
  });

  it("backs off longer after each failure that follows an expired backoff", async () => {
    const c = client();
    const { user } = await registerUser({ password: PASSWORD });
    for (let i = 0; i < 5; i++) await c.fail(user.email);
    const first = Number((await c.login(user.email)).headers.get("retry-after"));
    expect(first).toBeGreaterThan(240);
    expect(first).toBeLessThanOrEqual(300);

    // Let the backoff run out (the clock is the row's, not ours to fake).
    await c.setRow(user.email, 5, Date.now(), Date.now() - 1);
    expect((await c.fail(user.email)).status).toBe(401);
    const second = Number((await c.login(user.email)).headers.get("retry-after"));
    expect(second).toBeGreaterThan(first);
    expect(second).toBeLessThanOrEqual(600);
  });

  it("caps the backoff at an hour however many came before", async () => {
    const c = client();
    const { user } = await registerUser({ password: PASSWORD });
    for (let i = 0; i < 5; i++) await c.fail(user.email);
    // Twenty attempts already behind it and the last backoff just over.
    await c.setRow(user.email, 20, Date.now(), Date.now() - 1);
    expect((await c.fail(user.email)).status).toBe(401);
    const wait = Number((await c.login(user.email)).headers.get("retry-after"));
    expect(wait).toBeGreaterThan(3540);
    expect(wait).toBeLessThanOrEqual(3600);
  });

  it("counts parallel guesses atomically: the limit holds, refused ones are not counted", async () => {
    const c = client();
    const { user } = await registerUser({ password: PASSWORD });
    const { checked, refused } = tally(await Promise.all(Array.from({ length: 8 }, () => c.fail(user.email))));
    expect(checked).toBe(5);
    expect(refused).toBe(3);
    expect(await c.attempts(user.email)).toBe(5);
    expect((await c.login(user.email)).status).toBe(429);
  });

  it("20 parallel wrong guesses: only 5 passwords are checked, the rest get 429 with Retry-After", async () => {
    const c = client();
    const { user } = await registerUser({ password: PASSWORD });
    const { checked, refused } = tally(await Promise.all(Array.from({ length: 20 }, () => c.fail(user.email))));
    expect(checked).toBe(5);
    expect(refused).toBe(15);
    expect((await c.login(user.email)).status).toBe(429);
  });

  it("20 parallel guesses at an unknown email are throttled the same way", async () => {
    const c = client();
    const ghost = uniqueEmail("ghost");
    const { checked, refused } = tally(await Promise.all(Array.from({ length: 20 }, () => c.fail(ghost))));
    expect(checked).toBe(5);
    expect(refused).toBe(15);
  });

  it("the right password sent in parallel behind the guesses that use up the limit does not log in", async () => {
    const c = client();
    const { user } = await registerUser({ password: PASSWORD });
    const results = await Promise.all([...Array.from({ length: 20 }, () => c.fail(user.email)), c.login(user.email)]);
    const right = results.at(-1)!;
    expect(right.status).toBe(429);
    expect(right.body.access_token).toBeUndefined();
    expect(tally(results).checked).toBe(5);
    // And the backoff stands: nothing above cleared it.
    expect((await c.login(user.email)).status).toBe(429);
  });

  it("a client in backoff is refused even the right password, in parallel too", async () => {
    const c = client();
    const { user } = await registerUser({ password: PASSWORD });
    for (let i = 0; i < 5; i++) expect((await c.fail(user.email)).status).toBe(401);
    const results = await Promise.all(Array.from({ length: 5 }, () => c.login(user.email)));
    expect(results.map((r) => r.status)).toEqual([429, 429, 429, 429, 429]);
    expect(await c.attempts(user.email)).toBe(5);
  });
});
