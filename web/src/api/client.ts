/**
 * The signed-in API client: every request carries the access token held in
 * memory (session/state.ts); a 401 refreshes the session once and retries.
 * Money-moving POSTs pass `idempotencyHeaders()` so a retried click is a replay.
 */
import createClient from "openapi-fetch";
import { refreshSession } from "../session/actions";
import { getSession } from "../session/state";
import type { paths } from "./schema";

async function authedFetch(request: Request): Promise<Response> {
  const retry = request.clone();
  const first = await fetch(withToken(request));
  if (first.status !== 401 || !getSession()) return first;
  if (!(await refreshSession())) return first;
  return fetch(withToken(retry));
}

function withToken(request: Request): Request {
  const token = getSession()?.accessToken;
  if (!token) return request;
  const headers = new Headers(request.headers);
  headers.set("Authorization", `Bearer ${token}`);
  return new Request(request, { headers });
}

export const api = createClient<paths>({ baseUrl: "", fetch: authedFetch });

/** A fresh Idempotency-Key: one per intended operation (create it when the form is shown or submitted once). */
export function idempotencyHeaders(key: string = crypto.randomUUID()) {
  return { "Idempotency-Key": key };
}
