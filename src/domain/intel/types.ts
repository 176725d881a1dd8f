/**
 * The shapes the intelligence cores read and write. Inputs are Silver-like
 * transaction rows (money in integer minor units, instants as UTC ISO strings);
 * outputs are plain JSON-ready objects, every finding with its explanation.
 */

export type Direction = "debit" | "credit";

/** One Silver transaction row, as the wiring reads it from D1 or Silver. */
export interface IntelTransaction {
  id: string;
  account_id: string;
  user_id: string;
  /** UTC ISO-8601 instant. */
  occurred_at: string;
  /** Positive integer minor units. */
  amount: number;
  direction: Direction;
  currency: string;
  /** The raw merchant text as it arrived (never rewritten). */
  merchant: string | null;
  description: string | null;
  category: string | null;
  /** The ledger kind (purchase, refund, deposit, …) when the wiring knows it. */
  kind?: string;
}

/** A refund gives spending back: it is not income. */
export const isRefund = (t: IntelTransaction): boolean => t.direction === "credit" && t.kind === "refund";

/** Signed spending (minor units): a debit's amount, a refund's negative amount, 0 for income. */
export const spendOf = (t: IntelTransaction): number => (t.direction === "debit" ? t.amount : isRefund(t) ? -t.amount : 0);

/** Income (minor units): a credit's amount unless it is a refund. */
export const incomeOf = (t: IntelTransaction): number => (t.direction === "credit" && !isRefund(t) ? t.amount : 0);

/** Why a rule fired: stored as it is and returned by the API as it is. */
export interface Explanation {
  rule_id: string;
  reason: string;
  observed: Record<string, unknown>;
  baseline: Record<string, unknown>;
  transaction_ids: string[];
}

export const DAY_MS = 86_400_000;

/** The UTC day (YYYY-MM-DD) of an ISO instant or day. */
export const dayOf = (iso: string): string => iso.slice(0, 10);

/** Whole days from `from` to `to` (both YYYY-MM-DD), negative when `to` is earlier. */
export function dayDiff(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

const daysInMonth = (y: number, m0: number): number => new Date(Date.UTC(y, m0 + 1, 0)).getUTCDate();

/**
 * The day `months` calendar months after (year, month) with day-of-month
 * `anchorDay`, clamped to the month's end: anchor 31 gives Feb 28/29, then Mar 31.
 */
export function monthDay(anchor: string, months: number, anchorDay: number): string {
  const y = Number(anchor.slice(0, 4));
  const m0 = Number(anchor.slice(5, 7)) - 1 + months;
  const year = y + Math.floor(m0 / 12);
  const month = ((m0 % 12) + 12) % 12;
  const day = Math.min(anchorDay, daysInMonth(year, month));
  return new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
}

/** `amount` lies within `permille`/1000 of `reference` (integer arithmetic, the edge included). */
export function withinPermille(amount: number, reference: number, permille: number): boolean {
  return Math.abs(amount - reference) * 1000 <= Math.abs(reference) * permille;
}
