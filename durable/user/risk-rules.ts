/**
 * The user's risk alert rules on their brokerage accounts (durable/user/
 * schema.ts V4), with each rule's peak account value (drawdown) and the UTC
 * day it last fired: a rule fires at most once a day. At most MAX_RISK_RULES.
 */
import type { RiskKind } from "../../src/domain/alerts/risk-rules";
import type { LazySql } from "./lazy-sql";

export const MAX_RISK_RULES = 20;

export interface RiskRule {
  id: string;
  account_id: string;
  kind: RiskKind;
  threshold: string;
  threshold_bp: number;
  peak: number;
  created_at: number;
  last_fired_day: string | null;
  trigger_count: number;
}

export class RiskRules {
  constructor(private readonly store: LazySql) {}

  add(r: Omit<RiskRule, "last_fired_day" | "trigger_count">): { ok: true } | { ok: false; limit: number } {
    const sql = this.store.writable();
    const n = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM risk_rules").one().n;
    if (n >= MAX_RISK_RULES) return { ok: false, limit: MAX_RISK_RULES };
    sql.exec(
      "INSERT OR IGNORE INTO risk_rules (id, account_id, kind, threshold, threshold_bp, peak, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      r.id,
      r.account_id,
      r.kind,
      r.threshold,
      r.threshold_bp,
      r.peak,
      r.created_at,
    );
    return { ok: true };
  }

  list(): RiskRule[] {
    const sql = this.store.readable;
    if (!sql) return [];
    return sql
      .exec<RiskRule & Record<string, SqlStorageValue>>("SELECT * FROM risk_rules ORDER BY created_at DESC, id")
      .toArray()
      .map((r) => ({ ...r }));
  }

  remove(id: string): boolean {
    const sql = this.store.readable;
    if (!sql) return false;
    return sql.exec("DELETE FROM risk_rules WHERE id = ?", id).rowsWritten > 0;
  }

  /** An evaluation's outcome: the new peak, and the day when it fired (once a day: false when it already fired that day). */
  evaluated(id: string, peak: number, firedDay: string | null): boolean {
    const sql = this.store.writable();
    sql.exec("UPDATE risk_rules SET peak = max(peak, ?) WHERE id = ?", peak, id);
    if (firedDay === null) return false;
    return (
      sql.exec(
        "UPDATE risk_rules SET last_fired_day = ?, trigger_count = trigger_count + 1 WHERE id = ? AND (last_fired_day IS NULL OR last_fired_day < ?)",
        firedDay,
        id,
        firedDay,
      ).rowsWritten > 0
    );
  }
}
