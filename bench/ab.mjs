/**
 * `npm run bench:ab -- <treeA> [treeB]`: compares two checkouts of FinEdge on
 * this machine at the same time. Each tree's own bench code starts its own
 * `wrangler dev`; the load scenarios then run in short slices alternating
 * A and B (order flipped every round), so the machine's drift falls on both.
 * Prints req/s, p99 and CPU per request side by side, and B/A.
 *
 * treeB defaults to this checkout. A tree needs node_modules (a symlink to
 * this one's is enough), e.g.:
 *   git worktree add /tmp/base <commit> && ln -s "$PWD/node_modules" /tmp/base/node_modules
 *   npm run bench:ab -- /tmp/base
 * An A/A run of identical trees differs by up to ~±10% here: smaller effects need repeats.
 *
 * Environment: AB_ROUNDS=6, AB_SECONDS=2, AB_SCENARIOS=floor,deposits,transfers.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const [treeA, treeB = path.resolve(HERE, "..")] = process.argv.slice(2);
if (!treeA) {
  console.error("usage: npm run bench:ab -- <treeA> [treeB]");
  process.exit(2);
}
const rounds = Number(process.env.AB_ROUNDS ?? 6);
const seconds = Number(process.env.AB_SECONDS ?? 2);
const scenarios = (process.env.AB_SCENARIOS ?? "floor,deposits,transfers").split(",");
// Compare code, not wrangler's experimental local tracing (the bench turns it off; older trees may not).
process.env.X_LOCAL_OBSERVABILITY ??= "false";

async function start(tree, tag) {
  const { startBenchServer } = await import(path.join(tree, "bench/server.mjs"));
  const { createApi } = await import(path.join(tree, "scripts/lib/api.mjs"));
  const ledger = await import(path.join(tree, "bench/ledger.mjs"));
  const server = await startBenchServer();
  const api = createApi(server.baseUrl);
  const runId = `${tag}${Math.random().toString(36).slice(2, 6)}`;
  const setup = await ledger.setupLedger(api, { accounts: 100 }, runId);
  const make = {
    floor: () => ledger.floorScenario(),
    read: () => ledger.readScenario(setup),
    deposits: () => ledger.depositsScenario(api, setup, runId),
    transfers: () => ledger.transfersScenario(api, setup, runId),
  };
  const s = {};
  for (const name of scenarios) {
    s[name] = make[name]();
    await s[name].before?.();
  }
  return { tag, tree, server, api, s };
}

const sides = [];
try {
  sides.push(await start(treeA, "a"), await start(treeB, "b"));
  for (let round = 0; round < rounds; round++) {
    console.log(`[ab] round ${round + 1}/${rounds}`);
    for (const name of scenarios) {
      for (const side of round % 2 ? [...sides].reverse() : sides) {
        await new Promise((r) => setTimeout(r, 700)); // let the other server's background work settle
        await side.s[name].load.slice({ baseUrl: side.api.baseUrl, connections: 16, seconds, server: side.server });
      }
    }
  }
  const [A, B] = sides.map((side) => Object.fromEntries(scenarios.map((n) => [n, side.s[n].load.summary()])));
  console.log(`A = ${treeA}\nB = ${treeB}`);
  for (const n of scenarios) {
    const a = A[n];
    const b = B[n];
    const fmt = (x) =>
      `${String(x.rps).padStart(7)} req/s p99 ${String(x.latency_ms.p99).padStart(6)} ms cpu ${x.cpu_ms_per_request?.worker ?? "?"} ms`;
    console.log(`${n.padEnd(10)} A ${fmt(a)} | B ${fmt(b)} | B/A ${(b.rps / a.rps).toFixed(2)}`);
  }
  if (A.floor) {
    for (const [tag, R] of [
      ["A", A],
      ["B", B],
    ]) {
      const ratio = (n) => (R[n] ? `${((100 * R[n].rps) / R.floor.rps).toFixed(1)}%` : "—");
      console.log(`${tag}: deposits ${ratio("deposits")} of floor, transfers ${ratio("transfers")} of floor`);
    }
  }
} finally {
  for (const side of sides) await side.server.stop().catch(() => undefined);
}
