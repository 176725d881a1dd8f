/** Reads of the account registry (D1): which accounts a user has. */
import { asc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { accounts } from "./schema/registry";

/** Every account id the user has, open or closed (at most MAX_ACCOUNTS_PER_USER). */
export async function accountIdsOf(db: D1Database, userId: string): Promise<string[]> {
  const rows = await drizzle(db).select({ id: accounts.id }).from(accounts).where(eq(accounts.userId, userId)).orderBy(asc(accounts.id));
  return rows.map((r) => r.id);
}
