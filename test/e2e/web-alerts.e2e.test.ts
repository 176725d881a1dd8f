/**
 * The alerts page in a real browser against a real `wrangler dev`: create a
 * crossing_up price alert through the form, drive ticks as the admin through
 * POST /v1/market/ticks, and see the alert the symbol's object raised arrive
 * (MarketDO outbox → EVENTS queue → inbox) in the open alerts list with its
 * reason and in the inbox; the rule shows it triggered; acknowledge it, then
 * delete the rule; create and delete a risk alert on a brokerage account.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdmin, goInApp, launchBrowser, type LocalServer, openTab, signIn, startWebServer, unexpected } from "./helpers/browser";
import { createApi } from "./helpers/http";

let server: LocalServer;
let browser: Browser;
let api: ReturnType<typeof createApi>;
let admin: string;
const USER = { email: "alerts@finedge.test", password: "alerts-password-0123" };
const TITLE = "VTI crossed above 5000";

beforeAll(async () => {
  server = await startWebServer("finedge-web-alerts-");
  api = createApi(server.baseUrl);
  const reg = await api.request("POST", "/v1/auth/register", { body: USER });
  if (reg.status !== 201) throw new Error(`register: ${reg.status}`);
  const acc = await api.request("POST", "/v1/accounts", {
    token: reg.body.access_token as string,
    body: { type: "brokerage", currency: "USD", name: "Invest" },
  });
  if (acc.status !== 201) throw new Error(`account: ${acc.status}`);
  admin = await createAdmin(server);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function ticks(...prices: number[]) {
  const t = Date.now();
  const r = await api.request("POST", "/v1/market/ticks", {
    token: admin,
    body: { ticks: prices.map((price, i) => ({ symbol: "VTI", price, size: 1, t: t + i })) },
  });
  expect(r.status).toBe(200);
  expect(r.body.accepted).toBe(prices.length);
}

describe("alerts page", () => {
  it("creates a price alert, shows the alert the ticks raise with its reason, acknowledges it", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, USER.email, USER.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).click();
    await page.getByRole("heading", { level: 1, name: "Alerts" }).waitFor();
    await page.getByText("No open alerts.").waitFor();
    await page.getByText("No price alerts yet.").waitFor();

    const form = page.getByTestId("price-alert-form");
    await form.getByLabel("Symbol").selectOption("VTI");
    await form.getByLabel("Condition").selectOption("crossing_up");
    await form.getByLabel("Price").fill("5000");
    await form.getByRole("button", { name: "Create alert" }).click();
    await form.getByText(/^Alert created: VTI crosses above \$5,000\.00\.$/).waitFor();
    const rule = page.getByTestId("price-alert-rule");
    await expect.poll(() => rule.count()).toBe(1);
    expect(await rule.getByTestId("rule-value").textContent()).toBe("$5,000.00");
    expect(await rule.getByTestId("rule-status").textContent()).toBe("active");
    expect(await rule.getByTestId("rule-count").textContent()).toBe("0");

    // Below, then through the value: one crossing.
    await ticks(4_900, 5_100.5);

    const alert = page.getByTestId("open-alert").filter({ hasText: TITLE });
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.getByTestId("alert-status").textContent()).toBe("open");
    const reasons = await alert.getByTestId("alert-reasons").locator("li").allTextContents();
    expect(reasons[0]).toMatch(/^VTI traded at 5100\.5 at /);
    expect(reasons).toContain("previous trade 4900");
    await expect.poll(() => rule.getByTestId("rule-status").textContent(), { timeout: 15_000 }).toBe("triggered");
    expect(await rule.getByTestId("rule-count").textContent()).toBe("1");
    expect(await rule.getByTestId("rule-triggered").textContent()).not.toBe("—");

    await alert.getByRole("button", { name: `Acknowledge: ${TITLE}` }).click();
    await expect.poll(() => alert.getByTestId("alert-status").textContent()).toBe("acknowledged");
    expect(await alert.getByRole("button", { name: `Acknowledge: ${TITLE}` }).count()).toBe(0);

    // The inbox has it too (read, as acknowledging marks it read).
    await goInApp(page, "/inbox");
    const item = page.getByTestId("notification").filter({ hasText: TITLE });
    await item.waitFor({ timeout: 15_000 });
    expect(await item.getByTestId("unread-mark").count()).toBe(0);

    // Delete the rule; the alert stays until dismissed.
    await goInApp(page, "/alerts");
    await page.getByRole("button", { name: "Delete the VTI crosses above alert" }).click();
    await page.getByText("No price alerts yet.").waitFor();
    await page.getByRole("button", { name: `Dismiss: ${TITLE}` }).click();
    await page.getByText("No open alerts.").waitFor();

    // A risk alert on the brokerage account: created through its form, listed, deleted.
    const risk = page.getByTestId("risk-alert-form");
    await risk.getByLabel("Brokerage account").selectOption({ label: "Invest" });
    await risk.getByLabel("Kind").selectOption("concentration");
    await risk.getByLabel("Threshold (percent)").fill("25");
    await risk.getByRole("button", { name: "Create risk alert" }).click();
    await risk.getByText("Risk alert created: largest position at least 25 %.").waitFor();
    const riskRow = page.getByTestId("risk-alert-rule");
    await expect.poll(() => riskRow.count()).toBe(1);
    expect(await riskRow.textContent()).toContain("Largest position at least 25 %");
    await page.getByRole("button", { name: "Delete the concentration alert at 25 %" }).click();
    await page.getByText("No risk alerts yet.").waitFor();

    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});
