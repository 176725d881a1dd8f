/**
 * The user's verdicts on their recurring streams (durable/user/schema.ts V6).
 * Streams are detected on every read from Silver; only the verdict is stored,
 * keyed by the stream's stable id. No row is `suggested`.
 */
import type { LazySql } from "./lazy-sql";

export type RecurringVerdict = "confirmed" | "dismissed";
export type RecurringUserState = RecurringVerdict | "suggested";

export class RecurringStates {
  constructor(private readonly store: LazySql) {}

  /** Every stored verdict, by stream id. */
  all(): Record<string, RecurringVerdict> {
    const sql = this.store.readable;
    if (!sql) return {};
    const out: Record<string, RecurringVerdict> = {};
    for (const r of sql.exec<{ stream_id: string; state: RecurringVerdict }>("SELECT stream_id, state FROM recurring_states"))
      out[r.stream_id] = r.state;
    return out;
  }

  /** `suggested` forgets the verdict. */
  set(streamId: string, state: RecurringUserState, now: number): void {
    if (state === "suggested") {
      this.store.readable?.exec("DELETE FROM recurring_states WHERE stream_id = ?", streamId);
      return;
    }
    this.store
      .writable()
      .exec(
        "INSERT INTO recurring_states (stream_id, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
        streamId,
        state,
        now,
      );
  }
}
