/**
 * The API's calendar: which days, months and instants a request may name, and
 * how wide a range may be, so every date has one valid range and every range one bounded cost. Pure.
 */
import { DomainError } from "./errors";

/**
 * Supported years, inclusive. The ledger starts in 2026 and takes event times at
 * most 90 days back, so nothing older than 2000 can exist; 2100 leaves room for
 * any forward-looking query. Outside four-digit years `Date` writes "+010000-01-01",
 * whose string order breaks every `day <= to` loop: that is how
 * `from=9999-12-01` ran the isolate out of heap.
 */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;
export const FIRST_DAY = `${MIN_YEAR}-01-01`;
export const LAST_DAY = `${MAX_YEAR}-12-31`;
const FIRST_MS = Date.UTC(MIN_YEAR, 0, 1);
const END_MS = Date.UTC(MAX_YEAR + 1, 0, 1);

/** Widest range per route. Each one bounds what the route (or its job) loops over. */
export const SPAN_LIMITS = {
  /** Days per daily-balances page: one dense row per day is built in memory. */
  dailyBalancesPage: 366,
  /** Days in one daily-balances range: ten full pages. */
  dailyBalancesDays: 3_660,
  /** Months per summary request. */
  summaryMonths: 36,
  /** Days per export: the job writes one partition per month (at most 37). */
  exportDays: 366 * 3,
} as const;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
/** RFC 3339 date-time with a mandatory offset (Z or ±HH:MM), as zod's `datetime({ offset: true })`. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,9})?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

export const DAY_RULE = `a calendar date YYYY-MM-DD from ${FIRST_DAY} to ${LAST_DAY}`;
export const MONTH_RULE = `a month YYYY-MM from ${MIN_YEAR}-01 to ${MAX_YEAR}-12`;
export const INSTANT_RULE = `an ISO 8601 date-time with offset (e.g. 2026-11-22T10:00:00Z) from ${FIRST_DAY} to ${LAST_DAY} UTC`;

function realDate(y: number, m: number, d: number): boolean {
  if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** A real day (no Feb 30, no month 13) in the supported years. */
export function isDay(value: string): boolean {
  const m = DAY.exec(value);
  return m !== null && realDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function isMonth(value: string): boolean {
  const m = MONTH.exec(value);
  return m !== null && realDate(Number(m[1]), Number(m[2]), 1);
}

/** A strict date-time with offset whose UTC instant lies in the supported years; its epoch ms, or null. */
export function instantMs(value: string): number | null {
  const m = INSTANT.exec(value);
  if (!m || !realDate(Number(m[1]), Number(m[2]), Number(m[3]))) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms >= FIRST_MS && ms < END_MS ? ms : null;
}

export const isInstant = (value: string): boolean => instantMs(value) !== null;

/** Inclusive number of days from `from` to `to` (both valid days). */
export function daySpan(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** Inclusive number of months from `from` to `to` (YYYY-MM or YYYY-MM-DD), by arithmetic, never a loop. */
export function monthSpan(from: string, to: string): number {
  const index = (s: string) => Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7));
  return index(to) - index(from) + 1;
}

function invalid(field: string, message: string): DomainError {
  return new DomainError("validation_error", message, { field });
}

/** A range of days: both valid, from <= to, at most `maxDays` inclusive. */
export function checkDayRange(from: string, to: string, maxDays: number, fields = { from: "from", to: "to" }): void {
  if (!isDay(from)) throw invalid(fields.from, `${fields.from} must be ${DAY_RULE}`);
  if (!isDay(to)) throw invalid(fields.to, `${fields.to} must be ${DAY_RULE}`);
  if (from > to) throw invalid(fields.from, `${fields.from} must not be after ${fields.to}`);
  if (daySpan(from, to) > maxDays) throw invalid(fields.to, `${fields.from}..${fields.to} may span at most ${maxDays} days`);
}

/** A range of months: both valid, from <= to, at most `maxMonths` inclusive. */
export function checkMonthRange(from: string, to: string, maxMonths: number): void {
  if (!isMonth(from)) throw invalid("from", `from must be ${MONTH_RULE}`);
  if (!isMonth(to)) throw invalid("to", `to must be ${MONTH_RULE}`);
  if (from > to) throw invalid("from", "from must not be after to");
  if (monthSpan(from, to) > maxMonths) throw invalid("to", `from..to may span at most ${maxMonths} months`);
}

/** An optional range of instants: each valid when given, from <= to (compared as instants, offsets applied). */
export function checkInstantRange(from: string | undefined, to: string | undefined): void {
  const f = from === undefined ? null : instantMs(from);
  const t = to === undefined ? null : instantMs(to);
  if (from !== undefined && f === null) throw invalid("from", `from must be ${INSTANT_RULE}`);
  if (to !== undefined && t === null) throw invalid("to", `to must be ${INSTANT_RULE}`);
  if (f !== null && t !== null && f > t) throw invalid("from", "from must not be after to");
}
