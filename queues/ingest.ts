/**
 * Silver → Gold for a set of raw event bodies, shared by the live EVENTS
 * consumer and replay. Valid events are de-duplicated by event_id (within the
 * set and against Silver), folded into Gold deltas in memory, and written with
 * the run's audit row in ONE D1 batch, so a retry never half-applies.
 */
import { finishRun, insertRunStatement, type RunRecord } from "../src/db/pipeline/runs";
import { goldStatements } from "../src/db/pipeline/gold";
import { loadRules } from "../src/db/pipeline/rules";
import { existingEventIds, insertSilverStatements, isSilverConflict } from "../src/db/pipeline/silver";
import { aggregate, deltaRowCount } from "../src/pipeline/aggregate";
import { normalizeEvent, type SilverEvent } from "../src/pipeline/normalize";

export interface InvalidEvent {
  index: number;
  reason: string;
  body: unknown;
}

export interface IngestInput {
  runId: string;
  queue: string;
  jobId?: string | null;
  startedAt: number;
  bodies: readonly unknown[];
  bronzeObjects: number;
  /** Extra statements committed atomically with the Gold changes (job progress). */
  extra?: D1PreparedStatement[];
  /** Test seam: throws at a named point to simulate a crash. */
  failpoint?: (stage: "before_commit") => void;
}

export interface IngestOutcome {
  valid: number;
  applied: number;
  duplicates: number;
  invalid: InvalidEvent[];
  goldRows: number;
  /** Results of `extra`, in order. */
  extraResults: D1Result[];
}

const CONFLICT_RETRIES = 3;

export async function ingest(db: D1Database, input: IngestInput): Promise<IngestOutcome> {
  const rules = await loadRules(db);
  const invalid: InvalidEvent[] = [];
  const unique = new Map<string, SilverEvent>();
  let valid = 0;
  input.bodies.forEach((body, index) => {
    const r = normalizeEvent(body, rules);
    if (!r.ok) {
      invalid.push({ index, reason: r.reason, body });
      return;
    }
    valid += 1;
    if (!unique.has(r.event.event_id)) unique.set(r.event.event_id, r.event);
  });

  for (let attempt = 1; ; attempt++) {
    const existing = await existingEventIds(db, [...unique.keys()]);
    const fresh = [...unique.values()].filter((e) => !existing.has(e.event_id));
    const deltas = aggregate(fresh);
    const run: RunRecord = {
      id: input.runId, queue: input.queue, jobId: input.jobId ?? null, startedAt: input.startedAt, finishedAt: Date.now(),
      messages: input.bodies.length, bronzeObjects: input.bronzeObjects, valid, invalid: invalid.length,
      duplicates: valid - fresh.length, goldRows: deltaRowCount(deltas), status: "ok", error: null,
    };
    const silver = insertSilverStatements(db, fresh, input.runId);
    const gold = goldStatements(db, deltas);
    const extra = input.extra ?? [];
    input.failpoint?.("before_commit");
    try {
      const results = await db.batch([...silver, ...gold, insertRunStatement(db, run), ...extra]);
      // The closing-balance recomputation is the last Gold statement; count the later days it moved.
      const closingChanges = gold.length > 0 && deltas.daily.length > 0 ? (results[silver.length + gold.length - 1]?.meta.changes ?? 0) : 0;
      const extraResults = results.slice(silver.length + gold.length + 1);
      await finishRun(db, run, closingChanges).catch(() => undefined);
      return { valid, applied: fresh.length, duplicates: run.duplicates, invalid, goldRows: run.goldRows + closingChanges, extraResults };
    } catch (err) {
      // Another consumer applied one of these events between our read and our write: re-read and retry.
      if (isSilverConflict(err) && attempt < CONFLICT_RETRIES) continue;
      throw err;
    }
  }
}
