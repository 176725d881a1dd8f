/**
 * Queue faults against the real consumers: poison messages reach the DLQ and
 * D1 `dead_letters` with their reason; a crash at any point of a batch followed
 * by the retry applies the batch exactly once; racing consumers never double-apply.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { consumeDeadLetters, DLQ_MAX_RETRIES, PARKED_PREFIX } from "../queues/dead-letters";
import { describe, expect, it } from "vitest";
import { EventFactory } from "./helpers/events";
import { deliverDeadLetters, deliverEvents, goldSnapshot, rows, waitFor } from "./helpers/pipeline";
import type { EventsFailpoint } from "../queues/events";

const crashAt = (at: EventsFailpoint) => (stage: EventsFailpoint) => {
  if (stage === at) throw new Error(`injected crash at ${stage}`);
};

describe("poison messages", () => {
  it("acks valid events, dead-letters each malformed one with its reason, and stores it in D1", async () => {
    const f = new EventFactory();
    const a = f.account();
    const good = f.tx(a, "deposit", 1_000, { at: "2026-07-01T10:00:00.000Z" });
    const tag = crypto.randomUUID();
    const unknownType = { ...f.tx(a, "deposit", 5, { at: "2026-07-01T10:00:00.000Z" }), type: "account_hacked", tag };
    const floatAmount = f.tx(a, "deposit", 5, { at: "2026-07-01T10:00:00.000Z" });
    (floatAmount.payload as { amount: number }).amount = 10.5;
    const badCurrency = f.tx(a, "deposit", 5, { at: "2026-07-01T10:00:00.000Z" });
    (badCurrency.payload as { currency: string }).currency = "XXQ";
    const notAnEvent = `garbage-${tag}`;

    const result = await deliverEvents([good, unknownType, floatAmount, badCurrency, notAnEvent]);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(5);
    expect((await goldSnapshot(f.userId)).daily).toEqual([expect.objectContaining({ inflow: 1_000 })]);

    // The live DLQ consumer stores them (sent through the real EVENTS_DLQ binding).
    const stored = await waitFor(async () => {
      const r = await rows<{ event_id: string | null; error: string; raw_body: string; status: string; source_queue: string }>(
        "SELECT event_id, error, raw_body, status, source_queue FROM dead_letters WHERE raw_body LIKE ?1 OR event_id IN (?2, ?3)",
        `%${tag}%`,
        floatAmount.event_id,
        badCurrency.event_id,
      );
      return r.length === 4 ? r : null;
    });
    const byBody = (needle: string) => stored.find((r) => r.raw_body.includes(needle))!;
    expect(byBody("account_hacked").error).toMatch(/unknown event type "account_hacked"/);
    expect(byBody(floatAmount.event_id).error).toMatch(/payload/);
    expect(byBody(badCurrency.event_id).error).toMatch(/unknown currency "XXQ"/);
    expect(byBody(notAnEvent).error).toMatch(/envelope/);
    expect(JSON.parse(byBody(notAnEvent).raw_body)).toBe(notAnEvent);
    for (const r of stored) expect(r).toMatchObject({ status: "open", source_queue: "finedge-events" });

    const [run] = await rows(
      "SELECT valid, invalid FROM pipeline_runs WHERE id = (SELECT run_id FROM silver_events WHERE event_id = ?1)",
      good.event_id,
    );
    expect(run).toEqual({ valid: 1, invalid: 4 });
  });

  it("stores a message the queue moved after its last retry, and counts repeat arrivals on one row", async () => {
    const f = new EventFactory();
    const a = f.account();
    const stuck = f.tx(a, "deposit", 700, { at: "2026-07-02T10:00:00.000Z" });
    await deliverDeadLetters([stuck], 6);
    await deliverDeadLetters([stuck], 6);
    const [row] = await rows<{ error: string; attempts: number; delivery_attempts: number; event_id: string }>(
      "SELECT error, attempts, delivery_attempts, event_id FROM dead_letters WHERE event_id = ?1",
      stuck.event_id,
    );
    expect(row).toMatchObject({ attempts: 2, delivery_attempts: 6, event_id: stuck.event_id });
    expect(row!.error).toMatch(/after 6 attempt/);
  });
});

describe("a consumer failure mid-batch, then the retry", () => {
  for (const stage of ["after_bronze", "before_commit"] as const) {
    it(`changes no Silver or Gold when it crashes ${stage.replace("_", " ")}, and the retry applies the batch once`, async () => {
      const f = new EventFactory();
      const a = f.account();
      const batch = [
        f.tx(a, "deposit", 8_000, { at: "2026-07-03T10:00:00.000Z" }),
        f.tx(a, "purchase", 1_500, { at: "2026-07-03T11:00:00.000Z", merchant: "Uber *Trip" }),
      ];

      const failed = await deliverEvents(batch, { failpoint: crashAt(stage) });
      expect(failed.explicitAcks).toEqual([]);
      expect(failed.retryMessages).toHaveLength(2);
      expect(await rows("SELECT 1 FROM silver_events WHERE account_id = ?1", a.id)).toHaveLength(0);
      expect((await goldSnapshot(f.userId)).daily).toEqual([]);
      const failures = await rows<{ error: string }>(
        "SELECT error FROM pipeline_runs WHERE status = 'failed' AND error LIKE ?1",
        `%injected crash at ${stage}%`,
      );
      expect(failures.length).toBeGreaterThanOrEqual(1);

      const retried = await deliverEvents(batch, { attempts: 2 });
      expect(retried.explicitAcks).toHaveLength(2);
      const g = await goldSnapshot(f.userId);
      expect(g.daily).toEqual([expect.objectContaining({ inflow: 8_000, outflow: 1_500, closing_balance: 6_500, entries: 2 })]);
      expect(g.spending.find((s) => s.dimension === "category")).toMatchObject({ key: "transport", amount: 1_500 });
    });
  }

  it("applies nothing twice when it crashes after the commit and the whole batch is redelivered", async () => {
    const f = new EventFactory();
    const a = f.account();
    const batch = [f.tx(a, "deposit", 8_000, { at: "2026-07-04T10:00:00.000Z" }), f.tx(a, "fee", 25, { at: "2026-07-04T11:00:00.000Z" })];
    const failed = await deliverEvents(batch, { failpoint: crashAt("after_commit") });
    expect(failed.retryMessages).toHaveLength(2);
    const after = await goldSnapshot(f.userId);
    const retried = await deliverEvents(batch, { attempts: 2 });
    expect(retried.explicitAcks).toHaveLength(2);
    expect(await goldSnapshot(f.userId)).toEqual(after);
    expect(after.daily).toEqual([expect.objectContaining({ net: 7_975, entries: 2 })]);
  });

  it("lets only one of two racing consumers apply an event", async () => {
    const f = new EventFactory();
    const a = f.account();
    const shared = Array.from({ length: 30 }, (_, i) => f.tx(a, "deposit", 100 + i, { at: "2026-07-05T10:00:00.000Z" }));
    const onlyA = f.tx(a, "deposit", 10_000, { at: "2026-07-05T11:00:00.000Z" });
    const onlyB = f.tx(a, "deposit", 20_000, { at: "2026-07-05T12:00:00.000Z" });
    const [ra, rb] = await Promise.all([deliverEvents([...shared, onlyA]), deliverEvents([onlyB, ...shared.toReversed()])]);
    expect(ra.retryMessages.length + rb.retryMessages.length).toBe(0);
    const expected = shared.reduce((n, e) => n + (e.payload as { amount: number }).amount, 0) + 30_000;
    const g = await goldSnapshot(f.userId);
    expect(g.daily).toEqual([expect.objectContaining({ inflow: expected, entries: 32, closing_balance: expected })]);
    const [count] = await rows<{ n: number }>("SELECT COUNT(*) AS n FROM silver_events WHERE account_id = ?1", a.id);
    expect(count!.n).toBe(32);
    void env;
  });
});

describe("dead letters when D1 is down", () => {
  const brokenDb = {
    prepare: () => {
      throw new Error("D1 unavailable");
    },
    batch: async () => {
      throw new Error("D1 unavailable");
    },
  } as unknown as D1Database;

  async function deliverWithBrokenDb(body: unknown, attempts: number) {
    const batch = createMessageBatch("finedge-events-dlq", [{ id: `park-${crypto.randomUUID()}`, timestamp: new Date(), attempts, body }]);
    const ctx = createExecutionContext();
    await consumeDeadLetters(batch, { ...env, DB: brokenDb });
    return { id: batch.messages[0]!.id, result: await getQueueResult(batch, ctx) };
  }

  it("retries with backoff while retries remain, and parks the raw message in R2 on the last one instead of dropping it", async () => {
    const early = await deliverWithBrokenDb({ poison: 1 }, 1);
    expect(early.result.retryMessages.map((m) => m.msgId)).toEqual([early.id]);
    expect(early.result.explicitAcks).toEqual([]);

    const last = await deliverWithBrokenDb({ poison: 2 }, DLQ_MAX_RETRIES);
    expect(last.result.explicitAcks).toEqual([last.id]);
    const listed = await env.LAKE.list({ prefix: PARKED_PREFIX });
    const key = listed.objects.map((o) => o.key).find((k) => k.endsWith(`/${last.id}.json`));
    expect(key).toBeDefined();
    const parked = (await (await env.LAKE.get(key!))!.json()) as { body: unknown; error: string };
    expect(parked.body).toEqual({ poison: 2 });
    expect(parked.error).toMatch(/D1 unavailable/);
  });
});
