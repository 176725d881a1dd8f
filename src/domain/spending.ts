/**
 * The spending rule, in one place for the account's budgets and the
 * pipeline's Gold: purchases add to spending, refunds take from it, and a
 * reversal cancels what it reverses. The signed spend of a spending entry is
 * +amount for a debit and −amount for a credit, which is the same thing.
 */
export const SPENDING_KINDS = ["purchase", "refund"] as const;
export type SpendingKind = (typeof SPENDING_KINDS)[number];

export interface SpendingFacts {
  kind: string;
  reverses_kind: string | null;
  direction: "credit" | "debit";
  amount: number;
}

function isSpendingKind(kind: string | null): kind is SpendingKind {
  return kind === "purchase" || kind === "refund";
}

/** Whether an entry counts towards spending (a purchase, a refund, or the reversal of either). */
export function isSpending(e: Pick<SpendingFacts, "kind" | "reverses_kind">): boolean {
  return e.kind === "reversal" ? isSpendingKind(e.reverses_kind) : isSpendingKind(e.kind);
}

/** +1/−1 purchase or refund and the signed spend, or null when the entry is not spending. */
export function spendingEffect(e: SpendingFacts): { purchases: number; refunds: number; amount: number } | null {
  if (!isSpending(e)) return null;
  const reversal = e.kind === "reversal";
  const kind = reversal ? e.reverses_kind : e.kind;
  const count = reversal ? -1 : 1;
  const amount = e.direction === "debit" ? e.amount : -e.amount;
  return kind === "purchase" ? { purchases: count, refunds: 0, amount } : { purchases: 0, refunds: count, amount };
}
