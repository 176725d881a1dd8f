/**
 * `node bench/profile-tree.mjs <file.cpuprofile> [frame] [depth] [min%]`: reads a
 * V8 CPU profile (BENCH_PROFILE=1 writes bench/.state/profile.cpuprofile) and
 * prints, as shares of non-idle time:
 *   - without a frame: the top-level frames and self time by function, native
 *     frames charged to their nearest JavaScript caller;
 *   - with a frame (`name:line`, as printed): its callees merged over every
 *     place it occurs, to `depth` levels, hiding what is under `min%`.
 * The sampler's time deltas are wall time, so on a busy machine the shares
 * include waiting for a CPU: read them as shares, not as CPU milliseconds.
 */
import { readFileSync } from "node:fs";

const [file, frame, depthArg = "6", minArg = "0.3"] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bench/profile-tree.mjs <file.cpuprofile> [frame] [depth] [min%]");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8"));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
let busy = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  if (nodes.get(id).callFrame.functionName === "(idle)") return;
  busy += dt;
  self.set(id, (self.get(id) ?? 0) + dt);
});
const total = new Map();
function totalOf(id) {
  if (total.has(id)) return total.get(id);
  let t = self.get(id) ?? 0;
  for (const c of nodes.get(id).children ?? []) t += totalOf(c);
  total.set(id, t);
  return t;
}
for (const n of profile.nodes) totalOf(n.id);
const key = (n) => `${n.callFrame.functionName || "(anonymous)"}:${n.callFrame.lineNumber + 1}`;
const pct = (t) => `${((100 * t) / busy).toFixed(1).padStart(5)}%`;
const min = Number(minArg);

/** Callees of `ids` merged by key, heaviest first. */
function printTree(ids, depth, indent) {
  const own = ids.reduce((a, id) => a + (self.get(id) ?? 0), 0);
  if ((100 * own) / busy >= min) console.log(`${indent}${pct(own)} (self)`);
  if (depth === 0) return;
  const groups = new Map();
  for (const id of ids) {
    for (const c of nodes.get(id).children ?? []) {
      const k = key(nodes.get(c));
      groups.set(k, [...(groups.get(k) ?? []), c]);
    }
  }
  const rows = [...groups].map(([k, g]) => [k, g, g.reduce((a, id) => a + total.get(id), 0)]).sort((a, b) => b[2] - a[2]);
  for (const [k, g, t] of rows) {
    if ((100 * t) / busy < min) continue;
    console.log(`${indent}${pct(t)} ${k}`);
    printTree(g, depth - 1, `${indent}  `);
  }
}

console.log(`non-idle: ${(busy / 1000).toFixed(0)} ms sampled`);
if (frame) {
  const roots = [];
  const walk = (id, inside) => {
    const hit = !inside && key(nodes.get(id)) === frame;
    if (hit) roots.push(id);
    for (const c of nodes.get(id).children ?? []) walk(c, inside || hit);
  };
  walk(profile.nodes[0].id, false);
  console.log(`${pct(roots.reduce((a, id) => a + total.get(id), 0))} ${frame}`);
  printTree(roots, Number(depthArg), "  ");
} else {
  console.log("top-level frames:");
  printTree([profile.nodes[0].id], 1, "  ");
  const charged = new Map();
  for (const [id, t] of self) {
    let c = id;
    while (c !== undefined && nodes.get(c).callFrame.url === "") c = parent.get(c);
    const k = c === undefined ? `${nodes.get(id).callFrame.functionName} (native)` : key(nodes.get(c));
    charged.set(k, (charged.get(k) ?? 0) + t);
  }
  console.log("self time (native charged to the JavaScript caller):");
  for (const [k, t] of [...charged].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${pct(t)} ${k}`);
}
