/**
 * UTC calendar helpers for the pipeline. Every Gold day and month is a UTC
 * date derived from the event's `occurred_at`, so a late event lands on its own day.
 */
import { daySpan, isDay, isMonth, MAX_YEAR, MIN_YEAR, monthSpan } from "../domain/calendar";

/** Which days and months exist (and are supported) is the API calendar's rule, not a second one here. */
export { isDay, isMonth };

/** The instant as UTC ISO-8601 with milliseconds, or null when it is not a date. */
export function toUtcIso(value: unknown): string | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  const ms = typeof value === "number" ? value : Date.parse(value);
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export const dayOf = (utcIso: string): string => utcIso.slice(0, 10);
export const monthOf = (utcIso: string): string => utcIso.slice(0, 7);
export const hourOf = (utcIso: string): string => utcIso.slice(11, 13);

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Inclusive number of days from `from` to `to`. */
export const daysBetween = daySpan;

export function firstDayOfMonth(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

export function lastDayOfMonth(day: string): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00.000Z`);
  d.setUTCMonth(d.getUTCMonth() + 1, 0);
  return d.toISOString().slice(0, 10);
}

/**
 * Every month touched by [from, to], as YYYY-MM. Counted before it loops, and
 * refused outside the supported years: a job whose dates slipped past the edge
 * (year 9999 once made this loop forever) fails instead of spinning.
 */
export function monthsBetween(from: string, to: string): string[] {
  const [a, b] = [from.slice(0, 7), to.slice(0, 7)];
  if (!isMonth(a) || !isMonth(b)) throw new RangeError(`monthsBetween: months must lie in ${MIN_YEAR}-${MAX_YEAR} (got ${from}, ${to})`);
  const n = monthSpan(a, b);
  const out: string[] = [];
  const d = new Date(`${a}-01T00:00:00.000Z`);
  for (let i = 0; i < n; i++) {
    out.push(d.toISOString().slice(0, 7));
    d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return out;
}
