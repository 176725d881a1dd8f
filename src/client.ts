/**
 * The typed TypeScript client: Hono's `hc` over the app's own route types, so
 * a request or response that drifts from a route's schema is a compile error.
 * Only types come from the app; nothing of the server is bundled.
 */
import { hc } from "hono/client";
import type { AppType } from "./app";

export type { AppType };

export interface ClientOptions {
  /** The bearer access token, or a function returning the current one (after a login or refresh). */
  token?: string | (() => string | undefined);
  /** A fetch to send with, e.g. a service binding's or a test's `SELF.fetch`. */
  fetch?: typeof fetch;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

export function createClient(baseUrl: string, options: ClientOptions = {}) {
  const { token, fetch, headers } = options;
  return hc<AppType>(baseUrl, {
    fetch,
    headers: () => {
      const current = typeof token === "function" ? token() : token;
      return { ...headers, ...(current ? { authorization: `Bearer ${current}` } : {}) };
    },
  });
}

export type Client = ReturnType<typeof createClient>;
