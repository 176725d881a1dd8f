/**
 * The web app's bars that hold on any machine, from the same code as
 * `npm run bench:web`: the app's JavaScript ≤ 150 kB gzipped (as built in
 * web/dist), and Lighthouse 12 in Debian's Chromium on the signed-in demo
 * dashboard with accessibility and best practices ≥ 95. Performance moves with
 * the machine's load, so only a loose floor is asserted here; the bench reports it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLighthouse } from "../../bench/web-lighthouse.mjs";
import { JS_GZIP_BAR_BYTES, measureWebAssets } from "../../bench/web-size.mjs";
import { seedDemo } from "../../scripts/demo-data.mjs";
import { DEMO_USER } from "../../scripts/lib/demo-plan.mjs";
import { type LocalServer, startWebServer } from "./helpers/browser";

let server: LocalServer;

beforeAll(async () => {
  server = await startWebServer("finedge-web-lighthouse-");
  await seedDemo(server.baseUrl);
});

afterAll(async () => {
  await server?.stop();
});

describe("the web app's bars", () => {
  it("ships at most 150 kB of JavaScript, gzipped", () => {
    const { js } = measureWebAssets();
    expect(js.files).toBeGreaterThan(0);
    expect(js.gzip).toBeLessThanOrEqual(JS_GZIP_BAR_BYTES);
  });

  it("scores ≥ 95 in Lighthouse accessibility and best practices on the signed-in dashboard", async () => {
    let r = await runLighthouse(server.baseUrl, DEMO_USER);
    // A null score is an audit that errored while the machine was loaded (CI runs this beside the
    // rest of the suite), not a low score: measure once more. A low score is never retried.
    if (Object.values(r.scores).some((s) => s === null)) r = await runLighthouse(server.baseUrl, DEMO_USER);
    const failing = JSON.stringify(
      Object.fromEntries(Object.entries(r.steps).map(([k, v]) => [k, (v as { failing?: unknown } | null)?.failing])),
    );
    // The snapshot really was of the signed-in dashboard with its data.
    expect(new URL(r.steps.snapshot.url).pathname).toBe("/");
    expect(r.scores.accessibility, failing).toBeGreaterThanOrEqual(95);
    expect(r.scores["best-practices"], failing).toBeGreaterThanOrEqual(95);
    // Loose: simulated throttling keeps it near 99 on an idle machine; a floor catches a real regression only.
    expect(r.scores.performance, failing).toBeGreaterThanOrEqual(50);
  }, 240_000);
});
