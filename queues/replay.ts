/**
 * Replay: rebuild Silver and Gold from Bronze. Step 0 wipes the range (whole
 * months, since monthly aggregates cannot be split) and counts the archive;
 * later steps read Bronze objects in key order (= event date order) in chunks
 * and push them through the same ingest as the live consumer, each chunk's
 * Gold and the job's progress committed together.
 */
import { advanceStatement, type JobRow } from "../src/db/pipeline/jobs";
import { wipeStatements } from "../src/db/pipeline/gold";
import { newRunId } from "../src/domain/ids";
import { bronzeCount, readBronzeObject } from "../src/lake/bronze";
import { BRONZE_PREFIX, dayOfBronzeKey } from "../src/pipeline/bronze-layout";
import { lastDayOfMonth } from "../src/pipeline/time";
import { ingest } from "./ingest";

export interface ReplayParams {
  from: string | null;
  to: string | null;
  /** The whole months actually rebuilt. */
  from_month: string | null;
  to_month: string | null;
}

export const REPLAY_QUEUE = "replay";
/** Events per D1 batch: large enough to amortize the commit, small enough for D1's limits. */
const CHUNK_EVENTS = 5_000;
/** Per invocation: stay well inside CPU time and the subrequest limit, then continue in a new message. */
const TIME_BUDGET_MS = 20_000;
const MAX_OBJECTS_PER_INVOCATION = 600;
const FETCH_CONCURRENCY = 16;
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

async function listPage(lake: R2Bucket, range: Range, after: string | undefined, limit = 1000): Promise<{ objects: R2Object[]; done: boolean }> {
  const page = await lake.list({ prefix: BRONZE_PREFIX, startAfter: after, limit, include: ["customMetadata"] });
  const objects = page.objects.filter((o) => inRange(o.key, range));
  const leftRange = objects.length < page.objects.length;
  return { objects, done: leftRange || !page.truncated };
}

async function countArchive(lake: R2Bucket, range: Range): Promise<number | null> {
  let total = 0;
  let after = range.startAfter;
  for (let i = 0; i < MAX_COUNT_PAGES; i++) {
    const page = await listPage(lake, range, after);
    for (const o of page.objects) total += bronzeCount(o);
    if (page.done || page.objects.length === 0) return total;
    after = page.objects[page.objects.length - 1]!.key;
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
  let cursor = step === job.step ? job.cursor : range.startAfter ?? "";
  let objectsRead = 0;
  while (Date.now() - started < TIME_BUDGET_MS && objectsRead < MAX_OBJECTS_PER_INVOCATION) {
    const page = await listPage(env.LAKE, range, cursor || undefined, Math.min(1000, MAX_OBJECTS_PER_INVOCATION - objectsRead));
    if (page.objects.length === 0) {
      await advanceStatement(env.DB, { id: job.id, step }, { cursor, processed: 0, done: true }).run();
      return null;
    }
    let i = 0;
    while (i < page.objects.length && Date.now() - started < TIME_BUDGET_MS) {
      const chunk: R2Object[] = [];
      let events = 0;
      while (i < page.objects.length && (chunk.length === 0 || events + bronzeCount(page.objects[i]!) <= CHUNK_EVENTS)) {
        events += bronzeCount(page.objects[i]!);
        chunk.push(page.objects[i++]!);
      }
      const bodies = await readAll(env.LAKE, chunk.map((o) => o.key));
      objectsRead += chunk.length;
      const last = chunk[chunk.length - 1]!.key;
      const out = await ingest(env.DB, {
        runId: newRunId(),
        queue: REPLAY_QUEUE,
        jobId: job.id,
        startedAt: Date.now(),
        bodies,
        bronzeObjects: chunk.length,
        extra: [advanceStatement(env.DB, { id: job.id, step }, { cursor: last, processed: bodies.length })],
      });
      // Another delivery of this job advanced it first: stop here and let that one carry on.
      if (out.extraResults[0]?.meta.changes !== 1) return null;
      step += 1;
      cursor = last;
    }
    if (page.done && i >= page.objects.length) {
      await advanceStatement(env.DB, { id: job.id, step }, { cursor, processed: 0, done: true }).run();
      return null;
    }
  }
  return step;
}
