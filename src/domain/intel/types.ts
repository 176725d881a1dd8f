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

/**
 * Day arithmetic on YYYY-MM-DD strings. The detectors call these millions of
 * times, so a well-formed day (years 1000–9999, a real calendar day) is
 * computed with integer civil-date arithmetic (Hinnant's days-from-civil)
 * instead of Date parsing and formatting; anything else takes the Date path,
 * so every answer is the one Date gives (test/intel-days.unit.test.ts).
 */
const isDigit = (c: number) => c >= 48 && c <= 57;
const digits = (s: string, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
};
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const monthLength = (y: number, m1: number) => (m1 === 2 && isLeap(y) ? 29 : MONTH_DAYS[m1 - 1]!);

function civilToDays(y: number, m1: number, d: number): number {
  const yy = m1 <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m1 + (m1 > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

function daysToCivil(z: number): string {
  const zz = z + 719_468;
  const era = Math.floor(zz / 146_097);
  const doe = zz - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return `${yoe + era * 400 + (m <= 2 ? 1 : 0)}-${pad2(m)}-${pad2(d)}`;
}

/** Days since 1970-01-01 of a well-formed day, else null (the caller falls back to Date). */
export function dayNumber(day: string): number | null {
  if (day.length !== 10 || day.charCodeAt(4) !== 45 || day.charCodeAt(7) !== 45) return null;
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9]) if (!isDigit(day.charCodeAt(i))) return null;
  const y = digits(day, 0, 4);
  const m = digits(day, 5, 7);
  const d = digits(day, 8, 10);
  if (y < 1000 || m < 1 || m > 12 || d < 1 || d > monthLength(y, m)) return null;
  return civilToDays(y, m, d);
}

/** The YYYY-MM-DD day of a day number (years 1000–9999 only; see dayNumber). */
const FIRST_DAY = civilToDays(1000, 1, 1);
const LAST_DAY = civilToDays(9999, 12, 31);
export const dayFromNumber = (n: number): string | null => (Number.isInteger(n) && n >= FIRST_DAY && n <= LAST_DAY ? daysToCivil(n) : null);

/** Whole days from `from` to `to` (both YYYY-MM-DD), negative when `to` is earlier. */
export function dayDiff(from: string, to: string): number {
  const a = dayNumber(from);
  const b = dayNumber(to);
  if (a !== null && b !== null) return b - a;
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function addDays(day: string, n: number): string {
  const a = dayNumber(day);
  const fast = a !== null && Number.isInteger(n) ? dayFromNumber(a + n) : null;
  return fast ?? new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** monthDay as a day number where the integer arithmetic applies (see dayNumber), else null. */
export function monthDayNumber(anchor: string, months: number, anchorDay: number): number | null {
  const m0 = Number(anchor.slice(5, 7)) - 1 + months;
  const year = Number(anchor.slice(0, 4)) + Math.floor(m0 / 12);
  if (!(year >= 1000 && year <= 9999 && Number.isInteger(year) && Number.isInteger(m0) && Number.isInteger(anchorDay) && anchorDay >= 1))
    return null;
  const month1 = (((m0 % 12) + 12) % 12) + 1;
  return civilToDays(year, month1, Math.min(anchorDay, monthLength(year, month1)));
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
  const fast = monthDayNumber(anchor, months, anchorDay);
  if (fast !== null) return daysToCivil(fast);
  const day = Math.min(anchorDay, daysInMonth(year, month));
  return new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
}

/** `amount` lies within `permille`/1000 of `reference` (integer arithmetic, the edge included). */
export function withinPermille(amount: number, reference: number, permille: number): boolean {
  return Math.abs(amount - reference) * 1000 <= Math.abs(reference) * permille;
}
