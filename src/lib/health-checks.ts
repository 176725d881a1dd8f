/**
 * The deep health check behind GET /v1/admin/health: one probe per binding,
 * run in parallel, each with its latency and a deadline (CHECK_TIMEOUT_MS),
 * so one hung dependency shows as an error instead of hanging the answer.
 * The probes change nothing: a D1 `SELECT 1`, an R2 HEAD of a key that is
 * never written, each queue producer's metrics() (its backlog; nothing is
 * sent), and one read-only RPC round trip per Durable Object class, each to
 * one fixed probe object: the AccountDO `health:probe` (never opened, so its
 * `get` answers not-found), the UserDO `health:probe` (isDisabled), the
 * MarketDO of PROBE_SYMBOL (its snapshot: a registered symbol that exists for
 * every market view anyway), the StreamHubDO `health:probe` (an empty
 * liveConnections question; no socket ever connects to it) and the MetricsDO.
 *
 * Overall: `ok` when every check passed, `down` when D1 (identity, the
 * registry of accounts) failed or no Durable Object answered, else `degraded`.
 */
import { metricsObject } from "./metrics/recorder";

export const CHECK_TIMEOUT_MS = 2_000;

/** Every queue producer binding, by binding name. */
export const QUEUE_BINDINGS = ["EVENTS", "EVENTS_DLQ", "JOBS", "NOTIFICATIONS", "NOTIFICATIONS_DLQ", "WEBHOOKS"] as const;

export interface CheckResult {
  name: string;
  kind: "d1" | "r2" | "queue" | "durable_object";
  status: "ok" | "error";
  latency_ms: number;
  detail: Record<string, number> | null;
  error: string | null;
}

async function timed(name: string, kind: CheckResult["kind"], probe: () => Promise<Record<string, number> | null>): Promise<CheckResult> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    const detail = await Promise.race([probe(), deadline]);
    return { name, kind, status: "ok", latency_ms: elapsed(started), detail, error: null };
  } catch (err) {
    return { name, kind, status: "error", latency_ms: elapsed(started), detail: null, error: String(err).slice(0, 300) };
  } finally {
    clearTimeout(timer);
  }
}

const elapsed = (started: number) => Math.round((performance.now() - started) * 100) / 100;

/** A queue producer's backlog (messages and bytes not consumed yet). */
export async function queueBacklog(queue: Queue): Promise<{ backlog_messages: number; backlog_bytes: number }> {
  const m = await queue.metrics();
  return { backlog_messages: m.backlogCount, backlog_bytes: m.backlogBytes };
}

/** The fixed probe object of the per-id DO classes. */
export const PROBE_NAME = "health:probe";
export const PROBE_SYMBOL = "AAPL";

export type OverallStatus = "ok" | "degraded" | "down";

export function overallStatus(checks: readonly CheckResult[]): OverallStatus {
  if (checks.every((c) => c.status === "ok")) return "ok";
  const objects = checks.filter((c) => c.kind === "durable_object");
  const dbDown = checks.some((c) => c.kind === "d1" && c.status === "error");
  return dbDown || objects.every((c) => c.status === "error") ? "down" : "degraded";
}

const PROBE_CALLER = { userId: "usr_health_probe", requestId: "req_health_probe" };

export function runHealthChecks(env: Env): Promise<CheckResult[]> {
  return Promise.all([
    timed("DB", "d1", async () => {
      await env.DB.prepare("SELECT 1").first();
      return null;
    }),
    timed("LAKE", "r2", async () => {
      await env.LAKE.head("health/probe");
      return null;
    }),
    ...QUEUE_BINDINGS.map((b) => timed(b, "queue", () => queueBacklog(env[b]))),
    timed("ACCOUNT", "durable_object", async () => {
      const r = await env.ACCOUNT.get(env.ACCOUNT.idFromName(PROBE_NAME)).get(PROBE_CALLER);
      const status: number = r.status;
      if (status !== 404) throw new Error(`the probe account answered ${status}, not 404 (it must never be opened)`);
      return null;
    }),
    timed("USER", "durable_object", async () => {
      await env.USER.get(env.USER.idFromName(PROBE_NAME)).isDisabled();
      return null;
    }),
    timed("MARKET", "durable_object", async () => {
      const s = await env.MARKET.get(env.MARKET.idFromName(PROBE_SYMBOL)).snapshot();
      return { seq: s.seq };
    }),
    timed("STREAM_HUB", "durable_object", async () => {
      await env.STREAM_HUB.get(env.STREAM_HUB.idFromName(PROBE_NAME)).liveConnections([]);
      return null;
    }),
    timed("METRICS", "durable_object", async () => {
      await metricsObject(env).ping();
      return null;
    }),
  ]);
}
