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

const windows = new Map<string, { window: number; period: number; count: number }>();
/** Past this many live keys, keys of ended windows are dropped. */
const MAX_KEYS = 100_000;

export function isolateLimit(policy: RatePolicy, key: string, nowMs = Date.now()): boolean {
  const window = Math.floor(nowMs / 1000 / policy.period);
  const id = `${policy.name}\n${key}`;
  const slot = windows.get(id);
  if (!slot || slot.window !== window) {
    if (windows.size >= MAX_KEYS) prune(nowMs);
    windows.set(id, { window, period: policy.period, count: 1 });
    return policy.limit >= 1;
  }
  slot.count += 1;
  return slot.count <= policy.limit;
}

function prune(nowMs: number): void {
  for (const [id, slot] of windows) {
    if (slot.window < Math.floor(nowMs / 1000 / slot.period)) windows.delete(id);
  }
  if (windows.size >= MAX_KEYS) windows.clear();
}
