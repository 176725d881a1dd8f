/**
 * CPU time per request by process, read from /proc (Linux; elsewhere it
 * reports nothing). Unlike requests/s, CPU per request barely moves when other
 * work shares the machine, so it is the figure to compare across runs:
 *   worker   – workerd running FinEdge (Worker, Durable Objects, D1, Queues)
 *   proxy    – workerd running wrangler's dev proxy in front of it (local dev only)
 *   wrangler – wrangler's Node process
 *   bench    – this process (autocannon)
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";

const CLK_TCK = 100; // USER_HZ on every Linux build that matters here

/** Processes of the group, with their role. */
function groupProcesses(pgid, port) {
  const out = [];
  if (!pgid || !existsSync("/proc/self/stat")) return out;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    let stat;
    let argv;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    } catch {
      continue; // exited meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) !== pgid) continue;
    const bin = argv[0] ?? "";
    const role = bin.includes("workerd")
      ? argv.some((a) => a === `--socket-addr=entry=127.0.0.1:${port}`)
        ? "proxy"
        : "worker"
      : argv.some((a) => a.endsWith("wrangler.js"))
        ? "wrangler"
        : "other";
    out.push({ pid, role, ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK });
  }
  return out;
}

/** Cumulative CPU ms of each process in the group, keyed by role. */
export function groupCpu(pgid, port) {
  const procs = groupProcesses(pgid, port);
  if (procs.length === 0) return null;
  const out = { worker: 0, proxy: 0, wrangler: 0, other: 0 };
  for (const p of procs) out[p.role] += p.ms;
  return out;
}

/**
 * Per-thread scheduler figures (ns on CPU, ns runnable but waiting for a CPU)
 * of the workerd processes: the busiest thread of "worker" is the isolate that
 * runs the Worker and every Durable Object, one request at a time.
 */
function threadSched(pgid, port) {
  const out = new Map();
  for (const p of groupProcesses(pgid, port)) {
    if (p.role !== "worker" && p.role !== "proxy") continue;
    let tids = [];
    try {
      tids = readdirSync(`/proc/${p.pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const [run, wait] = readFileSync(`/proc/${p.pid}/task/${tid}/schedstat`, "utf8").split(" ").map(Number);
        out.set(`${p.role}:${tid}`, { role: p.role, run, wait });
      } catch {
        /* thread gone */
      }
    }
  }
  return out;
}

/** Starts a measurement; the returned function gives CPU ms per request for each role, and the busiest threads' time split. */
export function startCpu(server) {
  const before = server ? groupCpu(server.pgid, server.port) : null;
  const sched0 = server ? threadSched(server.pgid, server.port) : new Map();
  const t0 = performance.now();
  const self = process.cpuUsage();
  return (requests) => {
    const after = before ? groupCpu(server.pgid, server.port) : null;
    if (!before || !after || !requests) return null;
    const wallNs = (performance.now() - t0) * 1e6;
    const own = process.cpuUsage(self);
    const per = (ms) => Math.round((ms / requests) * 100) / 100;
    const cpu = {};
    for (const k of Object.keys(after)) cpu[k] = per(after[k] - before[k]);
    cpu.bench = per((own.user + own.system) / 1000);
    const busiest = {};
    for (const [key, t] of threadSched(server.pgid, server.port)) {
      const b = sched0.get(key) ?? { run: 0, wait: 0 };
      const run = t.run - b.run;
      if (!busiest[t.role] || run > busiest[t.role].run) busiest[t.role] = { run, wait: t.wait - b.wait };
    }
    const pct = (ns) => Math.round((ns / wallNs) * 1000) / 10;
    const threads = Object.fromEntries(
      Object.entries(busiest).map(([role, t]) => [role, { on_cpu_pct: pct(t.run), waiting_for_cpu_pct: pct(t.wait) }]),
    );
    return { cpu, threads };
  };
}
