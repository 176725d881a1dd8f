/**
 * Stored anomaly scores (src/db/schema/intel.ts `intel_anomalies`): one row
 * per scored entry whose score is above zero, written once (a redelivery finds
 * the row and scores nothing again).
 */
import type { Reason, RiskLevel } from "../../domain/intel/anomaly";
import { jsonChunks } from "../pipeline/json-rows";

export interface AnomalyRow {
  account_id: string;
  entry_id: string;
  user_id: string;
  occurred_at: string;
  amount: number;
  currency: string;
  merchant_key: string;
  score: number;
  risk_level: RiskLevel;
  reasons: Reason[];
  alert_event_id: string | null;
  scored_at: string;
}

const keyOf = (accountId: string, entryId: string) => `${accountId}\u0000${entryId}`;

/** Which of these (account, entry) pairs were scored already. */
export async function scoredKeys(db: D1Database, pairs: readonly { account_id: string; entry_id: string }[]): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const q = scoredKeysQuery(db, pairs);
  return q.collect(await db.batch(q.statements));
}

/** scoredKeys as statements for a caller's own D1 batch, and how to read their results. */
export function scoredKeysQuery(db: D1Database, pairs: readonly { account_id: string; entry_id: string }[]) {
  const stmt = db.prepare(
    `SELECT a.account_id, a.entry_id FROM intel_anomalies a
     JOIN json_each(?1) j ON a.account_id = j.value->>'$[0]' AND a.entry_id = j.value->>'$[1]'`,
  );
  const statements = jsonChunks(pairs.map((p) => [p.account_id, p.entry_id])).map((c) => stmt.bind(c));
  const collect = (results: readonly D1Result<unknown>[]): Set<string> => {
    const found = new Set<string>();
    for (const r of results as D1Result<{ account_id: string; entry_id: string }>[])
      for (const row of r.results) found.add(keyOf(row.account_id, row.entry_id));
    return found;
  };
  return { statements, collect };
}

export const scoredKey = keyOf;

export async function insertAnomalies(db: D1Database, rows: readonly AnomalyRow[]): Promise<void> {
  if (rows.length === 0) return;
  const stmt = db.prepare(
    `INSERT OR IGNORE INTO intel_anomalies (account_id, entry_id, user_id, occurred_at, amount, currency, merchant_key, score, risk_level, reasons, alert_event_id, scored_at)
     SELECT value->>'account_id', value->>'entry_id', value->>'user_id', value->>'occurred_at', value->>'amount', value->>'currency',
            value->>'merchant_key', value->>'score', value->>'risk_level', json(value->'reasons'), value->>'alert_event_id', value->>'scored_at'
     FROM json_each(?1)`,
  );
  await db.batch(jsonChunks(rows).map((c) => stmt.bind(c)));
}

export async function listUserAnomalies(db: D1Database, userId: string, limit = 100): Promise<AnomalyRow[]> {
  const { results } = await db
    .prepare("SELECT * FROM intel_anomalies WHERE user_id = ?1 ORDER BY occurred_at DESC, account_id, entry_id LIMIT ?2")
    .bind(userId, limit)
    .all<Omit<AnomalyRow, "reasons"> & { reasons: string }>();
  return results.map((r) => ({ ...r, reasons: JSON.parse(r.reasons) as Reason[] }));
}

/** The user's stored anomaly scores with occurred_at in [from, to) (UTC days or instants), oldest first. */
export async function userAnomaliesBetween(db: D1Database, userId: string, from: string, to: string): Promise<AnomalyRow[]> {
  const { results } = await db
    .prepare(
      "SELECT * FROM intel_anomalies WHERE user_id = ?1 AND occurred_at >= ?2 AND occurred_at < ?3 ORDER BY occurred_at, account_id, entry_id",
    )
    .bind(userId, from, to)
    .all<Omit<AnomalyRow, "reasons"> & { reasons: string }>();
  return results.map((r) => ({ ...r, reasons: JSON.parse(r.reasons) as Reason[] }));
}
