/** Institutions (D1): the banks, listed by name and code with a keyset cursor, and which accounts belong to which. */
import { and, asc, eq, gt, or, type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { institutionAccounts, institutions } from "./schema/institutions";
import { payees } from "./schema/payments";

export type InstitutionRow = typeof institutions.$inferSelect;

export async function getInstitution(db: D1Database, id: string): Promise<InstitutionRow | null> {
  const rows = await drizzle(db).select().from(institutions).where(eq(institutions.id, id));
  return rows[0] ?? null;
}

/** False when the code is taken (the unique index decides). */
export async function insertInstitution(db: D1Database, row: InstitutionRow): Promise<boolean> {
  const r = await drizzle(db).insert(institutions).values(row).onConflictDoNothing().run();
  return r.meta.changes === 1;
}

/** Apply a change; null when there is no such institution, "code_taken" when the new code is another's. */
export async function updateInstitution(
  db: D1Database,
  id: string,
  change: Partial<Omit<InstitutionRow, "id" | "createdAt">>,
): Promise<InstitutionRow | null | "code_taken"> {
  try {
    await drizzle(db).update(institutions).set(change).where(eq(institutions.id, id)).run();
  } catch (e) {
    // drizzle wraps D1's error; the constraint is named in its cause.
    if (`${e} ${(e as { cause?: unknown }).cause}`.includes("UNIQUE")) return "code_taken";
    throw e;
  }
  return getInstitution(db, id);
}

/** Ordered by name then id; `name` matches a substring (case-insensitive), `code` exactly. */
export async function listInstitutions(
  db: D1Database,
  f: { name?: string; code?: string; limit: number; after: { n: string; i: string } | null },
): Promise<InstitutionRow[]> {
  const cond: SQL[] = [];
  if (f.name) cond.push(sql`${institutions.name} LIKE ${`%${f.name.replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`} ESCAPE '\\'`);
  if (f.code) cond.push(eq(institutions.code, f.code));
  if (f.after) cond.push(or(gt(institutions.name, f.after.n), and(eq(institutions.name, f.after.n), gt(institutions.id, f.after.i)))!);
  return drizzle(db)
    .select()
    .from(institutions)
    .where(cond.length ? and(...cond) : undefined)
    .orderBy(asc(institutions.name), asc(institutions.id))
    .limit(f.limit);
}

/**
 * Put an account under an institution: one insert whose unique index refuses
 * a second account of the type where the institution allows one per type.
 * False when refused.
 */
export async function claimInstitutionSlot(
  db: D1Database,
  inst: InstitutionRow,
  row: { accountId: string; userId: string; accountType: string; createdAt: string },
): Promise<boolean> {
  const slot = inst.oneAccountPerType ? row.accountType : row.accountId;
  const r = await drizzle(db)
    .insert(institutionAccounts)
    .values({ ...row, institutionId: inst.id, slot })
    .onConflictDoNothing()
    .run();
  return r.meta.changes === 1;
}

export async function releaseInstitutionSlot(db: D1Database, accountId: string): Promise<void> {
  await drizzle(db).delete(institutionAccounts).where(eq(institutionAccounts.accountId, accountId));
}

/**
 * A closed account stays under its institution (its history, the banks view) but no longer holds the
 * "one per type" slot: the slot becomes the account's own id, so a new account of the type may open.
 */
export async function freeInstitutionSlot(db: D1Database, accountId: string): Promise<void> {
  await drizzle(db).update(institutionAccounts).set({ slot: accountId }).where(eq(institutionAccounts.accountId, accountId)).run();
}

/** account id → institution id, for the user's accounts that have one. */
export async function accountInstitutions(db: D1Database, userId: string): Promise<Map<string, string>> {
  const rows = await drizzle(db)
    .select({ a: institutionAccounts.accountId, i: institutionAccounts.institutionId })
    .from(institutionAccounts)
    .where(eq(institutionAccounts.userId, userId));
  return new Map(rows.map((r) => [r.a, r.i]));
}

/** The institutions the user holds accounts at, or has payees at, by name. */
export async function institutionsOfUser(db: D1Database, userId: string): Promise<InstitutionRow[]> {
  return drizzle(db)
    .select()
    .from(institutions)
    .where(
      sql`${institutions.id} IN (SELECT ${institutionAccounts.institutionId} FROM ${institutionAccounts} WHERE ${institutionAccounts.userId} = ${userId}
        UNION SELECT ${payees.institutionId} FROM ${payees} WHERE ${payees.userId} = ${userId} AND ${payees.deletedAt} IS NULL)`,
    )
    .orderBy(asc(institutions.name), asc(institutions.id));
}
