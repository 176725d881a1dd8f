/** Risk alert rules, pure (src/domain/alerts/risk-rules.ts): concentration and drawdown against hand-computed cases, exact at the threshold. */
import { describe, expect, it } from "vitest";
import { evaluateRisk } from "../src/domain/alerts/risk-rules";

const h = (cash: number, ...values: [string, number][]) => ({ cash, positions: values.map(([symbol, value]) => ({ symbol, value })) });

describe("concentration", () => {
  it("measures the largest position against cash plus every position", () => {
    // 3,000 of 10,000 = 30 %.
    expect(evaluateRisk({ kind: "concentration", threshold_bp: 3_000, peak: 0 }, h(5_000, ["A", 3_000], ["B", 2_000]))).toMatchObject({
      fires: true,
      measure_bp: 3_000,
      symbol: "A",
      value: 10_000,
    });
    expect(evaluateRisk({ kind: "concentration", threshold_bp: 3_001, peak: 0 }, h(5_000, ["A", 3_000], ["B", 2_000])).fires).toBe(false);
    expect(evaluateRisk({ kind: "concentration", threshold_bp: 1, peak: 0 }, h(5_000)).fires).toBe(false); // nothing held
    expect(evaluateRisk({ kind: "concentration", threshold_bp: 10_000, peak: 0 }, h(0, ["A", 7]))).toMatchObject({
      fires: true,
      measure_bp: 10_000,
    });
  });
});

describe("drawdown", () => {
  it("compares the value with the peak since the rule was set, and raises the peak", () => {
    expect(evaluateRisk({ kind: "drawdown", threshold_bp: 1_000, peak: 10_000 }, h(4_000, ["A", 5_000]))).toMatchObject({
      fires: true,
      measure_bp: 1_000,
      peak: 10_000,
      value: 9_000,
    });
    expect(evaluateRisk({ kind: "drawdown", threshold_bp: 1_001, peak: 10_000 }, h(4_000, ["A", 5_000])).fires).toBe(false);
    // A new high moves the peak and is no drawdown.
    expect(evaluateRisk({ kind: "drawdown", threshold_bp: 1, peak: 10_000 }, h(4_000, ["A", 8_000]))).toMatchObject({
      fires: false,
      peak: 12_000,
      measure_bp: 0,
    });
    expect(evaluateRisk({ kind: "drawdown", threshold_bp: 1, peak: 0 }, h(0)).fires).toBe(false);
  });
});
