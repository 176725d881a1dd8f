/**
 * D1 `dead_letters`: one row per distinct raw body (id = hash of the body), so
 * a poison message delivered twice is one row with two attempts. A new arrival
 * reopens a row that was replayed or discarded.
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
}

export async function deadLetterId(rawBody: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(rawBody));
  return `dl_${[...new Uint8Array(digest)].slice(0, 12).map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export async function upsertDeadLetterStatement(db: D1Database, r: DeadLetterRecord, now: string): Promise<D1PreparedStatement> {
  return db
    .prepare(
      `INSERT INTO dead_letters (id, event_id, source_queue, raw_body, error, attempts, delivery_attempts, first_seen_at, last_seen_at, status)
       VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?8, 'open')
       ON CONFLICT (id) DO UPDATE SET attempts = attempts + 1, delivery_attempts = excluded.delivery_attempts, error = excluded.error,
         last_seen_at = excluded.last_seen_at, status = 'open', resolved_at = NULL, resolved_by = NULL`,
    )
    .bind(await deadLetterId(r.rawBody), r.eventId, r.sourceQueue, r.rawBody, r.error.slice(0, 4000), r.deliveryAttempts, r.seenAt, now);
}

export async function getDeadLetter(db: D1Database, id: string): Promise<DeadLetterRow | null> {
  return db.prepare("SELECT * FROM dead_letters WHERE id = ?1").bind(id).first<DeadLetterRow>();
}

/** Moves an open row to `status`; false when it was not open (already resolved, or raced). */
export async function resolveDeadLetter(db: D1Database, id: string, status: "replayed" | "discarded", by: string): Promise<boolean> {
  const r = await db
    .prepare("UPDATE dead_letters SET status = ?2, resolved_at = ?3, resolved_by = ?4 WHERE id = ?1 AND status = 'open'")
    .bind(id, status, new Date().toISOString(), by)
    .run();
  return r.meta.changes === 1;
}

export async function reopenDeadLetter(db: D1Database, id: string): Promise<void> {
  await db.prepare("UPDATE dead_letters SET status = 'open', resolved_at = NULL, resolved_by = NULL WHERE id = ?1").bind(id).run();
}
