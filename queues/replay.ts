/**
 * Replay: rebuild Silver and Gold from Bronze. Step 0 records which
 * dead-lettered bodies the live pipeline never applied (they stay out), wipes
 * the range (whole months, since monthly aggregates cannot be split) and
 * counts the archive; later steps read Bronze objects in key order (= event
 * date order) in chunks and push them through the same ingest as the live
 * consumer, each chunk's Gold and the job's progress committed together. An
 * invocation stops at its limits and the job continues in the next message.
 * The intelligence tables are rebuilt too: step 0 wipes intel_anomalies and
 * gold_cashback for the range, and after each chunk commits its user-months'
 * cashback is recomputed and its purchases are scored again — without sending
 * alerts (the alert ids are derived from the entry, and the inbox already
 * holds them).
 */
import { deadLetterId, excludeDeadLettersStatement, replayExclusions } from "../src/db/pipeline/dead-letters";
import { advanceStatement, type JobRow } from "../src/db/pipeline/jobs";
import { wipeStatements } from "../src/db/pipeline/gold";
import { intelWipeStatements } from "../src/db/intel/intel-wipe";
import { cashbackMonthsOf, refreshCashback } from "../src/lib/intel/cashback-gold";
import { loadRules } from "../src/db/pipeline/rules";
import { loadLiveRules } from "../src/db/intel/user-rules";
import { newRunId } from "../src/domain/ids";
import { bronzeCount, readBronzeObject } from "../src/lake/bronze";
import { mapConcurrent } from "../src/lib/concurrency";
import { BRONZE_PREFIX, dayOfBronzeKey, safeJson } from "../src/pipeline/bronze-layout";
import { eventIdOf } from "../src/pipeline/dead-letter";
import type { ReplayParams } from "../src/pipeline/jobs-protocol";
import { lastDayOfMonth } from "../src/pipeline/time";
import { scoreAnomalies } from "./anomalies";
import { commitEvents, prepareEvents, type PreparedEvents, transactionUsersOf } from "./ingest";

/** What the job reports when it succeeds. */
export interface ReplayResult {
  /** Bronze copies of dead-lettered bodies left out (see excludeDeadLettersStatement). */
  dead_letter_copies_left_out: number;
}

export interface ReplayLimits {
  /** Events per D1 batch: large enough to amortize the commit, small enough for D1's limits. */
  chunkEvents: number;
  /** Per invocation: stay well inside CPU time and the subrequest limit, then continue in a new message. */
  timeBudgetMs: number;
  maxObjectsPerInvocation: number;
  fetchConcurrency: number;
}

export const REPLAY_LIMITS: ReplayLimits = {
  chunkEvents: 10_000,
  timeBudgetMs: 20_000,
  maxObjectsPerInvocation: 900,
  fetchConcurrency: 32,
};

export const REPLAY_QUEUE = "replay";
const MAX_COUNT_PAGES = 200;

interface Range {
  startAfter: string | undefined;
  lastDay: string | null;
}

function rangeOf(p: ReplayParams): Range {
  return {
    startAfter: p.from_month ? `${BRONZE_PREFIX}dt=${p.from_month}-` : undefined,
    lastDay: p.to_month ? lastDayOfMonth(`${p.to_month}-01`) : null,
  };
}

function inRange(key: string, range: Range): boolean {
  const day = dayOfBronzeKey(key);
  return day !== null && (range.lastDay === null || day <= range.lastDay);
}

interface Page {
  objects: R2Object[];
  done: boolean;
  cursor: string | undefined;
}

/** One R2 list page in key order: after a key for the first page, then by R2's own cursor. */
async function listPage(lake: R2Bucket, range: Range, from: { startAfter?: string; cursor?: string }, limit = 1000): Promise<Page> {
  const page = await lake.list({
    prefix: BRONZE_PREFIX,
    limit,
    include: ["customMetadata"],
    ...(from.cursor ? { cursor: from.cursor } : { startAfter: from.startAfter }),
  });
  const objects = page.objects.filter((o) => inRange(o.key, range));
  const leftRange = objects.length < page.objects.length;
  return { objects, done: leftRange || !page.truncated, cursor: page.truncated ? page.cursor : undefined };
}

async function countArchive(lake: R2Bucket, range: Range): Promise<number | null> {
  let total = 0;
  let from: { startAfter?: string; cursor?: string } = { startAfter: range.startAfter };
  for (let i = 0; i < MAX_COUNT_PAGES; i++) {
    const page = await listPage(lake, range, from);
    for (const o of page.objects) total += bronzeCount(o);
    if (page.done) return total;
    from = { cursor: page.cursor };
  }
  return null;
}

/** The bodies minus exact copies of excluded dead letters: same event_id first (cheap), then the same body hash. */
async function withoutExcluded(bodies: unknown[], excluded: Map<string, Set<string>>): Promise<unknown[]> {
  if (excluded.size === 0) return bodies;
  const kept: unknown[] = [];
  for (const body of bodies) {
    const ids = excluded.get(eventIdOf(body) ?? "");
    if (!ids?.has(await deadLetterId(safeJson(body)))) kept.push(body);
  }
  return kept;
}

/** Runs from the job's current step until done or out of budget; returns the next step or null when finished. */
export async function runReplayStep(env: Env, job: JobRow, limits: ReplayLimits = REPLAY_LIMITS): Promise<number | null> {
  const params = JSON.parse(job.params) as ReplayParams;
  const range = rangeOf(params);
  let step = job.step;
  const result: ReplayResult = job.result ? (JSON.parse(job.result) as ReplayResult) : { dead_letter_copies_left_out: 0 };

  if (step === 0) {
    const total = await countArchive(env.LAKE, range);
    const months = params.from_month && params.to_month ? { fromMonth: params.from_month, toMonth: params.to_month } : null;
    const results = await env.DB.batch([
      excludeDeadLettersStatement(env.DB, job.id),
      ...wipeStatements(env.DB, months, job.id),
      ...intelWipeStatements(env.DB, months, job.id),
      advanceStatement(env.DB, job, { cursor: range.startAfter ?? "", processed: 0, total, result }),
    ]);
    if (results[results.length - 1]?.meta.changes !== 1) return null;
    step = 1;
  }

  const started = Date.now();
  const [rules, excluded] = await Promise.all([loadRules(env.DB), replayExclusions(env.DB, job.id)]);
  const scanner = new BronzeScanner(env.LAKE, range, step === job.step ? job.cursor || undefined : range.startAfter);
  let objectsRead = 0;
  const nextChunk = async (): Promise<Chunk | null> => {
    const objects: R2Object[] = [];
    let events = 0;
    while (objectsRead + objects.length < limits.maxObjectsPerInvocation) {
      const o = await scanner.peek();
      if (!o || (objects.length > 0 && events + bronzeCount(o) > limits.chunkEvents)) break;
      objects.push(scanner.take());
      events += bronzeCount(o);
    }
    if (objects.length === 0) return null;
    objectsRead += objects.length;
    const bodies = (await mapConcurrent(objects, limits.fetchConcurrency, (o) => readBronzeObject(env.LAKE, o.key))).flat();
    const kept = await withoutExcluded(bodies, excluded);
    return {
      last: objects[objects.length - 1]!.key,
      objects: objects.length,
      read: bodies.length,
      leftOut: bodies.length - kept.length,
      bodies: kept,
      prepared: prepareEvents(kept, rules, await loadLiveRules(env.DB, transactionUsersOf(kept))),
    };
  };

  // Read the next chunk from R2 while the current one is written to D1.
  let upcoming: Promise<Chunk | null> | null = nextChunk();
  while (upcoming) {
    const chunk = await upcoming;
    if (!chunk) {
      await advanceStatement(env.DB, { id: job.id, step }, { cursor: job.cursor, processed: 0, done: true, result }).run();
      return null;
    }
    const withinBudget = Date.now() - started < limits.timeBudgetMs && objectsRead < limits.maxObjectsPerInvocation;
    upcoming = withinBudget ? nextChunk() : null;
    upcoming?.catch(() => undefined);
    const out = await commitEvents(env.DB, chunk.prepared, {
      runId: newRunId(),
      queue: REPLAY_QUEUE,
      jobId: job.id,
      startedAt: Date.now(),
      bronzeObjects: chunk.objects,
      extra: [
        advanceStatement(
          env.DB,
          { id: job.id, step },
          {
            cursor: chunk.last,
            processed: chunk.read,
            result: { dead_letter_copies_left_out: result.dead_letter_copies_left_out + chunk.leftOut },
          },
        ),
      ],
    });
    // Another delivery of this job advanced it first: stop here and let that one carry on.
    if (out.extraResults[0]?.meta.changes !== 1) return null;
    await rebuildIntel(env, chunk.bodies);
    result.dead_letter_copies_left_out += chunk.leftOut;
    step += 1;
  }
  if ((await scanner.peek()) === null) {
    await advanceStatement(env.DB, { id: job.id, step }, { cursor: null, processed: 0, done: true, result }).run();
    return null;
  }
  return step;
}

/** The chunk's intelligence, once its Silver is committed: cashback months recomputed, purchases rescored, no alerts sent. */
async function rebuildIntel(env: Env, bodies: readonly unknown[]): Promise<void> {
  await refreshCashback(env.DB, cashbackMonthsOf(bodies));
  await scoreAnomalies(env, bodies, new Set(), { sendAlerts: false });
}

interface Chunk {
  last: string;
  /** The Bronze lines kept, for the intelligence rebuild after the commit. */
  bodies: unknown[];
  objects: number;
  /** Bronze lines read (progress counts every one), and how many of them were excluded dead letters. */
  read: number;
  leftOut: number;
  prepared: PreparedEvents;
}

/** Bronze objects of the range in key order, listed a page at a time. */
class BronzeScanner {
  private buffer: R2Object[] = [];
  private exhausted = false;
  private cursor: string | undefined;

  constructor(
    private readonly lake: R2Bucket,
    private readonly range: Range,
    private readonly after: string | undefined,
  ) {}

  async peek(): Promise<R2Object | null> {
    while (this.buffer.length === 0 && !this.exhausted) {
      const page = await listPage(this.lake, this.range, this.cursor ? { cursor: this.cursor } : { startAfter: this.after });
      this.buffer.push(...page.objects);
      this.cursor = page.cursor;
      if (page.done) this.exhausted = true;
    }
    return this.buffer[0] ?? null;
  }

  take(): R2Object {
    return this.buffer.shift()!;
  }
}
