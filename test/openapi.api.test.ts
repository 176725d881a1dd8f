/**
 * API hygiene: the OpenAPI 3.1 document (every route, its method, request
 * schemas, the bearer scheme), the interactive docs, and the headers every
 * response carries (request id, security headers), errors included. The
 * contract as generators see it (operation ids, statuses, headers, enums,
 * constraints) is in the second describe block.
 */
import { describe, expect, it } from "vitest";
import { ERROR_STATUS } from "../src/domain/errors";
import { api, deposit, key, openAccount, postTx, registerUser } from "./helpers/ledger";

type Op = {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { headers?: Record<string, { $ref?: string }>; content?: Record<string, { schema: Record<string, any> }> }>;
};
type Doc = {
  openapi: string;
  info: { title: string; version: string };
  servers?: { url: string }[];
  paths: Record<string, Record<string, Op>>;
  components: {
    schemas: Record<string, Record<string, any>>;
    securitySchemes: Record<string, unknown>;
    headers: Record<string, Record<string, any>>;
  };
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
  ["patch", "/v1/accounts/{id}/transactions/{tx_id}", true],
  ["delete", "/v1/accounts/{id}/transactions/{tx_id}", true],
  ["get", "/v1/transactions", true],
  ["get", "/v1/transfers", true],
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
  // Paper trading (issue 10).
  ["post", "/v1/accounts/{id}/orders", true],
  ["get", "/v1/accounts/{id}/orders", true],
  ["get", "/v1/accounts/{id}/orders/{order_id}", true],
  ["delete", "/v1/accounts/{id}/orders/{order_id}", true],
  ["get", "/v1/accounts/{id}/positions", true],
  ["get", "/v1/portfolio", true],
  ["get", "/v1/portfolio/history", true],
  // The event pipeline (issue 3): read APIs, exports, operator routes.
  ["get", "/v1/dashboard", true],
  ["get", "/v1/recurring", true],
  ["patch", "/v1/recurring/{id}", true],
  ["get", "/v1/forecast", true],
  ["get", "/v1/insights/health", true],
  ["get", "/v1/insights/risk", true],
  ["get", "/v1/insights/digests", true],
  ["get", "/v1/insights/digests/{id}", true],
  ["post", "/v1/simulations", true],
  ["get", "/v1/simulations", true],
  ["get", "/v1/simulations/compare", true],
  ["get", "/v1/simulations/{id}", true],
  ["delete", "/v1/simulations/{id}", true],
  ["get", "/v1/analytics/spending", true],
  ["get", "/v1/analytics/daily-balances", true],
  ["get", "/v1/analytics/summary", true],
  ["post", "/v1/exports", true],
  ["get", "/v1/exports", true],
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
  // Market data and the price stream (issue 10).
  ["get", "/v1/market/symbols", false],
  ["get", "/v1/market/clock", false],
  ["get", "/v1/market/stream", false],
  // The inbox, its stream, preferences and alerts (issue 11).
  ["get", "/v1/notifications", true],
  ["post", "/v1/notifications/{id}/read", true],
  ["post", "/v1/notifications/read-all", true],
  ["get", "/v1/notifications/stream", false],
  ["get", "/v1/me/notification-preferences", true],
  ["put", "/v1/me/notification-preferences", true],
  ["get", "/v1/alerts", true],
  ["get", "/v1/merchants", true],
  ["get", "/v1/merchants/top", true],
  ["post", "/v1/cashback/rules", true],
  ["get", "/v1/cashback/rules", true],
  ["delete", "/v1/cashback/rules/{id}", true],
  ["get", "/v1/analytics/cashback", true],
  ["post", "/v1/rules", true],
  ["get", "/v1/rules", true],
  ["patch", "/v1/rules/{id}", true],
  ["delete", "/v1/rules/{id}", true],
  ["post", "/v1/rules/preview", true],
  ["get", "/v1/rules/learned", true],
  ["post", "/v1/rules/apply", true],
  ["get", "/v1/rules/apply/{id}", true],
  ["post", "/v1/alerts/{id}/acknowledge", true],
  ["post", "/v1/alerts/{id}/dismiss", true],
  // Email and the password change (issue 11).
  ["post", "/v1/me/password", true],
  ["get", "/v1/admin/mail", true],
  ["get", "/v1/admin/users", true],
  ["post", "/v1/admin/users/{id}/disable", true],
  ["post", "/v1/admin/users/{id}/enable", true],
  ["patch", "/v1/admin/users/{id}/role", true],
  ["get", "/v1/admin/audit", true],
  ["get", "/v1/admin/health", true],
  ["get", "/v1/admin/metrics", true],
  ["get", "/v1/admin/mail/{id}", true],
  // Price alert rules (issue 10).
  ["post", "/v1/alerts/price", true],
  ["get", "/v1/alerts/price", true],
  ["get", "/v1/alerts/price/{id}", true],
  ["patch", "/v1/alerts/price/{id}", true],
  ["delete", "/v1/alerts/price/{id}", true],
  ["post", "/v1/alerts/risk", true],
  ["get", "/v1/alerts/risk", true],
  ["delete", "/v1/alerts/risk/{id}", true],
  // Outbound webhooks (issue 11).
  ["post", "/v1/webhooks", true],
  ["get", "/v1/webhooks", true],
  ["get", "/v1/webhooks/{id}", true],
  ["patch", "/v1/webhooks/{id}", true],
  ["delete", "/v1/webhooks/{id}", true],
  ["post", "/v1/webhooks/{id}/rotate-secret", true],
  ["post", "/v1/webhooks/{id}/test", true],
  ["get", "/v1/webhooks/{id}/deliveries", true],
  ["post", "/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver", true],
  // Payees and payments (issue 13).
  ["post", "/v1/payees", true],
  ["get", "/v1/payees", true],
  ["delete", "/v1/payees/{id}", true],
  ["post", "/v1/payments", true],
  ["get", "/v1/payments", true],
  ["get", "/v1/payments/{id}", true],
  ["post", "/v1/payments/{id}/cancel", true],
  // Institutions and customers (issue 13).
  ["get", "/v1/institutions", true],
  ["get", "/v1/institutions/{id}", true],
  ["post", "/v1/admin/institutions", true],
  ["patch", "/v1/admin/institutions/{id}", true],
  ["get", "/v1/me/profile", true],
  ["patch", "/v1/me/profile", true],
  ["get", "/v1/me/institutions", true],
  ["get", "/v1/me/banking", true],
  ["get", "/v1/admin/customers", true],
  ["get", "/v1/customers/{id}/banking", true],
  ["post", "/v1/market/ticks", true],
  ["post", "/v1/market/{symbol}/history", true],
  ["get", "/v1/market/{symbol}/snapshot", true],
  ["get", "/v1/market/{symbol}/bars", true],
  // News feed (issue 13).
  ["post", "/v1/news", true],
  ["patch", "/v1/admin/news/{id}", true],
  ["get", "/v1/watchlist", true],
  ["put", "/v1/watchlist", true],
  ["post", "/v1/watchlist/symbols", true],
  ["delete", "/v1/watchlist/symbols/{symbol}", true],
  ["get", "/v1/news", true],
  ["get", "/v1/news/saved", true],
  ["get", "/v1/news/topics", true],
  ["get", "/v1/news/preferences", true],
  ["put", "/v1/news/preferences", true],
  ["post", "/v1/news/{id}/like", true],
  ["post", "/v1/news/{id}/unlike", true],
  ["post", "/v1/news/{id}/save", true],
  ["post", "/v1/news/{id}/unsave", true],
  ["post", "/v1/news/{id}/click", true],
  ["post", "/v1/admin/news/{id}/hide", true],
  ["post", "/v1/admin/news/{id}/restore", true],
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
    const documented = Object.entries(doc.paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`))
      .filter((s) => s.includes(" /v1/"));
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
        // Said explicitly, so no generator or linter assumes a scheme.
        expect(op.security, path).toEqual([]);
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
    // Optional: the web app's refresh token comes in its HttpOnly cookie (src/auth/refresh-cookie.ts).
    expect(bodySchema(doc, "post", "/v1/auth/refresh").required ?? []).toEqual([]);
    expect(bodySchema(doc, "post", "/v1/auth/refresh").properties.refresh_token).toMatchObject({ type: "string", maxLength: 512 });

    const listTx = doc.paths["/v1/accounts/{id}/transactions"]!.get!;
    expect(
      listTx
        .parameters!.filter((p) => p.in === "query")
        .map((p) => p.name)
        .sort(),
    ).toEqual(["category", "cursor", "from", "kind", "limit", "max_amount", "merchant", "min_amount", "to"]);
    expect(doc.paths["/v1/accounts/{id}/balance"]!.get!.parameters!.find((p) => p.name === "at")).toMatchObject({
      in: "query",
      required: false,
    });
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
      id: "acc_0123456789abcdefghjk",
      tx_id: "txn_0123456789abcdefghjk",
      category: "groceries",
      symbol: "AAPL",
    };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        let url = path.replace(/\{(\w+)\}/g, (_m, n: string) => sample[n]!);
        if (path.startsWith("/v1/transfers/{id}")) url = path.replace("{id}", "trf_0123456789abcdefghjk_0123456789ab");
        const res = await api(method.toUpperCase(), url, method === "get" ? {} : { body: {} });
        if (op.security?.length) expect(res.status, `${method} ${path}`).toBe(401);
        else expect(res.status, `${method} ${path}`).not.toBe(404);
      }
    }
  });
});

describe("the contract as generators see it", () => {
  const PUBLIC = [
    ["post", "/v1/auth/register"],
    ["post", "/v1/auth/login"],
    ["post", "/v1/auth/refresh"],
    ["get", "/health"],
    ["get", "/openapi.json"],
    ["get", "/docs"],
    ["get", "/v1/market/symbols"],
    ["get", "/v1/market/clock"],
    ["get", "/v1/market/stream"],
    ["get", "/v1/notifications/stream"],
  ];
  const ops = (doc: Doc) =>
    Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ method, path, op })));
  const label = (o: { method: string; path: string }) => `${o.method.toUpperCase()} ${o.path}`;
  const resolve = (doc: Doc, schema: Record<string, any>) =>
    schema.$ref ? doc.components.schemas[String(schema.$ref).replace("#/components/schemas/", "")]! : schema;

  it("names every operation with a unique camelCase operationId", async () => {
    const doc = await fetchDoc();
    const all = ops(doc);
    expect(all.length).toBeGreaterThanOrEqual(ROUTES.length + 3);
    for (const o of all) expect(o.op.operationId, label(o)).toMatch(/^[a-z][a-zA-Z0-9]+$/);
    const ids = all.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths["/v1/accounts/{id}/transactions"]!.post!.operationId).toBe("createTransaction");
    expect(doc.paths["/v1/accounts/{id}/transactions"]!.get!.operationId).toBe("listTransactions");
  });

  it("says security: [] on the public routes, documents /openapi.json and /docs, and sets servers", async () => {
    const doc = await fetchDoc();
    for (const [method, path] of PUBLIC) expect(doc.paths[path!]?.[method!]?.security, `${method} ${path}`).toEqual([]);
    for (const o of ops(doc))
      if (!PUBLIC.some(([m, p]) => m === o.method && p === o.path)) expect(o.op.security, label(o)).toEqual([{ bearerAuth: [] }]);
    // The origin the document was fetched from (the test helper calls http://x).
    expect(doc.servers).toEqual([expect.objectContaining({ url: "http://x" })]);
  });

  it("publishes the closed list of error codes (src/domain/errors.ts) as the Error schema's enum", async () => {
    const doc = await fetchDoc();
    const code = doc.components.schemas.Error!.properties.error.properties.code;
    expect(code.type).toBe("string");
    expect(code.enum).toEqual(Object.keys(ERROR_STATUS));
    expect(code.enum).toContain("unsupported_media_type");
  });

  it("declares every error status a route can send, with the envelope and the headers that come with it", async () => {
    const doc = await fetchDoc();
    const errorRef = { $ref: "#/components/schemas/Error" };
    for (const o of ops(doc)) {
      const statuses = Object.keys(o.op.responses);
      // Any request can meet a bug (500) or a misconfigured deployment (503).
      expect(statuses, label(o)).toEqual(expect.arrayContaining(["500", "503"]));
      if (o.op.requestBody) expect(statuses, label(o)).toEqual(expect.arrayContaining(["400", "413", "415"]));
      if (o.op.security?.length) expect(statuses, label(o)).toContain("401");
      if (o.path.startsWith("/v1/admin/")) expect(statuses, label(o)).toContain("403");
      if (o.path.includes("{")) expect(statuses, label(o)).toEqual(expect.arrayContaining(["400", "404"]));
      for (const [status, res] of Object.entries(o.op.responses)) {
        expect(res.headers?.["X-Request-Id"], `${label(o)} ${status}`).toEqual({ $ref: "#/components/headers/X-Request-Id" });
        if (Number(status) >= 400) expect(res.content?.["application/json"]?.schema, `${label(o)} ${status}`).toEqual(errorRef);
        if (status === "429" || status === "503") expect(res.headers?.["Retry-After"], `${label(o)} ${status}`).toBeDefined();
      }
    }
    expect(Object.keys(doc.paths["/v1/auth/login"]!.post!.responses)).toContain("429");
    expect(doc.components.headers["Retry-After"]!.schema).toMatchObject({ type: "integer" });
    // Idempotent POSTs say when a reply is a replay.
    for (const path of MONEY_POSTS) {
      const op = doc.paths[path]!.post!;
      for (const [status, res] of Object.entries(op.responses)) {
        if (Number(status) < 300)
          expect(res.headers?.["Idempotent-Replayed"], `${path} ${status}`).toEqual({ $ref: "#/components/headers/Idempotent-Replayed" });
      }
      expect(op.responses["409"], path).toBeDefined();
      expect(op.responses["422"], path).toBeDefined();
    }
  });

  it("puts the constraints the server enforces into the schema", async () => {
    const doc = await fetchDoc();
    const s = doc.components.schemas;
    const metadata = s.CreateTransaction!.properties.metadata;
    expect(metadata).toMatchObject({ type: "object", maxProperties: 20, propertyNames: { pattern: "^[A-Za-z0-9_.-]{1,40}$" } });
    expect(metadata.additionalProperties).toMatchObject({ type: "string", maxLength: 200 });
    expect(s.PutBudget!.properties.alert_at).toMatchObject({ type: "array", uniqueItems: true, maxItems: 5, minItems: 1 });

    const query = (path: string, name: string) =>
      doc.paths[path]!.get!.parameters!.find((p) => p.name === name) as unknown as { schema: Record<string, unknown> };
    for (const name of ["min_amount", "max_amount", "limit"]) {
      expect(query("/v1/accounts/{id}/transactions", name).schema, name).toMatchObject({ type: "integer", minimum: 1 });
    }
    expect(query("/v1/accounts", "limit").schema).toMatchObject({ type: "integer", minimum: 1, maximum: 50, default: 50 });
    expect(query("/v1/analytics/daily-balances", "from").schema).toMatchObject({ type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" });
    expect(query("/v1/analytics/summary", "from").schema).toMatchObject({ type: "string", pattern: "^\\d{4}-\\d{2}$" });
    expect(query("/v1/analytics/spending", "month").schema).toMatchObject({ pattern: "^\\d{4}-\\d{2}$" });

    for (const path of MONEY_POSTS) {
      const header = doc.paths[path]!.post!.parameters!.find((p) => p.name === "idempotency-key") as unknown as {
        schema: Record<string, unknown>;
      };
      expect(header.schema, path).toMatchObject({ type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x21-\\x7e]{1,255}$" });
    }
  });

  it("uses enums instead of bare strings", async () => {
    const doc = await fetchDoc();
    const s = doc.components.schemas;
    expect(s.Transaction!.properties.kind.enum).toEqual([
      "deposit",
      "withdrawal",
      "purchase",
      "refund",
      "fee",
      "interest",
      "reversal",
      "transfer_out",
      "transfer_in",
      "trade_buy",
      "trade_sell",
    ]);
    expect(s.Transaction!.properties.direction.enum).toEqual(["credit", "debit"]);
    expect(s.Account!.properties.type.enum).toEqual(["checking", "savings", "credit", "brokerage"]);
    expect(s.Account!.properties.status.enum).toEqual(["open", "closed"]);
    expect(s.DashboardAccount!.properties.type.enum).toEqual(["checking", "savings", "credit", "brokerage"]);
    expect(s.Transfer!.properties.status.enum).toEqual(["pending", "posted", "voided", "failed"]);
    expect(s.Transfer!.properties.mode.enum).toEqual(["immediate", "pending"]);
  });

  it("leaves fields with a default out of `required` in request bodies, and marks optional bodies optional", async () => {
    const doc = await fetchDoc();
    for (const o of ops(doc)) {
      const schema = o.op.requestBody?.content["application/json"]?.schema;
      if (!schema) continue;
      const body = resolve(doc, schema);
      for (const [name, prop] of Object.entries((body.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if ("default" in prop) expect(body.required ?? [], `${label(o)} ${name}`).not.toContain(name);
      }
    }
    for (const [method, path] of [
      ["post", "/v1/transfers/{id}/post"],
      ["post", "/v1/transfers/{id}/void"],
      ["post", "/v1/accounts/{id}/close"],
      ["post", "/v1/accounts/{id}/transactions/{tx_id}/reverse"],
    ] as const) {
      const body = doc.paths[path]![method]!.requestBody!;
      expect(body.required, path).toBe(false);
      expect(resolve(doc, body.content["application/json"]!.schema).additionalProperties, path).toBe(false);
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
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/connect-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
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
    // Every response, errors included, forbids a browser from running or loading anything it did not ask for.
    expect(csp, label).toMatch(/default-src 'none'/);
    expect(csp, label).toMatch(/frame-ancestors 'none'/);
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
      [
        "missing key",
        api("POST", `/v1/accounts/${acc}/transactions`, { token: u.access_token, body: { kind: "deposit", amount: 1 } }),
        400,
      ],
      ["no token", api("GET", "/v1/accounts"), 401],
      ["bad token", api("GET", "/v1/accounts", { token: "abc.def.ghi" }), 401],
      ["unknown account", api("GET", "/v1/accounts/acc_00000000000000000000", { token: u.access_token }), 404],
      ["no route", api("GET", "/v1/nothing-here"), 404],
      [
        "too large",
        api("POST", "/v1/accounts", { token: u.access_token, rawBody: JSON.stringify({ type: "checking", name: "x".repeat(70_000) }) }),
        413,
      ],
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
    for (const res of [
      await api("GET", `/v1/accounts/${acc}`, { token: u.access_token }),
      await postTx(u, acc, { kind: "deposit", amount: 5 }, key()),
    ]) {
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });
});
