/** Per-email login throttling through the public login route (RELIABILITY #12 in depth). */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, registerUser, uniqueEmail } from "./helpers/auth";

const PASSWORD = "correct horse battery staple";

describe("login throttling", () => {
  const fail = (email: string) => api("POST", "/v1/auth/login", { body: { email, password: "wrong password!" } });
  const login = (email: string) => api("POST", "/v1/auth/login", { body: { email, password: PASSWORD } });
  const attempts = async (email: string) =>
    (await env.DB.prepare("SELECT failures FROM login_throttle WHERE email = ?").bind(email).first<{ failures: number }>())?.failures;

  /** Every answer is a 401 or a 429 carrying Retry-After within the first lock; returns how many of each. */
  function tally(results: Awaited<ReturnType<typeof fail>>[]) {
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
    const { user } = await registerUser({ password: PASSWORD });
    for (let i = 0; i < 4; i++) expect((await fail(user.email)).status).toBe(401);
    expect((await login(user.email)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await fail(user.email)).status).toBe(401);
    expect((await login(user.email)).status).toBe(200);
  });

  it("locks only the attacked email", async () => {
    const victim = await registerUser({ password: PASSWORD });
    const bystander = await registerUser({ password: PASSWORD });
    for (let i = 0; i < 5; i++) await fail(victim.user.email);
    expect((await login(victim.user.email)).status).toBe(429);
    expect((await login(bystander.user.email)).status).toBe(200);
  });

  it("throttles unknown emails the same way, so 429 does not reveal which exist", async () => {
    const ghost = uniqueEmail("ghost");
    for (let i = 0; i < 5; i++) expect((await fail(ghost)).status).toBe(401);
    const res = await fail(ghost);
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe("rate_limited");
  });

  it("locks longer after each failure that follows an expired lock", async () => {
    const { user } = await registerUser({ password: PASSWORD });
    for (let i = 0; i < 5; i++) await fail(user.email);
    const first = Number((await login(user.email)).headers.get("retry-after"));
    expect(first).toBeGreaterThan(240);
    expect(first).toBeLessThanOrEqual(300);

    // Let the lock run out (the clock is the row's, not ours to fake).
    await env.DB.prepare("UPDATE login_throttle SET locked_until = ? WHERE email = ?")
      .bind(Date.now() - 1, user.email)
      .run();
    expect((await fail(user.email)).status).toBe(401);
    const second = Number((await login(user.email)).headers.get("retry-after"));
    expect(second).toBeGreaterThan(first);
    expect(second).toBeLessThanOrEqual(600);
  });

  it("caps the lock at an hour however many locks came before", async () => {
    const { user } = await registerUser({ password: PASSWORD });
    for (let i = 0; i < 5; i++) await fail(user.email);
    // Twenty attempts already behind it and the last lock just over.
    await env.DB.prepare("UPDATE login_throttle SET failures = 20, window_started_at = ?, locked_until = ? WHERE email = ?")
      .bind(Date.now(), Date.now() - 1, user.email)
      .run();
    expect((await fail(user.email)).status).toBe(401);
    const wait = Number((await login(user.email)).headers.get("retry-after"));
    expect(wait).toBeGreaterThan(3540);
    expect(wait).toBeLessThanOrEqual(3600);
  });

  it("counts parallel guesses atomically: the limit holds, refused ones are not counted", async () => {
    const { user } = await registerUser({ password: PASSWORD });
    const { checked, refused } = tally(await Promise.all(Array.from({ length: 8 }, () => fail(user.email))));
    expect(checked).toBe(5);
    expect(refused).toBe(3);
    expect(await attempts(user.email)).toBe(5);
    expect((await login(user.email)).status).toBe(429);
  });

  it("20 parallel wrong guesses: only 5 passwords are checked, the rest get 429 with Retry-After", async () => {
    const { user } = await registerUser({ password: PASSWORD });
    const { checked, refused } = tally(await Promise.all(Array.from({ length: 20 }, () => fail(user.email))));
    expect(checked).toBe(5);
    expect(refused).toBe(15);
    expect((await login(user.email)).status).toBe(429);
  });

  it("20 parallel guesses at an unknown email are throttled the same way", async () => {
    const ghost = uniqueEmail("ghost");
    const { checked, refused } = tally(await Promise.all(Array.from({ length: 20 }, () => fail(ghost))));
    expect(checked).toBe(5);
    expect(refused).toBe(15);
  });

  it("the right password sent in parallel behind the guesses that use up the limit does not log in", async () => {
    const { user } = await registerUser({ password: PASSWORD });
    const results = await Promise.all([...Array.from({ length: 20 }, () => fail(user.email)), login(user.email)]);
    const right = results.at(-1)!;
    expect(right.status).toBe(429);
    expect(right.body.access_token).toBeUndefined();
    expect(tally(results).checked).toBe(5);
    // And the lock stands: nothing above cleared it.
    expect((await login(user.email)).status).toBe(429);
  });

  it("a locked email is refused even the right password, in parallel too", async () => {
    const { user } = await registerUser({ password: PASSWORD });
    for (let i = 0; i < 5; i++) expect((await fail(user.email)).status).toBe(401);
    const results = await Promise.all(Array.from({ length: 5 }, () => login(user.email)));
    expect(results.map((r) => r.status)).toEqual([429, 429, 429, 429, 429]);
    expect(await attempts(user.email)).toBe(5);
  });
});
