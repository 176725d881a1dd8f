/**
 * Issue 3's scenarios (the event pipeline): freshness, consumer throughput and
 * replay. Each one first asks the server's own OpenAPI document whether its
 * routes exist, and reports "skipped: route not available" instead of failing
 * on a build without them. Response fields are read tolerantly (see `pick`),
 * because these routes were still being built when this file was written.
 */
import { percentile, sleep } from "./util.mjs";

/** The paths this build serves, e.g. "/v1/admin/jobs/{id}". */
export async function servedPaths(api) {
  const r = await api.request("GET", "/openapi.json");
  return new Set(Object.keys(r.body?.paths ?? {}));
}

function missing(paths, needed) {
  const absent = needed.filter((p) => !paths.has(p));
  return absent.length ? { skipped: `route not available: ${absent.join(", ")}` } : null;
}

/** The first defined field among `names`, looking into `obj`. */
function pick(obj, ...names) {
  for (const n of names) if (obj && obj[n] !== undefined && obj[n] !== null) return obj[n];
  return undefined;
}

const listOf = (body) => (Array.isArray(body) ? body : (pick(body, "data", "items", "rows", "categories", "runs") ?? []));

/** Count and amount of one category in a /v1/analytics/spending?by=category reply. */
export function spendingOf(body, category) {
  const row = listOf(body).find((r) => pick(r, "category", "key", "name") === category);
  if (!row) return { count: 0, amount: 0 };
  return {
    count: Number(pick(row, "purchases", "count", "transactions", "tx_count", "n") ?? 0),
    amount: Number(pick(row, "amount", "total", "spent", "amount_cents") ?? 0),
  };
}

/**
 * Freshness: purchases posted at a steady pace into one fresh category while a
 * poller reads the spending aggregate; purchase i is visible once the
 * category's count reaches i + 1. Latency = first poll that sees it − its 201.
 */
export async function freshnessScenario(api, cfg, paths, runId) {
  const skip = missing(paths, ["/v1/analytics/spending"]);
  if (skip) return skip;
  const { purchases, intervalMs, pollMs, timeoutMs } = cfg.freshness;
  const user = await api.session(`bench-fresh-${runId}@finedge.bench`, "bench-password-2026", "Bench Freshness");
  const token = user.access_token;
  const acct = await api.post("/v1/accounts", { type: "checking", name: "Freshness" }, token);
  await api.post(
    `/v1/accounts/${acct.id}/transactions`,
    { kind: "deposit", amount: 100_000_000, description: "bench funding" },
    token,
    `fresh-fund-${runId}`,
  );
  const category = `bench-fresh-${runId}`.slice(0, 40).toLowerCase();
  const month = new Date().toISOString().slice(0, 7);
  const posted = []; // performance.now() of each 201, by ordinal
  const visible = [];
  let producedAt = null; // set when the last purchase has its 201
  let polls = 0;
  let pollErrors = 0;
  let firstPoll = 0;
  let lastPoll = 0;

  const poller = (async () => {
    while (producedAt === null || performance.now() < producedAt + timeoutMs) {
      const r = await api.request("GET", `/v1/analytics/spending?month=${month}&by=category`, { token });
      const seenAt = performance.now();
      firstPoll ||= seenAt;
      lastPoll = seenAt;
      polls++;
      if (r.status !== 200) pollErrors++;
      else {
        const { count } = spendingOf(r.body, category);
        for (let i = 0; i < Math.min(count, posted.length); i++) visible[i] ??= seenAt;
      }
      if (producedAt !== null && visible.filter(Boolean).length >= posted.length) break;
      await sleep(pollMs);
    }
  })();

  for (let i = 0; i < purchases; i++) {
    const slot = sleep(intervalMs);
    await api.post(
      `/v1/accounts/${acct.id}/transactions`,
      { kind: "purchase", amount: 100 + i, merchant: "Bench Fresh Market", category, description: `freshness ${i}` },
      token,
      `fresh-${runId}-${i}`,
    );
    posted.push(performance.now());
    await slot;
  }
  producedAt = performance.now();
  await poller;

  const lags = posted
    .map((t, i) => (visible[i] ? visible[i] - t : null))
    .filter((x) => x !== null)
    .sort((a, b) => a - b);
  return {
    purchases,
    seen: lags.length,
    not_seen_within_timeout: purchases - lags.length,
    polls,
    poll_errors: pollErrors,
    // A purchase is seen at the first poll after it applied: latency is overstated by up to one poll period.
    resolution_ms: round(polls > 1 ? (lastPoll - firstPoll) / (polls - 1) : pollMs),
    p50_ms: round(percentile(lags, 50)),
    p95_ms: round(percentile(lags, 95)),
    max_ms: round(lags.at(-1)),
  };
}

/**
 * Consumer throughput over a window of load: the pipeline's own audit rows
 * (one per consumer batch) say how many messages each batch took and how long.
 * Reports the wall-clock rate over the window and the busy rate (messages per
 * second of consumer time), which estimates capacity when the load is the bound.
 */
export async function throughputScenario(api, _cfg, paths, admin, window) {
  const skip = missing(paths, ["/v1/admin/pipeline/runs"]);
  if (skip) return skip;
  if (!window) return { skipped: "no load window (deposits/transfers did not run)" };
  const runs = await settledRuns(api, admin.access_token, window.start, 60_000);
  const events = eventsRuns(runs);
  if (events.length === 0) return { runs: 0, note: "no pipeline runs recorded in the window" };
  const messages = events.reduce((s, r) => s + Number(pick(r, "messages", "message_count", "batch_size") ?? 0), 0);
  const busyMs = events.reduce((s, r) => s + Number(pick(r, "duration_ms", "duration") ?? 0), 0);
  const starts = events.map((r) => Date.parse(pick(r, "started_at", "created_at", "at")));
  const ends = events.map((r, i) => starts[i] + Number(pick(r, "duration_ms", "duration") ?? 0));
  const wallS = (Math.max(...ends) - Math.min(...starts)) / 1000;
  return {
    runs: events.length,
    messages,
    wall_s: round(wallS),
    events_per_s: round(messages / Math.max(wallS, 0.001)),
    busy_events_per_s: busyMs > 0 ? round(messages / (busyMs / 1000)) : null,
    avg_batch: round(messages / events.length),
  };
}

/** Live consumer batches of the events queue only: not replay chunks (they carry a job id), not the DLQ. */
export function eventsRuns(runs) {
  return runs.filter(
    (r) => !pick(r, "job_id") && /event/.test(String(pick(r, "queue") ?? "events")) && !/dlq|dead/.test(String(pick(r, "queue") ?? "")),
  );
}

/** Pipeline runs since `sinceMs`, once no new run has appeared for 3 s (bounded). */
export async function settledRuns(api, token, sinceMs, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let stableSince = Date.now();
  for (;;) {
    const runs = await fetchRuns(api, token, sinceMs);
    if (runs.length !== last) {
      last = runs.length;
      stableSince = Date.now();
    }
    if (Date.now() - stableSince >= 3_000 || Date.now() > deadline) return runs;
    await sleep(500);
  }
}

async function fetchRuns(api, token, sinceMs) {
  const out = [];
  let cursor = null;
  for (let page = 0; page < 200; page++) {
    const qs = `limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const body = await api.get(`/v1/admin/pipeline/runs?${qs}`, token);
    const rows = listOf(body);
    const recent = rows.filter((r) => Date.parse(pick(r, "started_at", "created_at", "at")) >= sinceMs);
    out.push(...recent);
    cursor = pick(body, "next_cursor");
    if (!cursor || !pick(body, "has_more") || recent.length < rows.length) break;
  }
  return out;
}

/**
 * Replay: rebuild Gold from the whole Bronze archive as a background job and
 * time it from the 202 to the job's final status. The target is stated for an
 * archive of ≥ 100,000 events; a smaller archive is reported as such.
 */
export async function replayScenario(api, cfg, paths, admin) {
  const skip = missing(paths, ["/v1/admin/replay", "/v1/admin/jobs/{id}"]);
  if (skip) return skip;
  const token = admin.access_token;
  const t0 = performance.now();
  const job = await api.expect("POST", "/v1/admin/replay", { token, body: {} }, [200, 201, 202]);
  const id = pick(job, "id", "job_id") ?? pick(job.job ?? {}, "id");
  let last = job;
  while (performance.now() - t0 < cfg.replayTimeoutMs) {
    await sleep(250);
    last = await api.get(`/v1/admin/jobs/${id}`, token);
    const status = String(pick(last, "status") ?? "");
    if (/^(done|completed|complete|succeeded|success|failed|error)$/.test(status)) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  const status = String(pick(last, "status") ?? "unknown");
  const processed = Number(pick(last, "processed", "events", "processed_events") ?? 0);
  const total = Number(pick(last, "total", "total_events") ?? processed);
  return {
    job: id,
    status,
    events: processed,
    total,
    seconds: round(seconds, 2),
    events_per_s: round(processed / seconds),
    archive_below_target_size: total < 100_000,
  };
}

/**
 * Tokens of the bench admin: registered (or logged in), granted the role with the
 * operator command on the bench server's state, then refreshed so the token carries it.
 */
export async function adminSession(api, admin, server) {
  const s = await api.session(admin.email, admin.password, admin.name);
  if (s.user.role === "admin") return s;
  await server.grantAdmin(admin.email);
  return api.post("/v1/auth/refresh", { refresh_token: s.refresh_token });
}

function round(x, digits = 1) {
  if (x === null || x === undefined || Number.isNaN(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
