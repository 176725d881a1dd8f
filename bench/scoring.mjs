/**
 * What anomaly scoring costs the live EVENTS consumer (issue 12): the same
 * burst of card purchases drained by two servers in one run, rounds
 * alternating between them so background load falls on both alike —
 *   scoring on    the main bench server, as deployed
 *   scoring off   a second server with INTEL_SCORING=off (a bench-only switch, queues/events.ts)
 * Each server first gets a history (every merchant ≥ 8 purchases, so the
 * modified z-score has its points and the scorer does its full work), then each
 * round posts BENCH_SCORING_EVENTS purchases as fast as the API takes them.
 *
 * The verdict is on the CONSUMER, not the producer: posting through the API
 * (≈ 200/s here) is far slower than the consumer drains (≈ 2,000 events/s of
 * busy time), so a wall-clock drain rate measures the producer whatever the
 * burst size. The figure judged is posted events per second of consumer busy
 * time: Σ of the EVENTS batches' durations as the Worker's metrics time them
 * around the whole consumer call, scoring included (bench/consumer-busy.mjs),
 * between a scrape before and after the burst; target on/off ≥ 0.80. The
 * events consumer has no max_concurrency in wrangler.toml; miniflare may start
 * a second batch while one is in flight, and Σ durations then counts both,
 * i.e. it is consumer time per event (a cost), not an idle-free wall clock.
 * Both servers see the same pace, hence similar batch sizes (reported). The
 * wall drain rate from pipeline_runs (first batch start → last commit) is kept
 * for context, with the count of rounds it was producer-bound.
 */
import { createApi } from "../scripts/lib/api.mjs";
import { busyBetween, queueCounters } from "./consumer-busy.mjs";
import { adminSession, eventsRuns, settledRuns } from "./pipeline.mjs";
import { BENCH_ADMIN, startBenchServer } from "./server.mjs";
import { mapLimit } from "./util.mjs";

const MERCHANTS = ["Blue Bottle Coffee", "Whole Foods Market", "Shell Oil", "Uber Trip", "Amazon Mktp", "Target", "Chipotle", "Walgreens"];
const ACCOUNTS = 8;

async function prepare(server, title, runId) {
  const api = createApi(server.baseUrl);
  const admin = await adminSession(api, BENCH_ADMIN, server);
  const user = await api.session(`bench-scoring-${title}-${runId}@finedge.bench`, "bench-password-2026", "Bench Scoring");
  const accounts = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const a = await api.post("/v1/accounts", { type: "checking", currency: "USD", name: `Scoring ${i}` }, user.access_token);
    await api.post(
      `/v1/accounts/${a.id}/transactions`,
      { kind: "deposit", amount: 100_000_000, description: "Funding" },
      user.access_token,
      `fund-${a.id}`,
    );
    accounts.push(a.id);
  }
  return { server, title, api, admin: admin.access_token, token: user.access_token, accounts, posted: 0 };
}

/** `n` purchases spread over the accounts and merchants, amounts varying around each merchant's mean. */
async function burst(t, n, connections) {
  const started = Date.now();
  await mapLimit(
    Array.from({ length: n }, (_, i) => t.posted + i),
    connections,
    async (k) => {
      const m = k % MERCHANTS.length;
      const amount = 500 + m * 700 + ((k * 7919) % 300);
      const body = { kind: "purchase", amount, description: MERCHANTS[m], category: "shopping" };
      await t.api.post(`/v1/accounts/${t.accounts[k % ACCOUNTS]}/transactions`, body, t.token, `sc-${t.title}-${k}`);
    },
  );
  t.posted += n;
  return { started, postMs: Date.now() - started };
}

/** The EVENTS consumer's counters on this server now (the scrape flushes the isolate's metrics first). */
async function counters(t) {
  const r = await t.api.expect("GET", "/v1/admin/metrics", { token: t.admin });
  return queueCounters(r, "finedge-events");
}

async function drained(t, since) {
  const runs = eventsRuns(await settledRuns(t.api, t.admin, since, 120_000));
  const starts = runs.map((r) => Date.parse(r.started_at));
  const ends = runs.map((r, i) => starts[i] + Number(r.duration_ms ?? 0));
  const messages = runs.reduce((s, r) => s + Number(r.messages ?? 0), 0);
  return { messages, wallMs: Math.max(...ends) - Math.min(...starts), runs: runs.length };
}

export async function scoringScenario(cfg, runId, log) {
  const off = await startBenchServer({ vars: { INTEL_SCORING: "off" } });
  try {
    log(`scoring: comparison server (INTEL_SCORING=off) at ${off.baseUrl}`);
    const targets = [await prepare(cfg.server, "on", runId), await prepare(off, "off", runId)];
    // History first: every merchant gets ≥ 8 points per account's user before anything is measured.
    for (const t of targets) {
      const since = Date.now();
      await burst(t, MERCHANTS.length * 10, cfg.connections);
      await drained(t, since);
    }
    const perRound = { on: [], off: [] };
    const busyRounds = { on: [], off: [] };
    const producerBound = { on: 0, off: 0 };
    for (let round = 0; round < cfg.scoringRounds; round++) {
      for (let i = 0; i < targets.length; i++) {
        const t = targets[(round + i) % targets.length];
        const before = await counters(t);
        const b = await burst(t, cfg.scoringEvents, cfg.connections);
        const d = await drained(t, b.started);
        busyRounds[t.title].push(busyBetween(before, await counters(t), cfg.scoringEvents));
        if (b.postMs >= d.wallMs) producerBound[t.title]++;
        perRound[t.title].push(d.messages / (d.wallMs / 1000));
      }
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const r1 = (x) => Math.round(x * 10) / 10;
    const busy = (k) => median(busyRounds[k].map((x) => x.events_per_busy_s ?? 0));
    const batch = (k) =>
      r1(
        busyRounds[k].reduce((s, x) => s + x.messages, 0) /
          Math.max(
            1,
            busyRounds[k].reduce((s, x) => s + x.batches, 0),
          ),
      );
    return {
      events_per_round: cfg.scoringEvents,
      rounds: cfg.scoringRounds,
      busy_events_per_s: { scoring_on: busy("on"), scoring_off: busy("off") },
      busy_ms_per_event: { scoring_on: r2(1000 / busy("on")), scoring_off: r2(1000 / busy("off")) },
      ratio_on_to_off: Math.round((busy("on") / busy("off")) * 1000) / 1000,
      rounds_busy_events_per_s: {
        scoring_on: busyRounds.on.map((x) => x.events_per_busy_s),
        scoring_off: busyRounds.off.map((x) => x.events_per_busy_s),
      },
      avg_batch: { scoring_on: batch("on"), scoring_off: batch("off") },
      drained_events_per_s: { scoring_on: r1(median(perRound.on)), scoring_off: r1(median(perRound.off)) },
      rounds_events_per_s: { scoring_on: perRound.on.map(r1), scoring_off: perRound.off.map(r1) },
      drain_ratio_on_to_off: Math.round((median(perRound.on) / median(perRound.off)) * 1000) / 1000,
      producer_bound_rounds: producerBound,
    };
  } finally {
    await off.stop().catch(() => undefined);
  }
}

const r2 = (x) => Math.round(x * 100) / 100;
