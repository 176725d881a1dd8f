/**
 * API hygiene: the OpenAPI 3.1 document (every route, its method, request
 * schemas, the bearer scheme), the interactive docs, and the headers every
 * response carries (request id, security headers), errors included.
 */
import { describe, expect, it } from "vitest";
import { api, deposit, key, openAccount, postTx, registerUser } from "./helpers/ledger";

type Op = {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, unknown>;
};
type Doc = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Op>>;
  components: { schemas: Record<string, Record<string, any>>; securitySchemes: Record<string, unknown> };
};

/** Every route of this issue: method, path, and whether it needs the bearer token. */
const ROUTES: [string, string, boolean][] = [
  ["post", "/v1/auth/register", false],
  ["post", "/v1/auth/login", false],
  ["post", "/v1/auth/refresh", false],
  ["post", "/v1/auth/logout", true],
  ["get", "/v1/me", true],
  ["post", "/v1/accounts", true],
  ["get", "/v1/accounts", true],
  ["get", "/v1/accounts/{id}", true],
  ["post", "/v1/accounts/{id}/close", true],
  ["get", "/v1/accounts/{id}/balance", true],
  ["get", "/v1/accounts/{id}/verify", true],
  ["post", "/v1/accounts/{id}/transactions", true],
  ["get", "/v1/accounts/{id}/transactions", true],
  ["get", "/v1/accounts/{id}/transactions/{tx_id}", true],
  ["post", "/v1/accounts/{id}/transactions/{tx_id}/reverse", true],
  ["post", "/v1/transfers", true],
  ["get", "/v1/transfers/{id}", true],
  ["post", "/v1/transfers/{id}/post", true],
  ["post", "/v1/transfers/{id}/void", true],
  ["put", "/v1/accounts/{id}/budgets/{category}", true],
  ["get", "/v1/accounts/{id}/budgets", true],
  ["delete", "/v1/accounts/{id}/budgets/{category}", true],
  // The event pipeline (issue 3): read APIs, exports, operator routes.
  ["get", "/v1/dashboard", true],
  ["get", "/v1/analytics/spending", true],
  ["get", "/v1/analytics/daily-balances", true],
  ["get", "/v1/analytics/summary", true],
  ["post", "/v1/exports", true],
  ["get", "/v1/exports/{id}", true],
  ["get", "/v1/exports/{id}/files/{name}", true],
  ["get", "/v1/admin/bronze", true],
  ["get", "/v1/admin/pipeline/runs", true],
  ["get", "/v1/admin/platform/daily", true],
  ["post", "/v1/admin/replay", true],
  ["get", "/v1/admin/jobs/{id}", true],
  ["get", "/v1/admin/dead-letters", true],
  ["post", "/v1/admin/dead-letters/{id}/replay", true],
  ["post", "/v1/admin/dead-letters/{id}/discard", true],
  ["get", "/v1/admin/reconcile", true],
];

const MONEY_POSTS = [
  "/v1/accounts/{id}/transactions",
  "/v1/accounts/{id}/transactions/{tx_id}/reverse",
  "/v1/transfers",
  "/v1/transfers/{id}/post",
  "/v1/transfers/{id}/void",
];

/** Request body schemas, with a $ref resolved to the component it names. */
function bodySchema(doc: Doc, method: string, path: string): Record<string, any> {
  const schema = doc.paths[path]![method]!.requestBody!.content["application/json"]!.schema;
  const ref = schema.$ref as string | undefined;
  return ref ? doc.components.schemas[ref.replace("#/components/schemas/", "")]! : schema;
}

async function fetchDoc(): Promise<Doc> {
  const res = await api("GET", "/openapi.json");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return res.body as Doc;
}

describe("GET /openapi.json", () => {
  it("is OpenAPI 3.1 and documents every route with its method", async () => {
    const doc = await fetchDoc();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title).toBe("FinEdge API");
    for (const [method, path] of ROUTES) {
      expect(doc.paths[path], path).toBeDefined();
      expect(doc.paths[path]![method], `${method.toUpperCase()} ${path}`).toBeDefined();
    }
    // Nothing documented under /v1 that this list does not know about (so the list stays complete).
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)).filter((s) => s.includes(" /v1/"));
    expect(documented.sort()).toEqual(ROUTES.map(([m, p]) => `${m} ${p}`).sort());
    expect(doc.paths["/health"]?.get).toBeDefined();
  });

  it("declares the bearer scheme and requires it on every route except register, login and refresh", async () => {
    const doc = await fetchDoc();
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    for (const [method, path, secured] of ROUTES) {
      const op = doc.paths[path]![method]!;
      if (secured) {
        expect(op.security, path).toEqual([{ bearerAuth: [] }]);
        expect(op.responses["401"], path).toBeDefined();
      } else {
        expect(op.security, path).toBeUndefined();
      }
    }
  });

  it("describes request bodies with the schemas that validate them", async () => {
    const doc = await fetchDoc();
    const account = bodySchema(doc, "post", "/v1/accounts");
    expect(account.properties.type.enum).toEqual(["checking", "savings", "credit", "brokerage"]);
    expect(account.properties.currency).toMatchObject({ default: "USD" });
    expect(account.properties.currency.enum).toContain("JPY");
    expect(account.properties.credit_limit).toMatchObject({ type: "integer", exclusiveMinimum: 0 });
    expect(account.required).toEqual(["type", "name"]);
    expect(account.additionalProperties).toBe(false);

    const tx = bodySchema(doc, "post", "/v1/accounts/{id}/transactions");
    expect(tx.properties.kind.enum).toEqual(["deposit", "withdrawal", "purchase", "refund", "fee", "interest"]);
    expect(tx.properties.amount).toMatchObject({ type: "integer", exclusiveMinimum: 0 });
    expect(tx.properties.occurred_at).toMatchObject({ type: "string", format: "date-time" });
    expect(Object.keys(tx.properties)).toEqual(expect.arrayContaining(["description", "merchant", "category", "metadata"]));
    expect(tx.required).toEqual(["kind", "amount"]);

    const tr = bodySchema(doc, "post", "/v1/transfers");
    expect(tr.properties.mode).toMatchObject({ enum: ["immediate", "pending"], default: "immediate" });
    expect(tr.properties.expires_in_seconds).toMatchObject({ type: "integer", minimum: 60 });
    expect(tr.required).toEqual(["from_account_id", "to_account_id", "amount"]);

    expect(bodySchema(doc, "post", "/v1/transfers/{id}/post").properties.amount).toMatchObject({ type: "integer" });
    const budget = bodySchema(doc, "put", "/v1/accounts/{id}/budgets/{category}");
    expect(budget.properties.period.enum).toEqual(["monthly", "weekly"]);
    expect(budget.properties.alert_at).toMatchObject({ type: "array", maxItems: 5 });
    expect(bodySchema(doc, "post", "/v1/auth/register").required).toEqual(["email", "password"]);
    expect(bodySchema(doc, "post", "/v1/auth/login").required).toEqual(["email", "password"]);
    expect(bodySchema(doc, "post", "/v1/auth/refresh").required).toEqual(["refresh_token"]);

    const listTx = doc.paths["/v1/accounts/{id}/transactions"]!.get!;
    expect(listTx.parameters!.filter((p) => p.in === "query").map((p) => p.name).sort()).toEqual(
      ["category", "cursor", "from", "kind", "limit", "max_amount", "merchant", "min_amount", "to"]);
    expect(doc.paths["/v1/accounts/{id}/balance"]!.get!.parameters!.find((p) => p.name === "at")).toMatchObject({ in: "query", required: false });
  });

  it("marks the Idempotency-Key header required on every money-moving POST", async () => {
    const doc = await fetchDoc();
    for (const path of MONEY_POSTS) {
      const header = doc.paths[path]!.post!.parameters!.find((p) => p.in === "header" && p.name.toLowerCase() === "idempotency-key");
      expect(header, path).toBeDefined();
      expect(header!.required, path).toBe(true);
    }
  });

  it("documents only routes that exist: each answers 401 without a token (or 400 when public), never 404", async () => {
    const doc = await fetchDoc();
    const sample: Record<string, string> = {
      id: "acc_0123456789abcdefghjk", tx_id: "txn_0123456789abcdefghjk", category: "groceries",
    };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        let url = path.replace(/\{(\w+)\}/g, (_m, n: string) => sample[n]!);
        if (path.startsWith("/v1/transfers/{id}")) url = path.replace("{id}", "trf_0123456789abcdefghjk_0123456789ab");
        const res = await api(method.toUpperCase(), url, method === "get" ? {} : { body: {} });
        if (op.security) expect(res.status, `${method} ${path}`).toBe(401);
        else expect(res.status, `${method} ${path}`).not.toBe(404);
      }
    }
  });
});

describe("GET /docs", () => {
  it("serves the interactive docs as HTML pointing at the document", async () => {
    const res = await api("GET", "/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.body).toMatch(/<html/i);
    expect(res.body).toMatch(/swagger/i);
    expect(res.body).toContain("/openapi.json");
  });
});

describe("headers on every response", () => {
  function expectHygiene(res: { status: number; headers: Headers; body: any }, label: string) {
    const h = res.headers;
    expect(h.get("x-request-id"), label).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
    expect(h.get("x-content-type-options"), label).toBe("nosniff");
    const frame = h.get("x-frame-options");
    const csp = h.get("content-security-policy") ?? "";
    expect(frame === "DENY" || frame === "SAMEORIGIN" || /frame-ancestors/.test(csp), label).toBe(true);
    const hsts = h.get("strict-transport-security") ?? "";
    expect(Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0), label).toBeGreaterThanOrEqual(15_552_000);
    if (res.status >= 400 && res.body && typeof res.body === "object") {
      expect(res.body.error.request_id, label).toBe(h.get("x-request-id"));
    }
  }

  it("covers successes, redirects of no kind, errors of every class, and the docs", async () => {
    const u = await registerUser();
    const acc = await openAccount(u);
    await deposit(u, acc, 100);
    await api("PUT", `/v1/accounts/${acc}/budgets/groceries`, { token: u.access_token, body: { limit: 500 } });
    const cases: [string, Promise<{ status: number; headers: Headers; body: any }>, number][] = [
      ["health", api("GET", "/health"), 200],
      ["openapi", api("GET", "/openapi.json"), 200],
      ["docs", api("GET", "/docs"), 200],
      ["me", api("GET", "/v1/me", { token: u.access_token }), 200],
      ["created", postTx(u, acc, { kind: "deposit", amount: 1 }), 201],
      ["no content", api("DELETE", `/v1/accounts/${acc}/budgets/groceries`, { token: u.access_token }), 204],
      ["broken json", api("POST", "/v1/accounts", { token: u.access_token, rawBody: "{nope" }), 400],
      ["validation", api("POST", "/v1/accounts", { token: u.access_token, body: { type: "gold", name: "x" } }), 400],
      ["missing key", api("POST", `/v1/accounts/${acc}/transactions`, { token: u.access_token, body: { kind: "deposit", amount: 1 } }), 400],
      ["no token", api("GET", "/v1/accounts"), 401],
      ["bad token", api("GET", "/v1/accounts", { token: "abc.def.ghi" }), 401],
      ["unknown account", api("GET", "/v1/accounts/acc_00000000000000000000", { token: u.access_token }), 404],
      ["no route", api("GET", "/v1/nothing-here"), 404],
      ["too large", api("POST", "/v1/accounts", { token: u.access_token, rawBody: JSON.stringify({ type: "checking", name: "x".repeat(70_000) }) }), 413],
      ["business rule", postTx(u, acc, { kind: "withdrawal", amount: 1_000_000 }), 422],
    ];
    for (const [label, pending, status] of cases) {
      const res = await pending;
      expect(res.status, label).toBe(status);
      expectHygiene(res, label);
    }
  });

  it("gives each request its own id, keeps a well-formed incoming one, and replaces a malformed one", async () => {
    const a = await api("GET", "/health");
    const b = await api("GET", "/health");
    expect(a.headers.get("x-request-id")).not.toBe(b.headers.get("x-request-id"));
    const kept = await api("GET", "/v1/me", { headers: { "x-request-id": "trace-1234abcd" } });
    expect(kept.headers.get("x-request-id")).toBe("trace-1234abcd");
    expect(kept.body.error.request_id).toBe("trace-1234abcd");
    const evil = await api("GET", "/v1/me", { headers: { "x-request-id": "<script>alert(1)</script>" } });
    expect(evil.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/);
    expect(JSON.stringify(evil.body)).not.toContain("<script>");
  });

  it("keeps API responses out of caches", async () => {
    const u = await registerUser();
    const acc = await openAccount(u);
    for (const res of [await api("GET", `/v1/accounts/${acc}`, { token: u.access_token }), await postTx(u, acc, { kind: "deposit", amount: 5 }, key())]) {
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });
});
