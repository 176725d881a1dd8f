/**
 * The per-user export quota (issue 8): at most 2 exports queued or running and
 * 20 started per hour, both checked in the job INSERT, so concurrent requests
 * cannot pass them. Refusals are 429 rate_limited with Retry-After.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EXPORT_QUOTA } from "../src/db/pipeline/export-quota";
import { api, registerUser } from "./helpers/auth";

type User = Awaited<ReturnType<typeof registerUser>>;
const BODY = { dataset: "transactions", from: "2025-01-01", to: "2025-12-31" };
const startExport = (u: User) => api("POST", "/v1/exports", { token: u.access_token, body: BODY });

const count = async (userId: string, where = "1") =>
  (await env.DB.prepare(`SELECT count(*) AS n FROM jobs WHERE kind = 'export' AND created_by = ?1 AND ${where}`)
    .bind(userId)
    .first<{ n: number }>())!.n;

/** Past exports of `userId`, finished, created `agoMs` before now (as if run earlier this hour). */
async function pastExports(userId: string, n: number, agoMs: number) {
  const at = new Date(Date.now() - agoMs).toISOString();
  for (let i = 0; i < n; i++) {
    await env.DB.prepare(
      `INSERT INTO jobs (id, kind, status, created_by, params, step, processed, created_at, heartbeat_at, finished_at)
       VALUES (?1, 'export', 'succeeded', ?2, '{}', 1, 0, ?3, ?3, ?3)`,
    )
      .bind(`job_past${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`, userId, at)
      .run();
  }
}

function expectQuota(r: Awaited<ReturnType<typeof api>>, policy: string, limit: number) {
  expect(r.status, JSON.stringify(r.body)).toBe(429);
  expect(r.body.error).toMatchObject({ code: "rate_limited", details: { policy, limit } });
  const wait = Number(r.headers.get("retry-after"));
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBe(r.body.error.details.retry_after_seconds);
  return wait;
}

describe("export quota", () => {
  it(`20 concurrent exports: ${EXPORT_QUOTA.unfinished} start (more only as earlier ones finish), the rest get 429; another user is unaffected`, async () => {
    const [u, other] = await Promise.all([registerUser(), registerUser()]);
    const replies = await Promise.all(Array.from({ length: 20 }, () => startExport(u)));
    const started = replies.filter((r) => r.status === 202);
    // The JOBS consumer may finish one while the others are still arriving, so "unfinished" is
    // counted at each INSERT; never more than the quota at once, and never fewer than the quota.
    expect(started.length).toBeGreaterThanOrEqual(EXPORT_QUOTA.unfinished);
    const finished = await count(u.user.id, "status IN ('succeeded', 'failed')");
    expect(started.length).toBeLessThanOrEqual(EXPORT_QUOTA.unfinished + finished);
    expect(started.length).toBeLessThan(20);
    expect(replies.every((r) => r.status === 202 || r.status === 429)).toBe(true);
    for (const r of replies.filter((x) => x.status === 429)) {
      expect(r.body.error.details.policy).toBe("export-unfinished");
      expect(r.headers.get("retry-after")).toBe("10");
    }
    expect(await count(u.user.id)).toBe(started.length);
    expect((await startExport(other)).status).toBe(202);
  });

  it(`${EXPORT_QUOTA.perHour} an hour, counted in the INSERT: concurrent requests at 18 start at most 2 more; Retry-After is when the oldest leaves the hour`, async () => {
    const u = await registerUser();
    // 18 finished exports 50 minutes ago: 2 left this hour; none unfinished.
    await pastExports(u.user.id, EXPORT_QUOTA.perHour - 2, 50 * 60_000);
    const replies = await Promise.all(Array.from({ length: 10 }, () => startExport(u)));
    const started = replies.filter((r) => r.status === 202).length;
    expect(started).toBeLessThanOrEqual(2);
    expect(started).toBeGreaterThanOrEqual(1);
    expect(await count(u.user.id)).toBe(EXPORT_QUOTA.perHour - 2 + started);
    // Wait until both slots are used (the first two may still be running), then the hour is full.
    for (let i = 0; i < 100 && (await count(u.user.id)) < EXPORT_QUOTA.perHour; i++) {
      const r = await startExport(u);
      if (r.status === 429 && r.body.error.details.policy === "export-unfinished") await new Promise((res) => setTimeout(res, 100));
    }
    expect(await count(u.user.id)).toBe(EXPORT_QUOTA.perHour);
    const wait = expectQuota(await startExport(u), "export-hourly", EXPORT_QUOTA.perHour);
    // The oldest export of the hour is 50 minutes old: it leaves the window in about 10 minutes.
    expect(wait).toBeGreaterThan(9 * 60);
    expect(wait).toBeLessThanOrEqual(10 * 60);
    expect(await count(u.user.id)).toBe(EXPORT_QUOTA.perHour);
  });

  it("exports older than an hour, and stuck ones, do not count", async () => {
    const u = await registerUser();
    await pastExports(u.user.id, EXPORT_QUOTA.perHour, 61 * 60_000);
    // Two unfinished exports whose last progress was 20 minutes ago (stalled): they no longer block.
    const stale = new Date(Date.now() - 20 * 60_000).toISOString();
    for (let i = 0; i < EXPORT_QUOTA.unfinished; i++) {
      await env.DB.prepare(
        `INSERT INTO jobs (id, kind, status, created_by, params, step, processed, created_at, heartbeat_at)
         VALUES (?1, 'export', 'running', ?2, '{}', 1, 0, ?3, ?3)`,
      )
        .bind(`job_stuck${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`, u.user.id, stale)
        .run();
    }
    expect((await startExport(u)).status).toBe(202);
  });
});
