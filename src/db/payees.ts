/** Payees (D1): each user's linked external accounts. Another user's payee reads as none. */
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { payees } from "./schema/payments";

export type PayeeRow = typeof payees.$inferSelect;

export const MAX_PAYEES_PER_USER = 100;

/** Insert unless the user already has MAX_PAYEES_PER_USER live payees (count and insert in one statement). */
export async function insertPayee(db: D1Database, row: Omit<PayeeRow, "deletedAt">): Promise<boolean> {
  const t = payees;
  const result = await drizzle(db).run(sql`
    INSERT INTO ${t} (id, user_id, name, institution_id, account_last4, account_ref_hash, created_at)
    SELECT ${row.id}, ${row.userId}, ${row.name}, ${row.institutionId}, ${row.accountLast4}, ${row.accountRefHash}, ${row.createdAt}
    WHERE (SELECT count(*) FROM ${t} WHERE ${t.userId} = ${row.userId} AND ${t.deletedAt} IS NULL) < ${MAX_PAYEES_PER_USER}`);
  return result.meta.changes === 1;
}

/** The user's live payee, or null (unknown, deleted or someone else's). */
export async function payeeOf(db: D1Database, userId: string, id: string): Promise<PayeeRow | null> {
  const rows = await drizzle(db)
    .select()
    .from(payees)
    .where(and(eq(payees.id, id), eq(payees.userId, userId), isNull(payees.deletedAt)));
  return rows[0] ?? null;
}

/** Any payee by id, deleted ones included: the processor settles payments placed before a delete. */
export async function payeeForProcessor(db: D1Database, id: string): Promise<PayeeRow | null> {
  const rows = await drizzle(db).select().from(payees).where(eq(payees.id, id));
  return rows[0] ?? null;
}

/** Live payees, newest first, after the cursor (created_at, id). */
export async function listPayees(
  db: D1Database,
  userId: string,
  limit: number,
  before: { at: string; id: string } | null,
): Promise<PayeeRow[]> {
  const cond = [eq(payees.userId, userId), isNull(payees.deletedAt)];
  if (before) cond.push(or(lt(payees.createdAt, before.at), and(eq(payees.createdAt, before.at), lt(payees.id, before.id)))!);
  return drizzle(db)
    .select()
    .from(payees)
    .where(and(...cond))
    .orderBy(desc(payees.createdAt), desc(payees.id))
    .limit(limit);
}

/** Soft delete; false when the user has no such live payee. */
export async function deletePayee(db: D1Database, userId: string, id: string, now: string): Promise<boolean> {
  const r = await drizzle(db)
    .update(payees)
    .set({ deletedAt: now })
    .where(and(eq(payees.id, id), eq(payees.userId, userId), isNull(payees.deletedAt)));
  return r.meta.changes === 1;
}
