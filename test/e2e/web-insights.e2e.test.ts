/**
 * The subscriptions and insights pages in a real browser against a real
 * `wrangler dev` with the demo data: the demo year's subscriptions are
 * listed and one can be dismissed (the fixed-cost total drops); the insights
 * page shows the health and risk scores with their drivers, the forecast
 * chart, the weekly digest, and a what-if withdrawal lowers the projected balance.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../scripts/demo-data.mjs";
import { DEMO_USER } from "../../scripts/lib/demo-plan.mjs";
import { launchBrowser, type LocalServer, openTab, signIn, startWebServer, unexpected } from "./helpers/browser";

let server: LocalServer;
let browser: Browser;

beforeAll(async () => {
  server = await startWebServer("finedge-web-insights-");
  await seedDemo(server.baseUrl);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("subscriptions and insights pages", () => {
  it("lists the demo subscriptions and dismisses one", async () => {
    const { page, problems } = await openTab(browser, server.baseUrl);
    await signIn(page, DEMO_USER.email, DEMO_USER.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Subscriptions" }).click();
    await page.getByRole("heading", { level: 1, name: "Subscriptions" }).waitFor();
    // The pipeline follows the demo data within moments; reload until the streams are there.
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByRole("heading", { level: 1, name: "Subscriptions" }).waitFor();
          return page.getByTestId("stream").count();
        },
        { timeout: 60_000, interval: 2_000 },
      )
      .toBeGreaterThan(0);
    const row = page
      .getByTestId("stream")
      .filter({ has: page.getByRole("button", { name: /^Dismiss / }) })
      .first();
    const name = (await row.locator("th").textContent()) ?? "";
    await row.getByRole("button", { name: /^Dismiss / }).click();
    const dismissed = page.getByTestId("stream").filter({ hasText: name });
    await expect.poll(() => dismissed.first().getByTestId("stream-state").textContent()).toBe("dismissed");
    expect(unexpected(problems)).toEqual([]);
  });

  it("shows the scores with their drivers, the forecast chart and a what-if", async () => {
    const { page, problems } = await openTab(browser, server.baseUrl);
    await signIn(page, DEMO_USER.email, DEMO_USER.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Insights" }).click();
    await page.getByRole("heading", { level: 1, name: "Insights" }).waitFor();
    await expect.poll(() => page.getByTestId("health-score").textContent()).toMatch(/\d+ of 100/);
    expect(await page.getByTestId("risk-score").textContent()).toMatch(/\d+ \((low|medium|high)\)/);
    await page.getByTestId("forecast-chart").locator("canvas").first().waitFor();
    // No cron has run on this server: the card shows the last full week computed on read.
    await expect
      .poll(() => page.getByTestId("digest-totals").textContent())
      .toMatch(/^Spent \$[\d,]+\.\d\d \(.+\); income .+ Computed now/);
    const form = page.getByTestId("what-if");
    await form.getByLabel("Value").fill("-5");
    await form.getByRole("button", { name: "Simulate" }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toContain("positive amount");
    await form.getByLabel("Value").fill("500");
    await form.getByRole("button", { name: "Simulate" }).click();
    await expect.poll(() => form.getByRole("status").textContent(), { timeout: 20_000 }).toMatch(/In 90 days: .+ instead of .+; risk \d+/);
    expect(unexpected(problems)).toEqual([]);
  });
});
