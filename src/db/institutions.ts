/** Institutions (D1): the banks, listed by name and code with a keyset cursor. */
import { and, asc, eq, gt, or, type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { institutions } from "./schema/institutions";

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
    if (String(e).includes("UNIQUE")) return "code_taken";
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
