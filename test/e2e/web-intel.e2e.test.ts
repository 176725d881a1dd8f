/**
 * Commerce intelligence in a real browser against a real `wrangler dev`: a
 * user's card purchases become merchant entities on the Merchants page (top
 * this month and the full list), a cashback rule shows its estimate on the
 * dashboard, and a purchase far above its merchant's history reaches the
 * Alerts page with its reasons.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FundedUser,
  fundedUser,
  launchBrowser,
  type LocalServer,
  openTab,
  signIn,
  unexpected,
  startWebServer,
} from "./helpers/browser";
import { createApi, waitFor } from "./helpers/http";

let server: LocalServer;
let browser: Browser;
let user: FundedUser;
const USER = { email: "intel@finedge.test", password: "intel-password-0123" };

beforeAll(async () => {
  server = await startWebServer("finedge-web-intel-");
  user = await fundedUser(server, USER, { name: "Everyday", deposit: 1_000_000 });
  const api = createApi(server.baseUrl);
  const post = async (amount: number, merchant: string, at: Date) => {
    const r = await api.request("POST", `/v1/accounts/${user.accountId}/transactions`, {
      token: user.token,
      key: crypto.randomUUID(),
      body: { kind: "purchase", amount, merchant, occurred_at: at.toISOString() },
    });
    if (r.status !== 201) throw new Error(`purchase: ${r.status} ${JSON.stringify(r.body)}`);
  };
  const now = Date.now();
  // Ten coffees over the last ten minutes, a bookshop, then a coffee forty times the usual.
  for (let i = 0; i < 10; i++) await post(450 + i * 5, "SQ *BLUE BOTTLE #12", new Date(now - (20 - i) * 60_000));
  await post(2_500, "Powell's Books", new Date(now - 5 * 60_000));
  await post(19_900, "SQ *BLUE BOTTLE #12", new Date(now - 60_000));
  const rule = await api.request("POST", "/v1/cashback/rules", {
    token: user.token,
    body: {
      account_id: user.accountId,
      name: "Coffee card",
      scope: "merchant",
      scope_value: "blue-bottle",
      rate_bps: 500,
      valid_from: "2026-01-01",
    },
  });
  if (rule.status !== 201) throw new Error(`cashback rule: ${rule.status} ${JSON.stringify(rule.body)}`);
  await waitFor("the merchants in Silver", async () => {
    const r = await api.request("GET", "/v1/merchants", { token: user.token });
    return r.body.data?.length === 2 && r.body.data.some((m: any) => m.visits === 11);
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("intelligence pages", () => {
  it("shows merchants, the cashback estimate on the dashboard and the anomaly alert with its reasons", async () => {
    const { page, problems } = await openTab(browser, server.baseUrl);
    await signIn(page, USER.email, USER.password);
    // 5 % of the eleven coffees (4.50 … 4.95 and 199.00), rounded down per purchase.
    const coffees = Array.from({ length: 10 }, (_, i) => Math.floor(((450 + i * 5) * 500) / 10_000)).reduce((a, b) => a + b, 0) + 995;
    const card = page.getByTestId("dashboard-cashback");
    await expect.poll(() => card.textContent(), { timeout: 20_000 }).toContain(`$${(coffees / 100).toFixed(2)}`);
    expect(await card.textContent()).toContain("estimate from 1 rule");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Merchants" }).click();
    await page.getByRole("heading", { level: 1, name: "Merchants" }).waitFor();
    const top = page.getByTestId("top-merchant");
    await expect.poll(() => top.count()).toBe(2);
    expect(await top.first().getByTestId("merchant-name").textContent()).toBe("Blue Bottle");
    expect(await top.first().getByTestId("merchant-spend").textContent()).toBe("$246.25");
    const rows = page.getByTestId("merchant-row");
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).getByTestId("merchant-name").textContent()).toBe("Blue Bottle");
    expect(await rows.nth(1).getByTestId("merchant-name").textContent()).toBe("Powell's Books");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).click();
    const alert = page.getByTestId("alert-reasons").first();
    await expect.poll(() => alert.textContent(), { timeout: 20_000 }).toContain("amount_zscore");
    expect(await alert.textContent()).toContain("$199.00 at Blue Bottle");
    expect(await page.getByText("Unusual $199.00 at Blue Bottle").count()).toBeGreaterThan(0);
    expect(unexpected(problems)).toEqual([]);
  });
});
