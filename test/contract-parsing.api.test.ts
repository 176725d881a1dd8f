/**
 * Strict parsing at the edge (issue 7, "Lenient parsing ends"): integers in
 * query strings are decimal only, categories are exact lowercase slugs, a JSON
 * body is UTF-8 `application/json` or a 415, and optional bodies still refuse
 * broken JSON and unknown fields. Each case names its exact status and code.
 */
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { randomClientIp } from "./helpers/auth";
import { api, deposit, key, openAccount, postTx, registerUser, transfer, type User } from "./helpers/ledger";

/** A raw request: exact headers and bytes, nothing added but the bearer token and a client IP of its own (per-IP limits). */
async function send(method: string, path: string, opts: { token?: string; headers?: Record<string, string>; body?: BodyInit } = {}) {
  const headers: Record<string, string> = { "cf-connecting-ip": randomClientIp(), ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await exports.default.fetch(`http://x${path}`, { method, headers, body: opts.body });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as any) : null, headers: res.headers };
}

function expectError(res: { status: number; body: any; headers: Headers }, status: number, code: string, label: string) {
  expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(status);
  expect(res.body?.error?.code, label).toBe(code);
  expect(res.body.error.request_id, label).toBe(res.headers.get("x-request-id"));
}

let u: User;
let acc: string;
let dest: string;
let txId: string;

beforeAll(async () => {
  u = await registerUser();
  acc = await openAccount(u);
  dest = await openAccount(u, { type: "savings", name: "Savings" });
  await deposit(u, acc, 10_000);
  txId = (await postTx(u, acc, { kind: "purchase", amount: 100, merchant: "Shop", category: "travel" })).body.id;
});

describe("integer query parameters are decimal integers, nothing else", () => {
  const NOT_DECIMAL = ["0x10", "1e1", "+5", " 5", "5 ", "5.0", "05", "-1", "", "1_0", "Infinity", "NaN", "٥"];

  it("refuses every other spelling of a number with 400 validation_error, on every integer parameter", async () => {
    const cases = (v: string) => [
      `/v1/accounts/${acc}/transactions?limit=${encodeURIComponent(v)}`,
      `/v1/accounts/${acc}/transactions?min_amount=${encodeURIComponent(v)}`,
      `/v1/accounts/${acc}/transactions?max_amount=${encodeURIComponent(v)}`,
      `/v1/accounts?limit=${encodeURIComponent(v)}`,
      `/v1/analytics/spending?month=2026-01&limit=${encodeURIComponent(v)}`,
      `/v1/analytics/daily-balances?account_id=${acc}&from=2026-01-01&to=2026-01-02&limit=${encodeURIComponent(v)}`,
    ];
    for (const v of NOT_DECIMAL) {
      for (const path of cases(v)) expectError(await api("GET", path, { token: u.access_token }), 400, "validation_error", `${path}`);
    }
  });

  it("accepts plain decimals within the bounds and uses them", async () => {
    const page = await api("GET", `/v1/accounts/${acc}/transactions?limit=1`, { token: u.access_token });
    expect(page.status).toBe(200);
    expect(page.body.data).toHaveLength(1);
    const big = await api("GET", `/v1/accounts/${acc}/transactions?min_amount=5000`, { token: u.access_token });
    expect(big.body.data.map((t: { kind: string }) => t.kind)).toEqual(["deposit"]);
    expectError(
      await api("GET", `/v1/accounts/${acc}/transactions?limit=201`, { token: u.access_token }),
      400,
      "validation_error",
      "limit above 200",
    );
    expectError(
      await api("GET", `/v1/accounts/${acc}/transactions?limit=0`, { token: u.access_token }),
      400,
      "validation_error",
      "limit 0",
    );
  });
});

describe("categories are exact lowercase slugs", () => {
  it("answers another spelling with 400 and leaves the budget in place (DELETE …/budgets/TRAVEL does not end travel)", async () => {
    const put = await api("PUT", `/v1/accounts/${acc}/budgets/travel`, { token: u.access_token, body: { limit: 5_000 } });
    expect(put.status).toBe(201);
    for (const spelling of ["TRAVEL", "Travel", "%20travel", "travel%20"]) {
      expectError(
        await api("DELETE", `/v1/accounts/${acc}/budgets/${spelling}`, { token: u.access_token }),
        400,
        "validation_error",
        `DELETE ${spelling}`,
      );
      expectError(
        await api("PUT", `/v1/accounts/${acc}/budgets/${spelling}`, { token: u.access_token, body: { limit: 1 } }),
        400,
        "validation_error",
        `PUT ${spelling}`,
      );
    }
    const list = await api("GET", `/v1/accounts/${acc}/budgets`, { token: u.access_token });
    expect(list.body.data).toEqual([expect.objectContaining({ category: "travel", limit: 5_000 })]);
    expect((await api("DELETE", `/v1/accounts/${acc}/budgets/travel`, { token: u.access_token })).status).toBe(204);
  });

  it("refuses a non-canonical category in a transaction body and in the list filter", async () => {
    expectError(
      await postTx(u, acc, { kind: "purchase", amount: 1, merchant: "Shop", category: "Travel" }),
      400,
      "validation_error",
      "POST Travel",
    );
    expectError(
      await postTx(u, acc, { kind: "purchase", amount: 1, merchant: "Shop", category: " travel" }),
      400,
      "validation_error",
      "POST ' travel'",
    );
    expectError(
      await api("GET", `/v1/accounts/${acc}/transactions?category=TRAVEL`, { token: u.access_token }),
      400,
      "validation_error",
      "filter TRAVEL",
    );
    const exact = await api("GET", `/v1/accounts/${acc}/transactions?category=travel`, { token: u.access_token });
    expect(exact.body.data.map((t: { id: string }) => t.id)).toEqual([txId]);
  });
});

describe("a JSON body is application/json in UTF-8", () => {
  const tx = JSON.stringify({ kind: "deposit", amount: 1 });

  it("answers a charset other than UTF-8 with 415 unsupported_media_type, before reading it as UTF-8", async () => {
    for (const charset of ["utf-16", "UTF-16LE", "iso-8859-1", '"utf-16"']) {
      const res = await send("POST", `/v1/accounts/${acc}/transactions`, {
        token: u.access_token,
        headers: { "content-type": `application/json; charset=${charset}`, "idempotency-key": key() },
        body: tx,
      });
      expectError(res, 415, "unsupported_media_type", charset);
    }
    // The same on a public route and on an optional body.
    expectError(
      await send("POST", "/v1/auth/login", { headers: { "content-type": "application/json; charset=utf-16" }, body: "{}" }),
      415,
      "unsupported_media_type",
      "login",
    );
    const ok = await send("POST", `/v1/accounts/${acc}/transactions`, {
      token: u.access_token,
      headers: { "content-type": "application/json; charset=UTF-8", "idempotency-key": key() },
      body: tx,
    });
    expect(ok.status).toBe(201);
  });

  it("answers text/plain, a form and XML with 415, not 400", async () => {
    for (const type of ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "application/xml"]) {
      expectError(
        await send("POST", "/v1/accounts", {
          token: u.access_token,
          headers: { "content-type": type },
          body: '{"type":"checking","name":"x"}',
        }),
        415,
        "unsupported_media_type",
        `open ${type}`,
      );
      expectError(
        await send("PUT", `/v1/accounts/${acc}/budgets/dining`, {
          token: u.access_token,
          headers: { "content-type": type },
          body: '{"limit":1}',
        }),
        415,
        "unsupported_media_type",
        `budget ${type}`,
      );
    }
    // A body with no Content-Type at all is not JSON either.
    expectError(
      await send("POST", "/v1/auth/register", { body: new Uint8Array(new TextEncoder().encode("{}")) }),
      415,
      "unsupported_media_type",
      "no content type",
    );
  });

  it("answers bytes that are not UTF-8 with 400 invalid_json", async () => {
    // Read leniently, 0xFF would become U+FFFD and open an account named "\uFFFD".
    const bytes = new Uint8Array([...new TextEncoder().encode('{"type":"checking","name":"'), 0xff, ...new TextEncoder().encode('"}')]);
    const res = await send("POST", "/v1/accounts", { token: u.access_token, headers: { "content-type": "application/json" }, body: bytes });
    expectError(res, 400, "invalid_json", "invalid UTF-8");
  });
});

describe("optional bodies are still parsed strictly", () => {
  it("refuses broken JSON (400 invalid_json) and unknown fields (400 validation_error) on void, close and reverse", async () => {
    const pending = await transfer(u, { from_account_id: acc, to_account_id: dest, amount: 100, mode: "pending" });
    expect(pending.status).toBe(201);
    const routes = [
      `/v1/transfers/${pending.body.id}/void`,
      `/v1/transfers/${pending.body.id}/post`,
      `/v1/accounts/${dest}/close`,
      `/v1/accounts/${acc}/transactions/${txId}/reverse`,
    ];
    for (const path of routes) {
      const headers = { "idempotency-key": key() };
      expectError(await api("POST", path, { token: u.access_token, rawBody: "{nope", headers }), 400, "invalid_json", `${path} broken`);
      expectError(
        await api("POST", path, { token: u.access_token, body: { reason: "x" }, headers: { "idempotency-key": key() } }),
        400,
        "validation_error",
        `${path} unknown field`,
      );
      expectError(
        await api("POST", path, { token: u.access_token, rawBody: "[]", headers: { "idempotency-key": key() } }),
        400,
        "validation_error",
        `${path} array`,
      );
      expectError(
        await send("POST", path, {
          token: u.access_token,
          headers: { "content-type": "text/plain", "idempotency-key": key() },
          body: "{}",
        }),
        415,
        "unsupported_media_type",
        `${path} text/plain`,
      );
    }
    // Nothing happened: the hold is still there, the account still open, the purchase not reversed.
    const t = await api("GET", `/v1/transfers/${pending.body.id}`, { token: u.access_token });
    expect(t.body.status).toBe("pending");
    expect((await api("GET", `/v1/accounts/${dest}`, { token: u.access_token })).body.status).toBe("open");
    expect((await api("GET", `/v1/accounts/${acc}/transactions/${txId}`, { token: u.access_token })).body.reversed_by).toBeNull();
  });
});
