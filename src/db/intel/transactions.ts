/**
 * The read of a user's income and spending for the intelligence routes
 * (recurring, forecast, health, risk, digests, simulations), over the typed
 * Silver transactions table (src/db/intel/transactions-read.ts, only the columns mapped here):
 *
 * - Income and spending kinds only (deposit, withdrawal, purchase, refund, fee,
 *   interest): transfers between the user's accounts and trade cash legs are
 *   not income or spending.
 * - A reversal and the entry it reverses are both left out (they cancel).
 * - Merchant, description and category are the latest annotation's, as the
 *   typed table keeps them; `merchant` is the text as it arrived or as the
 *   user edited it, and the cores normalize it.
 * - `kind` rides along so a refund counts as less spending, not as income.
 */
import { addDays } from "../../domain/intel/types";
import type { IntelTransaction } from "../../domain/intel/types";
import { TRANSACTION_KINDS } from "../../events/catalog";
import { readSpendingRows } from "./transactions-read";

const KINDS: ReadonlySet<string> = new Set(TRANSACTION_KINDS);

/** The user's income and spending with event day in [from, to] (YYYY-MM-DD, both optional), oldest first. */
export async function readIncomeAndSpending(
  db: D1Database,
  userId: string,
  range: { from?: string; to?: string } = {},
): Promise<IntelTransaction[]> {
  const rows = await readSpendingRows(db, userId, { from: range.from, to: range.to ? addDays(range.to, 1) : undefined });
  const reversed = new Set<string>();
  for (const r of rows) if (r.reverses_entry_id) reversed.add(r.reverses_entry_id);
  return rows
    .filter((r) => KINDS.has(r.kind) && !reversed.has(r.id))
    .map((r) => ({
      id: r.id,
      account_id: r.account_id,
      user_id: r.user_id,
      occurred_at: r.occurred_at,
      amount: r.amount,
      direction: r.direction,
      currency: r.currency,
      merchant: r.merchant,
      description: r.description,
      category: r.category,
      kind: r.kind,
    }));
}
