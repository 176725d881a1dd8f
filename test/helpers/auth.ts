/**
 * Test helpers shared by every API test: `api()` calls the Worker's own fetch
 * handler with JSON, `registerUser()` creates a fresh user through the public
 * register route and returns its tokens. Signatures are relied on by other suites.
 *
 * The Worker rate-limits per client IP (CF-Connecting-IP). A call without an
 * explicit CF-Connecting-IP header comes from a random client of its own (a
 * /64 in the IPv6 documentation range 2001:db8::/32), as if every request were
 * a different visitor: suites that send thousands of requests are limited only
 * per user, never by sharing one test "client". Rate-limit tests pass their own.
 */
import { exports } from "cloudflare:workers";

export async function api(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (opts.rawBody !== undefined) {
    body = opts.rawBody;
    headers["content-type"] = "application/json";
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] = "application/json";
  }
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  headers["cf-connecting-ip"] = randomClientIp();
  for (const [name, value] of Object.entries(opts.headers ?? {})) {
    // An explicit client IP, in any letter case, replaces the random one.
    if (name.toLowerCase() === "cf-connecting-ip") delete headers["cf-connecting-ip"];
    headers[name] = value;
  }
  const res = await exports.default.fetch("http://x" + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = null;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      // Non-JSON bodies (docs HTML, plain text) are returned as the raw string.
      parsed = text;
    }
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** A random client in the IPv6 documentation range, one /64 of 2^32 per call. */
export function randomClientIp(): string {
  const [a = 0, b = 0] = crypto.getRandomValues(new Uint16Array(2));
  return `2001:db8:${a.toString(16)}:${b.toString(16)}::1`;
}

/** A unique address per call, so tests never collide on the shared local D1. */
export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${crypto.randomUUID()}@example.test`;
}

export async function registerUser(opts: { email?: string; password?: string; name?: string } = {}): Promise<{
  user: { id: string; email: string; role: string };
  access_token: string;
  refresh_token: string;
  authHeader: Record<string, string>;
}> {
  const body: Record<string, string> = {
    email: opts.email ?? uniqueEmail(),
    password: opts.password ?? "correct horse battery staple",
  };
  if (opts.name !== undefined) body.name = opts.name;
  const res = await api("POST", "/v1/auth/register", { body });
  if (res.status !== 201) throw new Error(`registerUser failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    user: res.body.user,
    access_token: res.body.access_token,
    refresh_token: res.body.refresh_token,
    authHeader: { authorization: `Bearer ${res.body.access_token}` },
  };
}
