/**
 * D1 `dead_letters`: one row per distinct raw body (id = hash of the body), so
 * a poison message delivered twice is one row with two attempts. A new arrival
 * reopens a row that was replayed or discarded. The operator's decisions are
 * also what a replay honours: `replay_exclusions` fixes, when a replay starts,
 * which dead-lettered bodies it leaves out of Bronze.
 */
import type { DeadLetterRecord } from "../../pipeline/dead-letter";

export interface DeadLetterRow {
  id: string;
  event_id: string | null;
  source_queue: string;
  raw_body: string;
  error: string;
  attempts: number;
  delivery_attempts: number;
  first_seen_at: string;
  last_seen_at: string;
  status: "open" | "replayed" | "discarded";
  resolved_at: string | null;
  resolved_by: string | null;
  corrected_body: string | null;
}

export async function deadLetterId(rawBody: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(rawBody));
  return `dl_${[...new Uint8Array(digest)]
    .slice(0, 12)
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("")}`;
}

export async function upsertDeadLetterStatement(db: D1Database, r: DeadLetterRecord, now: string): Promise<D1PreparedStatement> {
  return db
    .prepare(
      `INSERT INTO dead_letters (id, event_id, source_queue, raw_body, error, attempts, delivery_attempts, first_seen_at, last_seen_at, status)
       VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?8, 'open')
       ON CONFLICT (id) DO UPDATE SET attempts = attempts + 1, delivery_attempts = excluded.delivery_attempts, error = excluded.error,
         last_seen_at = excluded.last_seen_at, status = 'open', resolved_at = NULL, resolved_by = NULL, corrected_body = NULL`,
    )
    .bind(await deadLetterId(r.rawBody), r.eventId, r.sourceQueue, r.rawBody, r.error.slice(0, 4000), r.deliveryAttempts, r.seenAt, now);
}

export async function getDeadLetter(db: D1Database, id: string): Promise<DeadLetterRow | null> {
  return db.prepare("SELECT * FROM dead_letters WHERE id = ?1").bind(id).first<DeadLetterRow>();
}

/**
 * Moves an open row to `status`, with the corrected body when it was replayed
 * with one; false when it was not open (already resolved, or raced).
 */
export async function resolveDeadLetter(
  db: D1Database,
  id: string,
  status: "replayed" | "discarded",
  by: string,
  correctedBody: string | null = null,
): Promise<boolean> {
  const r = await db
    .prepare(
      "UPDATE dead_letters SET status = ?2, resolved_at = ?3, resolved_by = ?4, corrected_body = ?5 WHERE id = ?1 AND status = 'open'",
    )
    .bind(id, status, new Date().toISOString(), by, correctedBody)
    .run();
  return r.meta.changes === 1;
}

export async function reopenDeadLetter(db: D1Database, id: string): Promise<void> {
  await db
    .prepare("UPDATE dead_letters SET status = 'open', resolved_at = NULL, resolved_by = NULL, corrected_body = NULL WHERE id = ?1")
    .bind(id)
    .run();
}

/**
 * Run first in a replay's wiping batch, while Silver still shows what the live
 * pipeline applied: records the dead letters whose Bronze copies the replay
 * must leave out — every one whose event Silver does not hold (open, discarded,
 * or replayed but not applied), and every one replaced by a correction with the
 * same event_id (Silver holds the correction). Guarded by step 0 like the wipe.
 */
export function excludeDeadLettersStatement(db: D1Database, jobId: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO replay_exclusions (job_id, dead_letter_id, event_id)
       SELECT ?1, d.id, d.event_id FROM dead_letters d
       WHERE d.event_id IS NOT NULL AND (SELECT step FROM jobs WHERE id = ?1) = 0
         AND (NOT EXISTS (SELECT 1 FROM silver_events s WHERE s.event_id = d.event_id)
              OR (d.status = 'replayed' AND json_valid(d.corrected_body) AND d.corrected_body->>'$.event_id' = d.event_id))`,
    )
    .bind(jobId);
}

/** A replay's exclusions: event_id → ids (body hashes) of the dead-lettered bodies to leave out. */
export async function replayExclusions(db: D1Database, jobId: string): Promise<Map<string, Set<string>>> {
  const { results } = await db
    .prepare("SELECT dead_letter_id, event_id FROM replay_exclusions WHERE job_id = ?1")
    .bind(jobId)
    .all<{ dead_letter_id: string; event_id: string }>();
  const out = new Map<string, Set<string>>();
  for (const r of results) {
    let ids = out.get(r.event_id);
    if (!ids) {
      ids = new Set();
      out.set(r.event_id, ids);
    }
    ids.add(r.dead_letter_id);
  }
  return out;
}

/** One page of dead letters, newest first, keyset on (first_seen_at, id); one row more than `limit` says there is more. */
export async function listDeadLetters(
  db: D1Database,
  q: { status: string | null; after: [string, string] | null; limit: number },
): Promise<DeadLetterRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM dead_letters WHERE (?1 IS NULL OR status = ?1)
         AND (?2 IS NULL OR first_seen_at < ?2 OR (first_seen_at = ?2 AND id < ?3))
       ORDER BY first_seen_at DESC, id DESC LIMIT ?4`,
    )
    .bind(q.status, q.after?.[0] ?? null, q.after?.[1] ?? null, q.limit + 1)
    .all<DeadLetterRow>();
  return results;
}

/** Open dead letters per source queue (the metrics' gauge). */
export async function openDeadLetterCounts(db: D1Database): Promise<{ source_queue: string; n: number }[]> {
  const { results } = await db
    .prepare("SELECT source_queue, COUNT(*) AS n FROM dead_letters WHERE status = 'open' GROUP BY source_queue")
    .all<{ source_queue: string; n: number }>();
  return results;
}
