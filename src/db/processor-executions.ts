/**
 * The simulated processor's keyed record (D1): the first outcome recorded for
 * a key wins, in one statement, and every later call for the key answers it.
 * This is what makes "a payment never executes twice" hold across crashes,
 * redeliveries and the DLQ's own settlement.
 */
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { processorExecutions } from "./schema/payments";

export type ExecutionRow = typeof processorExecutions.$inferSelect;

export async function findExecution(db: D1Database, key: string): Promise<ExecutionRow | null> {
  const rows = await drizzle(db).select().from(processorExecutions).where(eq(processorExecutions.key, key));
  return rows[0] ?? null;
}

/** Record `row` unless the key has an outcome already; returns the key's outcome either way (and counts the call). */
export async function recordExecution(db: D1Database, row: Omit<ExecutionRow, "calls">): Promise<ExecutionRow> {
  const t = processorExecutions;
  await drizzle(db)
    .insert(t)
    .values({ ...row, calls: 1 })
    .onConflictDoUpdate({ target: t.key, set: { calls: sql`${t.calls} + 1` } });
  return (await findExecution(db, row.key))!;
}

/** A repeat call that found the key executed: counted, so tests see every call that reached the processor. */
export async function countRepeatCall(db: D1Database, key: string): Promise<void> {
  await drizzle(db)
    .update(processorExecutions)
    .set({ calls: sql`${processorExecutions.calls} + 1` })
    .where(eq(processorExecutions.key, key));
}
