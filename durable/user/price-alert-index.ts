/**
 * The user's index of their price alert rules (durable/user/schema.ts V3):
 * which rules are theirs and on which symbol, so list, get and delete ask
 * only the symbols' MarketDOs that hold them, never every symbol. The rule's
 * state (status, triggers) lives with the symbol's MarketDO. At most
 * MAX_PRICE_ALERTS per user.
 */
import type { LazySql } from "./lazy-sql";

export const MAX_PRICE_ALERTS = 100;

export interface PriceAlertEntry {
  seq: number;
  id: string;
  symbol: string;
}

export class PriceAlertIndex {
  constructor(private readonly store: LazySql) {}

  /** Records a new rule, unless the user already has MAX_PRICE_ALERTS; idempotent by id. */
  add(id: string, symbol: string, now: number): { ok: true } | { ok: false; limit: number } {
    const sql = this.store.writable();
    if (sql.exec("SELECT 1 FROM price_alert_index WHERE id = ?", id).toArray().length > 0) return { ok: true };
    const n = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM price_alert_index").one().n;
    if (n >= MAX_PRICE_ALERTS) return { ok: false, limit: MAX_PRICE_ALERTS };
    sql.exec("INSERT INTO price_alert_index (id, symbol, created_at) VALUES (?, ?, ?)", id, symbol, now);
    return { ok: true };
  }

  get(id: string): PriceAlertEntry | null {
    return (
      this.store.readable
        ?.exec<{ seq: number; id: string; symbol: string }>("SELECT seq, id, symbol FROM price_alert_index WHERE id = ?", id)
        .toArray()
        .map((r) => ({ ...r }))[0] ?? null
    );
  }

  /** Newest first, below the cursor's seq. */
  list(beforeSeq: number | null, limit: number): PriceAlertEntry[] {
    const sql = this.store.readable;
    if (!sql) return [];
    return sql
      .exec<{ seq: number; id: string; symbol: string }>(
        "SELECT seq, id, symbol FROM price_alert_index WHERE seq < ? ORDER BY seq DESC LIMIT ?",
        beforeSeq ?? Number.MAX_SAFE_INTEGER,
        limit,
      )
      .toArray()
      .map((r) => ({ ...r }));
  }

  remove(id: string): void {
    this.store.readable?.exec("DELETE FROM price_alert_index WHERE id = ?", id);
  }
}
