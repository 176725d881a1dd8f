/**
 * What anomaly scoring costs the live EVENTS consumer (issue 12): the same
 * burst of card purchases drained by two servers in one run, rounds
 * alternating between them so background load falls on both alike —
 *   scoring on    the main bench server, as deployed
 *   scoring off   a second server with INTEL_SCORING=off (a bench-only switch, queues/events.ts)
 * Each server first gets a history (every merchant ≥ 8 purchases, so the
 * modified z-score has its points and the scorer does its full work), then each
 * round posts BENCH_SCORING_EVENTS purchases as fast as the API takes them and
 * times the consumer from its first batch's start to its last batch's end
 * (pipeline runs of the events queue). Drained events/s is the figure; the
 * target is on/off ≥ 0.80. A round whose posting took longer than its draining
 * measured the producer, not the consumer, and is reported as such.
 */
import { createApi } from "../scripts/lib/api.mjs";
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
    const producerBound = { on: 0, off: 0 };
    for (let round = 0; round < cfg.scoringRounds; round++) {
      for (let i = 0; i < targets.length; i++) {
        const t = targets[(round + i) % targets.length];
        const b = await burst(t, cfg.scoringEvents, cfg.connections);
        const d = await drained(t, b.started);
        if (b.postMs >= d.wallMs) producerBound[t.title]++;
        perRound[t.title].push(d.messages / (d.wallMs / 1000));
      }
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const on = median(perRound.on);
    const offRate = median(perRound.off);
    const r1 = (x) => Math.round(x * 10) / 10;
    return {
      events_per_round: cfg.scoringEvents,
      rounds: cfg.scoringRounds,
      drained_events_per_s: { scoring_on: r1(on), scoring_off: r1(offRate) },
      rounds_events_per_s: { scoring_on: perRound.on.map(r1), scoring_off: perRound.off.map(r1) },
      ratio_on_to_off: Math.round((on / offRate) * 1000) / 1000,
      producer_bound_rounds: producerBound,
    };
  } finally {
    await off.stop().catch(() => undefined);
  }
}
