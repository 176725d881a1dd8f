/**
 * The simulated exchange calendar. Two modes:
 *
 * - `always_open`: every symbol trades at every instant (local dev's default,
 *   so the demo works at any hour).
 * - `exchange`: US equities trade Monday to Friday, 14:30–21:00 UTC (the
 *   New York session at standard time, fixed in UTC: a simulated calendar with
 *   no holidays and no daylight-saving shift); crypto trades around the clock.
 *
 * Pure: the same mode, asset class and instant always give the same answer.
 */
import type { AssetClass } from "./symbols";

export const CALENDAR_MODES = ["always_open", "exchange"] as const;
export type CalendarMode = (typeof CALENDAR_MODES)[number];

const DAY_MS = 86_400_000;
export const SESSION_OPEN_MS = (14 * 60 + 30) * 60_000;
export const SESSION_CLOSE_MS = 21 * 60 * 60_000;

/** The mode a configuration value names; anything else is `exchange` (the safe, production default). */
export function calendarMode(value: string | undefined): CalendarMode {
  return value === "always_open" ? "always_open" : "exchange";
}

function isWeekday(dayStart: number): boolean {
  const dow = new Date(dayStart).getUTCDay();
  return dow >= 1 && dow <= 5;
}

export function isOpen(mode: CalendarMode, assetClass: AssetClass, t: number): boolean {
  if (mode === "always_open" || assetClass === "crypto") return true;
  const dayStart = Math.floor(t / DAY_MS) * DAY_MS;
  const ms = t - dayStart;
  return isWeekday(dayStart) && ms >= SESSION_OPEN_MS && ms < SESSION_CLOSE_MS;
}

export interface Clock {
  timestamp: number;
  is_open: boolean;
  /** The next session open after `timestamp` (null when the market never closes). */
  next_open: number | null;
  /** The next session close after `timestamp` (null when the market never closes). */
  next_close: number | null;
}

/** The equity clock at `t`: open now or not, and the next open and close. */
export function clockAt(mode: CalendarMode, t: number): Clock {
  if (mode === "always_open") return { timestamp: t, is_open: true, next_open: null, next_close: null };
  let nextOpen: number | null = null;
  let nextClose: number | null = null;
  for (let d = Math.floor(t / DAY_MS) * DAY_MS; nextOpen === null || nextClose === null; d += DAY_MS) {
    if (!isWeekday(d)) continue;
    if (nextOpen === null && d + SESSION_OPEN_MS > t) nextOpen = d + SESSION_OPEN_MS;
    if (nextClose === null && d + SESSION_CLOSE_MS > t) nextClose = d + SESSION_CLOSE_MS;
  }
  return { timestamp: t, is_open: isOpen(mode, "us_equity", t), next_open: nextOpen, next_close: nextClose };
}
