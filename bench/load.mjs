/**
 * Load generation with autocannon's programmatic API. A load is run in slices
 * (the runner interleaves the scenarios' slices, so background work on a shared
 * machine hits each scenario alike); its summary merges the slices with exact
 * latency percentiles. Requests still unanswered when a slice stopped are kept,
 * so a scenario can settle them (re-sending the same Idempotency-Key is safe by
 * contract) before it checks the books. Every request comes from a random client IP, so the
 * Worker's per-IP rate limit measures its cost without refusing the load.
 */
import autocannon from "autocannon";
import { randomClientIp } from "../scripts/lib/api.mjs";
import { startCpu } from "./cpu.mjs";

/**
 * `next()` builds each request: `{ method, path, headers, body, id }`; `id`
 * names it for `onStatus(id, status)` and for the unanswered list.
 */
export function createLoad({ title, next, onStatus = () => {} }) {
  const latencies = [];
  const statuses = {};
  const outstanding = new Map(); // id → request, until a response arrives
  const cpuTotals = {};
  const threadTotals = {}; // role → { on, wait, slices }
  let duration = 0;
  let errors = 0;
  let timeouts = 0;
  let slices = 0;

  async function slice({ baseUrl, connections, seconds, server }) {
    const cpu = startCpu(server);
    const instance = autocannon({
      url: baseUrl,
      title,
      connections,
      duration: seconds,
      timeout: 30,
      requests: [
        {
          setupRequest(req, ctx) {
            const r = next();
            ctx.id = r.id;
            if (r.id !== undefined) outstanding.set(r.id, r);
            return {
              ...req,
              method: r.method,
              path: r.path,
              headers: { ...req.headers, "cf-connecting-ip": randomClientIp(), ...r.headers },
              body: r.body ?? undefined,
            };
          },
          onResponse(status, _body, ctx) {
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (ctx.id !== undefined) {
              outstanding.delete(ctx.id);
              onStatus(ctx.id, status);
            }
          },
        },
      ],
    });
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
    const result = await instance;
    duration += result.duration;
    errors += result.errors;
    timeouts += result.timeouts;
    slices++;
    const used = cpu(result.requests.total);
    if (used) {
      for (const [k, v] of Object.entries(used.cpu)) cpuTotals[k] = (cpuTotals[k] ?? 0) + v * result.requests.total;
      for (const [role, t] of Object.entries(used.threads)) {
        threadTotals[role] ??= { on: 0, wait: 0, slices: 0 };
        const acc = threadTotals[role];
        acc.on += t.on_cpu_pct;
        acc.wait += t.waiting_for_cpu_pct;
        acc.slices++;
      }
    }
  }

  function summary() {
    const sorted = Float64Array.from(latencies).sort();
    const at = (p) => (sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]) : null);
    const requests = latencies.length;
    const non2xx = Object.entries(statuses)
      .filter(([s]) => s < 200 || s >= 300)
      .reduce((n, [, c]) => n + c, 0);
    const cpu =
      requests && Object.keys(cpuTotals).length
        ? Object.fromEntries(Object.entries(cpuTotals).map(([k, v]) => [k, round(v / requests, 2)]))
        : null;
    return {
      title,
      slices,
      duration_s: round(duration, 2),
      requests,
      rps: round(requests / Math.max(duration, 0.001)),
      latency_ms: {
        p50: at(50),
        p90: at(90),
        p99: at(99),
        max: at(100),
        mean: round(latencies.reduce((s, x) => s + x, 0) / Math.max(requests, 1)),
      },
      non2xx,
      errors,
      timeouts,
      statuses,
      cpu_ms_per_request: cpu,
      // Share of wall time the busiest thread of each workerd spent on a CPU, and runnable but waiting for one.
      busiest_thread: Object.fromEntries(
        Object.entries(threadTotals).map(([role, t]) => [
          role,
          { on_cpu_pct: round(t.on / t.slices), waiting_for_cpu_pct: round(t.wait / t.slices) },
        ]),
      ),
      unanswered: [...outstanding.values()],
    };
  }

  return { title, slice, summary };
}

export function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
