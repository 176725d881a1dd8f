/**
 * Replay: rebuild Silver and Gold from Bronze. Step 0 wipes the range (whole
 * months, since monthly aggregates cannot be split) and counts the archive;
 * later steps read Bronze objects in key order (= event date order) in chunks
 * and push them through the same ingest as the live consumer, each chunk's
 * Gold and the job's progress committed together.
 */
import { advanceStatement, type JobRow } from "../src/db/pipeline/jobs";
import { wipeStatements } from "../src/db/pipeline/gold";
import { loadRules } from "../src/db/pipeline/rules";
import { newRunId } from "../src/domain/ids";
import { bronzeCount, readBronzeObject } from "../src/lake/bronze";
import { BRONZE_PREFIX, dayOfBronzeKey } from "../src/pipeline/bronze-layout";
import { lastDayOfMonth } from "../src/pipeline/time";
import { commitEvents, prepareEvents, type PreparedEvents } from "./ingest";

export interface ReplayParams {
  from: string | null;
  to: string | null;
  /** The whole months actually rebuilt. */
  from_month: string | null;
  to_month: string | null;
}

export const REPLAY_QUEUE = "replay";
/** Events per D1 batch: large enough to amortize the commit, small enough for D1's limits. */
const CHUNK_EVENTS = 10_000;
/** Per invocation: stay well inside CPU time and the subrequest limit, then continue in a new message. */
const TIME_BUDGET_MS = 20_000;
const MAX_OBJECTS_PER_INVOCATION = 900;
const FETCH_CONCURRENCY = 32;
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
  const page = await lake.list({ prefix: BRONZE_PREFIX, limit, include: ["customMetadata"], ...(from.cursor ? { cursor: from.cursor } : { startAfter: from.startAfter }) });
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

async function readAll(lake: R2Bucket, keys: string[]): Promise<unknown[]> {
  const out: unknown[][] = new Array(keys.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(FETCH_CONCURRENCY, keys.length) }, async () => {
      while (next < keys.length) {
        const i = next++;
        out[i] = await readBronzeObject(lake, keys[i]!);
      }
    }),
  );
  return out.flat();
}

/** Runs from the job's current step until done or out of budget; returns the next step or null when finished. */
export async function runReplayStep(env: Env, job: JobRow): Promise<number | null> {
  const params = JSON.parse(job.params) as ReplayParams;
  const range = rangeOf(params);
  let step = job.step;

  if (step === 0) {
    const total = await countArchive(env.LAKE, range);
    const wipe = wipeStatements(env.DB, params.from_month && params.to_month ? { fromMonth: params.from_month, toMonth: params.to_month } : null, job.id);
    const results = await env.DB.batch([...wipe, advanceStatement(env.DB, job, { cursor: range.startAfter ?? "", processed: 0, total })]);
    if (results[results.length - 1]?.meta.changes !== 1) return null;
    step = 1;
  }

  const started = Date.now();
  const rules = await loadRules(env.DB);
  const scanner = new BronzeScanner(env.LAKE, range, step === job.step ? job.cursor || undefined : range.startAfter);
  let objectsRead = 0;
  const nextChunk = async (): Promise<Chunk | null> => {
    const objects: R2Object[] = [];
    let events = 0;
    while (objectsRead + objects.length < MAX_OBJECTS_PER_INVOCATION) {
      const o = await scanner.peek();
      if (!o || (objects.length > 0 && events + bronzeCount(o) > CHUNK_EVENTS)) break;
      objects.push(scanner.take());
      events += bronzeCount(o);
    }
    if (objects.length === 0) return null;
    objectsRead += objects.length;
    const bodies = await readAll(env.LAKE, objects.map((o) => o.key));
    return { last: objects[objects.length - 1]!.key, objects: objects.length, prepared: prepareEvents(bodies, rules) };
  };

  // Read the next chunk from R2 while the current one is written to D1.
  let upcoming: Promise<Chunk | null> | null = nextChunk();
  while (upcoming) {
    const chunk = await upcoming;
    if (!chunk) {
      await advanceStatement(env.DB, { id: job.id, step }, { cursor: job.cursor, processed: 0, done: true }).run();
      return null;
    }
    const withinBudget = Date.now() - started < TIME_BUDGET_MS && objectsRead < MAX_OBJECTS_PER_INVOCATION;
    upcoming = withinBudget ? nextChunk() : null;
    upcoming?.catch(() => undefined);
    const out = await commitEvents(env.DB, chunk.prepared, {
      runId: newRunId(),
      queue: REPLAY_QUEUE,
      jobId: job.id,
      startedAt: Date.now(),
      bronzeObjects: chunk.objects,
      extra: [advanceStatement(env.DB, { id: job.id, step }, { cursor: chunk.last, processed: chunk.prepared.messages })],
    });
    // Another delivery of this job advanced it first: stop here and let that one carry on.
    if (out.extraResults[0]?.meta.changes !== 1) return null;
    step += 1;
  }
  if ((await scanner.peek()) === null) {
    await advanceStatement(env.DB, { id: job.id, step }, { cursor: null, processed: 0, done: true }).run();
    return null;
  }
  return step;
}

interface Chunk {
  last: string;
  objects: number;
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
