/**
 * The deep health check behind GET /v1/admin/health: one probe per binding,
 * run in parallel, each with its latency and a deadline (CHECK_TIMEOUT_MS),
 * so one hung dependency shows as an error instead of hanging the answer.
 * The probes change nothing: a D1 `SELECT 1`, an R2 HEAD of a key that is
 * never written, each queue producer's metrics() (its backlog; nothing is
 * sent), and round trips to a UserDO and to the MetricsDO.
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
    timed("USER", "durable_object", async () => {
      await env.USER.get(env.USER.idFromName("health:probe")).isDisabled();
      return null;
    }),
    timed("METRICS", "durable_object", async () => {
      await metricsObject(env).ping();
      return null;
    }),
  ]);
}
