/**
 * The schedules of recurring streams (recurring.ts): the frequencies, their
 * date tolerances, the k-th scheduled date (month-end clamped, anchored on the
 * first occurrence; semi-monthly with two anchors) and whether a run of
 * occurrence days fits a schedule. Day arithmetic goes through day numbers
 * where exact, else through Date (types.ts).
 */
import { addDays, dayDiff, dayFromNumber, dayNumber, monthDay, monthDayNumber } from "./types";

export const FREQUENCIES = ["weekly", "biweekly", "semi_monthly", "monthly", "quarterly", "semi_annually", "annually"] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** Days either side of the scheduled date. */
export const DATE_TOLERANCE: Readonly<Record<Frequency, number>> = {
  weekly: 2,
  biweekly: 2,
  semi_monthly: 2,
  monthly: 3,
  quarterly: 3,
  semi_annually: 3,
  annually: 3,
};

/** Occurrences per year, for the monthly equivalent of a stream. */
export const PER_YEAR: Readonly<Record<Frequency, number>> = {
  weekly: 52,
  biweekly: 26,
  semi_monthly: 24,
  monthly: 12,
  quarterly: 4,
  semi_annually: 2,
  annually: 1,
};

const MONTHS: Partial<Record<Frequency, number>> = { monthly: 1, quarterly: 3, semi_annually: 6, annually: 12 };

/** Enough to compute any scheduled date of the stream (the forecast projects from it). */
export interface Schedule {
  frequency: Frequency;
  anchor_date: string;
  /** Semi-monthly only: the day of month of the second charge of each month (31 = month end). */
  second_day: number | null;
  /** Semi-monthly only: whether the anchor is the first (true) or the second charge of its month. */
  anchor_first_in_month: boolean;
}

/** The k-th scheduled date of a stream (k = 0 is the anchor). */
export function scheduledDate(s: Schedule, k: number): string {
  const months = MONTHS[s.frequency];
  if (months) return monthDay(s.anchor_date, k * months, Number(s.anchor_date.slice(8, 10)));
  if (s.frequency === "weekly") return addDays(s.anchor_date, 7 * k);
  if (s.frequency === "biweekly") return addDays(s.anchor_date, 14 * k);
  const anchorDay = Number(s.anchor_date.slice(8, 10));
  const second = s.second_day ?? anchorDay;
  // Count charges from the first charge of the anchor's month.
  const slot = k + (s.anchor_first_in_month ? 0 : 1);
  const month = Math.floor(slot / 2);
  return slot % 2 === 0
    ? monthDay(s.anchor_date, month, s.anchor_first_in_month ? anchorDay : second)
    : monthDay(s.anchor_date, month, s.anchor_first_in_month ? second : anchorDay);
}

/** scheduledDate as a day number (types.ts dayNumber), or null where only the Date path applies. */
export function scheduledDayNumber(s: Schedule, k: number): number | null {
  const months = MONTHS[s.frequency];
  const anchorDay = Number(s.anchor_date.slice(8, 10));
  let n: number | null;
  if (months) n = monthDayNumber(s.anchor_date, k * months, anchorDay);
  else if (s.frequency === "weekly" || s.frequency === "biweekly") {
    const a = dayNumber(s.anchor_date);
    n = a === null ? null : a + (s.frequency === "weekly" ? 7 : 14) * k;
  } else {
    const second = s.second_day ?? anchorDay;
    const slot = k + (s.anchor_first_in_month ? 0 : 1);
    const month = Math.floor(slot / 2);
    const first = slot % 2 === 0 ? s.anchor_first_in_month : !s.anchor_first_in_month;
    n = monthDayNumber(s.anchor_date, month, first ? anchorDay : second);
  }
  return n !== null && dayFromNumber(n) !== null ? n : null;
}

export function scheduleFor(frequency: Frequency, days: readonly string[]): Schedule | null {
  const anchor = days[0]!;
  if (frequency !== "semi_monthly") return { frequency, anchor_date: anchor, second_day: null, anchor_first_in_month: true };
  // The two anchors are the first two charges; they are 10–20 days apart and in adjacent halves of the month.
  const next = days[1]!;
  const gap = dayDiff(anchor, next);
  if (gap < 10 || gap > 20) return null;
  const sameMonth = anchor.slice(0, 7) === next.slice(0, 7);
  const a = Number(anchor.slice(8, 10));
  const b = Number(next.slice(8, 10));
  // The anchor's partner day in the month: a later day of the same month, or an earlier one of the next.
  return sameMonth
    ? { frequency, anchor_date: anchor, second_day: b, anchor_first_in_month: true }
    : { frequency, anchor_date: anchor, second_day: b, anchor_first_in_month: b > a };
}

/** Whether every occurrence i falls within the tolerance of scheduled date i. */
export function fits(s: Schedule, days: readonly string[]): boolean {
  const tol = DATE_TOLERANCE[s.frequency];
  for (let i = 0; i < days.length; i++) {
    const d = days[i]!;
    const sd = scheduledDayNumber(s, i);
    const dn = dayNumber(d);
    const diff = sd !== null && dn !== null ? dn - sd : dayDiff(scheduledDate(s, i), d);
    if (!(Math.abs(diff) <= tol)) return false;
  }
  return true;
}
