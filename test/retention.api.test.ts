/**
 * The retention job (issue 13): past its age, what grows without bound goes
 * (pipeline runs, finished jobs and their replay exclusions, stale login
 * throttle rows, stored mail and its idempotency records); everything younger,
 * and every unfinished job, stays; the run is one audit entry. Ages come from
 * RETENTION_* variables with safe defaults.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LazySql } from "../durable/user/lazy-sql";
import { WebhookDeliveries } from "../durable/user/webhook-deliveries";
import { RETENTION_CRON, runRetention } from "../queues/retention";
import { KEYS_PREFIX, MESSAGES_PREFIX, newMailId, sha256Hex, storeMessage } from "../src/lib/email/mailbox";
import { retentionPolicy } from "../src/lib/retention-policy";
import { listAudit } from "../src/db/audit";
import { rows } from "./helpers/pipeline";

const DAY = 86_400_000;
const tag = () => crypto.randomUUID().replaceAll("-", "").slice(0, 16);

async function seed(now: number) {
  const t = tag();
  const ago = (days: number) => new Date(now - days * DAY).toISOString();
  const run = (id: string, at: string) =>
    env.DB.prepare(
      "INSERT INTO pipeline_runs (id, queue, started_at, finished_at, duration_ms, messages, status) VALUES (?1, 'finedge-events', ?2, ?2, 1, 1, 'ok')",
    ).bind(id, at);
  const job = (id: string, status: string, at: string) =>
    env.DB.prepare(
      "INSERT INTO jobs (id, kind, status, created_by, params, created_at, finished_at, heartbeat_at) VALUES (?1, 'replay', ?2, 'usr_x', '{}', ?3, ?4, ?3)",
    ).bind(id, status, at, status === "running" ? null : at);
  const exclusion = (jobId: string) =>
    env.DB.prepare("INSERT INTO replay_exclusions (job_id, dead_letter_id, event_id) VALUES (?1, ?2, 'evt_x')").bind(jobId, `dl_${t}`);
  const attempt = (key: string, windowStart: number) =>
    env.DB.prepare("INSERT INTO login_attempts (key, failures, window_started_at, locked_until) VALUES (?1, 1, ?2, 0)").bind(
      key,
      windowStart,
    );
  const ids = {
    oldRun: `run_old_${t}`,
    newRun: `run_new_${t}`,
    oldJob: `job_old_${t}`,
    oldRunning: `job_running_${t}`,
    newJob: `job_new_${t}`,
    oldAttempt: `ip:old-${t}`,
    newAttempt: `ip:new-${t}`,
  };
  await env.DB.batch([
    run(ids.oldRun, ago(31)),
    run(ids.newRun, ago(29)),
    job(ids.oldJob, "succeeded", ago(91)),
    job(ids.oldRunning, "running", ago(91)),
    job(ids.newJob, "failed", ago(89)),
    exclusion(ids.oldJob),
    exclusion(ids.oldRunning),
    attempt(ids.oldAttempt, now - 2 * DAY),
    attempt(ids.newAttempt, now - 1_000),
  ]);
  const meta = { to: "a@example.test", subject: "s", template: "t", idempotency_key: `k-${t}`, message_id: "<m@x>", sent_at: ago(0) };
  const oldMail = newMailId(now - 31 * DAY);
  const newMail = newMailId(now - 29 * DAY);
  await storeMessage(env.LAKE, oldMail, "old", meta);
  await storeMessage(env.LAKE, newMail, "new", meta);
  const sentKey = `${KEYS_PREFIX}${await sha256Hex(`k-${t}`)}`;
  await env.LAKE.put(sentKey, JSON.stringify({ status: "sent", sent_at: now }));
  return { ...ids, oldMail, newMail, sentKey };
}

const present = async (table: string, column: string, id: string) =>
  (await rows(`SELECT 1 FROM ${table} WHERE ${column} = ?1`, id)).length > 0;

describe("the retention job", () => {
  it("prunes what is past its age and keeps the rest", async () => {
    const now = Date.now();
    const s = await seed(now);
    const deleted = await runRetention(env, now);
    expect(deleted.pipeline_runs).toBeGreaterThanOrEqual(1);
    expect(await present("pipeline_runs", "id", s.oldRun)).toBe(false);
    expect(await present("pipeline_runs", "id", s.newRun)).toBe(true);
    expect(await present("jobs", "id", s.oldJob)).toBe(false);
    expect(await present("jobs", "id", s.oldRunning)).toBe(true);
    expect(await present("jobs", "id", s.newJob)).toBe(true);
    expect(await present("replay_exclusions", "job_id", s.oldJob)).toBe(false);
    expect(await present("replay_exclusions", "job_id", s.oldRunning)).toBe(true);
    expect(await present("login_attempts", "key", s.oldAttempt)).toBe(false);
    expect(await present("login_attempts", "key", s.newAttempt)).toBe(true);
    expect(await env.LAKE.head(`${MESSAGES_PREFIX}${s.oldMail}.eml`)).toBeNull();
    expect(await env.LAKE.head(`${MESSAGES_PREFIX}${s.newMail}.eml`)).not.toBeNull();
    // Uploaded just now: younger than 30 days.
    expect(await env.LAKE.head(s.sentKey)).not.toBeNull();
    const [entry] = await listAudit(env.DB, { actorId: "system:retention", limit: 1 });
    expect(entry).toMatchObject({
      action: "retention.run",
      detail: { pipeline_runs: deleted.pipeline_runs, mail_messages: deleted.mail_messages },
    });

    // A month later the idempotency record is past its age too.
    await runRetention(env, now + 31 * DAY);
    expect(await env.LAKE.head(s.sentKey)).toBeNull();
    expect(await env.LAKE.head(`${MESSAGES_PREFIX}${s.newMail}.eml`)).toBeNull();
    expect(await present("jobs", "id", s.oldRunning)).toBe(true);
  });

  it("runs on its own cron; ages are configurable and fall back to defaults", () => {
    expect(RETENTION_CRON).toBe("30 3 * * *");
    const policy = retentionPolicy({
      ...env,
      RETENTION_PIPELINE_RUNS_DAYS: "7",
      RETENTION_JOBS_DAYS: "0",
      RETENTION_MAIL_DAYS: "1e3",
    } as Env);
    expect(policy.pipelineRunsMs).toBe(7 * DAY);
    expect(policy.jobsMs).toBe(90 * DAY);
    expect(policy.mailMs).toBe(30 * DAY);
    expect(policy.loginAttemptsMs).toBe(1 * DAY);
  });
});

describe("webhook delivery logs", () => {
  it("drop finished deliveries past their age as new ones arrive; pending ones stay", async () => {
    const stub = env.USER.get(env.USER.idFromName(`usr_retention${tag()}`));
    const left = await runInDurableObject(stub, (_inst, state) => {
      const log = new WebhookDeliveries(new LazySql(state.storage.sql), DAY);
      const msg = (id: string) => ({ id, type: "t", body: "{}" });
      const t0 = Date.now() - 10 * DAY;
      log.addDelivery("we_1", msg("old-done"), t0);
      log.addDelivery("we_1", msg("old-pending"), t0);
      state.storage.sql.exec("UPDATE webhook_deliveries SET status = 'succeeded' WHERE message_id = 'old-done'");
      log.addDelivery("we_1", msg("fresh"), Date.now());
      return state.storage.sql.exec<{ message_id: string }>("SELECT message_id FROM webhook_deliveries ORDER BY seq").toArray();
    });
    expect(left.map((r) => r.message_id)).toEqual(["old-pending", "fresh"]);
  });
});
