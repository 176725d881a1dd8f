/**
 * Background jobs across many invocations, against the real JOBS consumer
 * with small limits: a replay split into several job messages still rebuilds
 * the live Gold with progress that adds up; an export splits months into
 * parts whose manifest counts add up; a lost step message is re-sent by the
 * watchdog once the job goes silent, and only then.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createJob, getJob, jobView, type JobMessage } from "../src/db/pipeline/jobs";
import { JOB_LIMITS, type JobLimits } from "../queues/jobs";
import type { ReplayParams } from "../src/pipeline/jobs-protocol";
import { api } from "./helpers/auth";
import { EventFactory } from "./helpers/events";
import { deliverEvents, deliverJob, goldTables, rows, tokenFor, wipeSilverAndGold } from "./helpers/pipeline";

type Progress = ReturnType<typeof jobView>;

/** Runs a job to the end one JOBS message at a time; the progress after each invocation. */
async function driveJob(jobId: string, limits: JobLimits): Promise<Progress[]> {
  const seen: Progress[] = [];
  let message: JobMessage | undefined = { job_id: jobId, step: 0 };
  while (message) {
    const { result, sent } = await deliverJob(message, { limits });
    expect(result.retryMessages).toEqual([]);
    seen.push(jobView((await getJob(env.DB, jobId))!));
    expect(sent.length).toBeLessThanOrEqual(1);
    message = sent[0];
    if (seen.length > 200) throw new Error("job does not finish");
  }
  return seen;
}

function expectSteadyProgress(seen: Progress[], total: number): void {
  expect(seen.every((p) => p.total === total)).toBe(true);
  for (let i = 1; i < seen.length; i++) expect(seen[i]!.processed).toBeGreaterThanOrEqual(seen[i - 1]!.processed);
  for (const p of seen.slice(0, -1)) {
    expect(p.status).toBe("running");
    expect(p.percent).toBe(Math.floor((p.processed / total) * 1000) / 10);
  }
  expect(seen[seen.length - 1]).toMatchObject({ status: "succeeded", processed: total, percent: 100 });
}

const limits = (over: { replay?: Partial<JobLimits["replay"]>; export?: Partial<JobLimits["export"]>; stallMs?: number }): JobLimits => ({
  ...JOB_LIMITS,
  ...(over.stallMs !== undefined ? { stallMs: over.stallMs } : {}),
  replay: { ...JOB_LIMITS.replay, ...over.replay },
  export: { ...JOB_LIMITS.export, ...over.export },
});

const EVERYTHING: ReplayParams = { from: null, to: null, from_month: null, to_month: null };

async function archiveCount(): Promise<{ objects: number; events: number }> {
  let objects = 0;
  let events = 0;
  let cursor: string | undefined;
  do {
    const page = await env.LAKE.list({ prefix: "bronze/events/", include: ["customMetadata"], cursor });
    objects += page.objects.length;
    for (const o of page.objects) events += Number(o.customMetadata!.count);
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return { objects, events };
}

describe("replay across invocations", () => {
  it("gives the live Gold when every invocation stops at its object or time budget, with progress that adds up", async () => {
    for (let u = 0; u < 3; u++) {
      const f = new EventFactory();
      const a = f.account();
      const events = [f.opened(a, "2025-08-01T08:00:00.000Z")];
      for (let d = 1; d <= 24; d++) {
        const at = `2025-0${8 + (d % 2)}-${String(d).padStart(2, "0")}T1${d % 10}:00:00.000Z`;
        events.push(f.tx(a, d % 3 ? "purchase" : "deposit", 100 * d, { at, merchant: d % 2 ? "Cafe Luna" : "AMZN Mktp US*Z" }));
      }
      for (let i = 0; i < events.length; i += 3) await deliverEvents(events.slice(i, i + 3));
    }
    const live = await goldTables();
    const archive = await archiveCount();
    expect(archive.objects).toBeGreaterThan(20);

    // At most 4 objects per invocation, chunks of at most 2 events (or one larger object): many messages, several chunks each.
    await wipeSilverAndGold();
    const byObjects = (await createJob(env.DB, "replay", "usr_admin", EVERYTHING))!;
    const seen = await driveJob(byObjects.id, limits({ replay: { maxObjectsPerInvocation: 4, chunkEvents: 2, fetchConcurrency: 2 } }));
    expect(seen.length).toBeGreaterThanOrEqual(Math.ceil(archive.objects / 4));
    expectSteadyProgress(seen, archive.events);
    expect(await goldTables()).toEqual(live);
    const chunks = await rows("SELECT id FROM pipeline_runs WHERE job_id = ?1", byObjects.id);
    expect(chunks.length).toBeGreaterThan(seen.length);

    // A spent time budget: exactly one chunk per invocation.
    await wipeSilverAndGold();
    const byTime = (await createJob(env.DB, "replay", "usr_admin", EVERYTHING))!;
    const timed = await driveJob(byTime.id, limits({ replay: { timeBudgetMs: 0, chunkEvents: 9 } }));
    const timedChunks = await rows("SELECT id FROM pipeline_runs WHERE job_id = ?1", byTime.id);
    expect(timed.length - timedChunks.length).toBeGreaterThanOrEqual(0); // the last invocation may find nothing left
    expect(timed.length - timedChunks.length).toBeLessThanOrEqual(1);
    expect(timedChunks.length).toBeGreaterThan(3);
    expectSteadyProgress(timed, archive.events);
    expect(await goldTables()).toEqual(live);
  });
});

describe("exports across invocations", () => {
  it("splits each month into parts of at most partRows rows, one part per invocation; the manifest adds up", async () => {
    const f = new EventFactory();
    const a = f.account();
    const events = [f.opened(a, "2025-10-01T08:00:00.000Z")];
    for (let d = 1; d <= 11; d++) events.push(f.tx(a, "deposit", d, { at: `2025-10-${String(d).padStart(2, "0")}T09:00:00.000Z` }));
    for (let d = 1; d <= 4; d++) events.push(f.tx(a, "fee", d, { at: `2025-11-${String(d).padStart(2, "0")}T09:00:00.000Z` }));
    await deliverEvents(events);
    const params = { dataset: "transactions", format: "ndjson", from: "2025-10-01", to: "2025-11-30", user_id: f.userId };
    const job = (await createJob(env.DB, "export", f.userId, params))!;

    const seen = await driveJob(job.id, limits({ export: { pageRows: 2, partRows: 3, timeBudgetMs: 0 } }));
    expectSteadyProgress(seen, 15);
    const token = await tokenFor(f.userId);
    const res = await api("GET", `/v1/exports/${job.id}`, { token });
    const files = res.body.files as { name: string; rows: number; url: string }[];
    expect(files.map((x) => [x.name, x.rows])).toEqual([
      ["month=2025-10/part-00000.ndjson", 3],
      ["month=2025-10/part-00001.ndjson", 3],
      ["month=2025-10/part-00002.ndjson", 3],
      ["month=2025-10/part-00003.ndjson", 2],
      ["month=2025-11/part-00000.ndjson", 3],
      ["month=2025-11/part-00001.ndjson", 1],
    ]);
    expect(res.body.result.rows).toBe(files.reduce((n, x) => n + x.rows, 0));
    // Every part holds what the manifest says, and together exactly the month's transactions, once each.
    const ids: string[] = [];
    for (const file of files) {
      const lines = (await env.LAKE.get(`exports/${job.id}/transactions/${file.name}`))!;
      const parsed = (await lines.text())
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { event_id: string });
      expect(parsed).toHaveLength(file.rows);
      ids.push(...parsed.map((r) => r.event_id));
    }
    expect(ids.sort()).toEqual(
      events
        .slice(1)
        .map((e) => e.event_id)
        .sort(),
    );
  });
});

describe("the job watchdog", () => {
  it("holds a stale message while the job is fresh, re-sends the current step once it is silent, and the job still finishes", async () => {
    const f = new EventFactory();
    const a = f.account();
    await deliverEvents([1, 2, 3, 4].map((d) => f.tx(a, "deposit", d, { at: `2025-12-0${d}T09:00:00.000Z` })));
    const job = (await createJob(env.DB, "export", f.userId, {
      dataset: "events",
      format: "ndjson",
      from: "2025-12-01",
      to: "2025-12-31",
      user_id: f.userId,
    }))!;
    const small = limits({ export: { partRows: 1, timeBudgetMs: 0 }, stallMs: 2_000 });

    // Step 0 runs; the message for its successor is lost.
    const first = await deliverJob({ job_id: job.id, step: 0 }, { limits: small });
    const lost = first.sent[0]!;
    expect(lost.step).toBeGreaterThan(0);

    // The original message comes back as a watchdog: the job is fresh, so it waits stallMs and re-checks.
    const held = await deliverJob({ job_id: job.id, step: 0 }, { limits: small, attempts: 2 });
    expect(held.sent).toEqual([]);
    expect(held.result.retryMessages).toHaveLength(1);
    expect(held.retryDelays).toEqual([2]);
    // Out of watchdog attempts, it is dropped.
    const dropped = await deliverJob({ job_id: job.id, step: 0 }, { limits: small, attempts: small.watchdogAttempts });
    expect([dropped.sent, dropped.result.retryMessages, dropped.result.explicitAcks.length]).toEqual([[], [], 1]);

    // Silent for longer than stallMs: the watchdog re-sends exactly the lost step.
    await env.DB.prepare("UPDATE jobs SET heartbeat_at = ?2 WHERE id = ?1")
      .bind(job.id, new Date(Date.now() - 5_000).toISOString())
      .run();
    const resent = await deliverJob({ job_id: job.id, step: 0 }, { limits: small, attempts: 3 });
    expect(resent.sent).toEqual([lost]);
    expect(resent.result.explicitAcks).toHaveLength(1);

    let next: JobMessage | undefined = resent.sent[0];
    while (next) next = (await deliverJob(next, { limits: small })).sent[0];
    expect(jobView((await getJob(env.DB, job.id))!)).toMatchObject({ status: "succeeded", processed: 4, total: 4, percent: 100 });
    expect((JSON.parse((await getJob(env.DB, job.id))!.result!) as { files: unknown[] }).files).toHaveLength(4);
  });
});
