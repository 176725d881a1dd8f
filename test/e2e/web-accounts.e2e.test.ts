/**
 * The account pages in a real browser against a real `wrangler dev` with the
 * demo data: a purchase made from the account page shows on the dashboard and
 * its budget without a page load; a category edited on the transaction page;
 * filters and infinite scroll; amounts typed in major units in a zero-digit
 * currency; another user's account URL is not found.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../scripts/demo-data.mjs";
import { DEMO_USER } from "../../scripts/lib/demo-plan.mjs";
import { goInApp, launchBrowser, type LocalServer, openTab, signIn, startWebServer, unexpected } from "./helpers/browser";

let server: LocalServer;
let browser: Browser;

beforeAll(async () => {
  server = await startWebServer("finedge-web-accounts-");
  await seedDemo(server.baseUrl);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** "$1,234.56" → 123456 (cents), from what the page shows. */
function cents(text: string | null): number {
  const m = /(-?)\$([\d,]+)\.(\d\d)/.exec(text ?? "");
  if (!m) throw new Error(`no dollar amount in ${JSON.stringify(text)}`);
  return (m[1] ? -1 : 1) * Number(m[2]!.replaceAll(",", "") + m[3]);
}

async function openAccount(page: Page, name: string): Promise<string> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Accounts" }).click();
  await page.getByRole("link", { name }).click();
  await page.getByRole("heading", { name, level: 1 }).waitFor();
  return new URL(page.url()).pathname.split("/")[2]!;
}

describe("accounts as the demo user", () => {
  it("records a purchase, and the dashboard and the budget follow without a page load", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, DEMO_USER.email, DEMO_USER.password);
    const budget = page.getByTestId("budget-groceries").getByTestId("left-to-spend");
    await budget.waitFor();
    const leftBefore = cents(await budget.textContent());
    await expect.poll(() => page.getByTestId("month-to-date").textContent(), { timeout: 30_000 }).toMatch(/\$/);
    // A marker on window: it survives in-app navigation and would vanish on a page load.
    await page.evaluate("window.__noReload = true");

    await openAccount(page, "Rewards Visa");
    const postedBefore = cents(await page.getByTestId("balance-posted").textContent());
    await page.getByLabel("Kind").first().selectOption("purchase");
    await page.getByLabel("Amount (USD)").fill("12.34");
    await page.getByLabel("Merchant (purchases)").fill("Corner Grocer");
    await page.getByLabel("Category (purchases)").fill("groceries");
    await page.getByRole("button", { name: "Record" }).click();
    await page.getByText("Purchase of $12.34 recorded.").waitFor();
    await expect.poll(async () => cents(await page.getByTestId("balance-posted").textContent())).toBe(postedBefore - 1234);
    await expect.poll(() => page.getByTestId("transaction-row").first().textContent()).toMatch(/Corner Grocer.*-\$12\.34/);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
    await expect.poll(async () => cents(await budget.textContent())).toBe(leftBefore - 1234);
    // Gold (month-to-date spending, recent transactions) follows through the pipeline; the dashboard polls.
    await expect.poll(() => page.getByText("Corner Grocer").count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.evaluate("window.__noReload")).toBe(true);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });

  it("edits a transaction's category and notes on its page", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, DEMO_USER.email, DEMO_USER.password);
    await openAccount(page, "Everyday Checking");
    const first = page.getByTestId("transaction-row").first();
    await first.getByRole("link").click();
    await page.getByRole("heading", { name: "Details" }).waitFor();
    const edit = page.getByRole("form", { name: "Category and notes" });
    await edit.getByLabel("Category").fill("travel");
    await edit.getByLabel("Notes").fill("booked for the spring trip");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    await expect.poll(() => page.getByTestId("tx-category").textContent()).toBe("travel");
    expect(await page.getByTestId("tx-notes").textContent()).toBe("booked for the spring trip");
    await page.getByRole("link", { name: "Back to the account" }).click();
    await expect.poll(() => page.getByTestId("transaction-row").first().getByTestId("transaction-category").textContent()).toBe("travel");
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });

  it("filters the list by kind and loads more as it scrolls", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, DEMO_USER.email, DEMO_USER.password);
    await openAccount(page, "Rewards Visa");
    const rows = page.getByTestId("transaction-row");
    await expect.poll(() => rows.count()).toBe(25);
    await page.getByTestId("more-sentinel").scrollIntoViewIfNeeded();
    await expect.poll(() => rows.count()).toBeGreaterThan(25);

    const filters = page.getByRole("form", { name: "Filter transactions" });
    await filters.getByLabel("Kind").selectOption("deposit");
    await filters.getByRole("button", { name: "Filter" }).click();
    await expect
      .poll(async () => (await page.locator("tbody tr td:nth-child(3)").allTextContents()).every((k) => k === "deposit"))
      .toBe(true);
    await filters.getByLabel("Kind").selectOption("purchase");
    await filters.getByLabel("Category").fill("groceries");
    await filters.getByRole("button", { name: "Filter" }).click();
    await expect
      .poll(async () => new Set(await page.getByTestId("transaction-category").allTextContents()))
      .toEqual(new Set(["groceries"]));
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});

describe("a new user", () => {
  it("opens a JPY account, deposits whole yen exactly, is refused fractions, and cannot open the demo user's account", async () => {
    // The demo user's account id, from the API.
    const login = await fetch(`${server.baseUrl}/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: DEMO_USER.email, password: DEMO_USER.password }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    const demoAccounts = (await fetch(`${server.baseUrl}/v1/accounts`, { headers: { authorization: `Bearer ${login.access_token}` } }).then(
      (r) => r.json(),
    )) as { data: { id: string }[] };
    const demoAccount = demoAccounts.data[0]!.id;
    const demoTx = (
      (await fetch(`${server.baseUrl}/v1/accounts/${demoAccount}/transactions?limit=1`, {
        headers: { authorization: `Bearer ${login.access_token}` },
      }).then((r) => r.json())) as { data: { id: string }[] }
    ).data[0]!.id;

    const { page, problems, context } = await openTab(browser, server.baseUrl, { viewport: { width: 390, height: 844 } });
    await page.goto("/register");
    await page.getByLabel("Email").fill("yen@finedge.test");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { name: "Welcome" }).waitFor();
    await goInApp(page, "/accounts");
    await page.getByLabel("Name").fill("Tokyo wallet");
    await page.getByLabel("Currency").fill("JPY");
    await page.getByRole("button", { name: "Open account" }).click();
    await page.getByRole("heading", { name: "Tokyo wallet", level: 1 }).waitFor();

    await page.getByLabel("Amount (JPY)").fill("12.5");
    await page.getByRole("button", { name: "Record" }).click();
    await page
      .getByRole("alert")
      .getByText(/at most 0 decimals/)
      .waitFor();
    await page.getByLabel("Amount (JPY)").fill("150000");
    await page.getByRole("button", { name: "Record" }).click();
    await page.getByText("Deposit of ¥150,000 recorded.").waitFor();
    await expect.poll(() => page.getByTestId("balance-posted").textContent()).toBe("¥150,000");
    expect(await page.evaluate("document.documentElement.scrollWidth <= innerWidth")).toBe(true);

    for (const path of [`/accounts/${demoAccount}`, `/accounts/${demoAccount}/transactions/${demoTx}`]) {
      await goInApp(page, path);
      await page.getByRole("heading", { name: "Not found" }).waitFor();
      expect(await page.getByTestId("account-balances").count()).toBe(0);
      expect(await page.getByTestId("tx-amount").count()).toBe(0);
    }
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});
