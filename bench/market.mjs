/**
 * The price stream under load (issue 10): N WebSocket subscribers on one
 * symbol at 10 ticks/s, and 100 distinct symbols of the registry × M
 * subscribers at 10 ticks/s each (one ingest batch of 100 ticks per step). Measures delivery latency from tick accepted (the tick's
 * `t` is stamped when the bench sends it, so this includes the ingest
 * request) to frame received, p50/p99, gaps in `q` (must be 0), frames lost,
 * and the Worker process's resident memory (workerd, /proc VmRSS).
 *
 * One bench user holds every socket; the server runs with the per-user
 * connection limit raised (bench/run.mjs passes the var).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import WebSocket from "ws";
import { createApi, randomClientIp } from "../scripts/lib/api.mjs";
import { directWorkerUrl } from "./direct.mjs";
import { BENCH_ADMIN } from "./server.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Resident memory (MB) of the workerd processes running the Worker (not wrangler's proxy). */
export function workerRssMb(server) {
  const pgid = server.pgid;
  if (!pgid || !existsSync("/proc/self/stat")) return null;
  let kb = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) !== pgid) continue;
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (!(argv[0] ?? "").includes("workerd") || argv.some((a) => a === `--socket-addr=entry=127.0.0.1:${server.port}`)) continue;
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // exited meanwhile
    }
  }
  return Math.round(kb / 1024);
}

/** Opens one authenticated subscriber; resolves once its snapshot arrived. */
function subscriber(wsUrl, token, symbols, stats) {
  return new Promise((resolve, reject) => {
    // A client address of its own, as the API client does: 2,000 sockets from one address would meet the per-IP limit.
    const ws = new WebSocket(wsUrl, { headers: { "cf-connecting-ip": randomClientIp() } });
    const last = new Map();
    let frames = 0;
    const timer = setTimeout(() => reject(new Error("subscriber setup timed out")), 30_000);
    ws.on("open", () => ws.send(JSON.stringify({ action: "auth", token })));
    ws.on("close", (code) => {
      if (!stats.stopping) stats.closed.push(code);
    });
    ws.on("error", reject);
    ws.on("message", (data) => {
      const now = Date.now();
      frames += 1;
      if (frames % 100 === 0) ws.send(JSON.stringify({ action: "ack", frames: 100 }));
      for (const f of JSON.parse(data.toString())) {
        if (f.T === "success" && f.msg === "authenticated") ws.send(JSON.stringify({ action: "subscribe", trades: symbols }));
        else if (f.T === "snapshot") {
          last.set(f.S, f.seq);
          if (last.size === symbols.length) {
            clearTimeout(timer);
            resolve(ws);
          }
        } else if (f.T === "t") {
          const prev = last.get(f.S);
          if (prev !== undefined && f.q !== prev + 1) stats.gaps += 1;
          last.set(f.S, f.q);
          if (stats.measuring) stats.latencies.push(now - Date.parse(f.t));
          stats.received += 1;
        } else if (f.T === "error") stats.errors.push(f);
      }
    });
  });
}

async function run(api, server, admin, { name, symbols, perSymbol, seconds, rate, baseUrl = server.baseUrl }) {
  // Ticks and sockets both go to baseUrl: the public port (through wrangler's dev proxy) or the Worker's own entry.
  if (baseUrl !== server.baseUrl) api = createApi(baseUrl);
  const wsUrl = `${baseUrl.replace(/^http/, "ws")}/v1/market/stream`;
  const stats = { latencies: [], gaps: 0, received: 0, errors: [], closed: [], measuring: false, stopping: false };
  const rssBefore = workerRssMb(server);
  const sockets = [];
  for (const symbol of symbols) {
    for (let i = 0; i < perSymbol; i += 50) {
      const n = Math.min(50, perSymbol - i);
      sockets.push(...(await Promise.all(Array.from({ length: n }, () => subscriber(wsUrl, admin.access_token, [symbol], stats)))));
    }
  }
  const rssConnected = workerRssMb(server);
  stats.measuring = true;
  let sent = 0;
  const started = Date.now();
  const interval = 1000 / rate;
  for (let k = 0; Date.now() - started < seconds * 1000; k++) {
    const due = started + k * interval;
    if (due > Date.now()) await sleep(due - Date.now());
    const t = Date.now();
    const ticks = symbols.map((symbol, j) => ({ symbol, price: 100 + ((k + j) % 50) / 100, size: 1, t }));
    const r = await api.post("/v1/market/ticks", { ticks }, admin.access_token);
    sent += r.accepted;
  }
  // Frames still in flight count (with their latency): wait until every one arrived, at most 10 s.
  const expectedSoFar = sent * perSymbol;
  for (const until = Date.now() + 10_000; stats.received < expectedSoFar && Date.now() < until; ) await sleep(50);
  stats.measuring = false;
  const rssPeak = workerRssMb(server);
  stats.stopping = true;
  for (const ws of sockets) ws.close(1000);
  const sorted = stats.latencies.sort((a, b) => a - b);
  const expected = sent * perSymbol;
  return {
    name,
    via:
      baseUrl === server.baseUrl
        ? "wrangler dev's public port (its dev proxy relays every frame)"
        : "the Worker's own workerd entry (no dev proxy)",
    subscribers: sockets.length,
    symbols: symbols.length,
    ticks_per_second_per_symbol: rate,
    seconds,
    ticks_accepted: sent,
    frames_expected: expected,
    frames_received: stats.received,
    latency_ms: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? null },
    gaps: stats.gaps,
    closed_early: stats.closed.length,
    errors: stats.errors.slice(0, 5),
    worker_rss_mb: { before: rssBefore, connected: rssConnected, peak: rssPeak },
  };
}

export async function marketScenario(api, cfg) {
  // A fresh sign-in: earlier scenarios may have outlived the admin's access token.
  const admin = await api.session(BENCH_ADMIN.email, BENCH_ADMIN.password, BENCH_ADMIN.name);
  const seconds = Number(process.env.BENCH_MARKET_SECONDS ?? 10);
  const { data } = await api.get("/v1/market/symbols", admin.access_token);
  const MANY = Number(process.env.BENCH_MARKET_SYMBOLS ?? 100);
  const all = [...new Set(data.map((s) => s.symbol))].slice(0, MANY);
  if (all.length < MANY) throw new Error(`the registry has ${all.length} symbols, the bench needs ${MANY}`);
  const one = await run(api, cfg.server, admin, {
    name: "1 symbol × 1000 subscribers",
    symbols: ["AAPL"],
    perSymbol: 1000,
    seconds,
    rate: 10,
  });
  await sleep(2000);
  // The same case past wrangler's dev proxy, which a deployed Worker does not have (bench/direct.mjs).
  const direct = await directWorkerUrl(cfg.server);
  const oneDirect = direct
    ? await run(api, cfg.server, admin, {
        name: "1 symbol × 1000 subscribers, direct",
        symbols: ["AAPL"],
        perSymbol: 1000,
        seconds,
        rate: 10,
        baseUrl: direct,
      })
    : null;
  if (direct) await sleep(2000);
  const many = await run(api, cfg.server, admin, {
    name: `${all.length} symbols × 10 subscribers`,
    symbols: all,
    perSymbol: 10,
    seconds,
    rate: 10,
  });
  const checks = [one, oneDirect, many].filter(Boolean).flatMap((r) => [
    { name: `${r.name}: no gaps in q`, ok: r.gaps === 0, detail: `${r.gaps} gaps` },
    {
      name: `${r.name}: every frame delivered`,
      ok: r.frames_received >= r.frames_expected,
      detail: `${r.frames_received}/${r.frames_expected}`,
    },
  ]);
  checks.push({ name: `${many.name}: distinct symbols`, ok: many.symbols === MANY, detail: `${many.symbols} symbols` });
  return { one_symbol: one, one_symbol_direct: oneDirect, all_symbols: many, checks };
}
