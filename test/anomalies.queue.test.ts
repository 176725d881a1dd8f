/**
 * Anomaly scoring in the live EVENTS consumer, against the real D1, queue and
 * UserDO inbox: a purchase far above its merchant's history is stored with
 * its reasons and reaches GET /v1/alerts as an alert with them; a score below
 * elevated is stored without an alert; velocity windows exclude the event
 * itself (2 earlier in the hour: nothing; 3: velocity_1h); a redelivery scores
 * nothing twice; a failing alert send never holds the batch back and the
 * next delivery still raises the alert.
 */
import { createExecutionContext, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { consumeEvents } from "../queues/events";
import type { AnyEvent } from "../src/events/catalog";
import { api, registerUser } from "./helpers/auth";
import { EventFactory, type TestAccount } from "./helpers/events";
import { deliverEvents, messageBatch, rows, waitFor } from "./helpers/pipeline";

const entryOf = (e: AnyEvent) => (e.payload as { entry_id: string }).entry_id;
const anomaly = async (e: AnyEvent) =>
  (
    await rows<{ score: number; risk_level: string; reasons: string; alert_event_id: string | null }>(
      "SELECT score, risk_level, reasons, alert_event_id FROM intel_anomalies WHERE entry_id = ?1",
      entryOf(e),
    )
  )[0];

/** Ten coffees of 4.50–4.95 on consecutive days at noon. */
function coffeeHistory(f: EventFactory, a: TestAccount): AnyEvent[] {
  return Array.from({ length: 10 }, (_, i) =>
    f.tx(a, "purchase", 450 + i * 5, { merchant: "SQ *BLUE BOTTLE #12", at: `2026-09-${String(i + 1).padStart(2, "0")}T12:00:00.000Z` }),
  );
}

async function alertsOf(token: string, match: (a: any[]) => boolean): Promise<any[]> {
  return waitFor(async () => {
    const r = await api("GET", "/v1/alerts", { token });
    return match(r.body.data) ? (r.body.data as any[]) : null;
  }, 15_000);
}

describe("anomaly scoring", () => {
  it("stores an outlier with its reasons and raises an alert with them in /v1/alerts; a redelivery changes nothing", async () => {
    const u = await registerUser();
    const f = new EventFactory(u.user.id);
    const a = f.account();
    await deliverEvents([f.opened(a), ...coffeeHistory(f, a)]);
    const usual = f.tx(a, "purchase", 470, { merchant: "SQ *BLUE BOTTLE #12", at: "2026-09-11T12:00:00.000Z" });
    const outlier = f.tx(a, "purchase", 9_900, { merchant: "SQ *BLUE BOTTLE #12", at: "2026-09-12T12:00:00.000Z" });
    await deliverEvents([usual, outlier]);

    expect(await anomaly(usual)).toBeUndefined();
    const stored = await anomaly(outlier);
    expect(stored).toMatchObject({ score: 40, risk_level: "elevated", alert_event_id: expect.stringMatching(/^anm_/) });
    const reasons = JSON.parse(stored!.reasons);
    expect(reasons).toEqual([
      {
        rule_id: "amount_zscore",
        reason: expect.stringContaining("9900"),
        observed: { amount: 9_900, z_score: expect.any(Number) },
        baseline: {
          scope: "merchant",
          key: "blue-bottle",
          median: expect.any(Number),
          spread: expect.any(Number),
          method: "mad",
          points: 11,
        },
        transaction_ids: [entryOf(outlier)],
        points: 40,
      },
    ]);

    const alerts = await alertsOf(u.access_token, (list) => list.length >= 1);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: "alert_created", status: "open", title: "Unusual $99.00 at Blue Bottle", link: "/alerts" });
    expect(alerts[0].reasons[0]).toBe("$99.00 at Blue Bottle: score 40 (elevated)");
    expect(alerts[0].reasons[1]).toMatch(/^amount_zscore: The amount 9900/);
    expect(alerts[0].data.reason).toMatchObject({ kind: "anomaly", entry_id: entryOf(outlier), findings: reasons });

    await deliverEvents([outlier, usual]);
    expect((await rows("SELECT 1 FROM intel_anomalies WHERE user_id = ?1", u.user.id)).length).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect((await api("GET", "/v1/alerts", { token: u.access_token })).body.data).toHaveLength(1);
  });

  it("velocity excludes the event itself: 2 earlier debits in the hour score nothing, 3 fire velocity_1h (below elevated: no alert)", async () => {
    const f = new EventFactory();
    const a = f.account();
    const at = (min: number) => `2026-10-01T09:${String(min).padStart(2, "0")}:00.000Z`;
    const buys = [0, 10, 20, 59].map((m, i) => f.tx(a, "purchase", 1_000 + i, { merchant: `Shop ${"ABCD"[i]}`, at: at(m) }));
    await deliverEvents([f.opened(a), ...buys]);
    expect(await anomaly(buys[2]!)).toBeUndefined();
    const fourth = await anomaly(buys[3]!);
    expect(fourth).toMatchObject({ score: 20, risk_level: "normal", alert_event_id: null });
    const [v] = JSON.parse(fourth!.reasons);
    expect(v).toMatchObject({ rule_id: "velocity_1h", observed: { count: 3, sum: 3_003 }, baseline: { min_count: 3 } });
    expect(v.transaction_ids.sort()).toEqual(buys.slice(0, 3).map(entryOf).sort());
  });

  it("a batch mixing a redelivered entry with a new earlier one scores the new one over its own history only", async () => {
    // The consumer reads histories over all candidates' range in the same D1 batch as the scored check;
    // here the redelivered later entry narrows the range, so the earlier one's history is read again.
    const u = await registerUser();
    const f = new EventFactory(u.user.id);
    const a = f.account();
    await deliverEvents([f.opened(a), ...coffeeHistory(f, a)]);
    const late = f.tx(a, "purchase", 9_000, { merchant: "SQ *BLUE BOTTLE #12", at: "2026-09-20T12:00:00.000Z" });
    await deliverEvents([late]);
    const lateRow = await anomaly(late);
    expect(lateRow).toMatchObject({ score: 40 });
    const early = f.tx(a, "purchase", 9_500, { merchant: "SQ *BLUE BOTTLE #12", at: "2026-09-12T12:00:00.000Z" });
    await deliverEvents([early, late]);
    const earlyRow = await anomaly(early);
    expect(earlyRow).toMatchObject({ score: 40, risk_level: "elevated" });
    // Only the ten coffees before it: the later outlier is not in its history.
    expect(JSON.parse(earlyRow!.reasons)[0].baseline).toMatchObject({ scope: "merchant", points: 10 });
    expect(await anomaly(late)).toEqual(lateRow);
    expect((await rows("SELECT 1 FROM intel_anomalies WHERE user_id = ?1", u.user.id)).length).toBe(2);
    await alertsOf(u.access_token, (list) => list.length === 2);
  });

  it("a failing alert send is logged, acks the batch and stores nothing; the redelivery raises the alert", async () => {
    const u = await registerUser();
    const f = new EventFactory(u.user.id);
    const a = f.account();
    await deliverEvents([f.opened(a), ...coffeeHistory(f, a)]);
    const outlier = f.tx(a, "purchase", 25_000, { merchant: "SQ *BLUE BOTTLE #12", at: "2026-09-20T12:00:00.000Z" });
    const broken = {
      ...env,
      EVENTS: {
        send: async () => {
          throw new Error("queue down");
        },
        sendBatch: async () => {
          throw new Error("queue down");
        },
      },
    } as unknown as Env;
    const batch = messageBatch("finedge-events", [outlier]);
    const ctx = createExecutionContext();
    await consumeEvents(batch, broken);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(1);
    expect(await anomaly(outlier)).toBeUndefined();
    await deliverEvents([outlier]);
    expect(await anomaly(outlier)).toMatchObject({ risk_level: "elevated" });
    await alertsOf(u.access_token, (list) => list.length === 1);
  });
});
