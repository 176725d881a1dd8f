/**
 * The day arithmetic of the intelligence cores (src/domain/intel/types.ts)
 * computes well-formed days with integer civil-date arithmetic instead of Date.
 * It must give exactly what the Date-based definitions give, for real days
 * over four centuries, leap days, month ends, and for inputs the fast path
 * refuses (Feb 30, which Date rolls over; years before 1000; malformed text).
 */
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { describe, expect, it } from "vitest";
import { addDays, DAY_MS, dayDiff, dayFromNumber, dayNumber, monthDay } from "../src/domain/intel/types";

// The Date-based definitions the fast path replaced.
const refDiff = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
const refAdd = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
function refMonthDay(anchor: string, months: number, anchorDay: number): string {
  const y = Number(anchor.slice(0, 4));
  const m0 = Number(anchor.slice(5, 7)) - 1 + months;
  const year = y + Math.floor(m0 / 12);
  const month = ((m0 % 12) + 12) % 12;
  const day = Math.min(anchorDay, new Date(Date.UTC(year, month + 1, 0)).getUTCDate());
  return new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
}
const same = <T>(f: () => T, g: () => T) => {
  let a: T | string;
  let b: T | string;
  try {
    a = f();
  } catch (e) {
    a = `throws ${(e as Error).name}`;
  }
  try {
    b = g();
  } catch (e) {
    b = `throws ${(e as Error).name}`;
  }
  expect(a).toEqual(b);
};

const rng = xoroshiro128plus(20261204);
const int = (lo: number, hi: number) => uniformInt(rng, lo, hi);
const pad = (n: number, w: number) => String(n).padStart(w, "0");
/** Mostly real days between 1900 and 2300, some day-of-month overflow (29–31 in short months) and odd years. */
const randomDay = () => {
  const y = int(0, 9) === 0 ? int(900, 1100) : int(1900, 2300);
  return `${pad(y, 4)}-${pad(int(1, 12), 2)}-${pad(int(1, 31), 2)}`;
};

describe("intel day arithmetic", () => {
  it("round-trips every day of 1999–2101 through its day number", () => {
    for (let n = dayNumber("1999-01-01")!; n <= dayNumber("2101-12-31")!; n++) {
      const day = new Date(n * DAY_MS).toISOString().slice(0, 10);
      expect(dayNumber(day)).toBe(n);
      expect(dayFromNumber(n)).toBe(day);
    }
  });

  it("refuses what it cannot compute exactly (Date takes over)", () => {
    for (const s of ["2026-02-29", "2026-02-30", "2026-04-31", "0999-12-31", "2026-1-01", "2026/01/01", "2026-00-10", "2026-13-01", ""])
      expect(dayNumber(s)).toBeNull();
    expect(dayNumber("2024-02-29")).not.toBeNull();
    expect(dayFromNumber(0.5)).toBeNull();
  });

  it("dayDiff, addDays and monthDay agree with Date on 20,000 random inputs", () => {
    for (let i = 0; i < 20_000; i++) {
      const a = randomDay();
      const b = randomDay();
      const n = int(-800, 800);
      const months = int(-30, 30);
      const anchorDay = int(1, 31);
      same(
        () => dayDiff(a, b),
        () => refDiff(a, b),
      );
      same(
        () => addDays(a, n),
        () => refAdd(a, n),
      );
      same(
        () => monthDay(a, months, anchorDay),
        () => refMonthDay(a, months, anchorDay),
      );
    }
    // Inputs off the fast path: the Date answers, NaN and RangeError included.
    for (const [a, b] of [
      ["2026-02-30", "2026-03-02"],
      ["bad", "2026-01-01"],
      ["0099-01-01", "2026-01-01"],
    ] as const) {
      same(
        () => dayDiff(a, b),
        () => refDiff(a, b),
      );
      same(
        () => addDays(a, 3),
        () => refAdd(a, 3),
      );
      same(
        () => monthDay(a, 1, 31),
        () => refMonthDay(a, 1, 31),
      );
    }
    same(
      () => addDays("2026-01-31", 0.5),
      () => refAdd("2026-01-31", 0.5),
    );
    same(
      () => monthDay("2026-01-31", 1, Number.NaN),
      () => refMonthDay("2026-01-31", 1, Number.NaN),
    );
  });
});
