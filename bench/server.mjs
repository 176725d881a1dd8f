/**
 * The benchmark's own `wrangler dev` (scripts/lib/local-server.mjs): a free
 * loopback port, a fresh temporary state directory with migrations applied,
 * secrets generated for this run only (the project's .dev.vars is never read);
 * the bench admin is granted through the operator command once registered
 * (bench/pipeline.mjs adminSession). `stop()` ends the process group and removes the
 * directory, unless BENCH_KEEP_STATE=1.
 */
import { startLocalServer } from "../scripts/lib/local-server.mjs";

export const BENCH_ADMIN = { email: "bench-admin@finedge.bench", password: "bench-admin-password-2026", name: "Bench Admin" };

export function startBenchServer({ logLevel = process.env.BENCH_WRANGLER_LOG ?? "warn", extraArgs = [], vars = {} } = {}) {
  return startLocalServer({
    prefix: "finedge-bench-",
    logLevel,
    extraArgs,
    // The hot account is one user's, loaded far past api-user's 1,200 a minute on purpose.
    // Webhook endpoints on loopback: the notifications scenario's receiver (bench/notifications.mjs).
    // The payments scenario measures the platform, not the simulated processor: its delays, declines
    // and transient errors are zero.
    vars: {
      API_USER_LIMIT: "100000000",
      WEBHOOK_ALLOW_LOOPBACK: "on",
      PAYMENTS_SIM_DELAY_MS_MIN: "0",
      PAYMENTS_SIM_DELAY_MS_MAX: "0",
      PAYMENTS_SIM_FAILURE_RATE: "0",
      PAYMENTS_SIM_TRANSIENT_RATE: "0",
      ...vars,
    },
    keepState: process.env.BENCH_KEEP_STATE === "1",
    // Wrangler's experimental local observability (on by default) records a trace of every span
    // into SQLite; production has no such tracer in the request path, so the bench measures without it.
    env: { X_LOCAL_OBSERVABILITY: process.env.X_LOCAL_OBSERVABILITY ?? "false" },
  });
}
