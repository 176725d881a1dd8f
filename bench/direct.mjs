/**
 * The Worker's own address inside `wrangler dev`, past wrangler's dev proxy.
 *
 * `wrangler dev` runs two workerd processes: the proxy (it owns the public
 * port, `--socket-addr=entry=127.0.0.1:<port>`, and relays every request and
 * WebSocket frame) and the one that runs the Worker, its Durable Objects and
 * the simulators, whose entry socket listens on a port of its own
 * (`--socket-addr=entry=127.0.0.1:0`). Deployed, no such proxy exists, so the
 * price-stream bench measures both ways: through the public port, and
 * straight to the Worker's entry. This finds that entry: the sockets the
 * Worker's workerd listens on (/proc/<pid>/fd → socket inodes →
 * /proc/net/tcp), the one whose `GET /health` answers as FinEdge does.
 * Linux only; null elsewhere or when nothing answers.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";

function workerPids(server) {
  const pids = [];
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) !== server.pgid) continue;
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if ((argv[0] ?? "").includes("workerd") && !argv.includes(`--socket-addr=entry=127.0.0.1:${server.port}`)) pids.push(pid);
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** Loopback ports in LISTEN state owned by the process. */
function listeningPorts(pid) {
  const inodes = new Set();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  const ports = [];
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    // local_address is HEX_IP:HEX_PORT; state 0A is LISTEN; 0100007F is 127.0.0.1.
    if (f.length < 10 || f[3] !== "0A" || !inodes.has(f[9])) continue;
    const [ip, port] = f[1].split(":");
    if (ip === "0100007F") ports.push(Number.parseInt(port, 16));
  }
  return ports;
}

/** `http://127.0.0.1:<port>` of the Worker's own entry socket, or null. */
export async function directWorkerUrl(server) {
  if (!server.pgid || !existsSync("/proc/net/tcp")) return null;
  for (const pid of workerPids(server)) {
    for (const port of listeningPorts(pid)) {
      const url = `http://127.0.0.1:${port}`;
      try {
        const r = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
        if (r.ok && (r.headers.get("content-type") ?? "").includes("application/json")) {
          const body = await r.json();
          if (body && typeof body === "object" && "status" in body) return url;
        }
      } catch {
        // not an HTTP entry (inspector, debug port, loopback service)
      }
    }
  }
  return null;
}
