/**
 * The per-user export quota (issue 8: 20 maximum-range exports in 2 s went
 * through). A user may have EXPORT_QUOTA.unfinished exports queued or running
 * and start EXPORT_QUOTA.perHour in any hour; both are checked inside the job
 * INSERT (createJob's `quota`), so concurrent requests cannot pass them. A
 * queued or running export silent for EXPORT_QUOTA.staleMs no longer counts as
 * unfinished, so a stuck job cannot block its owner for good.
 */
import { DomainError } from "../../domain/errors";

export const EXPORT_QUOTA = { unfinished: 2, perHour: 20, windowMs: 3_600_000, staleMs: 15 * 60_000 } as const;

/** Retry-After for "too many unfinished": an export of a month's rows takes seconds. */
const UNFINISHED_RETRY_SECONDS = 10;

export interface JobQuota {
  unfinished: number;
  perHour: number;
  windowMs: number;
  staleMs: number;
}

/** The WHERE clause createJob adds for a quota (parameters ?7 to ?10). */
export const QUOTA_SQL = `(?7 IS NULL OR (
    (SELECT count(*) FROM jobs WHERE kind = ?2 AND created_by = ?3 AND status IN ('queued', 'running') AND heartbeat_at > ?9) < ?7
    AND (SELECT count(*) FROM jobs WHERE kind = ?2 AND created_by = ?3 AND created_at > ?10) < ?8))`;

export function quotaBindings(quota: JobQuota | undefined, nowMs: number): (number | string | null)[] {
  if (!quota) return [null, null, null, null];
  return [quota.unfinished, quota.perHour, iso(nowMs - quota.staleMs), iso(nowMs - quota.windowMs)];
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Why an export INSERT under the quota matched nothing, as the 429 to send:
 * which limit, and when to try again (the hourly one: when the oldest export of
 * the hour leaves it). Read after the refusal, for the message only.
 */
export async function exportQuotaRefusal(db: D1Database, userId: string, nowMs = Date.now()): Promise<DomainError> {
  const q = EXPORT_QUOTA;
  const row = await db
    .prepare(
      `SELECT
         (SELECT count(*) FROM jobs WHERE kind = 'export' AND created_by = ?1 AND status IN ('queued', 'running') AND heartbeat_at > ?2) AS unfinished,
         (SELECT count(*) FROM jobs WHERE kind = 'export' AND created_by = ?1 AND created_at > ?3) AS in_hour,
         (SELECT min(created_at) FROM jobs WHERE kind = 'export' AND created_by = ?1 AND created_at > ?3) AS oldest`,
    )
    .bind(userId, iso(nowMs - q.staleMs), iso(nowMs - q.windowMs))
    .first<{ unfinished: number; in_hour: number; oldest: string | null }>();
  const hourly = (row?.in_hour ?? 0) >= q.perHour;
  const wait =
    hourly && row?.oldest ? Math.max(1, Math.ceil((Date.parse(row.oldest) + q.windowMs - nowMs) / 1000)) : UNFINISHED_RETRY_SECONDS;
  const details = hourly
    ? { policy: "export-hourly", limit: q.perHour, window_seconds: q.windowMs / 1000, retry_after_seconds: wait }
    : { policy: "export-unfinished", limit: q.unfinished, retry_after_seconds: wait };
  const message = hourly
    ? `At most ${q.perHour} exports an hour; try again later`
    : `At most ${q.unfinished} exports may be queued or running at once; wait for one to finish`;
  return new DomainError("rate_limited", message, details);
}
