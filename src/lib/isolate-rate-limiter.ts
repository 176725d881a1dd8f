/**
 * The local stand-in for the Workers rate-limiting binding: the same
 * fixed windows aligned to the wall clock, counted in this isolate's memory.
 *
 * Why: miniflare's binding works under `wrangler dev` and vitest, but each
 * `limit()` is a Durable Object call that writes SQLite, about 0.45 ms of
 * worker CPU per request on this machine — 150 % of the floor's, against a
 * budget of 10 %. Locally every request runs in one isolate, so counting here
 * is exact; deployed, the binding is used (RATE_LIMIT_BACKEND unset), because
 * requests there are spread over many isolates.
 */
import type { RatePolicy } from "./rate-policies";

/**
 * One fixed window per policy (every key's window starts on the same wall-clock
 * boundary), so a window's counts are one Map of small integers that is
 * replaced whole when the window turns: no per-key objects, no key strings
 * built per request, nothing to prune. Past MAX_KEYS live keys in one window
 * the counts start over (memory stays bounded; an attacker rotating through
 * that many addresses is counted by the per-user limit and, deployed, by the
 * binding).
 */
const windows = new Map<string, { window: number; counts: Map<string, number> }>();
export const MAX_KEYS = 100_000;

export function isolateLimit(policy: RatePolicy, key: string, nowMs = Date.now()): boolean {
  const window = Math.floor(nowMs / 1000 / policy.period);
  let w = windows.get(policy.name);
  if (!w || w.window !== window || w.counts.size >= MAX_KEYS) {
    w = { window, counts: new Map() };
    windows.set(policy.name, w);
  }
  const count = (w.counts.get(key) ?? 0) + 1;
  w.counts.set(key, count);
  return count <= policy.limit;
}
