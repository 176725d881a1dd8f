/**
 * One structured JSON access-log line per request, and its request and
 * latency metrics (src/lib/metrics/recorder.ts). The route is the matched
 * pattern (`/v1/accounts/:id`), `unmatched` for a 404 no route took, so
 * neither the log nor the metric labels ever carry a raw path or query (ids,
 * emails in admin filters). No email, name, IP address or user agent is
 * logged: the user appears only as their opaque id.
 */
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { flushSoon, recordRequest } from "../lib/metrics/recorder";
import type { AppEnv } from "../types";

/** The last matched pattern that is a route rather than a catch-all middleware. */
function routeOf(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const r = routes[i]!;
    if (r.method !== "ALL" && !r.path.endsWith("*")) return r.path;
  }
  const last = routes.at(-1)?.path ?? "";
  return last === "/*" || last === "*" || last === "" ? "unmatched" : last;
}

export function accessLog(): MiddlewareHandler<AppEnv> {
  return async function accessLogMiddleware(c, next) {
    const started = performance.now();
    const wall = Date.now();
    await next();
    const ms = Math.round((performance.now() - started) * 100) / 100;
    const route = routeOf(c);
    const status = c.res.status;
    console.log(
      JSON.stringify({
        level: status >= 500 ? "error" : "info",
        msg: "request",
        at: new Date(wall).toISOString(),
        request_id: c.get("requestId"),
        method: c.req.method,
        route,
        status,
        duration_ms: ms,
        user_id: c.get("principal")?.userId ?? null,
      }),
    );
    recordRequest(c.env, { method: c.req.method, route, status, ms });
    let ctx: { waitUntil(p: Promise<unknown>): void } | undefined;
    try {
      ctx = c.executionCtx;
    } catch {
      ctx = undefined; // no execution context (app.request in a unit test)
    }
    flushSoon(c.env, ctx);
  };
}
