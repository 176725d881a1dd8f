/**
 * The MetricsDO: its public surface is exactly its RPC API, it adds up the
 * deltas of many isolates, and its totals survive a restart (SQLite).
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MetricsDO } from "../durable/metrics-do";
import { MetricStore } from "../durable/metrics/store";
import { MetricSet } from "../src/domain/metrics/series";

describe("MetricsDO", () => {
  it("has exactly the API's members on its prototype and no own fields", async () => {
    const members = Object.getOwnPropertyNames(MetricsDO.prototype).filter((n) => n !== "constructor");
    expect(members.sort()).toEqual(["add", "ping", "snapshot"]);
    const stub = env.METRICS.get(env.METRICS.idFromName(`test-${crypto.randomUUID()}`));
    const own = await runInDurableObject(stub, (inst: MetricsDO) => Object.getOwnPropertyNames(inst).sort());
    expect(own.filter((n) => n !== "ctx" && n !== "env")).toEqual([]);
  });

  it("adds up two isolates' deltas and reloads them from storage", async () => {
    const stub = env.METRICS.get(env.METRICS.idFromName(`test-${crypto.randomUUID()}`));
    const a = new MetricSet();
    const b = new MetricSet();
    a.inc("req", { route: "/x" }, 2);
    a.observe("lat", { route: "/x" }, 7);
    b.inc("req", { route: "/x" });
    b.observe("lat", { route: "/x" }, 20_000);
    await stub.add(a.drain());
    await stub.add(b.drain());
    const snap = await stub.snapshot();
    const req = snap.series.find((s) => s.name === "req");
    const lat = snap.series.find((s) => s.name === "lat");
    expect(req?.count).toBe(3);
    expect(lat).toMatchObject({ count: 2, sum: 20_007 });
    expect(lat?.buckets[1]).toBe(1); // 7 ms ≤ 10 ms
    expect(lat?.buckets.at(-1)).toBe(1); // 20 s is past the last bound
    const reloaded = await runInDurableObject(stub, (_inst, state) => new MetricStore(state.storage.sql).snapshot());
    expect(reloaded.series.sort((x, y) => x.name.localeCompare(y.name))).toEqual(snap.series.sort((x, y) => x.name.localeCompare(y.name)));
  });
});
