/**
 * The HTTP edge: middleware, resource routers, the OpenAPI document and docs.
 * No business rules live here; routes validate, authorize and call the
 * Durable Objects or D1 read models.
 */
import { swaggerUI } from "@hono/swagger-ui";
import { secureHeaders } from "hono/secure-headers";
import { createRouter } from "./lib/router";
import { limitBody } from "./middleware/body-limit";
import { requireConfig } from "./middleware/config";
import { onError, onNotFound } from "./middleware/errors";
import { requestId } from "./middleware/request-id";
import { accountsRouter } from "./routes/accounts";
import { budgetsRouter } from "./routes/budgets";
import { healthRouter } from "./routes/health";
import { transactionsRouter } from "./routes/transactions";
import { transfersRouter } from "./routes/transfers";
import { authRouter } from "./routes/auth";
import { meRouter } from "./routes/me";
import { adminDeadLettersRouter } from "./routes/admin-dead-letters";
import { adminPipelineRouter } from "./routes/admin-pipeline";
import { adminReconcileRouter } from "./routes/admin-reconcile";
import { analyticsRouter } from "./routes/analytics";
import { dashboardRouter } from "./routes/dashboard";
import { exportsRouter } from "./routes/exports";

export function createApp() {
  const app = createRouter();

  app.use("*", requestId());
  app.use("*", secureHeaders({ crossOriginResourcePolicy: "same-origin", strictTransportSecurity: "max-age=63072000; includeSubDomains" }));
  app.use("*", async (c, next) => {
    await next();
    if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
  });
  // Config first: a deployment with a missing or default secret answers every
  // request 503, health included, so it never looks ready to a load balancer.
  app.use("*", requireConfig());
  app.route("/", healthRouter);
  app.use("*", limitBody());

  // v1 resource routers are mounted below, one line each.
  app.route("/v1", accountsRouter);
  app.route("/v1", transactionsRouter);
  app.route("/v1", transfersRouter);
  app.route("/v1", budgetsRouter);
  app.route("/v1", authRouter);
  app.route("/v1", meRouter);
  app.route("/v1", dashboardRouter);
  app.route("/v1", analyticsRouter);
  app.route("/v1", exportsRouter);
  app.route("/v1", adminPipelineRouter);
  app.route("/v1", adminDeadLettersRouter);
  app.route("/v1", adminReconcileRouter);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "FinEdge API",
      version: "1.0.0",
      description: "Event-sourced personal banking, paper investing and commerce analytics. Amounts are integers in minor units.",
    },
  });
  app.get("/docs", swaggerUI({ url: "/openapi.json" }));

  app.onError(onError);
  app.notFound(onNotFound);
  return app;
}

export type App = ReturnType<typeof createApp>;
