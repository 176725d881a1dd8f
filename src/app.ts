/**
 * The HTTP edge: middleware, resource routers, the OpenAPI document and docs.
 * No business rules live here; routes validate, authorize and call the
 * Durable Objects or D1 read models.
 */
import { secureHeaders } from "hono/secure-headers";
import { docsPage } from "./docs-page";
import { createRouter, errorResponses, publicSecurity, RESPONSE_HEADERS } from "./lib/router";
import { accessLog } from "./middleware/access-log";
import { limitBody } from "./middleware/body-limit";
import { readJsonBody } from "./middleware/json-body";
import { requireConfig } from "./middleware/config";
import { onError, onNotFound } from "./middleware/errors";
import { rateLimits } from "./middleware/rate-limit";
import { requestId } from "./middleware/request-id";
import { cacheRoutes } from "./lib/route-cache";
import { accountsRouter } from "./routes/accounts";
import { budgetsRouter } from "./routes/budgets";
import { healthRouter } from "./routes/health";
import { activityRouter } from "./routes/activity";
import { transactionEditsRouter } from "./routes/transaction-edits";
import { transactionsRouter } from "./routes/transactions";
import { transfersRouter } from "./routes/transfers";
import { authRouter } from "./routes/auth";
import { meRouter } from "./routes/me";
import { adminAuditRouter } from "./routes/admin-audit";
import { adminDeadLettersRouter } from "./routes/admin-dead-letters";
import { adminHealthRouter } from "./routes/admin-health";
import { adminMetricsRouter } from "./routes/admin-metrics";
import { adminMailRouter } from "./routes/admin-mail";
import { adminPipelineRouter } from "./routes/admin-pipeline";
import { adminReconcileRouter } from "./routes/admin-reconcile";
import { adminUsersRouter } from "./routes/admin-users";
import { analyticsRouter } from "./routes/analytics";
import { dashboardRouter } from "./routes/dashboard";
import { exportsRouter } from "./routes/exports";
import { marketRouter } from "./routes/market";
import { merchantsRouter } from "./routes/merchants";
import { cashbackRouter } from "./routes/cashback";
import { rulesRouter } from "./routes/rules";
import { marketIngestRouter } from "./routes/market-ingest";
import { marketStreamRouter } from "./routes/market-stream";
import { alertsRouter } from "./routes/alerts";
import { priceAlertsRouter } from "./routes/price-alerts";
import { riskAlertsRouter } from "./routes/risk-alerts";
import { notificationPreferencesRouter } from "./routes/notification-preferences";
import { notificationsRouter } from "./routes/notifications";
import { notificationsStreamRouter } from "./routes/notifications-stream";
import { ordersRouter } from "./routes/orders";
import { passwordRouter } from "./routes/password";
import { portfolioRouter } from "./routes/portfolio";
import { webhooksRouter } from "./routes/webhooks";
import { newsRouter } from "./routes/news";
import { newsAdminRouter } from "./routes/news-admin";
import { watchlistRouter } from "./routes/watchlist";
import { newsInteractionsRouter } from "./routes/news-interactions";
import { forecastRouter } from "./routes/forecast";
import { insightsRouter } from "./routes/insights";
import { recurringRouter } from "./routes/recurring";
import { simulationsRouter } from "./routes/simulations";
import { payeesRouter } from "./routes/payees";
import { paymentsRouter } from "./routes/payments";
import { institutionsRouter } from "./routes/institutions";
import { customersRouter } from "./routes/customers";

/** The document's top level; `servers` is the origin the document was fetched from. */
export function openApiConfig(origin: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "FinEdge API",
      version: "1.0.0",
      description: "Event-sourced personal banking, paper investing and commerce analytics. Amounts are integers in minor units.",
      contact: { name: "FinEdge team" },
      license: { name: "Proprietary", identifier: "LicenseRef-FinEdge" },
    },
    servers: [{ url: origin, description: "This deployment" }],
    tags: [
      { name: "meta", description: "Health, this document and the docs" },
      { name: "auth", description: "Users and sessions" },
      { name: "accounts", description: "Accounts and their balances" },
      { name: "transactions", description: "An account's journal" },
      { name: "trading", description: "Paper trading on brokerage accounts: orders, positions and the portfolio" },
      { name: "transfers", description: "Two-phase transfers between accounts" },
      { name: "budgets", description: "Spending limits per category" },
      { name: "payments", description: "Payees and asynchronous payments out of the platform" },
      { name: "institutions", description: "Banks and the accounts they hold" },
      { name: "customers", description: "Customer profiles and the one view of a customer's banking" },
      { name: "analytics", description: "Read models served from Gold" },
      { name: "exports", description: "Exports for offline analysis" },
      { name: "market", description: "Symbols, prices, bars, the clock and the live price stream" },
      { name: "notifications", description: "The inbox, its live stream, preferences and alerts" },
      { name: "webhooks", description: "Outbound Standard Webhooks: endpoints, secrets, the delivery log" },
      { name: "watchlist", description: "The symbols a user watches (Alpaca-like), which also personalize the news" },
      { name: "news", description: "The personalized news feed: articles, likes, saves, follows" },
      {
        name: "intelligence",
        description:
          "Commerce intelligence: merchants, rules, cashback, anomalies, recurring charges, forecast, health and risk scores, digests and what-if simulations",
      },
      { name: "admin", description: "Operator routes (admin role)" },
    ],
  };
}

export function createApp() {
  const app = createRouter();

  app.use("*", requestId());
  app.use("*", accessLog());
  app.use(
    "*",
    secureHeaders({
      crossOriginResourcePolicy: "same-origin",
      strictTransportSecurity: "max-age=63072000; includeSubDomains",
    }),
  );
  app.use("*", async (c, next) => {
    await next();
    if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
    // JSON needs nothing from a browser: no scripts, styles, frames or fetches. Pages set their own.
    if (!c.res.headers.has("Content-Security-Policy")) c.res.headers.set("Content-Security-Policy", API_CSP);
  });
  // Config first: a deployment with a missing or default secret answers every
  // request 503, health included, so it never looks ready to a load balancer.
  app.use("*", requireConfig());
  app.route("/", healthRouter);
  // Everything below /health is rate-limited: per client IP, and the auth routes per IP.
  app.use("*", rateLimits());
  app.use("*", limitBody());
  app.use("*", readJsonBody());

  // One router per resource, chained so the app's type carries every route for `hc` (src/client.ts).
  const routed = app
    .route("/v1", accountsRouter)
    .route("/v1", transactionsRouter)
    .route("/v1", transactionEditsRouter)
    .route("/v1", activityRouter)
    .route("/v1", transfersRouter)
    .route("/v1", budgetsRouter)
    .route("/v1", ordersRouter)
    .route("/v1", portfolioRouter)
    .route("/v1", authRouter)
    .route("/v1", meRouter)
    .route("/v1", passwordRouter)
    .route("/v1", notificationPreferencesRouter)
    .route("/v1", notificationsStreamRouter)
    .route("/v1", notificationsRouter)
    .route("/v1", priceAlertsRouter)
    .route("/v1", riskAlertsRouter)
    .route("/v1", alertsRouter)
    .route("/v1", webhooksRouter)
    .route("/v1", recurringRouter)
    .route("/v1", forecastRouter)
    .route("/v1", insightsRouter)
    .route("/v1", simulationsRouter)
    .route("/v1", payeesRouter)
    .route("/v1", paymentsRouter)
    .route("/v1", institutionsRouter)
    .route("/v1", customersRouter)
    .route("/v1", dashboardRouter)
    .route("/v1", analyticsRouter)
    .route("/v1", merchantsRouter)
    .route("/v1", cashbackRouter)
    .route("/v1", rulesRouter)
    .route("/v1", exportsRouter)
    .route("/v1", marketStreamRouter)
    .route("/v1", marketRouter)
    .route("/v1", marketIngestRouter)
    .route("/v1", adminPipelineRouter)
    .route("/v1", adminDeadLettersRouter)
    .route("/v1", adminReconcileRouter)
    .route("/v1", adminMailRouter)
    .route("/v1", adminUsersRouter)
    .route("/v1", adminAuditRouter)
    .route("/v1", adminHealthRouter)
    .route("/v1", adminMetricsRouter)
    .route("/v1", newsRouter)
    .route("/v1", newsInteractionsRouter)
    .route("/v1", newsAdminRouter)
    .route("/v1", watchlistRouter);

  registerDocs(app);
  app.onError(onError);
  app.notFound(onNotFound);
  cacheRoutes(app.router);
  return routed;
}

/** The bearer scheme, the shared response headers, /openapi.json and /docs (both documented, both public). */
function registerDocs(app: ReturnType<typeof createRouter>) {
  const registry = app.openAPIRegistry;
  registry.registerComponent("securitySchemes", "bearerAuth", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  for (const [name, header] of Object.entries(RESPONSE_HEADERS)) registry.registerComponent("headers", name, header);
  registry.registerPath({
    method: "get",
    path: "/openapi.json",
    tags: ["meta"],
    operationId: "getOpenApiDocument",
    summary: "This OpenAPI 3.1 document",
    security: publicSecurity,
    description: "Generated from the zod schemas that validate the requests, so it cannot disagree with the server.",
    responses: {
      200: {
        description: "The document",
        headers: { "X-Request-Id": { $ref: "#/components/headers/X-Request-Id" } },
        content: { "application/json": { schema: { type: "object" } } },
      },
      ...errorResponses(),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/docs",
    tags: ["meta"],
    operationId: "getDocs",
    summary: "Interactive API docs (Swagger UI)",
    security: publicSecurity,
    description: "Swagger UI over /openapi.json, served from this deployment's own static assets (no CDN).",
    responses: {
      200: {
        description: "An HTML page",
        headers: { "X-Request-Id": { $ref: "#/components/headers/X-Request-Id" } },
        content: { "text/html": { schema: { type: "string" } } },
      },
      ...errorResponses(),
    },
  });
  app.get("/openapi.json", (c) => c.json(app.getOpenAPI31Document(openApiConfig(new URL(c.req.url).origin))));
  app.get("/docs", docsPage);
}

const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export type AppType = ReturnType<typeof createApp>;
/** @deprecated the same type as AppType */
export type App = AppType;
