/**
 * Drives the real queue consumers with `createMessageBatch` and reads the
 * real local D1/R2 back: Gold snapshots per user, polling with a bound.
 */
import { createExecutionContext, createMessageBatch, getQueueResult, type QueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { consumeEvents, type ConsumeOptions } from "../../queues/events";
import { consumeDeadLetters } from "../../queues/dead-letters";
import { consumeJobs, JOB_LIMITS, type JobLimits } from "../../queues/jobs";
import { GOLD_TABLES } from "../../src/db/pipeline/gold";
import type { JobMessage } from "../../src/db/pipeline/jobs";
import { signAccessToken } from "../../src/auth/access-token";
import { DUMMY_PASSWORD_HASH } from "../../src/auth/password";
import { openSession } from "../../src/auth/sessions";
import { loadConfig } from "../../src/config";
import { newTokenFamilyId } from "../../src/domain/ids";
import { grantAdmin } from "./roles";

let counter = 0;

export function messageBatch(queue: string, bodies: readonly unknown[], attempts = 1): MessageBatch {
  return createMessageBatch(
    queue,
    bodies.map((body) => ({ id: `msg-${Date.now()}-${counter++}`, timestamp: new Date(), attempts, body })),
  );
}

export async function deliverEvents(bodies: readonly unknown[], opts: ConsumeOptions & { attempts?: number } = {}): Promise<QueueResult> {
  const batch = messageBatch("finedge-events", bodies, opts.attempts);
  const ctx = createExecutionContext();
  await consumeEvents(batch, env, opts);
  return getQueueResult(batch, ctx);
}

export async function deliverDeadLetters(bodies: readonly unknown[], attempts = 1): Promise<QueueResult> {
  const batch = messageBatch("finedge-events-dlq", bodies, attempts);
  const ctx = createExecutionContext();
  await consumeDeadLetters(batch, env);
  return getQueueResult(batch, ctx);
}

/**
 * Delivers one JOBS message to the real consumer with the given limits. The
 * messages the step sends for its successor are captured, not queued, so the
 * test decides when (and whether) the next invocation happens.
 */
export async function deliverJob(
  message: JobMessage,
  opts: { limits?: JobLimits; attempts?: number } = {},
): Promise<{ result: QueueResult; sent: JobMessage[]; retryDelays: (number | undefined)[] }> {
  const sent: JobMessage[] = [];
  const jobs = { send: async (body: JobMessage) => void sent.push(body), sendBatch: async () => undefined } as unknown as Queue;
  const batch = messageBatch("finedge-jobs", [message], opts.attempts);
  // The harness records that a message was retried, not its delay: note the delay on the way through.
  const retryDelays: (number | undefined)[] = [];
  const m = batch.messages[0]!;
  const retry = m.retry.bind(m);
  m.retry = (o?: QueueRetryOptions) => {
    retryDelays.push(o?.delaySeconds);
    retry(o);
  };
  const ctx = createExecutionContext();
  await consumeJobs(batch, { ...env, JOBS: jobs }, opts.limits ?? JOB_LIMITS);
  return { result: await getQueueResult(batch, ctx), sent, retryDelays };
}

export async function rows<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]> {
  return (
    await env.DB.prepare(sql)
      .bind(...params)
      .all<T>()
  ).results;
}

/** Every Gold row that belongs to `userId`, in a stable order, for equality checks. */
export async function goldSnapshot(userId: string) {
  return {
    daily: await rows("SELECT * FROM gold_daily_balances WHERE user_id = ?1 ORDER BY account_id, day", userId),
    spending: await rows("SELECT * FROM gold_spending WHERE user_id = ?1 ORDER BY month, dimension, key, currency", userId),
    flows: await rows("SELECT * FROM gold_monthly_flows WHERE user_id = ?1 ORDER BY account_id, month, kind", userId),
    transfers: await rows("SELECT * FROM gold_transfers WHERE user_id = ?1 ORDER BY transfer_id, stage", userId),
  };
}

/** Every Gold row and the Silver events, in a stable order: replay must reproduce them exactly. */
export async function goldTables(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of GOLD_TABLES) out[t] = await rows(`SELECT * FROM ${t} ORDER BY 1, 2, 3, 4`);
  out.silver_transactions = await rows("SELECT * FROM silver_transactions ORDER BY account_id, entry_id");
  out.silver = await rows(
    "SELECT event_id, type, account_id, user_id, seq, occurred_at, event_date, payload FROM silver_events ORDER BY event_id",
  );
  return out;
}

export async function wipeSilverAndGold(): Promise<void> {
  for (const t of [...GOLD_TABLES, "silver_events", "silver_transactions"]) await env.DB.prepare(`DELETE FROM ${t}`).run();
}

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * A signed access token for an arbitrary user id, in a session opened for it
 * in that user's UserDO (requireAuth checks it), with no D1 user needed.
 */
export async function tokenFor(userId: string, role: "user" | "admin" = "user"): Promise<string> {
  const cfg = loadConfig(env);
  if (!cfg.ok) throw new Error(cfg.problems.join("; "));
  const sessionId = newTokenFamilyId();
  if (!(await openSession(env, userId, sessionId))) throw new Error(`tokenFor: ${userId} is disabled`);
  return signAccessToken(cfg.config, { userId, role, sessionId });
}

/** A token of a fresh admin: a D1 user made admin by the operator command's statements (test/helpers/roles.ts). */
export async function adminToken(): Promise<string> {
  const userId = `usr_admin${crypto.randomUUID().replaceAll("-", "").slice(0, 11)}`;
  const email = `${userId}@admins.test`;
  await env.DB.prepare("INSERT INTO users (id, email, password_hash, role, created_at) VALUES (?, ?, ?, 'user', ?)")
    .bind(userId, email, DUMMY_PASSWORD_HASH, new Date().toISOString())
    .run();
  const granted = await grantAdmin(email, { reason: "adminToken test helper" });
  if (granted?.role !== "admin") throw new Error("adminToken: the grant did not apply");
  return tokenFor(userId, "admin");
}

/** Registers an account in the D1 registry, as the accounts route does when it opens one. */
export async function registerAccount(
  a: { id: string; userId: string; currency: string },
  type = "checking",
  creditLimit = 0,
): Promise<void> {
  await env.DB.prepare(
    "INSERT INTO accounts (id, user_id, type, currency, name, credit_limit, status, created_at) VALUES (?1, ?2, ?3, ?4, 'Test', ?5, 'open', ?6)",
  )
    .bind(a.id, a.userId, type, a.currency, creditLimit, new Date().toISOString())
    .run();
}
