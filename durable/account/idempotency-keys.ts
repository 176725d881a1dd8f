/**
 * The Idempotency-Key records of one account (its `idempotency` table): the
 * fingerprint and stored reply of every request it executed, kept for the
 * retention period. Written inside the request's own transaction.
 */
import type { IdempotencyRecord, StoredReply } from "../../src/domain/idempotency";

export class IdempotencyKeys {
  constructor(private readonly sql: SqlStorage) {}

  find(key: string): IdempotencyRecord | null {
    const row = this.sql
      .exec<{ fingerprint: string; status: string; response_status: number | null; response_body: string | null }>(
        "SELECT fingerprint, status, response_status, response_body FROM idempotency WHERE key = ?",
        key,
      )
      .toArray()[0];
    if (!row) return null;
    return {
      fingerprint: row.fingerprint,
      status: row.status === "done" ? "done" : "in_progress",
      reply: row.response_status !== null && row.response_body !== null ? { status: row.response_status, body: row.response_body } : null,
    };
  }

  /**
   * Record a key: done with its reply, or in progress when the reply comes
   * later (`finish`). False, writing nothing, when the key is already
   * recorded: the caller then rolls its transaction back and answers from
   * `find` (one statement on the common path, a fresh key, instead of a
   * lookup before and an insert after).
   */
  claim(key: string, fp: string, reply: StoredReply | undefined, nowMs: number): boolean {
    const cursor = this.sql.exec(
      `INSERT INTO idempotency (key, fingerprint, status, response_status, response_body, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO NOTHING`,
      key,
      fp,
      reply ? "done" : "in_progress",
      reply?.status ?? null,
      reply?.body ?? null,
      nowMs,
    );
    return cursor.rowsWritten > 0;
  }

  finish(key: string, reply: StoredReply): void {
    this.sql.exec(
      "UPDATE idempotency SET status = 'done', response_status = ?, response_body = ? WHERE key = ?",
      reply.status,
      reply.body,
      key,
    );
  }

  /**
   * Forget finished keys recorded before `olderThanMs`. Keys are inserted in
   * time order, so the expired ones are a prefix in rowid order: the cut is
   * found by walking only that prefix, never the whole table.
   */
  prune(olderThanMs: number): void {
    this.sql.exec(
      `DELETE FROM idempotency WHERE status = 'done' AND rowid < COALESCE(
         (SELECT rowid FROM idempotency WHERE created_at >= ?1 ORDER BY rowid LIMIT 1),
         (SELECT MAX(rowid) + 1 FROM idempotency))`,
      olderThanMs,
    );
  }

  /** When the oldest finished key was recorded (the next prune is due after its retention), or null. */
  oldestAt(): number | null {
    const row = this.sql
      .exec<{ at: number }>("SELECT created_at AS at FROM idempotency WHERE status = 'done' ORDER BY rowid LIMIT 1")
      .toArray()[0];
    return row?.at ?? null;
  }
}
