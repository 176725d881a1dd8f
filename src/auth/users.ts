/**
 * User records in D1 and their public view. The password hash never leaves
 * this module's callers through `publicUser`.
 */
import { eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { users } from "../db/schema";
import { newUserId } from "../domain/ids";
import type { Role } from "./access-token";

type Db = DrizzleD1Database;
export type UserRow = typeof users.$inferSelect;

export interface PublicUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  created_at: string;
}

export function publicUser(row: UserRow): PublicUser {
  return { id: row.id, email: row.email, name: row.name, role: row.role, created_at: row.createdAt };
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const rows = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return rows[0];
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const rows = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return rows[0];
}

/** The new user, or null when the email is taken (the unique index decides, so concurrent sign-ups cannot both win). */
export async function createUser(
  db: Db,
  input: { email: string; name: string | null; passwordHash: string; role: Role },
  now = Date.now(),
): Promise<UserRow | null> {
  const rows = await db
    .insert(users)
    .values({ id: newUserId(), ...input, createdAt: new Date(now).toISOString() })
    .onConflictDoNothing({ target: users.email })
    .returning();
  return rows[0] ?? null;
}

export async function updatePasswordHash(db: Db, id: string, passwordHash: string): Promise<void> {
  await db.update(users).set({ passwordHash }).where(eq(users.id, id));
}
