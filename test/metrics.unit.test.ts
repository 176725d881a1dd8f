/** The metric core: buckets, the series cap, and the Prometheus text format. */
import { describe, expect, it } from "vitest";
import { prometheusText } from "../src/domain/metrics/prometheus";
import { MetricSet } from "../src/domain/metrics/series";

describe("MetricSet", () => {
  it("buckets observations by their upper bound and caps the number of series", () => {
    const m = new MetricSet(2);
    m.observe("lat", {}, 5, [5, 10]);
    m.observe("lat", {}, 6, [5, 10]);
    m.observe("lat", {}, 11, [5, 10]);
    m.inc("a", { x: "1" });
    m.inc("a", { x: "2" });
    expect(m.size).toBe(2);
    expect(m.dropped).toBe(1);
    expect(m.all()[0]).toMatchObject({ count: 3, sum: 22, buckets: [1, 1, 1] });
  });
});

describe("prometheusText", () => {
  it("writes counters, cumulative histograms in seconds and gauges, with escaped labels", () => {
    const m = new MetricSet();
    m.inc("hits_total", { route: '/a"b', status: "200" }, 2);
    m.observe("dur_seconds", { route: "/a" }, 4, [5, 10]);
    m.observe("dur_seconds", { route: "/a" }, 8, [5, 10]);
    const text = prometheusText(m.all(), [{ name: "open", labels: {}, value: 3 }], { hits_total: "Hits" });
    expect(text).toBe(
      [
        "# TYPE dur_seconds histogram",
        'dur_seconds_bucket{route="/a",le="0.005"} 1',
        'dur_seconds_bucket{route="/a",le="0.01"} 2',
        'dur_seconds_bucket{route="/a",le="+Inf"} 2',
        'dur_seconds_sum{route="/a"} 0.012',
        'dur_seconds_count{route="/a"} 2',
        "# HELP hits_total Hits",
        "# TYPE hits_total counter",
        'hits_total{route="/a\\"b",status="200"} 2',
        "# TYPE open gauge",
        "open 3",
        "",
      ].join("\n"),
    );
  });
});
