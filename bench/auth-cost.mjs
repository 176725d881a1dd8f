/**
 * What the rate limiter and the session (revocation) check cost (issue 8):
 * the same authenticated request, GET /v1/me, against three servers in one
 * run, slices interleaved with the floor's so background load falls on all
 * alike —
 *   as deployed     the main bench server (limiter and session check on)
 *   limiter off     RATE_LIMIT_BACKEND=off
 *   both off        RATE_LIMIT_BACKEND=off and SESSION_CHECK=off
 * (the off switches exist only in local environments; src/config.ts refuses
 * them elsewhere). Worker CPU per request is the figure: the limiter's cost is
 * as deployed − limiter off, the session check's is limiter off − both off,
 * each as a share of the floor's CPU per request (target for the limiter:
 * ≤ 10 %).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createApi } from "../scripts/lib/api.mjs";
import { createLoad } from "./load.mjs";
import { startProfiler, timeUnder } from "./profile.mjs";
import { startBenchServer } from "./server.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const VARIANTS = [
  { name: "limiter_off", vars: { RATE_LIMIT_BACKEND: "off" } },
  { name: "both_off", vars: { RATE_LIMIT_BACKEND: "off", SESSION_CHECK: "off" } },
];

/**
 * A target: a server, a title and the request to send it. The load rotates over
 * USERS users so the per-user limit (1,200 a minute) never refuses it: every
 * request must pass both checks for the comparison to price them.
 */
const USERS = 40;
async function meTarget(server, title) {
  const api = createApi(server.baseUrl);
  const tokens = [];
  for (let i = 0; i < USERS; i++) {
    const s = await api.session(`bench-auth-${title}-${i}@finedge.bench`, "bench-password-2026", "Bench Auth");
    tokens.push({ authorization: `Bearer ${s.access_token}` });
  }
  let n = 0;
  return { server, title, next: () => ({ method: "GET", path: "/v1/me", headers: tokens[n++ % USERS] }) };
}

export async function authCostScenario(cfg, log) {
  const extra = [];
  try {
    for (const v of VARIANTS) {
      extra.push({ ...v, server: await startBenchServer({ vars: v.vars }) });
      log(`auth cost: comparison server ${v.name} at ${extra.at(-1).server.baseUrl}`);
    }
    const targets = [
      { server: cfg.server, title: "floor", next: () => ({ method: "GET", path: "/health" }) },
      await meTarget(cfg.server, "as_deployed"),
      ...(await Promise.all(extra.map((v) => meTarget(v.server, v.name)))),
    ];
    // Warm each server's isolate (JIT, session cache) before measuring.
    for (const t of targets)
      await createLoad({ title: "warmup", next: t.next }).slice({ baseUrl: t.server.baseUrl, connections: cfg.connections, seconds: 1 });
    // Short paired slices, the order rotating each round: the machine's drift falls on every server
    // alike within a round, and the median of the rounds' differences discards the odd disturbed one.
    const samples = Object.fromEntries(targets.map((t) => [t.title, []]));
    const totals = Object.fromEntries(targets.map((t) => [t.title, { requests: 0, bad: 0 }]));
    for (let round = 0; round < cfg.authRounds; round++) {
      for (let i = 0; i < targets.length; i++) {
        const t = targets[(round + i) % targets.length];
        const load = createLoad({ title: t.title, next: t.next });
        await load.slice({ baseUrl: t.server.baseUrl, connections: cfg.connections, seconds: 1, server: t.server });
        const r = load.summary();
        samples[t.title].push(r.cpu_ms_per_request?.worker ?? Number.NaN);
        totals[t.title].requests += r.requests;
        totals[t.title].bad += r.non2xx + r.errors;
      }
    }
    const summary = summarise(samples, totals, cfg.authRounds);
    const cpu = summary.worker_cpu_ms_per_request;
    return { ...summary, ...(await profileAsDeployed(cfg, targets[1], cpu.as_deployed, cpu.floor)) };
  } finally {
    await Promise.all(extra.map((v) => v.server.stop().catch(() => undefined)));
  }
}

/**
 * The precise figure: a CPU profile of the as-deployed isolate under the same
 * load, and the time spent inside the limiter's and the session check's own
 * functions per request, as a share of the floor's worker CPU per request.
 * (The servers' differences above carry that figure plus the noise of three
 * processes; they bound it from above but cannot resolve a few percent.)
 */
const LIMITER_FRAMES = ["rateLimitMiddleware", "allowed", "isolateLimit", "clientKey", "policyHeaderOf", "limitedHeaders"];
const SESSION_FRAMES = ["live", "knownActive", "sessionActive", "rememberActive", "sessionGeneration"];

/**
 * The profile is attributed by function name, so a rename would silently count
 * a part as 0: every listed name must still be a function declared in src/.
 */
export function missingFrames(frames = [...LIMITER_FRAMES, ...SESSION_FRAMES]) {
  const src = path.join(HERE, "..", "src");
  const text = readdirSync(src, { recursive: true })
    .filter((f) => String(f).endsWith(".ts"))
    .map((f) => readFileSync(path.join(src, String(f)), "utf8"))
    .join("\n");
  return frames.filter((name) => !new RegExp(`function ${name}\\b`).test(text));
}

/** The listed frames no sample landed in (small, cached functions may be too quick to be sampled; reported, not judged). */
function unsampled(profile, frames) {
  const sampled = new Set(profile.samples.map((id) => profile.nodes.find((n) => n.id === id)?.callFrame.functionName));
  const onStacks = new Set(profile.nodes.map((n) => n.callFrame.functionName));
  return frames.filter((f) => !sampled.has(f) && !onStacks.has(f));
}

async function profileAsDeployed(cfg, meT, asDeployedCpu, floorCpu) {
  const missing = missingFrames();
  if (missing.length > 0) throw new Error(`auth bench: profiled functions no longer in src/ (renamed?): ${missing.join(", ")}`);
  const stop = await startProfiler(meT.server.inspectorPort);
  await createLoad({ title: "profiled", next: meT.next }).slice({ baseUrl: meT.server.baseUrl, connections: cfg.connections, seconds: 5 });
  const profile = await stop();
  mkdirSync(path.join(HERE, ".state"), { recursive: true });
  writeFileSync(path.join(HERE, ".state", "auth-profile.cpuprofile"), JSON.stringify(profile));
  // The profiler slows the isolate, so its absolute times are not the unprofiled ones: take each
  // part's share of the isolate's busy time and apply it to the unprofiled CPU per request.
  // rateLimitMiddleware's inclusive time would hold the whole route (it awaits next()); its own
  // frames and the functions it calls are what the limiter adds, so only they are counted.
  const lim = timeUnder(
    profile,
    LIMITER_FRAMES.filter((f) => f !== "rateLimitMiddleware"),
  );
  const limMs = lim.ms + selfTime(profile, "rateLimitMiddleware");
  const ses = timeUnder(profile, SESSION_FRAMES);
  const perRequest = (ms) => (asDeployedCpu ?? 0) * (ms / Math.max(lim.busy_ms, 0.001));
  const pct = (ms) => (floorCpu ? r1((perRequest(ms) / floorCpu) * 100) : null);
  return {
    profile_samples: profile.samples.length,
    frames_not_on_any_stack: unsampled(profile, [...LIMITER_FRAMES, ...SESSION_FRAMES]),
    limiter_share_of_request_pct: r1((limMs / lim.busy_ms) * 100),
    limiter_us_per_request: Math.round(perRequest(limMs) * 1000),
    session_check_us_per_request: Math.round(perRequest(ses.ms) * 1000),
    limiter_profile_pct_of_floor: pct(limMs),
    session_check_profile_pct_of_floor: pct(ses.ms),
  };
}

/** Self time (ms) of the frames named `name`. */
function selfTime(profile, name) {
  const ids = new Set(profile.nodes.filter((n) => n.callFrame.functionName === name).map((n) => n.id));
  let t = 0;
  profile.samples.forEach((id, i) => {
    if (ids.has(id)) t += profile.timeDeltas[i] ?? 0;
  });
  return t / 1000;
}

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : null;
};
const quartiles = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? [s[Math.floor((s.length - 1) / 4)], s[Math.ceil(((s.length - 1) * 3) / 4)]] : [null, null];
};
const r1 = (x) => (x === null ? null : Math.round(x * 10) / 10);

function summarise(samples, totals, rounds) {
  // Per round: a difference of two servers' CPU per request as a share of that round's floor.
  const share = (a, b) => samples.floor.map((f, i) => ((samples[a][i] - samples[b][i]) / f) * 100);
  const limiter = share("as_deployed", "limiter_off");
  const session = share("limiter_off", "both_off");
  const bad = Object.values(totals).reduce((n, t) => n + t.bad, 0);
  return {
    rounds,
    worker_cpu_ms_per_request: Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, r2(median(xs))])),
    requests: Object.fromEntries(Object.entries(totals).map(([k, t]) => [k, t.requests])),
    limiter_pct_of_floor: r1(median(limiter)),
    limiter_pct_iqr: quartiles(limiter).map(r1),
    session_check_pct_of_floor: r1(median(session)),
    session_check_pct_iqr: quartiles(session).map(r1),
    checks: [{ name: "auth cost: every request answered 200", ok: bad === 0, detail: bad ? `${bad} non-2xx or errors` : undefined }],
  };
}

const r2 = (x) => (x === null ? null : Math.round(x * 100) / 100);
