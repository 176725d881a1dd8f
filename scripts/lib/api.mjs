/**
 * A minimal JSON client for the FinEdge HTTP API, shared by the demo seeder and
 * the benchmark. It only speaks the public API: nothing reaches into storage.
 */

export class ApiError extends Error {
  constructor(method, path, status, body) {
    const code = body?.error?.code ?? "unknown";
    const msg = body?.error?.message ?? (typeof body === "string" ? body.slice(0, 200) : "");
    super(`${method} ${path} → ${status} ${code}: ${msg}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * A random client in the IPv6 documentation range (2001:db8::/32), one /64 per call. The Worker
 * rate-limits per CF-Connecting-IP, and locally miniflare fills it in only when a request lacks
 * one, so without this every local tool would share the one limit of 127.0.0.1.
 */
export function randomClientIp() {
  const r = () => Math.floor(Math.random() * 0x10000).toString(16);
  return `2001:db8:${r()}:${r()}::1`;
}

export function createApi(baseUrl, { timeoutMs = 30_000 } = {}) {
  /** One request; never throws on an HTTP status, only on a network failure. */
  /**
   * `body` is sent as JSON; `raw` (a string) is sent byte for byte, e.g. to repeat a request exactly.
   * @param {string} method
   * @param {string} path
   * @param {{ token?: string, body?: unknown, raw?: string, key?: string, headers?: Record<string, string> }} [opts]
   * @returns {Promise<{ status: number, body: any, headers: Headers }>}
   */
  async function request(method, path, { token, body, raw, key, headers = {} } = {}) {
    // Each request from a client of its own unless the caller names one (see randomClientIp).
    const h = Object.keys(headers).some((k) => k.toLowerCase() === "cf-connecting-ip")
      ? { ...headers }
      : { "cf-connecting-ip": randomClientIp(), ...headers };
    if (body !== undefined || raw !== undefined) h["content-type"] = "application/json";
    if (token) h.authorization = `Bearer ${token}`;
    if (key) h["idempotency-key"] = key;
    const res = await fetch(baseUrl + path, {
      method,
      headers: h,
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  /** Like request, but throws ApiError unless the status is one of `ok` (default: any 2xx). */
  async function expect(method, path, opts = {}, ok) {
    const r = await request(method, path, opts);
    const good = ok ? ok.includes(r.status) : r.status >= 200 && r.status < 300;
    if (!good) throw new ApiError(method, path, r.status, r.body);
    return r.body;
  }

  return {
    baseUrl,
    request,
    expect,
    get: (path, token) => expect("GET", path, { token }),
    post: (path, body, token, key) => expect("POST", path, { body, token, key }),
    put: (path, body, token) => expect("PUT", path, { body, token }),
    /** Register, or log in when the email exists; returns the session body. */
    async session(email, password, name) {
      const reg = await request("POST", "/v1/auth/register", { body: { email, password, name } });
      if (reg.status === 201) return reg.body;
      if (reg.status !== 409) throw new ApiError("POST", "/v1/auth/register", reg.status, reg.body);
      return expect("POST", "/v1/auth/login", { body: { email, password } });
    },
  };
}
