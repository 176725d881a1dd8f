/**
 * RELIABILITY.md #9, #10, #12: forged or broken access
 * tokens, refresh-token reuse, brute force. Every forged token names a real
 * user, and a control token built the same way is accepted, so each 401 is
 * the verifier's doing and not a missing user.
 */
import { env } from "cloudflare:workers";
import { decodeJwt, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { api, registerUser } from "./helpers/auth";
import { from, randomIp } from "./helpers/clients";

const PASSWORD = "correct horse battery staple";
const enc = new TextEncoder();
const b64url = (s: string) => btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
const now = () => Math.floor(Date.now() / 1000);

let userId = "";
/** The live session of that user, which every forged token names unless a case says otherwise. */
let sessionId = "";

interface Forge {
  alg?: string;
  secret?: string;
  claims?: Record<string, unknown>;
  sub?: string | null;
  iss?: string;
  aud?: string;
  iat?: number;
  exp?: number;
}

function forge(o: Forge = {}): Promise<string> {
  const iat = o.iat ?? now();
  let jwt = new SignJWT({ role: "user", sid: sessionId, ...o.claims })
    .setProtectedHeader({ alg: o.alg ?? "HS256", typ: "JWT" })
    .setIssuer(o.iss ?? env.JWT_ISSUER)
    .setAudience(o.aud ?? env.JWT_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(o.exp ?? iat + 600);
  if (o.sub !== null) jwt = jwt.setSubject(o.sub ?? userId);
  return jwt.sign(enc.encode(o.secret ?? env.JWT_SECRET));
}

const me = (headers: Record<string, string>) => api("GET", "/v1/me", { headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

type Res = { status: number; body: any; headers: Headers };

function expectRefused(res: Res) {
  expect(res.status, JSON.stringify(res.body)).toBe(401);
  expect(res.body.error.code).toBe("unauthorized");
  expect(res.body.error.request_id).toBe(res.headers.get("x-request-id"));
  expect(res.body.access_token).toBeUndefined();
}

function expect401(res: Res) {
  expectRefused(res);
  expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
  expect(JSON.stringify(res.body)).not.toContain(userId);
}

beforeAll(async () => {
  const s = await registerUser();
  userId = s.user.id;
  sessionId = String(decodeJwt(s.access_token).sid);
});

describe("access token negatives against GET /v1/me (RELIABILITY #9)", () => {
  it("control: a correctly forged token is accepted, so the cases below test only their one defect", async () => {
    const res = await me(bearer(await forge()));
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(userId);
  });

  it("alg: none", async () => {
    const header = b64url(JSON.stringify({ alg: "none", typ: "JWT" }));
    const payload = b64url(
      JSON.stringify({
        sub: userId,
        sid: sessionId,
        role: "user",
        iss: env.JWT_ISSUER,
        aud: env.JWT_AUDIENCE,
        iat: now(),
        exp: now() + 600,
      }),
    );
    expect401(await me(bearer(`${header}.${payload}.`)));
    expect401(await me(bearer(`${header}.${payload}`)));
  });

  it("signed with the wrong key", async () => {
    expect401(await me(bearer(await forge({ secret: "an-attacker-guessed-secret-0123456789abcdef" }))));
  });

  it("wrong audience", async () => {
    expect401(await me(bearer(await forge({ aud: "someone-else" }))));
  });

  it("wrong issuer", async () => {
    expect401(await me(bearer(await forge({ iss: "https://evil.example" }))));
  });

  it("expired", async () => {
    expect401(await me(bearer(await forge({ iat: now() - 3600, exp: now() - 60 }))));
  });

  it("expired after it was accepted: the verified-token cache honours exp", async () => {
    // At least one full second of validity, then a wait just past exp: the cache hit must not outlive the token.
    const exp = now() + 2;
    const token = await forge({ iat: exp - 2, exp });
    const first = await me(bearer(token));
    expect(first.status).toBe(200);
    expect(first.body.id).toBe(userId);
    expect((await me(bearer(token))).status).toBe(200); // served from the cache while still valid
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
    expect401(await me(bearer(token)));
  });

  it("tampered payload (role raised, signature kept)", async () => {
    const [h, , s] = (await forge()).split(".");
    const payload = b64url(
      JSON.stringify({
        sub: userId,
        sid: sessionId,
        role: "admin",
        iss: env.JWT_ISSUER,
        aud: env.JWT_AUDIENCE,
        iat: now(),
        exp: now() + 600,
      }),
    );
    expect401(await me(bearer(`${h}.${payload}.${s}`)));
  });

  it("tampered payload (another subject, signature kept)", async () => {
    const other = await registerUser();
    const [h, , s] = (await forge()).split(".");
    const payload = b64url(
      JSON.stringify({
        sub: other.user.id,
        sid: decodeJwt(other.access_token).sid,
        role: "user",
        iss: env.JWT_ISSUER,
        aud: env.JWT_AUDIENCE,
        iat: now(),
        exp: now() + 600,
      }),
    );
    const res = await me(bearer(`${h}.${payload}.${s}`));
    expect401(res);
    expect(JSON.stringify(res.body)).not.toContain(other.user.id);
  });

  it("missing sub", async () => {
    expect401(await me(bearer(await forge({ sub: null }))));
  });

  it("missing, malformed or unknown sid (session)", async () => {
    expect401(await me(bearer(await forge({ claims: { sid: undefined } }))));
    expect401(await me(bearer(await forge({ claims: { sid: 42 } }))));
    expect401(await me(bearer(await forge({ claims: { sid: "rtf_with spaces" } }))));
    expect401(await me(bearer(await forge({ claims: { sid: "rtf_00000000000000000000" } }))));
  });

  it("another user's live session id does not vouch for this subject", async () => {
    const other = await registerUser();
    expect401(await me(bearer(await forge({ claims: { sid: decodeJwt(other.access_token).sid } }))));
  });

  it("HS512 with the right secret instead of the pinned HS256", async () => {
    expect401(await me(bearer(await forge({ alg: "HS512" }))));
  });

  it("garbage tokens", async () => {
    for (const token of ["garbage", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.", "...", "x".repeat(4000)]) {
      expect401(await me(bearer(token)));
    }
  });

  it("missing or malformed Authorization header", async () => {
    const good = await forge();
    expect401(await me({}));
    expect401(await me({ authorization: "" }));
    expect401(await me({ authorization: "Bearer " }));
    expect401(await me({ authorization: good }));
    expect401(await me({ authorization: `Basic ${good}` }));
    expect401(await me({ authorization: `Bearer ${good} extra` }));
  });

  it("accepts the Bearer scheme in any letter case (RFC 9110 §11.1), and only that scheme", async () => {
    const good = await forge();
    for (const scheme of ["bearer", "BEARER", "bEaReR"]) {
      const res = await me({ authorization: `${scheme} ${good}` });
      expect(res.status, scheme).toBe(200);
      expect(res.body.id).toBe(userId);
    }
    expect401(await me({ authorization: `bearer  ${good}` }));
    expect401(await me({ authorization: `bearerx ${good}` }));
  });

  it("a refresh token is not an access token", async () => {
    const s = await registerUser();
    expect401(await me(bearer(s.refresh_token)));
  });
});

describe("refresh-token reuse (RELIABILITY #10)", () => {
  const refresh = (refresh_token: string) => api("POST", "/v1/auth/refresh", { body: { refresh_token } });

  it("reusing a rotated token revokes the whole family, the newest sibling included", async () => {
    const s = await registerUser({ password: PASSWORD });
    const second = await refresh(s.refresh_token);
    expect(second.status).toBe(200);
    const third = await refresh(second.body.refresh_token);
    expect(third.status).toBe(200);
    const newest = third.body.refresh_token as string;

    // An attacker replays the first, long-rotated token.
    expectRefused(await refresh(s.refresh_token));
    // The legitimate holder's newest token is dead too, and so is every older one.
    expectRefused(await refresh(newest));
    expectRefused(await refresh(second.body.refresh_token));

    const live = await env.DB.prepare("SELECT count(*) AS n FROM refresh_tokens WHERE user_id = ? AND revoked_at IS NULL")
      .bind(s.user.id)
      .first<{ n: number }>();
    expect(live?.n).toBe(0);

    // Other families (a separate login) are untouched.
    const fresh = await api("POST", "/v1/auth/login", { body: { email: s.user.email, password: PASSWORD } });
    expect((await refresh(fresh.body.refresh_token)).status).toBe(200);
  });

  it("reusing a token revoked by logout answers 401", async () => {
    const s = await registerUser();
    expect((await api("POST", "/v1/auth/logout", { token: s.access_token, body: { refresh_token: s.refresh_token } })).status).toBe(204);
    expectRefused(await refresh(s.refresh_token));
  });
});

describe("brute force (RELIABILITY #12)", () => {
  it("repeated failed logins get 429 with Retry-After, even for the right password", async () => {
    const { user } = await registerUser({ password: PASSWORD });
    const headers = from(randomIp());
    for (let i = 0; i < 5; i++) {
      const res = await api("POST", "/v1/auth/login", { headers, body: { email: user.email, password: `guess-number-${i}` } });
      expect(res.status).toBe(401);
    }
    for (const password of ["guess-number-5", PASSWORD]) {
      const res = await api("POST", "/v1/auth/login", { headers, body: { email: user.email, password } });
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe("rate_limited");
      expect(res.body.error.request_id).toBe(res.headers.get("x-request-id"));
      expect(res.headers.get("retry-after")).toMatch(/^[1-9][0-9]*$/);
      expect(res.body.access_token).toBeUndefined();
    }
  });
});
