/**
 * The user's saved what-if simulations (durable/user/schema.ts V6): the
 * scenario as posted and the result as computed then, newest first. A saved
 * simulation is a record of an answer, never re-run. At most MAX_SIMULATIONS.
 */
import type { LazySql } from "./lazy-sql";

export const MAX_SIMULATIONS = 50;

export interface StoredSimulation {
  seq: number;
  id: string;
  name: string | null;
  scenario: string;
  result: string;
  created_at: number;
}

export class Simulations {
  constructor(private readonly store: LazySql) {}

  add(s: Omit<StoredSimulation, "seq">): { ok: true } | { ok: false; limit: number } {
    const sql = this.store.writable();
    const n = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM simulations").one().n;
    if (n >= MAX_SIMULATIONS) return { ok: false, limit: MAX_SIMULATIONS };
    sql.exec(
      "INSERT OR IGNORE INTO simulations (id, name, scenario, result, created_at) VALUES (?, ?, ?, ?, ?)",
      s.id,
      s.name,
      s.scenario,
      s.result,
      s.created_at,
    );
    return { ok: true };
  }

  /** Newest first, without the result (a list is a summary). */
  list(limit: number): Omit<StoredSimulation, "result">[] {
    const sql = this.store.readable;
    if (!sql) return [];
    return sql
      .exec<Omit<StoredSimulation, "result"> & Record<string, SqlStorageValue>>(
        "SELECT seq, id, name, scenario, created_at FROM simulations ORDER BY seq DESC LIMIT ?",
        limit,
      )
      .toArray()
      .map((r) => ({ ...r }));
  }

  get(id: string): StoredSimulation | null {
    const sql = this.store.readable;
    if (!sql) return null;
    const [row] = sql.exec<StoredSimulation & Record<string, SqlStorageValue>>("SELECT * FROM simulations WHERE id = ?", id).toArray();
    return row ? { ...row } : null;
  }

  remove(id: string): boolean {
    const sql = this.store.readable;
    if (!sql) return false;
    return sql.exec("DELETE FROM simulations WHERE id = ?", id).rowsWritten > 0;
  }
}
