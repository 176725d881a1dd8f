/**
 * Pipeline audit rows: one per consumer batch or replay chunk. A successful
 * run's row is written in the same D1 batch as its Gold changes; a failed
 * run's row is written on its own, so failures are on record too.
 */

export interface RunRecord {
  id: string;
  queue: string;
  jobId: string | null;
  startedAt: number;
  finishedAt: number;
  messages: number;
  bronzeObjects: number;
  valid: number;
  invalid: number;
  duplicates: number;
  goldRows: number;
  status: "ok" | "failed";
  error: string | null;
}

export function insertRunStatement(db: D1Database, r: RunRecord): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO pipeline_runs (id, queue, job_id, started_at, finished_at, duration_ms, messages, bronze_objects, valid, invalid,
         duplicates, gold_rows, status, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)`,
    )
    .bind(...runValues(r));
}

function runValues(r: RunRecord) {
  return [
    r.id,
    r.queue,
    r.jobId,
    new Date(r.startedAt).toISOString(),
    new Date(r.finishedAt).toISOString(),
    Math.max(0, r.finishedAt - r.startedAt),
    r.messages,
    r.bronzeObjects,
    r.valid,
    r.invalid,
    r.duplicates,
    r.goldRows,
    r.status,
    r.error === null ? null : r.error.slice(0, 2000),
  ] as const;
}

/**
 * The audit row of a successful batch, as the LAST statement of that batch's
 * D1 transaction: its finish time and duration are the database's clock at
 * commit, and, when `afterClosing` (the statement before it is the
 * closing-balance recomputation), its Gold row count includes the closing
 * rows that statement moved (SQLite's changes()). One round trip, no update after.
 */
export function insertCommittedRunStatement(db: D1Database, r: RunRecord, afterClosing: boolean): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO pipeline_runs (id, queue, job_id, started_at, finished_at, duration_ms, messages, bronze_objects, valid, invalid,
         duplicates, gold_rows, status, error)
       VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
         MAX(0, CAST(ROUND((julianday('now') - julianday(?4)) * 86400000) AS INTEGER)),
         ?7, ?8, ?9, ?10, ?11, ?12 + ${afterClosing ? "changes()" : "0"}, ?13, ?14)`,
    )
    .bind(...runValues(r));
}

/** Best effort: a failure to record a failure must not hide the original error. */
export async function recordFailedRun(db: D1Database, r: RunRecord): Promise<void> {
  try {
    await insertRunStatement(db, r).run();
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "could not record failed run", run: r.id, error: String(err) }));
  }
}

/** One page of audit rows, newest first, keyset on (started_at, id); one row more than `limit` says there is more. */
export async function listRuns<T>(
  db: D1Database,
  q: { queue: string | null; status: string | null; after: [string, string] | null; limit: number },
): Promise<T[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM pipeline_runs WHERE (?1 IS NULL OR queue = ?1) AND (?2 IS NULL OR status = ?2)
         AND (?3 IS NULL OR started_at < ?3 OR (started_at = ?3 AND id < ?4))
       ORDER BY started_at DESC, id DESC LIMIT ?5`,
    )
    .bind(q.queue, q.status, q.after?.[0] ?? null, q.after?.[1] ?? null, q.limit + 1)
    .all<T>();
  return results;
}
