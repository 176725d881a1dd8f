/**
 * Optional V8 CPU profile of the workerd isolate that runs the Worker and its
 * Durable Objects, taken through wrangler's inspector proxy while the load
 * runs (BENCH_PROFILE=1). Writes a .cpuprofile (open it in Chrome DevTools or
 * speedscope) and summarises where the isolate's time went.
 */

export async function startProfiler(inspectorPort) {
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error("no inspector target");
  // The inspector proxy only accepts local DevTools origins.
  const ws = new WebSocket(url, { headers: { Origin: "http://localhost" } });
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error(`cannot connect to the inspector at ${url}`));
  });
  let id = 0;
  const waiting = new Map();
  ws.onmessage = (m) => {
    const msg = JSON.parse(String(m.data));
    // wrangler's inspector proxy answers some commands by echoing them (no `result`); any reply with the id counts.
    if (msg.id !== undefined && waiting.has(msg.id)) {
      waiting.get(msg.id)(msg);
      waiting.delete(msg.id);
    }
  };
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      const n = ++id;
      waiting.set(n, resolve);
      ws.send(JSON.stringify({ id: n, method, params }));
    });
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 250 });
  await send("Profiler.start");
  return async function stop() {
    const reply = await send("Profiler.stop");
    ws.close();
    if (!reply.result?.profile) throw new Error(`Profiler.stop: ${JSON.stringify(reply.error ?? reply)}`);
    return reply.result.profile;
  };
}

/** Self time by function and the share of a few inclusive frames, as fractions of non-idle time. */
export function summariseProfile(profile, top = 15) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfTime = new Map();
  let busy = 0;
  profile.samples.forEach((nodeId, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    if (nodes.get(nodeId).callFrame.functionName === "(idle)") return;
    busy += dt;
    selfTime.set(nodeId, (selfTime.get(nodeId) ?? 0) + dt);
  });
  const label = (n) => n.callFrame.functionName || "(anonymous)";
  const bySelf = new Map();
  const inclusive = new Map();
  for (const [nodeId, t] of selfTime) {
    const name = label(nodes.get(nodeId));
    bySelf.set(name, (bySelf.get(name) ?? 0) + t);
    const seen = new Set();
    for (let cur = nodeId; cur !== undefined; cur = parent.get(cur)) {
      const f = label(nodes.get(cur));
      if (!seen.has(f)) {
        seen.add(f);
        inclusive.set(f, (inclusive.get(f) ?? 0) + t);
      }
    }
  }
  const share = (t) => Math.round((t / busy) * 1000) / 10;
  const frames = [
    "fetch",
    "postTransaction",
    "createTransfer",
    "creditTransfer",
    "alarm",
    "drainOutbox",
    "runMaintenance",
    "handleQueueBatch",
    "verifyAccessToken",
    "fingerprint",
    "appendEntry",
    "exec",
  ];
  return {
    busy_ms: Math.round(busy / 1000),
    top_self_pct: [...bySelf]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, t]) => [name, share(t)]),
    inclusive_pct: Object.fromEntries(frames.filter((f) => inclusive.has(f)).map((f) => [f, share(inclusive.get(f))])),
  };
}

/**
 * Isolate time spent under any of `frames` (a sample counts once however many of
 * them are on its stack), in ms, and the isolate's busy ms, from a .cpuprofile.
 */
export function timeUnder(profile, frames) {
  const wanted = new Set(frames);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const under = new Map(); // node id → whether a wanted frame is on its stack
  const isUnder = (id) => {
    if (under.has(id)) return under.get(id);
    const n = nodes.get(id);
    const r = wanted.has(n.callFrame.functionName) || (parent.has(id) && isUnder(parent.get(id)));
    under.set(id, r);
    return r;
  };
  let busy = 0;
  let inside = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    if (nodes.get(id).callFrame.functionName === "(idle)") return;
    busy += dt;
    if (isUnder(id)) inside += dt;
  });
  return { busy_ms: busy / 1000, ms: inside / 1000 };
}
