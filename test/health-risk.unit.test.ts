/**
 * The health and risk formulas at their edges, on hand-built histories:
 * each pillar's clamp and breakpoints, each risk driver's thresholds (at and
 * just past them), and the overall score and ordering of drivers.
 */
import { describe, expect, it } from "vitest";
import type { AnomalyScore } from "../src/domain/intel/anomaly";
import { billsOnTime, essentialMonthly, healthScore, liquidBuffer, negativeDays, spendVsIncome } from "../src/domain/intel/health";
import { detectRecurring } from "../src/domain/intel/recurring";
import { anomalyDriver, balanceBuffer, negativeDaysDriver, riskScore, velocity } from "../src/domain/intel/risk";
import { addDays } from "../src/domain/intel/types";
import { series, tx } from "./helpers/intel";

const AS_OF = "2026-06-30";
const credit = (at: string, amount: number) => tx(at, amount, { direction: "credit", merchant: "ACME PAYROLL", category: "income" });
const days = (n: number, negative: number) =>
  Array.from({ length: n }, (_, i) => ({ day: addDays(AS_OF, -i), balance: i < negative ? -1 : 100 }));

describe("health pillars", () => {
  it("spend_vs_income: 50 at a zero savings rate, 100 from 20 %, 0 from −20 %, clamped", () => {
    expect(spendVsIncome([credit("2026-06-01", 10_000), tx("2026-06-02", 10_000)]).score).toBe(50);
    expect(spendVsIncome([credit("2026-06-01", 10_000), tx("2026-06-02", 8_000)]).score).toBe(100);
    expect(spendVsIncome([credit("2026-06-01", 10_000), tx("2026-06-02", 8_100)]).score).toBe(98);
    expect(spendVsIncome([credit("2026-06-01", 10_000), tx("2026-06-02", 12_000)]).score).toBe(0);
    expect(spendVsIncome([credit("2026-06-01", 10_000), tx("2026-06-02", 50_000)]).score).toBe(0);
    expect(spendVsIncome([tx("2026-06-02", 1)]).score).toBe(0);
    expect(spendVsIncome([]).score).toBe(50);
  });

  it("spend_vs_income: a refund lowers the spend, it is not income", () => {
    const refund = tx("2026-06-03", 2_000, { direction: "credit", kind: "refund", merchant: "SHOP", category: "shopping" });
    const p = spendVsIncome([credit("2026-06-01", 10_000), tx("2026-06-02", 10_000, { kind: "purchase" }), refund]);
    // Counted as income it would read 12,000 in, 10,000 out (rate 1/6 → 92); as a refund: 10,000 in, 8,000 out (20 % → 100).
    expect(p.observed).toMatchObject({ income: 10_000, spend: 8_000, savings_rate: 0.2 });
    expect(p.score).toBe(100);
    // Refunds alone are no income: spending 1,000 net of a 500 refund, no income → 0.
    expect(spendVsIncome([tx("2026-06-02", 1_000), { ...refund, amount: 500 }]).observed).toMatchObject({ income: 0, spend: 500 });
  });

  it("liquid_buffer: 100 at six months of essential spend, linear below, 0 at or below zero", () => {
    expect(liquidBuffer(60_000, 10_000).score).toBe(100);
    expect(liquidBuffer(59_000, 10_000).score).toBe(98);
    expect(liquidBuffer(30_000, 10_000).score).toBe(50);
    expect(liquidBuffer(-5, 10_000).score).toBe(0);
    expect(liquidBuffer(1, 0).score).toBe(100);
    expect(liquidBuffer(0, 0).score).toBe(0);
  });

  it("essential spend counts essential categories and fixed recurring debits, per 30 days of the 90", () => {
    const netflix = series(["2026-04-15", "2026-05-15", "2026-06-15"], 1_500);
    const streams = detectRecurring(netflix, { asOf: AS_OF });
    const rent = tx("2026-06-01", 90_000, { merchant: "Landlord", category: "rent" });
    const fun = tx("2026-06-03", 9_000, { merchant: "Arcade", category: "entertainment" });
    expect(essentialMonthly([...netflix, rent, fun], streams)).toBe(Math.round(((1_500 * 3 + 90_000) * 30) / 90));
  });

  it("negative_days: 10 points per day below zero, 0 from ten days", () => {
    expect(negativeDays(days(90, 0)).score).toBe(100);
    expect(negativeDays(days(90, 1)).score).toBe(90);
    expect(negativeDays(days(90, 9)).score).toBe(10);
    expect(negativeDays(days(90, 10)).score).toBe(0);
    expect(negativeDays(days(90, 30)).score).toBe(0);
  });

  it("bills_on_time: an overdue stream is one missed charge once past its tolerance, not before", () => {
    const charges = series(["2026-03-10", "2026-04-10", "2026-05-10"], 2_000, { merchant: "City Water" });
    // Next due 2026-06-10; monthly tolerance 3 days: on 06-13 still on time, on 06-14 missed.
    const on = detectRecurring(charges, { asOf: "2026-06-13" });
    expect(billsOnTime(on, charges, "2026-06-13").observed).toEqual({ paid: 3, missed: 0 });
    const late = detectRecurring(charges, { asOf: "2026-06-14" });
    const p = billsOnTime(late, charges, "2026-06-14");
    expect(p.observed).toEqual({ paid: 3, missed: 1 });
    expect(p.score).toBe(75);
    expect(billsOnTime([], [], AS_OF).score).toBe(100);
  });

  it("the score is the rounded mean of the pillars; drivers are weakest first", () => {
    const h = healthScore({
      as_of: AS_OF,
      currency: "USD",
      transactions: [credit("2026-06-01", 10_000), tx("2026-06-02", 10_000, { category: "groceries" })],
      streams: [],
      balance: 10_000,
      daily_balances: days(90, 2),
    });
    // spend_vs_income 50, liquid_buffer 10,000 / (10,000 × 30/90) = 3 months → 50, negative_days 80, bills 100.
    expect(h.pillars.map((p) => p.score)).toEqual([50, 50, 80, 100]);
    expect(h.score).toBe(70);
    expect(h.drivers.map((d) => d.pillar)).toEqual(["liquid_buffer", "spend_vs_income", "negative_days", "bills_on_time"]);
  });
});

describe("risk drivers", () => {
  it("balance_buffer: 35 under 7 days of spend, 20 under 30, 10 under 60, 0 from 60", () => {
    const spend = [tx("2026-06-01", 9_000)]; // 100 a day over 90 days
    expect(balanceBuffer(699, spend, AS_OF).points).toBe(35);
    expect(balanceBuffer(700, spend, AS_OF).points).toBe(20);
    expect(balanceBuffer(3_000, spend, AS_OF).points).toBe(10);
    expect(balanceBuffer(5_999, spend, AS_OF).points).toBe(10);
    expect(balanceBuffer(6_000, spend, AS_OF).points).toBe(0);
    expect(balanceBuffer(-50, spend, AS_OF).points).toBe(35);
    expect(balanceBuffer(0, [], AS_OF).points).toBe(0);
  });

  it("velocity: 2× the weekly mean is 20, 1.5× is 10, fewer than 5 debits is 0", () => {
    // 12 weeks before the last 7 days, 3 debits a week: mean 3.
    const base = Array.from({ length: 36 }, (_, i) => tx(addDays("2026-04-01", Math.floor((i * 84) / 36)), 100));
    const week = (n: number) => Array.from({ length: n }, (_, i) => tx(addDays(AS_OF, -i % 7), 100));
    expect(velocity([...base, ...week(6)], AS_OF).points).toBe(20);
    expect(velocity([...base, ...week(5)], AS_OF).points).toBe(10);
    expect(velocity([...base, ...week(4)], AS_OF).points).toBe(0);
    expect(velocity(week(9), AS_OF).points).toBe(0);
  });

  it("recent_anomalies: 10 per highest, 5 per elevated, capped at 25", () => {
    const a = (risk_level: AnomalyScore["risk_level"]): AnomalyScore => ({ transaction_id: "t", score: 0, risk_level, reasons: [] });
    expect(anomalyDriver([a("highest"), a("elevated")]).points).toBe(15);
    expect(anomalyDriver([a("highest"), a("highest"), a("highest")]).points).toBe(25);
    expect(anomalyDriver([]).points).toBe(0);
  });

  it("negative_days: 10 from one day, 20 from five", () => {
    expect(negativeDaysDriver(days(90, 0)).points).toBe(0);
    expect(negativeDaysDriver(days(90, 1)).points).toBe(10);
    expect(negativeDaysDriver(days(90, 4)).points).toBe(10);
    expect(negativeDaysDriver(days(90, 5)).points).toBe(20);
  });

  it("adds the points, caps at 100, bands low / medium / high and orders drivers by points", () => {
    const r = riskScore({
      as_of: AS_OF,
      currency: "USD",
      transactions: [tx("2026-06-01", 9_000)],
      balance: 100,
      daily_balances: days(90, 5),
      anomalies: [],
    });
    expect(r.score).toBe(55);
    expect(r.level).toBe("medium");
    expect(r.drivers.map((d) => d.driver)).toEqual(["balance_buffer", "negative_days", "recent_anomalies", "velocity"]);
  });
});
