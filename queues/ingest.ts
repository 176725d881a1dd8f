/**
 * Silver → Gold for a set of raw event bodies, shared by the live EVENTS
 * consumer and replay. Valid events are de-duplicated by event_id (within the
 * set and against Silver), folded into Gold deltas in memory, and written with
 * the run's audit row in ONE D1 batch, so a retry never half-applies.
 */
import { insertCommittedRunStatement, type RunRecord } from "../src/db/pipeline/runs";
import { goldStatements } from "../src/db/pipeline/gold";
import { cachedRules } from "../src/db/pipeline/rules";
import { existingEventIds, insertSilverStatements, isSilverConflict, silverRowJson } from "../src/db/pipeline/silver";
import { type TransactionRows, transactionRowJson, transactionStatements } from "../src/db/intel/silver-transactions";
import { loadLiveRules } from "../src/db/intel/user-rules";
import { aggregate, deltaRowCount } from "../src/pipeline/aggregate";
import type { CompiledRule } from "../src/pipeline/enrich";
import { applyLiveRules, type LiveRulesByUser } from "../src/pipeline/live-rules";
import { normalizeEvent, type SilverEvent } from "../src/pipeline/normalize";
import { type EventParser, parseEvent } from "../src/events/catalog";

export interface InvalidEvent {
  index: number;
  reason: string;
  body: unknown;
}

export interface PreparedEvents {
  messages: number;
  valid: number;
  invalid: InvalidEvent[];
  /** First occurrence of each valid event_id, in delivery order, with its Silver (and typed transaction) rows serialized. */
  unique: Map<string, PreparedEvent>;
}

export interface PreparedEvent {
  event: SilverEvent;
  row: string;
  txn: TransactionRows;
}

/**
 * Validation, normalization (with each user's rules, loaded by the caller) and in-batch de-duplication: CPU
 * only, so replay runs it while D1 writes the previous chunk.
 */
export function prepareEvents(
  bodies: readonly unknown[],
  rules: readonly CompiledRule[],
  userRules: LiveRulesByUser = new Map(),
  parse: EventParser = parseEvent,
): PreparedEvents {
  const invalid: InvalidEvent[] = [];
  const unique = new Map<string, PreparedEvent>();
  let valid = 0;
  bodies.forEach((body, index) => {
    const r = normalizeEvent(body, rules, parse);
    if (!r.ok) {
      invalid.push({ index, reason: r.reason, body });
      return;
    }
    valid += 1;
    if (unique.has(r.event.event_id)) return;
    const live = applyLiveRules(r.event, userRules, rules);
    unique.set(r.event.event_id, { event: r.event, row: silverRowJson(r.event), txn: transactionRowJson(r.event, rules, live) });
  });
  return { messages: bodies.length, valid, invalid, unique };
}

const TRANSACTION_TYPES = new Set(["transaction_posted", "transaction_annotated"]);

/** The users of the raw transaction bodies (their rules are loaded once per batch). */
export function transactionUsersOf(bodies: readonly unknown[]): string[] {
  const users = new Set<string>();
  for (const b of bodies) {
    const { type, user_id } = (b ?? {}) as { type?: unknown; user_id?: unknown };
    if (typeof type === "string" && TRANSACTION_TYPES.has(type) && typeof user_id === "string") users.add(user_id);
  }
  return [...users];
}

/** The merchant rules and the batch's users' enabled rules, loaded together. */
export async function loadBatchRules(db: D1Database, bodies: readonly unknown[]): Promise<[CompiledRule[], LiveRulesByUser]> {
  return Promise.all([cachedRules(db), loadLiveRules(db, transactionUsersOf(bodies))]);
}

export interface IngestInput {
  runId: string;
  queue: string;
  jobId?: string | null;
  startedAt: number;
  bronzeObjects: number;
  /** Extra statements committed atomically with the Gold changes (job progress). */
  extra?: D1PreparedStatement[];
  /** Test seam: throws at a named point to simulate a crash. */
  failpoint?: (stage: "before_commit") => void;
}

/** The live consumer's input: the raw bodies, and the batch's parser when other readers share it. */
export interface IngestBodies {
  bodies: readonly unknown[];
  parse?: EventParser;
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

/** Validates and applies raw bodies (the live consumer's path). */
export async function ingest(db: D1Database, input: IngestInput & IngestBodies): Promise<IngestOutcome> {
  const [rules, userRules] = await loadBatchRules(db, input.bodies);
  return commitEvents(db, prepareEvents(input.bodies, rules, userRules, input.parse), input);
}

/**
 * De-duplicates against Silver and writes Silver, Gold, the run row and
 * `extra` in one D1 batch. Optimistic: the first attempt assumes no event is
 * in Silver yet (true unless a batch is redelivered), so the common case is a
 * single round trip; a duplicate makes the Silver insert fail the whole
 * transaction, and the retry reads which events Silver already holds.
 */
export async function commitEvents(db: D1Database, prepared: PreparedEvents, input: IngestInput): Promise<IngestOutcome> {
  const { unique, valid, invalid } = prepared;
  for (let attempt = 1; ; attempt++) {
    const existing = attempt === 1 ? new Set<string>() : await existingEventIds(db, [...unique.keys()]);
    const fresh = [...unique.values()].filter((u) => !existing.has(u.event.event_id));
    const deltas = aggregate(fresh.map((u) => u.event));
    const run: RunRecord = {
      id: input.runId,
      queue: input.queue,
      jobId: input.jobId ?? null,
      startedAt: input.startedAt,
      finishedAt: Date.now(),
      messages: prepared.messages,
      bronzeObjects: input.bronzeObjects,
      valid,
      invalid: invalid.length,
      duplicates: valid - fresh.length,
      goldRows: deltaRowCount(deltas),
      status: "ok",
      error: null,
    };
    const silver = insertSilverStatements(
      db,
      fresh.map((u) => u.row),
      input.runId,
    );
    const txns = transactionStatements(
      db,
      fresh.map((u) => u.txn),
    );
    const gold = goldStatements(db, deltas);
    // The closing-balance recomputation, when present, is the last Gold statement.
    const closing = deltas.daily.length > 0;
    const extra = input.extra ?? [];
    input.failpoint?.("before_commit");
    try {
      const results = await db.batch([...silver, ...txns, ...gold, insertCommittedRunStatement(db, run, closing), ...extra]);
      const before = silver.length + txns.length + gold.length;
      const closingChanges = closing ? (results[before - 1]?.meta.changes ?? 0) : 0;
      const extraResults = results.slice(before + 1);
      return { valid, applied: fresh.length, duplicates: run.duplicates, invalid, goldRows: run.goldRows + closingChanges, extraResults };
    } catch (err) {
      // A duplicate (a redelivery, or another consumer applied one of these events meanwhile): re-read and retry.
      if (isSilverConflict(err) && attempt < CONFLICT_RETRIES) continue;
      throw err;
    }
  }
}
