/**
 * Replays rebuild the intelligence tables: after a live history (coffees and
 * an outlier that raises an alert, a subscription whose price goes up, cashback
 * rules with a cap, a refund and a reversal), a full replay from Bronze gives
 * identical silver_transactions (with the tags a live rule and an annotation
 * set), intel_anomalies (but scored_at, the time of
 * scoring) and gold_cashback, and sends no alert again: no live EVENTS batch
 * runs during the replay and the inbox holds the same alerts. The pipeline
 * test of the scorer's "subscription price increase" input is here too.
 * (Storage is per test file, so the full replay touches only this file's data.)
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertCashbackRule, type StoredCashbackRule } from "../src/db/intel/cashback-rules";
import type { AnyEvent } from "../src/events/catalog";
import { api, registerUser } from "./helpers/auth";
import { EventFactory, type TestAccount } from "./helpers/events";
import { adminToken, deliverEvents, rows, waitFor } from "./helpers/pipeline";

const day = (m: string, d: number, h = 12) => `${m}-${String(d).padStart(2, "0")}T${String(h).padStart(2, "0")}:00:00.000Z`;

function history(f: EventFactory, a: TestAccount): { events: AnyEvent[]; outlier: AnyEvent; increase: AnyEvent } {
  const events: AnyEvent[] = [f.opened(a, "2026-05-01T08:00:00.000Z"), f.tx(a, "deposit", 500_000, { at: day("2026-05", 1, 9) })];
  for (const m of ["2026-05", "2026-06", "2026-07", "2026-08"])
    events.push(f.tx(a, "purchase", 1_599, { merchant: "NETFLIX.COM", category: "entertainment", at: day(m, 15, 6) }));
  for (let d = 1; d <= 10; d++) events.push(f.tx(a, "purchase", 450 + d * 5, { merchant: "SQ *BLUE BOTTLE #12", at: day("2026-09", d) }));
  const refunded = f.tx(a, "purchase", 8_000, { merchant: "AMZN Mktp US*1", at: day("2026-09", 3, 15) });
  events.push(refunded, f.tx(a, "refund", 2_000, { merchant: "AMZN Mktp US*1", at: day("2026-09", 4, 15) }), f.reversal(a, refunded));
  const outlier = f.tx(a, "purchase", 9_900, { merchant: "SQ *BLUE BOTTLE #12", at: day("2026-09", 12) });
  const increase = f.tx(a, "purchase", 1_999, { merchant: "NETFLIX.COM", category: "entertainment", at: day("2026-09", 15, 6) });
  events.push(outlier, increase);
  return { events: events.sort((x, y) => x.occurred_at.localeCompare(y.occurred_at)), outlier, increase };
}

async function intelTables() {
  return {
    silver_transactions: await rows("SELECT * FROM silver_transactions ORDER BY account_id, entry_id"),
    intel_anomalies: (await rows<Record<string, unknown>>("SELECT * FROM intel_anomalies ORDER BY account_id, entry_id")).map(
      ({ scored_at: _, ...r }) => r,
    ),
    gold_cashback: await rows("SELECT * FROM gold_cashback ORDER BY user_id, month, rule_id, currency"),
  };
}

async function replay(token: string) {
  const res = await api("POST", "/v1/admin/replay", { token });
  expect(res.status).toBe(202);
  return waitFor(
    async () => {
      const job = await api("GET", `/v1/admin/jobs/${res.body.id}`, { token });
      if (job.body.status === "failed") throw new Error(`replay failed: ${job.body.error}`);
      return job.body.status === "succeeded" ? job.body : null;
    },
    30_000,
    100,
  );
}

describe("replay of the intelligence tables", () => {
  it("gives identical silver_transactions, intel_anomalies and gold_cashback, and re-sends no alert", async () => {
    const u = await registerUser();
    const f = new EventFactory(u.user.id);
    const a = f.account();
    const rule = (over: Partial<StoredCashbackRule>): StoredCashbackRule => ({
      id: `cbr_replay${over.scope}`,
      user_id: u.user.id,
      account_id: a.id,
      name: String(over.scope),
      scope: "all",
      scope_value: null,
      rate_bps: 100,
      cap: null,
      cap_period: "month",
      fallback_bps: 0,
      valid_from: "2026-01-01",
      valid_to: null,
      rotating: {},
      created_at: "2026-01-01T00:00:00.000Z",
      ...over,
    });
    await insertCashbackRule(env.DB, rule({ scope: "all" }));
    await insertCashbackRule(
      env.DB,
      rule({ scope: "merchant", scope_value: "blue-bottle", rate_bps: 500, cap: 150, cap_period: "quarter" }),
    );
    // A tags-only live rule and a user's own tags: silver_transactions.tags is rebuilt the same way.
    const tagRule = await api("POST", "/v1/rules", {
      token: u.access_token,
      body: { conditions: [{ field: "merchant", op: "contains", value: "netflix" }], actions: { tags: ["subscription", "tv"] } },
    });
    expect(tagRule.status).toBe(201);
    const { events, outlier, increase } = history(f, a);
    for (let i = 0; i < events.length; i += 7) await deliverEvents(events.slice(i, i + 7));
    await deliverEvents([f.annotate(a, increase, { tags: ["tv", "family"] })]);

    // The subscription's higher price is scored with its reason (normal on its own: stored, no alert).
    const scored = await rows<{ entry_id: string; score: number; risk_level: string; reasons: string; alert_event_id: string | null }>(
      "SELECT entry_id, score, risk_level, reasons, alert_event_id FROM intel_anomalies WHERE user_id = ?1",
      u.user.id,
    );
    const byEntry = new Map(scored.map((r) => [r.entry_id, r]));
    const up = byEntry.get((increase.payload as { entry_id: string }).entry_id)!;
    expect(JSON.parse(up.reasons)).toEqual([
      expect.objectContaining({
        rule_id: "subscription_price_increase",
        observed: { new_amount: 1_999, stream_key: expect.stringMatching(/^netflix.*\|debit\|USD$/) },
        baseline: { old_amount: 1_599 },
      }),
    ]);
    expect(up).toMatchObject({ score: 20, risk_level: "normal", alert_event_id: null });
    expect(byEntry.get((outlier.payload as { entry_id: string }).entry_id)).toMatchObject({ risk_level: "elevated" });

    // The outlier's alert reached the inbox; the EVENTS queue is quiet again.
    const alerts = await waitFor(async () => {
      const r = await api("GET", "/v1/alerts", { token: u.access_token });
      return r.body.data.length > 0 ? r.body.data : null;
    }, 15_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const before = await intelTables();
    expect(before.gold_cashback.length).toBeGreaterThanOrEqual(3);
    expect(before.intel_anomalies.length).toBeGreaterThanOrEqual(2);
    const tagged = (before.silver_transactions as { entry_id: string; tags: string }[]).filter((r) => r.tags !== "[]");
    expect(tagged.map((r) => r.tags).sort()).toEqual([...Array(4).fill('["subscription","tv"]'), '["tv","family","subscription"]'].sort());
    expect(tagged.find((r) => r.tags.includes("family"))?.entry_id).toBe((increase.payload as { entry_id: string }).entry_id);

    const startedAt = new Date().toISOString();
    await replay(await adminToken());
    expect(await intelTables()).toEqual(before);
    await new Promise((r) => setTimeout(r, 1_500));
    const live = await rows("SELECT id FROM pipeline_runs WHERE job_id IS NULL AND queue LIKE '%events' AND started_at >= ?1", startedAt);
    expect(live).toEqual([]);
    expect((await api("GET", "/v1/alerts", { token: u.access_token })).body.data).toEqual(alerts);
  });
});
