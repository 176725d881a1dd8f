/**
 * Replay through the admin API and the live JOBS queue: wiping Silver and Gold
 * and rebuilding from Bronze gives exactly the live pipeline's Gold; a ranged
 * replay rebuilds only its months. (Storage is per test file, so a full replay
 * here touches only this file's data.)
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AnyEvent } from "../src/events/catalog";
import { api } from "./helpers/auth";
import { EventFactory, shuffle } from "./helpers/events";
import { adminToken, deliverEvents, rows, waitFor } from "./helpers/pipeline";

const GOLD = ["gold_daily_balances", "gold_spending", "gold_monthly_flows", "gold_platform_daily", "gold_transfers"];

async function goldTables(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of GOLD) out[t] = await rows(`SELECT * FROM ${t} ORDER BY 1, 2, 3, 4`);
  out.silver = await rows("SELECT event_id, type, account_id, user_id, seq, occurred_at, event_date, payload FROM silver_events ORDER BY event_id");
  return out;
}

function activity(months: string[], users = 3): AnyEvent[] {
  const out: AnyEvent[] = [];
  for (let u = 0; u < users; u++) {
    const f = new EventFactory();
    const a = f.account();
    const b = f.account("EUR");
    out.push(f.opened(a), f.opened(b));
    for (const m of months) {
      out.push(f.tx(a, "deposit", 50_000, { at: `${m}-01T08:00:00.000Z` }), f.tx(b, "deposit", 9_000, { at: `${m}-01T08:00:00.000Z` }));
      for (let d = 2; d <= 27; d += 5) {
        const buy = f.tx(a, "purchase", 500 + d * 11, { at: `${m}-${String(d).padStart(2, "0")}T13:00:00.000Z`, merchant: d % 2 ? "AMZN Mktp US*Q" : "Trader Joe's #5" });
        out.push(buy, f.tx(b, "purchase", 300 + d, { at: `${m}-${String(d).padStart(2, "0")}T14:00:00.000Z`, merchant: "Cafe Luna" }));
        if (d === 12) out.push(f.reversal(a, buy));
      }
      const t = f.transferPending(a, b.id, 1_000, `${m}-20T10:00:00.000Z`);
      out.push(t.event, f.transferPosted(a, t.transferId, 1_000, `${m}-20T10:00:05.000Z`));
    }
  }
  return out;
}

async function replay(token: string, body?: Record<string, string>) {
  const res = await api("POST", "/v1/admin/replay", { token, ...(body ? { body } : {}) });
  expect(res.status).toBe(202);
  expect(res.body).toMatchObject({ object: "job", kind: "replay", status: "queued", processed: 0 });
  return waitFor(async () => {
    const job = await api("GET", `/v1/admin/jobs/${res.body.id}`, { token });
    if (job.body.status === "failed") throw new Error(`replay failed: ${job.body.error}`);
    return job.body.status === "succeeded" ? job.body : null;
  }, 30_000, 100);
}

describe("replay", () => {
  it("rebuilds exactly the live Gold after Silver and Gold are wiped, then a ranged replay rebuilds only its months", async () => {
    const events = activity(["2025-01", "2025-02", "2025-03"]);
    const noisy = shuffle([...events, ...events.slice(0, 40)], 99);
    for (let i = 0; i < noisy.length; i += 37) await deliverEvents(noisy.slice(i, i + 37));
    await deliverEvents(["not an event"]); // invalid lines in Bronze are skipped by replay, not re-applied
    const live = await goldTables();
    expect((live.gold_daily_balances ?? []).length).toBeGreaterThan(50);

    for (const t of [...GOLD, "silver_events"]) await env.DB.prepare(`DELETE FROM ${t}`).run();
    const admin = await adminToken();
    // Bronze holds every delivery, except that byte-identical partitions share one content-addressed object.
    let archived = 0;
    let cursor: string | undefined;
    do {
      const page = await env.LAKE.list({ prefix: "bronze/events/", include: ["customMetadata"], cursor });
      for (const o of page.objects) archived += Number(o.customMetadata!.count);
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    expect(archived).toBeGreaterThan(events.length);
    const job = await replay(admin);
    expect(job).toMatchObject({ processed: archived, total: archived, percent: 100, started_at: expect.any(String), finished_at: expect.any(String) });
    expect(await goldTables()).toEqual(live);

    // The audit has the replay's chunks, linked to the job.
    const chunks = await rows<{ valid: number; invalid: number; duplicates: number }>("SELECT valid, invalid, duplicates FROM pipeline_runs WHERE job_id = ?1", job.id);
    expect(chunks.reduce((n, c) => n + c.valid, 0)).toBe(archived - 1);
    expect(chunks.reduce((n, c) => n + c.invalid, 0)).toBe(1);
    expect(chunks.reduce((n, c) => n + c.duplicates, 0)).toBe(archived - 1 - events.length);

    // Corrupt February and March, replay only February: February is rebuilt, March's damage stays.
    await env.DB.prepare("UPDATE gold_spending SET amount = amount + 1 WHERE month IN ('2025-02', '2025-03')").run();
    await env.DB.prepare("DELETE FROM gold_daily_balances WHERE day = '2025-02-07'").run();
    const ranged = await replay(admin, { from: "2025-02-10", to: "2025-02-11" });
    expect(ranged.params).toMatchObject({ from_month: "2025-02", to_month: "2025-02" });
    const after = await goldTables();
    expect(after.gold_daily_balances).toEqual(live.gold_daily_balances);
    const spend = (t: Record<string, unknown[]>, m: string) => (t.gold_spending as { month: string }[]).filter((r) => r.month === m);
    expect(spend(after, "2025-02")).toEqual(spend(live, "2025-02"));
    expect(spend(after, "2025-01")).toEqual(spend(live, "2025-01"));
    expect(spend(after, "2025-03")).not.toEqual(spend(live, "2025-03"));
  });

  it("refuses a second replay while one runs, and validates the range", async () => {
    const admin = await adminToken();
    expect((await api("POST", "/v1/admin/replay", { token: admin, body: { from: "2025-03-01", to: "2025-02-01" } })).status).toBe(400);
    expect((await api("POST", "/v1/admin/replay", { token: admin, body: { from: "2025-02-30" } })).status).toBe(400);
    expect((await api("POST", "/v1/admin/replay", { token: admin, body: { from: "2025-02-01", extra: 1 } })).status).toBe(400);
    const first = await api("POST", "/v1/admin/replay", { token: admin, body: { from: "2024-06-01", to: "2024-06-30" } });
    expect(first.status).toBe(202);
    const second = await api("POST", "/v1/admin/replay", { token: admin, body: { from: "2024-06-01", to: "2024-06-30" } });
    const done = await waitFor(async () => (await api("GET", `/v1/admin/jobs/${first.body.id}`, { token: admin })).body.status === "succeeded", 20_000, 100);
    expect(done).toBe(true);
    // Either the first was still queued or running (409), or it had already finished (202).
    expect([202, 409]).toContain(second.status);
    if (second.status === 409) expect(second.body.error.details.job_id).toBe(first.body.id);
    expect((await api("GET", "/v1/admin/jobs/job_0000000000000000zzzz", { token: admin })).status).toBe(404);
  });
});
