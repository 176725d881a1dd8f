/** The account registry (D1): which accounts a user has, and the per-user cap enforced atomically. */
import { asc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { accounts } from "./schema/registry";

export const MAX_ACCOUNTS_PER_USER = 50;

export type RegistryRow = typeof accounts.$inferInsert;

/** Every account id the user has, open or closed (at most MAX_ACCOUNTS_PER_USER). */
export async function accountIdsOf(db: D1Database, userId: string): Promise<string[]> {
  const rows = await drizzle(db).select({ id: accounts.id }).from(accounts).where(eq(accounts.userId, userId)).orderBy(asc(accounts.id));
  return rows.map((r) => r.id);
}

/**
 * Claims a registry row for a new account unless the user already has
 * MAX_ACCOUNTS_PER_USER. Count and insert are one statement, and D1 runs
 * statements one at a time, so concurrent opens cannot all see room under the
 * cap (a count followed by a separate insert let 20 concurrent opens at 45
 * accounts end at 65). False when the cap is reached.
 */
export async function reserveAccount(db: D1Database, row: RegistryRow): Promise<boolean> {
  const t = accounts;
  const result = await drizzle(db).run(sql`
    INSERT INTO ${t} (${sql.identifier(t.id.name)}, ${sql.identifier(t.userId.name)}, ${sql.identifier(t.type.name)},
      ${sql.identifier(t.currency.name)}, ${sql.identifier(t.name.name)}, ${sql.identifier(t.creditLimit.name)},
      ${sql.identifier(t.status.name)}, ${sql.identifier(t.createdAt.name)})
    SELECT ${row.id}, ${row.userId}, ${row.type}, ${row.currency}, ${row.name}, ${row.creditLimit ?? 0}, 'open', ${row.createdAt}
    WHERE (SELECT count(*) FROM ${t} WHERE ${t.userId} = ${row.userId}) < ${MAX_ACCOUNTS_PER_USER}`);
  return result.meta.changes === 1;
}

/** Gives back a reservation whose account the Durable Object did not open. */
export async function releaseAccount(db: D1Database, id: string): Promise<void> {
  await drizzle(db).delete(accounts).where(eq(accounts.id, id));
}
