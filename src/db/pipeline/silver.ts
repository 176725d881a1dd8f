/**
 * Silver in D1: the de-duplication table keyed by event_id. A plain INSERT
 * (no OR IGNORE) makes a concurrent duplicate abort the whole batch, so two
 * consumers racing on one event can never both apply it to Gold.
 */
import { silverPayload, type SilverEvent } from "../../pipeline/normalize";
import { joinJsonChunks, jsonChunks } from "./json-rows";

/** Which of these event ids Silver already holds. */
export async function existingEventIds(db: D1Database, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  if (ids.length === 0) return found;
  const stmt = db.prepare("SELECT event_id FROM silver_events WHERE event_id IN (SELECT value FROM json_each(?1))");
  const results = await db.batch<{ event_id: string }>(jsonChunks(ids).map((chunk) => stmt.bind(chunk)));
  for (const r of results) for (const row of r.results) found.add(row.event_id);
  return found;
}

/** One Silver row as the JSON tuple the insert reads; serialized ahead of time, off the commit's critical path. */
export function silverRowJson(e: SilverEvent): string {
  return JSON.stringify([
    e.event_id,
    e.type,
    e.version,
    e.account_id,
    e.user_id,
    e.seq,
    e.occurred_at,
    e.event_date,
    e.recorded_at,
    silverPayload(e),
  ]);
}

export function insertSilverStatements(db: D1Database, rowsJson: readonly string[], runId: string): D1PreparedStatement[] {
  if (rowsJson.length === 0) return [];
  const stmt = db.prepare(
    `INSERT INTO silver_events (event_id, type, version, account_id, user_id, seq, occurred_at, event_date, recorded_at, run_id, payload)
     SELECT value->>'$[0]', value->>'$[1]', value->>'$[2]', value->>'$[3]', value->>'$[4]', value->>'$[5]',
            value->>'$[6]', value->>'$[7]', value->>'$[8]', ?2, value->'$[9]'
     FROM json_each(?1)`,
  );
  return joinJsonChunks(rowsJson).map((chunk) => stmt.bind(chunk, runId));
}

export function isSilverConflict(err: unknown): boolean {
  return /UNIQUE constraint failed: silver_events/i.test(String((err as Error)?.message ?? err));
}
