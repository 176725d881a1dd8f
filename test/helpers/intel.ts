/** Hand-built Silver-like transaction rows for the intelligence cores' unit tests. */
import type { IntelTransaction } from "../../src/domain/intel/types";

let next = 0;

export function tx(at: string, amount: number, over: Partial<IntelTransaction> = {}): IntelTransaction {
  next++;
  return {
    id: over.id ?? `tx_${String(next).padStart(5, "0")}`,
    account_id: "acc_1",
    user_id: "usr_1",
    occurred_at: at.length === 10 ? `${at}T12:00:00.000Z` : at,
    amount,
    direction: "debit",
    currency: "USD",
    merchant: "NETFLIX.COM",
    description: null,
    category: "entertainment",
    ...over,
  };
}

/** One row per date, same merchant and amount unless `amounts` says otherwise. */
export function series(
  dates: readonly string[],
  amounts: number | readonly number[],
  over: Partial<IntelTransaction> = {},
): IntelTransaction[] {
  return dates.map((d, i) => tx(d, typeof amounts === "number" ? amounts : amounts[i]!, over));
}
