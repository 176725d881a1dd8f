/**
 * Loads and checks configuration once per isolate. A Worker deployed with a
 * missing or placeholder secret answers 503 `misconfigured` to every request,
 * /health included, and so never signs a token with a default key nor looks
 * ready to a load balancer.
 */
import type { MiddlewareHandler } from "hono";
import { loadConfig, type ConfigResult } from "../config";
import type { AppEnv } from "../types";
import { errorResponse } from "./errors";

const cache = new WeakMap<object, ConfigResult>();

export function requireConfig(): MiddlewareHandler<AppEnv> {
  return async function configMiddleware(c, next) {
    let result = cache.get(c.env);
    if (!result) {
      result = loadConfig(c.env);
      cache.set(c.env, result);
    }
    if (!result.ok) {
      console.error(JSON.stringify({ level: "error", msg: "misconfigured", problems: result.problems }));
      return errorResponse(c, "misconfigured", "The service is not configured; an operator must set its secrets.");
    }
    c.set("config", result.config);
    await next();
  };
}
