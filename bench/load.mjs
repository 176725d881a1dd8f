/**
 * One load run with autocannon's programmatic API, reduced to the figures the
 * report needs. Requests that were still unanswered when the run stopped are
 * returned too, so a scenario can settle them (re-sending the same
 * Idempotency-Key is safe by contract) before it checks the books.
 */
import autocannon from "autocannon";

/**
 * `next()` builds each request: `{ method, path, headers, body, id }`; `id`
 * names it for `onStatus(id, status)` and for the unanswered list.
 */
export async function runLoad({ baseUrl, title, connections, duration, next, onStatus = () => {} }) {
  const outstanding = new Map(); // id → request, until a response arrives
  const statuses = {};
  const result = await autocannon({
    url: baseUrl,
    title,
    connections,
    duration,
    timeout: 30,
    requests: [{
      setupRequest(req, ctx) {
        const r = next();
        ctx.id = r.id;
        if (r.id !== undefined) outstanding.set(r.id, r);
        return { ...req, method: r.method, path: r.path, headers: { ...req.headers, ...r.headers }, body: r.body ?? undefined };
      },
      onResponse(status, _body, ctx) {
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (ctx.id !== undefined) {
          outstanding.delete(ctx.id);
          onStatus(ctx.id, status);
        }
      },
    }],
  });
  return {
    title,
    connections,
    duration_s: result.duration,
    requests: result.requests.total,
    rps: round(result.requests.average),
    rps_overall: round(result.requests.total / result.duration),
    latency_ms: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: round(result.latency.average) },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
    unanswered: [...outstanding.values()],
  };
}

export function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
