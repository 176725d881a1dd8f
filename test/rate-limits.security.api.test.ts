import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { isolateLimit, MAX_KEYS } from "../src/lib/isolate-rate-limiter";
import { clientKey } from "../src/lib/client-ip";
import { POLICIES } from "../src/lib/rate-policies";
import { api, registerUser, uniqueEmail } from "./helpers/auth";

type Reply = Awaited<ReturnType<typeof api>>;

/** `n` calls of `fn`, at most `limit` in flight. */
async function mapLimit<R>(n: number, limit: number, fn: () => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < n) {
        next++;
        out.push(await fn());
      }
    }),
  );
  return out;
}

/** Waits for the next minute when fewer than `seconds` are left in this one. */
async function roomInWindow(seconds: number) {
  const left = 60 - (Math.floor(Date.now() / 1000) % 60);
  if (left < seconds) await new Promise((r) => setTimeout(r, left * 1000 + 200));
}

/** A client IP no other test uses. */
const freshIp = () => `198.51.100.${1 + Math.floor(Math.random() * 254)}`;
const freshIpv6 = () => `2001:db8:ffff:${Math.floor(Math.random() * 0xffff).toString(16)}::`;

function expectLimited(r: Reply, policy: { name: string; limit: number; period: number }) {
  expect(r.status, JSON.stringify(r.body)).toBe(429);
  expect(r.body.error).toMatchObject({ code: "rate_limited", details: { policy: policy.name, limit: policy.limit } });
  expect(r.body.error.request_id).toBe(r.headers.get("x-request-id"));
  const wait = Number(r.headers.get("retry-after"));
  expect(Number.isInteger(wait) && wait >= 1 && wait <= policy.period, `Retry-After ${wait}`).toBe(true);
  expect(r.headers.get("ratelimit")).toBe(`"${policy.name}";r=0;t=${wait}`);
  expect(r.headers.get("ratelimit-policy")).toContain(`"${policy.name}";q=${policy.limit};w=${policy.period}`);
}

describe("the two backends", () => {
  it("the Workers binding (deployed) and the isolate counter (local) refuse the same request: the one past the limit", async () => {
    const policy = POLICIES.authIp;
    await roomInWindow(5);
    const key = `backend-${crypto.randomUUID()}`;
    const viaBinding: boolean[] = [];
    const viaIsolate: boolean[] = [];
    for (let i = 0; i <= policy.limit; i++) {
      viaBinding.push((await env[policy.binding].limit({ key })).success);
      viaIsolate.push(isolateLimit(policy, key));
    }
    const expected = [...Array(policy.limit).fill(true), false];
    expect(viaBinding).toEqual(expected);
    expect(viaIsolate).toEqual(expected);
    // The isolate counter starts over in the next window, as the binding does.
    expect(isolateLimit(policy, key, Date.now() + policy.period * 1000)).toBe(true);
  });
});

describe("the isolate limiter's memory bound", () => {
  it("starts a window's counts over once it holds MAX_KEYS keys, and only then", () => {
    // A policy of its own, so no other test's counts are in its window.
    const policy = { ...POLICIES.apiIp, name: "bound-test", limit: 2, period: 60 as const };
    const now = Math.floor(Date.now() / 60_000) * 60_000 + 1_000;
    expect([1, 2, 3].map(() => isolateLimit(policy, "hot", now))).toEqual([true, true, false]);
    // Fill the window to one key short of the cap: "hot" is still counted (refused).
    for (let i = 1; i < MAX_KEYS - 1; i++) isolateLimit(policy, `k${i}`, now);
    expect(isolateLimit(policy, "hot", now)).toBe(false);
    // The key that reaches the cap is counted; the next request finds a full window and starts it over.
    isolateLimit(policy, "last", now);
    expect(isolateLimit(policy, "hot", now)).toBe(true);
    expect(isolateLimit(policy, "hot", now)).toBe(true);
    expect(isolateLimit(policy, "hot", now)).toBe(false);
  });
});

describe("client keys", () => {
  it("an IPv4 address as is, an IPv6 address as its /64, no header as one 'unknown' client", () => {
    expect(clientKey("203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:DB8:1:2::9")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:0db8:0001:0002:ffff::1")).toBe("2001:db8:1:2::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
    expect(clientKey("::ffff:192.0.2.1")).toBe("0:0:0:0::/64");
    expect(clientKey("2001:db8::")).toBe("2001:db8:0:0::/64");
    expect(clientKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    // Not an address: counted as the text itself.
    expect(clientKey("1::2::3")).toBe("1::2::3");
    expect(clientKey("1:2:3:4:5:6:7:8:9")).toBe("1:2:3:4:5:6:7:8:9");
    expect(clientKey(undefined)).toBe("unknown");
    expect(clientKey("")).toBe("unknown");
  });
});

describe("auth routes, per client IP", () => {
  const limit = POLICIES.authIp.limit;

  it(`register, login and refresh share ${limit} a minute per IP; the next is a 429; another IP is unaffected`, async () => {
    await roomInWindow(15);
    const ip = freshIp();
    const from = { "cf-connecting-ip": ip };
    const first = await api("POST", "/v1/auth/register", {
      body: { email: uniqueEmail("rl"), password: "correct horse battery staple" },
      headers: from,
    });
    expect(first.status).toBe(201);
    expect(first.headers.get("ratelimit-policy")).toContain(`"auth-ip";q=${limit};w=60`);
    const replies: Reply[] = [first];
    for (let i = 1; i < limit; i++) {
      const r =
        i % 2
          ? await api("POST", "/v1/auth/login", { body: { email: uniqueEmail("rl"), password: "wrong password!" }, headers: from })
          : await api("POST", "/v1/auth/refresh", { body: { refresh_token: first.body.refresh_token }, headers: from });
      replies.push(r);
    }
    expect(replies.map((r) => r.status)).not.toContain(429);
    for (const path of ["/v1/auth/login", "/v1/auth/register", "/v1/auth/refresh"]) {
      const body = path.endsWith("refresh")
        ? { refresh_token: "x" }
        : { email: uniqueEmail("rl"), password: "correct horse battery staple" };
      expectLimited(await api("POST", path, { body, headers: from }), POLICIES.authIp);
    }
    const other = await api("POST", "/v1/auth/login", {
      body: { email: uniqueEmail("rl"), password: "wrong password!" },
      headers: { "cf-connecting-ip": freshIp() },
    });
    // Another IP is never refused by auth-ip. On a loaded machine (the whole suite in parallel) the
    // isolate's password-hashing gate may ask it to retry instead: a different, documented 429.
    if (other.status === 429) expect(other.body.error.details.policy).toBe("password-hashing");
    else expect(other.status).toBe(401);
    // Routes other than the three are not counted by this policy. (The refreshes above reused one
    // refresh token, which revoked that session, so another user's token makes the call.)
    const me = await api("GET", "/v1/me", { token: (await registerUser()).access_token, headers: from });
    expect(me.status).toBe(200);
  });

  it("an IPv6 client counts as its /64: other addresses in it share the limit, the next /64 does not", async () => {
    await roomInWindow(15);
    const net = freshIpv6();
    // Sign-ups, so the login throttle (which backs a client off after 20 failures) stays out of it.
    const signUp = (ip: string) =>
      api("POST", "/v1/auth/register", {
        body: { email: uniqueEmail("v6"), password: "correct horse battery staple" },
        headers: { "cf-connecting-ip": ip },
      });
    for (let i = 0; i < limit; i++) expect((await signUp(`${net}${(i + 1).toString(16)}`)).status).toBe(201);
    expectLimited(await signUp(`${net}ffff:1`), POLICIES.authIp);
    const nextNet = net.replace(/:([0-9a-f]+)::$/, (_m, g: string) => `:${((Number.parseInt(g, 16) + 1) & 0xffff).toString(16)}::`);
    expect((await signUp(`${nextNet}1`)).status).toBe(201);
  });
});

describe("the whole API", () => {
  it(`per IP: ${POLICIES.apiIp.limit} requests a minute, anonymous or not, then 429; /health stays open; another IP is unaffected`, {
    timeout: 120_000,
  }, async () => {
    await roomInWindow(30);
    const ip = `203.0.113.${1 + Math.floor(Math.random() * 254)}`;
    const from = { "cf-connecting-ip": ip };
    const limit = POLICIES.apiIp.limit;
    const replies = await mapLimit(limit, 25, () => api("GET", "/v1/nope", { headers: from }));
    expect(replies.filter((r) => r.status === 404)).toHaveLength(limit);
    const u = await registerUser();
    expectLimited(await api("GET", "/v1/me", { token: u.access_token, headers: from }), POLICIES.apiIp);
    expectLimited(await api("GET", "/openapi.json", { headers: from }), POLICIES.apiIp);
    expect((await api("GET", "/health", { headers: from })).status).toBe(200);
    expect((await api("GET", "/v1/me", { token: u.access_token })).status).toBe(200);
  });
});

describe("per user", () => {
  it(`${POLICIES.apiUser.limit} authenticated requests a minute per user, from any number of clients, then 429; another user is unaffected`, {
    timeout: 120_000,
  }, async () => {
    await roomInWindow(30);
    const limit = POLICIES.apiUser.limit;
    const [u, other] = await Promise.all([registerUser(), registerUser()]);
    // Each request from a client of its own (api() picks a random IP): the per-IP limit plays no part.
    const replies = await mapLimit(limit, 25, () => api("GET", "/v1/me", { token: u.access_token }));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(limit);
    const ok = replies[0]!;
    expect(ok.headers.get("ratelimit-policy")).toBe(`"api-ip";q=${POLICIES.apiIp.limit};w=60, "api-user";q=${limit};w=60`);
    const refused = await api("GET", "/v1/me", { token: u.access_token });
    expectLimited(refused, POLICIES.apiUser);
    expect(refused.headers.get("ratelimit-policy")).toContain(`"api-ip";q=${POLICIES.apiIp.limit};w=60`);
    expect(refused.body.error.message).toContain("user");
    // Every route behind a token counts, and a new session of the same user does not start over.
    expectLimited(await api("GET", "/v1/accounts", { token: u.access_token }), POLICIES.apiUser);
    const again = await api("POST", "/v1/auth/login", { body: { email: u.user.email, password: "correct horse battery staple" } });
    expect(again.status).toBe(200);
    expectLimited(await api("GET", "/v1/me", { token: again.body.access_token }), POLICIES.apiUser);
    // Another user, and the anonymous routes, are unaffected.
    const theirs = await api("GET", "/v1/me", { token: other.access_token });
    expect(theirs.status).toBe(200);
    expect(theirs.headers.get("ratelimit-policy")).toContain(`"api-user";q=${limit};w=60`);
    expect((await api("GET", "/openapi.json")).status).toBe(200);
  });
});
