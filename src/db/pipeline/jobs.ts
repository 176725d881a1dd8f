/**
 * Background job rows (replay, export). A job advances one step per JOBS
 * message; each step's progress is guarded by the step number, so a
 * redelivered message for a step already taken changes nothing.
 */
import { newJobId } from "../../domain/ids";
import type { JobKind } from "../../pipeline/jobs-protocol";
import { type JobQuota, QUOTA_SQL, quotaBindings } from "./export-quota";

export type { JobKind, JobMessage } from "../../pipeline/jobs-protocol";
export type JobStatus = "queued" | "running" | "succeeded" | "failed";

export interface JobRow {
  id: string;
  kind: JobKind;
  status: JobStatus;
  created_by: string;
  params: string;
  cursor: string | null;
  step: number;
  processed: number;
  total: number | null;
  result: string | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  heartbeat_at: string;
}

/**
 * A new queued job; with `exclusive`, null when a job of this kind is already
 * queued or running; with `quota`, null when `createdBy` is at its limit of
 * unfinished jobs of this kind or of jobs started in the window. The checks
 * are part of the INSERT, so concurrent requests cannot pass them.
 */
export async function createJob(
  db: D1Database,
  kind: JobKind,
  createdBy: string,
  params: unknown,
  opts: { exclusive?: boolean; quota?: JobQuota } = {},
): Promise<JobRow | null> {
  const nowMs = Date.now();
  const now = new Date(nowMs).toISOString();
  const row: JobRow = {
    id: newJobId(),
    kind,
    status: "queued",
    created_by: createdBy,
    params: JSON.stringify(params),
    cursor: null,
    step: 0,
    processed: 0,
    total: null,
    result: null,
    error: null,
    created_at: now,
    started_at: null,
    finished_at: null,
    heartbeat_at: now,
  };
  const r = await db
    .prepare(
      `INSERT INTO jobs (id, kind, status, created_by, params, step, processed, created_at, heartbeat_at)
       SELECT ?1, ?2, 'queued', ?3, ?4, 0, 0, ?5, ?5
       WHERE (NOT ?6 OR NOT EXISTS (SELECT 1 FROM jobs WHERE kind = ?2 AND status IN ('queued', 'running')))
         AND ${QUOTA_SQL}`,
    )
    .bind(row.id, kind, createdBy, row.params, now, opts.exclusive ? 1 : 0, ...quotaBindings(opts.quota, nowMs))
    .run();
  return r.meta.changes === 1 ? row : null;
}

export async function getJob(db: D1Database, id: string): Promise<JobRow | null> {
  return db.prepare("SELECT * FROM jobs WHERE id = ?1").bind(id).first<JobRow>();
}

/** A user's jobs of one kind, newest first, after the cursor (created_at, id); one row more than `limit` tells has_more. */
export async function listJobs(
  db: D1Database,
  q: { kind: JobKind; createdBy: string; after: [string, string] | null; limit: number },
): Promise<JobRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM jobs WHERE created_by = ?1 AND kind = ?2
         AND (?3 IS NULL OR created_at < ?3 OR (created_at = ?3 AND id < ?4))
       ORDER BY created_at DESC, id DESC LIMIT ?5`,
    )
    .bind(q.createdBy, q.kind, q.after?.[0] ?? null, q.after?.[1] ?? null, q.limit + 1)
    .all<JobRow>();
  return results;
}

/** Is a job of this kind still queued or running (one replay at a time)? */
export async function activeJob(db: D1Database, kind: JobKind): Promise<JobRow | null> {
  return db
    .prepare("SELECT * FROM jobs WHERE kind = ?1 AND status IN ('queued', 'running') ORDER BY created_at DESC LIMIT 1")
    .bind(kind)
    .first<JobRow>();
}

/** Advances a job from `step` to `step + 1`; matches nothing if another delivery got there first. */
export function advanceStatement(
  db: D1Database,
  job: Pick<JobRow, "id" | "step">,
  change: { cursor: string | null; processed: number; total?: number | null; done?: boolean; result?: unknown },
): D1PreparedStatement {
  const now = new Date().toISOString();
  return db
    .prepare(
      `UPDATE jobs SET step = step + 1, cursor = ?3, processed = processed + ?4,
         total = CASE WHEN ?6 THEN MAX(COALESCE(?5, total, 0), processed + ?4) ELSE COALESCE(?5, total) END,
         status = CASE WHEN ?6 THEN 'succeeded' ELSE 'running' END,
         started_at = COALESCE(started_at, ?7), finished_at = CASE WHEN ?6 THEN ?7 ELSE NULL END,
         result = COALESCE(?8, result), heartbeat_at = ?7
       WHERE id = ?1 AND step = ?2 AND status IN ('queued', 'running')`,
    )
    .bind(
      job.id,
      job.step,
      change.cursor,
      change.processed,
      change.total ?? null,
      change.done ? 1 : 0,
      now,
      change.result === undefined ? null : JSON.stringify(change.result),
    );
}

/** A running job whose last progress is older than this is considered stalled. */
export const STALL_MS = 60_000;

export function isStalled(job: JobRow, stallMs = STALL_MS, now = Date.now()): boolean {
  return now - Date.parse(job.heartbeat_at) > stallMs;
}

export async function failJob(db: D1Database, id: string, error: string): Promise<void> {
  await db
    .prepare("UPDATE jobs SET status = 'failed', error = ?2, finished_at = ?3 WHERE id = ?1 AND status IN ('queued', 'running')")
    .bind(id, error.slice(0, 2000), new Date().toISOString())
    .run();
}

/** The public view of a job's progress. */
export function jobView(job: JobRow) {
  const total = job.total;
  const percent =
    job.status === "succeeded" ? 100 : total && total > 0 ? Math.min(100, Math.floor((job.processed / total) * 1000) / 10) : 0;
  return {
    id: job.id,
    object: "job" as const,
    kind: job.kind,
    status: job.status,
    processed: job.processed,
    total,
    percent,
    params: JSON.parse(job.params) as unknown,
    result: job.result ? (JSON.parse(job.result) as unknown) : null,
    error: job.error,
    created_at: job.created_at,
    started_at: job.started_at,
    finished_at: job.finished_at,
  };
}
