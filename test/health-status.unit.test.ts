/** The deep health check's overall verdict from its checks (src/lib/health-checks.ts overallStatus). */
import { describe, expect, it } from "vitest";
import { type CheckResult, overallStatus } from "../src/lib/health-checks";

const check = (name: string, kind: CheckResult["kind"], ok = true): CheckResult => ({
  name,
  kind,
  status: ok ? "ok" : "error",
  latency_ms: 1,
  detail: null,
  error: ok ? null : "boom",
});
const all = (failing: string[] = []) =>
  [
    check("DB", "d1"),
    check("LAKE", "r2"),
    check("EVENTS", "queue"),
    check("ACCOUNT", "durable_object"),
    check("MARKET", "durable_object"),
    check("METRICS", "durable_object"),
  ].map((c) => (failing.includes(c.name) ? { ...c, status: "error" as const } : c));

describe("overallStatus", () => {
  it("is ok when every check passed", () => expect(overallStatus(all())).toBe("ok"));
  it("is degraded when a queue, R2 or one Durable Object class failed", () => {
    expect(overallStatus(all(["EVENTS"]))).toBe("degraded");
    expect(overallStatus(all(["LAKE", "MARKET"]))).toBe("degraded");
  });
  it("is down when D1 failed or no Durable Object answered", () => {
    expect(overallStatus(all(["DB"]))).toBe("down");
    expect(overallStatus(all(["ACCOUNT", "MARKET", "METRICS"]))).toBe("down");
  });
});
