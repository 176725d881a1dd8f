/**
 * Whose accounts a transfer joins, for the inbox: a transfer between two of
 * one user's own accounts is their own doing, not news. The destination of a
 * transfer comes from Gold's pending row (committed before the inbox step
 * runs); the owners from the account registry.
 */
import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { goldTransfers } from "../schema/pipeline";
import { accounts } from "../schema/registry";

/** The owner of each of these accounts that exists. */
export async function ownersOf(db: D1Database, accountIds: readonly string[]): Promise<Map<string, string>> {
  if (accountIds.length === 0) return new Map();
  const rows = await drizzle(db)
    .select({ id: accounts.id, userId: accounts.userId })
    .from(accounts)
    .where(inArray(accounts.id, [...new Set(accountIds)]));
  return new Map(rows.map((r) => [r.id, r.userId]));
}

/** Each transfer's destination account, where Gold has its pending row. */
export async function destinationsOf(db: D1Database, transferIds: readonly string[]): Promise<Map<string, string>> {
  if (transferIds.length === 0) return new Map();
  const rows = await drizzle(db)
    .select({ id: goldTransfers.transferId, to: goldTransfers.toAccountId })
    .from(goldTransfers)
    .where(and(inArray(goldTransfers.transferId, [...new Set(transferIds)]), eq(goldTransfers.stage, "pending")));
  return new Map(rows.flatMap((r) => (r.to ? [[r.id, r.to] as const] : [])));
}
