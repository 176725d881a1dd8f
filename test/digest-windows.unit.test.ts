/** The digest core's periods at their edges, and budget suggestions as the 75th percentile with empty months as 0. */
import { describe, expect, it } from "vitest";
import { budgetSuggestions, periodWindows } from "../src/domain/intel/digest";
import { tx } from "./helpers/intel";

describe("digest periods", () => {
  it("weekly: the last full Monday–Sunday week; a Sunday as-of is its own week's end", () => {
    expect(periodWindows("weekly", "2026-11-29").current).toEqual({ start: "2026-11-23", end: "2026-11-30" }); // Sunday
    expect(periodWindows("weekly", "2026-11-28").current).toEqual({ start: "2026-11-16", end: "2026-11-23" }); // Saturday
    expect(periodWindows("weekly", "2026-11-30").previous).toEqual({ start: "2026-11-16", end: "2026-11-23" }); // Monday
  });

  it("monthly: the last full month; the month's last day closes it", () => {
    expect(periodWindows("monthly", "2026-11-30").current).toEqual({ start: "2026-11-01", end: "2026-12-01" });
    expect(periodWindows("monthly", "2026-11-29").current).toEqual({ start: "2026-10-01", end: "2026-11-01" });
    expect(periodWindows("monthly", "2026-01-15")).toEqual({
      current: { start: "2025-12-01", end: "2026-01-01" },
      previous: { start: "2025-11-01", end: "2025-12-01" },
    });
  });
});

describe("budget suggestions", () => {
  it("takes the linear 75th percentile of the six months before, empty months counting 0", () => {
    const rows = [100, 200, 300, 400, 500].map((a, i) => tx(`2026-0${i + 5}-10`, a, { category: "dining" }));
    // Months May–Oct 2026 before November (October empty): [0, 100, 200, 300, 400, 500] → index 3.75 → 375.
    expect(budgetSuggestions(rows, "2026-11-01")).toEqual([{ category: "dining", amount: 375, months: 6 }]);
    // A charge of the month itself or seven months back is outside.
    expect(budgetSuggestions([tx("2026-11-02", 999), tx("2026-04-30", 999)], "2026-11-01")).toEqual([]);
  });
});
