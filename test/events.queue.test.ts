/**
 * EVENTS consumer against real local R2 and D1: Bronze archive, Silver
 * validation/enrichment/dedupe, Gold figures, the audit row.
 */
import { env } from "cloudflare:workers";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { EventFactory } from "./helpers/events";
import { deliverEvents, goldSnapshot, rows } from "./helpers/pipeline";

async function bronzeKeysFor(day: string): Promise<string[]> {
  const list = await env.LAKE.list({ prefix: `bronze/events/dt=${day}/`, include: ["customMetadata"] });
  return list.objects.map((o) => o.key);
}

describe("EVENTS consumer: a batch of valid events", () => {
  it("archives the batch in Bronze, applies Silver and Gold, and records the run", async () => {
    const f = new EventFactory();
    const a = f.account();
    const opened = f.opened(a, "2026-03-01T08:00:00.000Z");
    const deposit = f.tx(a, "deposit", 100_000, { at: "2026-03-01T09:00:00.000Z" });
    const amazon = f.tx(a, "purchase", 2_599, { at: "2026-03-02T10:15:00.000Z", merchant: "AMZN Mktp US*2K3LL" });
    const coffee = f.tx(a, "purchase", 450, {
      at: "2026-03-02T23:30:00-05:00",
      merchant: "SQ *BLUE BOTTLE COFFEE #12",
      category: "Treats",
    });
    const bodies = [opened, deposit, amazon, coffee];

    const result = await deliverEvents(bodies);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(4);

    // Bronze: one object per event date/hour, gzip NDJSON, exactly the delivered bodies, with metadata.
    const day1 = await env.LAKE.list({ prefix: "bronze/events/dt=2026-03-01/", include: ["customMetadata"] });
    const mine = [];
    for (const o of day1.objects) {
      const obj = await env.LAKE.get(o.key);
      const text = gunzipSync(new Uint8Array(await obj!.arrayBuffer())).toString("utf8");
      if (text.includes(a.id)) mine.push({ o, text });
    }
    expect(mine).toHaveLength(2); // hr=08 and hr=09
    const hr09 = mine.find((m) => m.o.key.includes("/hr=09/"))!;
    expect(hr09.text).toBe(JSON.stringify(deposit) + "\n");
    expect(hr09.o.customMetadata).toMatchObject({
      count: "1",
      min_occurred_at: "2026-03-01T09:00:00.000Z",
      max_occurred_at: "2026-03-01T09:00:00.000Z",
    });
    const sha = [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(hr09.text)))]
      .map((b) => b.toString(16).padStart(2, "0"))
      .join("");
    expect(hr09.o.customMetadata?.sha256).toBe(sha);
    expect(hr09.o.key).toBe(`bronze/events/dt=2026-03-01/hr=09/${sha.slice(0, 32)}.ndjson.gz`);
    // The -05:00 purchase is 04:30 UTC on March 3rd: partitioned by its UTC event time.
    expect((await bronzeKeysFor("2026-03-03")).some((k) => k.includes("/hr=04/"))).toBe(true);

    // Silver: normalized to UTC, enriched.
    const silver = await rows<{ event_id: string; occurred_at: string; event_date: string; payload: string }>(
      "SELECT event_id, occurred_at, event_date, payload FROM silver_events WHERE account_id = ?1 ORDER BY seq",
      a.id,
    );
    expect(silver).toHaveLength(4);
    const coffeeRow = silver.find((s) => s.event_id === coffee.event_id)!;
    expect(coffeeRow.occurred_at).toBe("2026-03-03T04:30:00.000Z");
    expect(coffeeRow.event_date).toBe("2026-03-03");
    expect(JSON.parse(coffeeRow.payload)).toMatchObject({
      merchant: "SQ *BLUE BOTTLE COFFEE #12",
      merchant_normalized: "Blue Bottle Coffee",
      category: "treats",
      category_source: "event",
    });
    expect(JSON.parse(silver.find((s) => s.event_id === amazon.event_id)!.payload)).toMatchObject({
      merchant_normalized: "Amazon",
      category: "shopping",
      category_source: "rule",
    });

    // Gold.
    const gold = await goldSnapshot(f.userId);
    expect(gold.daily.map((d) => [d.day, d.inflow, d.outflow, d.net, d.entries, d.closing_balance])).toEqual([
      ["2026-03-01", 100_000, 0, 100_000, 1, 100_000],
      ["2026-03-02", 0, 2_599, -2_599, 1, 97_401],
      ["2026-03-03", 0, 450, -450, 1, 96_951],
    ]);
    expect(gold.spending.map((s) => [s.dimension, s.key, s.purchases, s.refunds, s.amount])).toEqual([
      ["category", "shopping", 1, 0, 2_599],
      ["category", "treats", 1, 0, 450],
      ["merchant", "Amazon", 1, 0, 2_599],
      ["merchant", "Blue Bottle Coffee", 1, 0, 450],
    ]);
    expect(gold.flows.map((x) => [x.kind, x.count, x.amount])).toEqual([
      ["deposit", 1, 100_000],
      ["purchase", 2, 3_049],
    ]);

    const [run] = await rows<Record<string, unknown>>(
      "SELECT * FROM pipeline_runs WHERE id IN (SELECT run_id FROM silver_events WHERE event_id = ?1)",
      deposit.event_id,
    );
    expect(run).toMatchObject({
      queue: "finedge-events",
      status: "ok",
      messages: 4,
      valid: 4,
      invalid: 0,
      duplicates: 0,
      bronze_objects: 4,
    });
    expect(run!.gold_rows as number).toBeGreaterThanOrEqual(9);
  });

  it("audit row: Gold rows changed include the later closing balances a late event moves; time from the commit", async () => {
    const f = new EventFactory();
    const a = f.account();
    await deliverEvents([
      f.tx(a, "deposit", 1_000, { at: "2026-03-10T10:00:00.000Z" }),
      f.tx(a, "deposit", 1_000, { at: "2026-03-11T10:00:00.000Z" }),
      f.tx(a, "deposit", 1_000, { at: "2026-03-12T10:00:00.000Z" }),
    ]);
    const late = f.tx(a, "purchase", 300, { at: "2026-03-09T10:00:00.000Z", merchant: "Corner Shop" });
    const startedBefore = new Date().toISOString();
    await deliverEvents([late]);
    const [run] = await rows<{ gold_rows: number; started_at: string; finished_at: string; duration_ms: number }>(
      "SELECT gold_rows, started_at, finished_at, duration_ms FROM pipeline_runs WHERE id = (SELECT run_id FROM silver_events WHERE event_id = ?1)",
      late.event_id,
    );
    // Deltas: 1 daily row, 2 spending rows (category, merchant), 1 monthly flow, 1 platform row;
    // the closing recomputation moves the new day and the three later ones.
    expect(run!.gold_rows).toBe(5 + 4);
    expect(run!.started_at >= startedBefore).toBe(true);
    expect(run!.finished_at >= run!.started_at).toBe(true);
    expect(Math.abs(run!.duration_ms - (Date.parse(run!.finished_at) - Date.parse(run!.started_at)))).toBeLessThanOrEqual(1);
  });

  it("counts duplicates instead of applying them, within a batch and across redeliveries", async () => {
    const f = new EventFactory();
    const a = f.account();
    const dep = f.tx(a, "deposit", 5_000, { at: "2026-03-05T10:00:00.000Z" });
    const buy = f.tx(a, "purchase", 1_000, { at: "2026-03-05T11:00:00.000Z", merchant: "Corner Shop" });

    await deliverEvents([dep, buy, buy]);
    const once = await goldSnapshot(f.userId);
    const stored = async () =>
      (await env.LAKE.list({ prefix: "bronze/events/dt=2026-03-05/" })).objects.map((o) => ({
        key: o.key,
        etag: o.etag,
        uploaded: o.uploaded.getTime(),
      }));
    const before = await stored();
    await new Promise((r) => setTimeout(r, 5)); // a rewrite would carry a later upload time
    const redelivered = await deliverEvents([dep, buy, buy]);
    expect(redelivered.explicitAcks).toHaveLength(3);
    expect(await goldSnapshot(f.userId)).toEqual(once);
    // The same batch maps to the same Bronze keys: nothing new, nothing rewritten.
    expect(await stored()).toEqual(before);

    expect(once.daily).toEqual([
      expect.objectContaining({ day: "2026-03-05", inflow: 5_000, outflow: 1_000, entries: 2, closing_balance: 4_000 }),
    ]);
    const runs = await rows<{ valid: number; duplicates: number }>(
      "SELECT valid, duplicates FROM pipeline_runs WHERE queue = 'finedge-events' AND messages = 3 ORDER BY started_at",
    );
    expect(runs.slice(-2)).toEqual([
      { valid: 3, duplicates: 1 },
      { valid: 3, duplicates: 3 },
    ]);
  });
});
