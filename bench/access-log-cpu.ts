/**
 * The CPU cost per request of the structured JSON access log
 * (src/middleware/access-log.ts: route pattern lookup, one JSON line, the
 * request counter and latency histogram). A paired A/B in one process: the
 * same Hono app answering GET /v1/accounts/:id with and without the
 * middleware, rounds interleaved; the difference is the middleware's cost.
 * `console.log` goes to a no-op sink in the "line built" variant and to the
 * real console in the other (run with stdout to /dev/null), since how much
 * the runtime's log capture costs differs between Node and workerd.
 * Run: `npx tsx bench/access-log-cpu.ts > /dev/null` (figures on stderr).
 *   BENCH_ACCESS_LOG_N=20000  requests per variant and round
 */
import { Hono } from "hono";
import { accessLog } from "../src/middleware/access-log";
import type { AppEnv } from "../src/types";

const N = Number(process.env.BENCH_ACCESS_LOG_N ?? 20_000);
const ROUNDS = 5;

function app(withLog: boolean) {
  const a = new Hono<AppEnv>();
  a.use("*", async (c, next) => {
    c.set("requestId", "req_0123456789abcdef0123456789abcdef");
    await next();
  });
  if (withLog) a.use("*", accessLog());
  a.get("/v1/accounts/:id", (c) => c.json({ id: c.req.param("id"), object: "account" }));
  return a;
}

async function perRequestUs(a: Hono<AppEnv>): Promise<number> {
  const env = {} as AppEnv["Bindings"];
  const started = process.cpuUsage();
  for (let i = 0; i < N; i++) await a.request("/v1/accounts/acc_zzzzzzzzzzzzzzzzzzzz", {}, env);
  const u = process.cpuUsage(started);
  return (u.user + u.system) / N;
}

const realLog = console.log;
const variants = { bare: app(false), logged: app(true) };
const results: Record<string, number[]> = { bare: [], line_built: [], console_out: [] };
for (let r = 0; r < ROUNDS + 1; r++) {
  const keep = r > 0; // round 0 warms the JIT
  const bare = await perRequestUs(variants.bare);
  console.log = () => {};
  const built = await perRequestUs(variants.logged);
  console.log = realLog;
  const out = await perRequestUs(variants.logged);
  if (keep) {
    results.bare!.push(bare);
    results.line_built!.push(built);
    results.console_out!.push(out);
  }
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
console.error(
  JSON.stringify(
    {
      requests_per_variant: N * ROUNDS,
      cpu_us_per_request_median: m,
      access_log_cost_us: { line_and_metrics: m.line_built! - m.bare!, with_console_write: m.console_out! - m.bare! },
      node: process.version,
    },
    null,
    2,
  ),
);
