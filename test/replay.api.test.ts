/**
 * Replay through the admin API and the live JOBS queue: wiping Silver and Gold
 * and rebuilding from Bronze gives exactly the live pipeline's Gold; a ranged
 * replay rebuilds only its months (annotations made later included); the operator's dead-letter decisions hold
 * through a replay; a second replay is refused while one is active. (Storage
 * is per test file, so a full replay here touches only this file's data.)
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertUserRule } from "../src/db/intel/user-rules";
import { createJob, failJob } from "../src/db/pipeline/jobs";
import type { AnyEvent } from "../src/events/catalog";
import { api } from "./helpers/auth";
import { EventFactory, shuffle } from "./helpers/events";
import {
  adminToken,
  deliverDeadLetters,
  deliverEvents,
  goldSnapshot,
  goldTables,
  rows,
  waitFor,
  wipeSilverAndGold,
} from "./helpers/pipeline";

function nextMonth(m: string): string {
  const [y, mo] = m.split("-").map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, "0")}`;
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
        const buy = f.tx(a, "purchase", 500 + d * 11, {
          at: `${m}-${String(d).padStart(2, "0")}T13:00:00.000Z`,
          merchant: d % 2 ? "AMZN Mktp US*Q" : "Trader Joe's #5",
        });
        out.push(buy, f.tx(b, "purchase", 300 + d, { at: `${m}-${String(d).padStart(2, "0")}T14:00:00.000Z`, merchant: "Cafe Luna" }));
        if (d === 12) out.push(f.reversal(a, buy));
        // Recategorized twice: once within its month, once from the next month (the annotation's own time is later).
        if (d === 17) {
          out.push(f.annotate(a, buy, { category: "travel", at: `${m}-25T09:00:00.000Z` }));
          out.push(f.annotate(a, buy, { category: "fun", tags: ["trip"], at: `${nextMonth(m)}-03T09:00:00.000Z` }));
        }
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

describe("replay", () => {
  it("rebuilds exactly the live Gold after Silver and Gold are wiped, then a ranged replay rebuilds only its months", async () => {
    const events = activity(["2025-01", "2025-02", "2025-03"]);
    // The first user's rules apply live (source rule and learned); the replay must give the same rows.
    const userId = events[0]!.user_id;
    const luna = [{ field: "merchant" as const, op: "is" as const, value: "cafe-luna" }];
    const base = { user_id: userId, enabled: true, created_at: "2025-01-01T00:00:00.000Z" };
    await insertUserRule(env.DB, {
      ...base,
      id: "rul_replay0000000000001",
      stage: "default",
      conditions: luna,
      actions: { category: "coffee" },
      source: "learned",
      confidence: 0.8,
    });
    const amazon = [{ field: "merchant" as const, op: "is" as const, value: "amazon" }];
    await insertUserRule(env.DB, {
      ...base,
      id: "rul_replay0000000000002",
      stage: "post",
      conditions: amazon,
      actions: { category: "books" },
      source: "user",
      confidence: null,
    });
    const noisy = shuffle([...events, ...events.slice(0, 40)], 99);
    for (let i = 0; i < noisy.length; i += 37) await deliverEvents(noisy.slice(i, i + 37));
    await deliverEvents(["not an event"]); // invalid lines in Bronze are skipped by replay, not re-applied
    const live = await goldTables();
    const sources = (live.silver_transactions as { user_id: string; category: string; category_source: string }[])
      .filter((r) => r.user_id === userId)
      .map((r) => `${r.category}/${r.category_source}`);
    expect(sources).toContain("coffee/learned");
    expect(sources).toContain("books/rule");
    expect((live.gold_daily_balances ?? []).length).toBeGreaterThan(50);
    // The annotations moved their purchases to "fun" in Gold (the test would prove nothing otherwise).
    expect(
      (live.gold_spending as { dimension: string; key: string; amount: number }[]).some(
        (r) => r.dimension === "category" && r.key === "fun" && r.amount > 0,
      ),
    ).toBe(true);

    await wipeSilverAndGold();
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
    expect(job).toMatchObject({
      processed: archived,
      total: archived,
      percent: 100,
      started_at: expect.any(String),
      finished_at: expect.any(String),
    });
    expect(await goldTables()).toEqual(live);

    // The audit has the replay's chunks, linked to the job.
    const chunks = await rows<{ valid: number; invalid: number; duplicates: number }>(
      "SELECT valid, invalid, duplicates FROM pipeline_runs WHERE job_id = ?1",
      job.id,
    );
    expect(chunks.reduce((n, c) => n + c.valid, 0)).toBe(archived - 1);
    expect(chunks.reduce((n, c) => n + c.invalid, 0)).toBe(1);
    expect(chunks.reduce((n, c) => n + c.duplicates, 0)).toBe(archived - 1 - events.length);

    // January alone: its entries' annotations made in February are rebuilt with it.
    await env.DB.prepare("UPDATE gold_spending SET amount = amount + 1 WHERE month = '2025-01'").run();
    await env.DB.prepare("UPDATE silver_transactions SET category = 'corrupt' WHERE event_date LIKE '2025-01-%'").run();
    await replay(admin, { from: "2025-01-01", to: "2025-01-31" });
    expect(await goldTables()).toEqual(live);

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

  it("refuses a second replay while one is queued or running, and validates the range", async () => {
    const admin = await adminToken();
    expect((await api("POST", "/v1/admin/replay", { token: admin, body: { from: "2025-03-01", to: "2025-02-01" } })).status).toBe(400);
    expect((await api("POST", "/v1/admin/replay", { token: admin, body: { from: "2025-02-30" } })).status).toBe(400);
    expect((await api("POST", "/v1/admin/replay", { token: admin, body: { from: "2025-02-01", extra: 1 } })).status).toBe(400);
    // An active replay that no consumer will advance: the refusal cannot race its completion.
    const active = (await createJob(
      env.DB,
      "replay",
      "usr_admin",
      { from: null, to: null, from_month: null, to_month: null },
      { exclusive: true },
    ))!;
    for (const status of ["queued", "running"]) {
      await env.DB.prepare("UPDATE jobs SET status = ?2 WHERE id = ?1").bind(active.id, status).run();
      const refused = await api("POST", "/v1/admin/replay", { token: admin, body: { from: "2024-06-01", to: "2024-06-30" } });
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: "conflict", details: { job_id: active.id } });
    }
    await failJob(env.DB, active.id, "ended by the test");
    const next = await api("POST", "/v1/admin/replay", { token: admin, body: { from: "2024-06-01", to: "2024-06-30" } });
    expect(next.status).toBe(202);
    const done = await waitFor(
      async () => (await api("GET", `/v1/admin/jobs/${next.body.id}`, { token: admin })).body.status === "succeeded",
      20_000,
      100,
    );
    expect(done).toBe(true);
    expect((await api("GET", "/v1/admin/jobs/job_0000000000000000zzzz", { token: admin })).status).toBe(404);
  });

  it("keeps the operator's dead-letter decisions: discarded and open events stay out, corrections replace their original", async () => {
    const admin = await adminToken();
    const f = new EventFactory();
    const a = f.account();
    await deliverEvents([f.opened(a, "2025-04-01T08:00:00.000Z"), f.tx(a, "deposit", 10_000, { at: "2025-04-01T09:00:00.000Z" })]);
    // Five valid deposits whose deliveries failed until the queue dead-lettered them (Bronze holds each).
    const stuck = [111, 222, 333, 444, 555].map((n) => f.tx(a, "deposit", n, { at: "2025-04-02T10:00:00.000Z" }));
    const crash = () => {
      throw new Error("injected: D1 unreachable");
    };
    for (const e of stuck) {
      await deliverEvents([e], { failpoint: (stage) => stage === "before_commit" && crash() });
      await deliverDeadLetters([e], 6);
    }
    const [discarded, sameId, newId, appliedAnyway] = stuck as [AnyEvent, AnyEvent, AnyEvent, AnyEvent, AnyEvent]; // the fifth stays open
    const letter = async (e: AnyEvent) =>
      (await rows<{ id: string }>("SELECT id FROM dead_letters WHERE event_id = ?1", e.event_id))[0]!.id;
    const resolve = (e: AnyEvent, action: string, body?: unknown) =>
      letter(e).then((id) =>
        api("POST", `/v1/admin/dead-letters/${id}/${action}`, { token: admin, ...(body !== undefined ? { body: { body } } : {}) }),
      );

    expect((await resolve(discarded, "discard")).status).toBe(200);
    const fixedSame = structuredClone(sameId);
    (fixedSame.payload as { amount: number }).amount = 2_222;
    expect((await resolve(sameId, "replay", fixedSame)).status).toBe(200);
    const fixedNew = { ...structuredClone(newId), event_id: `evt_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}` };
    (fixedNew.payload as { amount: number }).amount = 3_333;
    expect((await resolve(newId, "replay", fixedNew)).status).toBe(200);
    // A later delivery applied this one after all; a same-id correction would be dropped, so it is refused.
    await deliverEvents([appliedAnyway]);
    const tooLate = structuredClone(appliedAnyway);
    (tooLate.payload as { amount: number }).amount = 4;
    expect((await resolve(appliedAnyway, "replay", tooLate)).status).toBe(409);
    expect((await resolve(appliedAnyway, "discard")).status).toBe(200);

    const live = await waitFor(
      async () => {
        const g = await goldSnapshot(f.userId);
        return (g.daily[1] as { inflow?: number } | undefined)?.inflow === 2_222 + 3_333 + 444 ? g : null;
      },
      15_000,
      100,
    );
    const job = await replay(admin);
    expect(await goldSnapshot(f.userId)).toEqual(live);
    expect(job.result).toEqual({ dead_letter_copies_left_out: 4 }); // discarded, both originals, the open one
  });
});
