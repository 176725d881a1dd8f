/** Per-email login throttling through the public login route (RELIABILITY #12 in depth). */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, registerUser, uniqueEmail } from "./helpers/auth";

const PASSWORD = "correct horse battery staple";

describe("login throttling", () => {
  const fail = (email: string) => api("POST", "/v1/auth/login", { body: { email, password: "wrong password!" } });
  const login = (email: string) => api("POST", "/v1/auth/login", { body: { email, password: PASSWORD } });

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
    await env.DB.prepare("UPDATE login_throttle SET locked_until = ? WHERE email = ?").bind(Date.now() - 1, user.email).run();
    expect((await fail(user.email)).status).toBe(401);
    const second = Number((await login(user.email)).headers.get("retry-after"));
    expect(second).toBeGreaterThan(first);
    expect(second).toBeLessThanOrEqual(600);
  });

  it("counts parallel guesses atomically", async () => {
    const { user } = await registerUser({ password: PASSWORD });
    await Promise.all(Array.from({ length: 8 }, () => fail(user.email)));
    const row = await env.DB.prepare("SELECT failures FROM login_throttle WHERE email = ?").bind(user.email).first<{ failures: number }>();
    expect(row?.failures).toBe(8);
    expect((await login(user.email)).status).toBe(429);
  });
});
