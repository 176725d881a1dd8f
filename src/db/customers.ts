/** Customer profiles (D1): one per user; the national id only as a keyed hash and its last 4. */
import { and, asc, eq, gt, type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { customerProfiles } from "./schema/institutions";
import { users } from "./schema/identity";

export type ProfileRow = typeof customerProfiles.$inferSelect;
export type ProfileChange = Partial<Omit<ProfileRow, "userId" | "updatedAt">>;

export async function profileOf(db: D1Database, userId: string): Promise<ProfileRow | null> {
  const rows = await drizzle(db).select().from(customerProfiles).where(eq(customerProfiles.userId, userId));
  return rows[0] ?? null;
}

/** Create or change the profile: only the fields in `change` move. */
export async function upsertProfile(db: D1Database, userId: string, change: ProfileChange, now: string): Promise<ProfileRow> {
  await drizzle(db)
    .insert(customerProfiles)
    .values({ userId, ...change, updatedAt: now })
    .onConflictDoUpdate({ target: customerProfiles.userId, set: { ...change, updatedAt: now } });
  return (await profileOf(db, userId))!;
}

export interface CustomerFilter {
  /** A substring of the profile name (case-insensitive). */
  name?: string;
  /** The user's sign-in email, exactly. */
  email?: string;
  /** A national id's keyed hash (the caller hashes the id asked for). */
  nationalIdHash?: string;
  limit: number;
  afterUserId: string | null;
}

/** Users with their profile (users without one included), by user id. */
export async function listCustomers(db: D1Database, f: CustomerFilter) {
  const cond: SQL[] = [];
  if (f.name) cond.push(sql`${customerProfiles.name} LIKE ${`%${f.name.replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`} ESCAPE '\\'`);
  if (f.email) cond.push(eq(users.email, f.email.toLowerCase()));
  if (f.nationalIdHash) cond.push(eq(customerProfiles.nationalIdHash, f.nationalIdHash));
  if (f.afterUserId) cond.push(gt(users.id, f.afterUserId));
  return drizzle(db)
    .select({ userId: users.id, email: users.email, role: users.role, createdAt: users.createdAt, profile: customerProfiles })
    .from(users)
    .leftJoin(customerProfiles, eq(customerProfiles.userId, users.id))
    .where(cond.length ? and(...cond) : undefined)
    .orderBy(asc(users.id))
    .limit(f.limit);
}

export async function userExists(db: D1Database, userId: string): Promise<boolean> {
  const rows = await drizzle(db).select({ id: users.id }).from(users).where(eq(users.id, userId));
  return rows.length === 1;
}
