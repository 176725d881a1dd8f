/**
 * Login abuse (issue 8): nobody can lock a victim out by guessing their
 * password, one client cannot spray guesses across many emails, and the
 * throttle table stays bounded however many unknown emails are tried.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { clientKey } from "../src/auth/client-address";
import { beginLoginAttempt, CLIENT_MAX_FAILURES, FAILURE_WINDOW_MS, PRUNE_BATCH } from "../src/auth/login-throttle";
import { api, registerUser, uniqueEmail } from "./helpers/auth";
import { from, randomIp, randomIpv6 } from "./helpers/clients";

const PASSWORD = "correct horse battery staple";
const login = (ip: string, email: string, password = PASSWORD) =>
  api("POST", "/v1/auth/login", { headers: from(ip), body: { email, password } });

function expect429(res: Awaited<ReturnType<typeof login>>, maxWait = 300) {
  expect(res.status, JSON.stringify(res.body)).toBe(429);
  expect(res.body.error.code).toBe("rate_limited");
  expect(res.body.access_token).toBeUndefined();
  const wait = Number(res.headers.get("retry-after"));
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(maxWait);
}

describe("a stranger cannot lock the owner out", () => {
  it("guesses at the victim's email in any spelling slow down only the stranger", async () => {
    const victim = await registerUser({ password: PASSWORD });
    const stranger = randomIp();
    const upper = victim.user.email.toUpperCase();
    for (const spelling of [victim.user.email, ` ${upper} `, `\t${victim.user.email}`, `${upper}\t`, `  ${victim.user.email}`]) {
      expect((await login(stranger, spelling, "not the password")).status).toBe(401);
    }
    // The stranger is backed off, even with the right password...
    expect429(await login(stranger, ` ${upper}`));
    // ...the owner, from their own client, is not.
    const owner = await login(randomIp(), victim.user.email);
    expect(owner.status).toBe(200);
    expect(owner.body.access_token).toBeTruthy();
    // Nor from a new client while the stranger keeps trying.
    for (let i = 0; i < 5; i++) expect429(await login(stranger, victim.user.email, "still not it"));
    expect((await login(randomIp(), victim.user.email)).status).toBe(200);
  });
});

describe("per client", () => {
  it("30 logins to 30 different emails: the first 20 are checked, then the client backs off", async () => {
    const ip = randomIp();
    const results = [];
    for (let i = 0; i < 30; i++) results.push(await login(ip, uniqueEmail("spray"), "a guessed password"));
    expect(results.slice(0, CLIENT_MAX_FAILURES).map((r) => r.status)).toEqual(Array(CLIENT_MAX_FAILURES).fill(401));
    for (const r of results.slice(CLIENT_MAX_FAILURES)) expect429(r);
    // The client's own right password waits too; another client is untouched.
    const { user } = await registerUser({ password: PASSWORD });
    expect429(await login(ip, user.email));
    expect((await login(randomIp(), user.email)).status).toBe(200);
  });

  it("30 parallel logins to different emails check at most 20 passwords", async () => {
    const ip = randomIp();
    const results = await Promise.all(Array.from({ length: 30 }, () => login(ip, uniqueEmail("spray"), "a guessed password")));
    expect(results.filter((r) => r.status === 401)).toHaveLength(CLIENT_MAX_FAILURES);
    for (const r of results.filter((r) => r.status !== 401)) expect429(r);
  });

  it("logging into one's own account in between does not reset the client's count", async () => {
    const ip = randomIp();
    const own = await registerUser({ password: PASSWORD });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5; i++) expect((await login(ip, uniqueEmail("spray"), "guess")).status).toBe(401);
      expect((await login(ip, own.user.email)).status).toBe(200);
    }
    for (let i = 0; i < 5; i++) expect((await login(ip, uniqueEmail("spray"), "guess")).status).toBe(401);
    // Twenty failures counted despite three successes: the next attempt is refused.
    expect429(await login(ip, uniqueEmail("spray"), "guess"));
  });

  it("an IPv6 client is one /64: rotating addresses inside it does not help", async () => {
    const base = randomIpv6().split(":").slice(0, 4).join(":");
    const inPrefix = () => `${base}:${Array.from(crypto.getRandomValues(new Uint16Array(4)), (n) => n.toString(16)).join(":")}`;
    for (let i = 0; i < CLIENT_MAX_FAILURES; i++) expect((await login(inPrefix(), uniqueEmail("v6"), "guess")).status).toBe(401);
    expect429(await login(inPrefix(), uniqueEmail("v6"), "guess"));
    expect(clientKey("2001:DB8:0:1:aaaa::1")).toBe(clientKey("2001:db8::1:ffff:0:0:2"));
    expect(clientKey("2001:db8:0:1::")).toBe("2001:db8:0:1::/64");
    expect(clientKey(" 203.0.113.7 ")).toBe("203.0.113.7");
    for (const junk of [undefined, "", "not an ip", "1.2.3.256", "1::2::3", "12345::1"]) expect(clientKey(junk)).toBe("unknown");
  });
});

describe("the throttle table is bounded", () => {
  const tag = () => `test:${crypto.randomUUID()}:`;
  const insertRows = (prefix: string, n: number, windowStartedAt: (i: number) => number) =>
    env.DB.batch(
      Array.from({ length: n }, (_, i) =>
        env.DB.prepare("INSERT INTO login_attempts (key, failures, window_started_at, locked_until) VALUES (?, 1, ?, 0)").bind(
          `${prefix}${String(i).padStart(4, "0")}`,
          windowStartedAt(i),
        ),
      ),
    );
  const countRows = async (prefix: string) =>
    (await env.DB.prepare("SELECT count(*) AS n FROM login_attempts WHERE key LIKE ? || '%'").bind(prefix).first<{ n: number }>())!.n;

  it("every attempt prunes expired rows, a bounded batch at a time", async () => {
    const prefix = tag();
    const old = Date.now() - FAILURE_WINDOW_MS - 60_000;
    await insertRows(prefix, PRUNE_BATCH + 50, (i) => old - i);
    expect(await countRows(prefix)).toBe(PRUNE_BATCH + 50);
    await login(randomIp(), uniqueEmail("ghost"), "guess");
    expect(await countRows(prefix)).toBeLessThanOrEqual(50);
    await login(randomIp(), uniqueEmail("ghost"), "guess");
    expect(await countRows(prefix)).toBe(0);
  });

  it("past the hard cap, the oldest rows go first", async () => {
    const prefix = tag();
    // Live rows older than anything else in the table (no other test starts a window this far back).
    const start = Date.now() - FAILURE_WINDOW_MS + 120_000;
    await insertRows(prefix, 300, (i) => start + i);
    const total = (await env.DB.prepare("SELECT count(*) AS n FROM login_attempts").first<{ n: number }>())!.n;
    const cap = total - 100;
    expect((await beginLoginAttempt(env.DB, randomIp(), uniqueEmail("ghost"), Date.now(), cap)).allowed).toBe(true);
    const after = (await env.DB.prepare("SELECT count(*) AS n FROM login_attempts").first<{ n: number }>())!.n;
    expect(after).toBeLessThanOrEqual(cap);
    // Exactly the oldest of ours went.
    const left = await env.DB.prepare("SELECT min(key) AS first FROM login_attempts WHERE key LIKE ? || '%'")
      .bind(prefix)
      .first<{ first: string }>();
    expect(left?.first).toBe(`${prefix}0102`);
  });
});
