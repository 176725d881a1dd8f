/** The balance forecast core: seeded and repeatable, weekday-aware, recurring streams projected, percentiles ordered. */
import { describe, expect, it } from "vitest";
import { forecast, projectStreams, weekdayPools } from "../src/domain/intel/forecast";
import { detectRecurring } from "../src/domain/intel/recurring";
import { addDays } from "../src/domain/intel/types";
import { series, tx } from "./helpers/intel";

const AS_OF = "2026-03-31";
/** `n` days before AS_OF, oldest first. */
const lastDays = (n: number) => Array.from({ length: n }, (_, i) => addDays(AS_OF, i - n));

/** Irregular groceries and an occasional refund: enough spread for the percentiles to differ. */
function noisyHistory() {
  return lastDays(90).flatMap((d, i) => {
    const rows = [tx(d, 500 + ((i * 7919) % 4_000), { merchant: `SHOP ${i % 6}` })];
    if (i % 11 === 0) rows.push(tx(d, 2_500, { merchant: "REFUND DESK", direction: "credit" }));
    return rows;
  });
}

const base = { user_id: "usr_1", as_of: AS_OF, horizon_days: 90, currency: "USD", starting_balance: 500_000, streams: [] };

describe("forecast", () => {
  it("gives the same answer to the same question, and another to another user or day", () => {
    const history = noisyHistory();
    const a = forecast({ ...base, history });
    expect(forecast({ ...base, history })).toEqual(a);
    expect(a.seed).toBe("usr_1|2026-03-31");
    expect(forecast({ ...base, user_id: "usr_2", history }).days).not.toEqual(a.days);
    expect(a).toMatchObject({ paths: 1_000, horizon_days: 90 });
    expect(a.days).toHaveLength(90);
    expect(a.days[0]!.date).toBe("2026-04-01");
    expect(a.days.at(-1)!.date).toBe("2026-06-29");
  });

  it("orders the percentiles every day, in integer minor units", () => {
    const f = forecast({ ...base, history: noisyHistory() });
    for (const d of f.days) {
      expect(d.p10).toBeLessThanOrEqual(d.p50);
      expect(d.p50).toBeLessThanOrEqual(d.p90);
      expect([d.p10, d.p50, d.p90].every(Number.isInteger)).toBe(true);
    }
    expect(f.days.at(-1)!.p10).toBeLessThan(f.days.at(-1)!.p90);
  });

  it("with a history without variance, P10 = P50 = P90 and every path is the same line", () => {
    const history = series(lastDays(90), 1_000, { merchant: "CAFE" });
    const f = forecast({ ...base, history, starting_balance: 100_000, buffer: 10_000 });
    f.days.forEach((d, i) => {
      expect(d).toMatchObject({ p10: 100_000 - 1_000 * (i + 1), p50: 100_000 - 1_000 * (i + 1), p90: 100_000 - 1_000 * (i + 1) });
    });
    // The balance ends at exactly 10,000 on day 90: at the buffer is not below it; one more day would be.
    expect(f.lowest).toEqual({ date: "2026-06-29", p50: 10_000, p10: 10_000 });
    expect(f.probability_below_buffer).toBe(0);
    expect(forecast({ ...base, history, starting_balance: 99_999, buffer: 10_000 }).probability_below_buffer).toBe(1);
  });

  it("draws each day from the same weekday: spending only on Saturdays moves the balance only on Saturdays", () => {
    const saturdays = lastDays(91).filter((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 6);
    const history = series(saturdays, [3_000, 5_000, 7_000, 3_000, 5_000, 7_000, 3_000, 5_000, 7_000, 3_000, 5_000, 7_000, 4_000], {
      merchant: "MARKET",
    });
    expect(saturdays).toHaveLength(13);
    const f = forecast({ ...base, history, horizon_days: 28 });
    let prev = { p10: 500_000, p50: 500_000, p90: 500_000 };
    for (const d of f.days) {
      const saturday = new Date(`${d.date}T00:00:00Z`).getUTCDay() === 6;
      if (!saturday) expect(d).toMatchObject(prev);
      else expect(d.p90).toBeLessThan(prev.p90);
      prev = { p10: d.p10, p50: d.p50, p90: d.p90 };
    }
    expect(weekdayPools({ history, streams: [], currency: "USD", as_of: AS_OF, lookback_days: 91 })[6]).toHaveLength(13);
  });

  it("projects recurring streams on their schedule and does not draw their charges again", () => {
    const rent = series(["2026-01-01", "2026-02-01", "2026-03-01"], 150_000, { merchant: "LANDLORD" });
    const pay = series(["2026-01-15", "2026-02-15", "2026-03-15"], 300_000, { merchant: "ACME PAYROLL", direction: "credit" });
    const streams = detectRecurring([...rent, ...pay], { asOf: AS_OF });
    expect(streams.map((s) => s.frequency)).toEqual(["monthly", "monthly"]);
    expect(projectStreams(streams, "USD", AS_OF, 45)).toEqual([
      { stream_key: "landlord|debit|USD", date: "2026-04-01", amount: -150_000 },
      { stream_key: "acme-payroll|credit|USD", date: "2026-04-15", amount: 300_000 },
      { stream_key: "landlord|debit|USD", date: "2026-05-01", amount: -150_000 },
      { stream_key: "acme-payroll|credit|USD", date: "2026-05-15", amount: 300_000 },
    ]);
    // The only history is the streams' own charges: the Monte Carlo adds nothing, so the line is exact.
    const f = forecast({ ...base, history: [...rent, ...pay], streams, horizon_days: 45, starting_balance: 10_000, buffer: 0 });
    expect(f.days[0]).toEqual({ date: "2026-04-01", p10: -140_000, p50: -140_000, p90: -140_000, recurring: -150_000 });
    expect(f.days.at(-1)).toMatchObject({ date: "2026-05-15", p50: 310_000 });
    expect(f.lowest).toEqual({ date: "2026-04-01", p50: -140_000, p10: -140_000 });
    expect(f.probability_below_buffer).toBe(1);
    // A tombstoned or other-currency stream is not projected.
    expect(
      projectStreams(
        [
          { ...streams[0]!, is_active: false },
          { ...streams[1]!, currency: "EUR" },
        ],
        "USD",
        AS_OF,
        45,
      ),
    ).toEqual([]);
  });

  it("projects a charge that is late by at most its tolerance on the first day, and drops one later than that", () => {
    const rent = series(["2026-01-28", "2026-02-28"], 150_000, { merchant: "LANDLORD" });
    // Scheduled 2026-03-28: 3 days late at 03-31 is within the monthly tolerance.
    const [late] = detectRecurring(rent, { asOf: AS_OF });
    expect(projectStreams([late!], "USD", AS_OF, 30)).toEqual([
      { stream_key: "landlord|debit|USD", date: "2026-04-01", amount: -150_000 },
      { stream_key: "landlord|debit|USD", date: "2026-04-28", amount: -150_000 },
    ]);
    const [missed] = detectRecurring(series(["2026-01-27", "2026-02-27"], 150_000, { merchant: "LANDLORD" }), { asOf: AS_OF });
    expect(projectStreams([missed!], "USD", AS_OF, 30)).toEqual([
      { stream_key: "landlord|debit|USD", date: "2026-04-27", amount: -150_000 },
    ]);
  });

  it("refuses a horizon outside 1..366 days and a non-positive path count", () => {
    expect(() => forecast({ ...base, history: [], horizon_days: 0 })).toThrow(RangeError);
    expect(() => forecast({ ...base, history: [], horizon_days: 367 })).toThrow(RangeError);
    expect(() => forecast({ ...base, history: [], horizon_days: 1.5 })).toThrow(RangeError);
    expect(() => forecast({ ...base, history: [], paths: 0 })).toThrow(RangeError);
    expect(() => forecast({ ...base, history: [], starting_balance: 10.5 })).toThrow(RangeError);
    expect(() => forecast({ ...base, history: [], buffer: Number.NaN })).toThrow(RangeError);
    expect(forecast({ ...base, history: [], horizon_days: 366 }).days.at(-1)).toMatchObject({ p10: 500_000, p90: 500_000 });
  });
});
