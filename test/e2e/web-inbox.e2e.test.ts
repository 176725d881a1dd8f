/**
 * The inbox page and the dashboard's unread-alerts panel in a real browser:
 * with the inbox open, a purchase through the API crosses a budget's
 * threshold and its notification appears live (over the inbox socket, no
 * reload); the dashboard lists it as an unread alert until it is marked read.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser, goInApp, launchBrowser, type LocalServer, openTab, signIn, startWebServer, unexpected } from "./helpers/browser";
import { createApi } from "./helpers/http";

let server: LocalServer;
let browser: Browser;
let api: ReturnType<typeof createApi>;
let token: string;
let accountId: string;
const USER = { email: "inbox@finedge.test", password: "inbox-password-0123" };
const TITLE = 'Budget "groceries" at 80 %';

beforeAll(async () => {
  server = await startWebServer("finedge-web-inbox-");
  api = createApi(server.baseUrl);
  ({ token, accountId } = await fundedUser(server, USER));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const alertTitles = (page: Page) => page.getByTestId("unread-alert").locator("strong").allTextContents();

describe("inbox", () => {
  it("shows a budget alert live, marks it read, and the dashboard panel follows", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, USER.email, USER.password);

    // Set a budget through the page: 100 USD a month, alerts at 80 % and 100 %.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Budgets" }).click();
    const form = page.getByTestId("budget-form");
    await form.getByLabel("Category").fill("groceries");
    await form.getByLabel("Limit").fill("100");
    await form.getByRole("button", { name: "Create budget" }).click();
    await expect.poll(() => page.getByTestId("budget-groceries").getByTestId("left-to-spend").textContent()).toBe("$100.00 left to spend");

    // Before any purchase the dashboard panel has no budget alert.
    await goInApp(page, "/");
    await page.getByTestId("unread-alerts").waitFor();
    expect(await alertTitles(page)).not.toContain(TITLE);

    // Open the inbox and wait for its socket to be live.
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: /^Inbox/ })
      .click();
    await page.getByRole("heading", { level: 1, name: "Inbox" }).waitFor();
    await expect.poll(() => page.getByTestId("live-status").textContent(), { timeout: 15_000 }).toBe("Live: new notifications appear here");
    const before = await page.getByTestId("notification").filter({ hasText: TITLE }).count();
    expect(before).toBe(0);
    // Marks the page: a reload would lose it.
    await page.evaluate("window.__inboxMark = 1");

    const buy = await api.request("POST", `/v1/accounts/${accountId}/transactions`, {
      token,
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: { kind: "purchase", amount: 8_500, category: "groceries" },
    });
    expect(buy.status).toBe(201);

    const item = page.getByTestId("notification").filter({ hasText: TITLE });
    await item.waitFor({ timeout: 60_000 });
    expect(await page.evaluate("window.__inboxMark")).toBe(1);
    expect(await page.getByTestId("notification").first().textContent()).toContain(TITLE);
    expect(await item.getByTestId("unread-mark").count()).toBe(1);
    expect(await item.textContent()).toContain("You have spent $85.00 of your monthly $100.00 budget for groceries.");
    await expect.poll(() => page.getByTestId("unread-badge").count()).toBe(1);

    // The dashboard lists it as an unread alert.
    await goInApp(page, "/");
    await expect.poll(() => alertTitles(page), { timeout: 15_000 }).toContain(TITLE);

    // Mark it read on the inbox page; the dashboard no longer lists it.
    await goInApp(page, "/inbox");
    await item.getByRole("button", { name: `Mark read: ${TITLE}` }).click();
    await expect.poll(() => item.getByTestId("unread-mark").count()).toBe(0);
    // "Unread only" hides it now.
    await page.getByLabel("Unread only").check();
    await expect.poll(() => page.getByTestId("notification").filter({ hasText: TITLE }).count()).toBe(0);
    await goInApp(page, "/");
    await expect.poll(() => alertTitles(page), { timeout: 15_000 }).not.toContain(TITLE);

    // Mark all read (a sign-in from a new device is news too): the panel is empty and the badge gone.
    await goInApp(page, "/inbox");
    await page.getByLabel("Unread only").uncheck();
    await page.getByTestId("notification").first().waitFor();
    const markAll = page.getByRole("button", { name: "Mark all read" });
    if (await markAll.isEnabled()) await markAll.click();
    await expect.poll(() => page.getByTestId("unread-mark").count()).toBe(0);
    await expect.poll(() => page.getByTestId("unread-badge").count()).toBe(0);
    await goInApp(page, "/");
    await page.getByText("No unread alerts. You are all caught up.").waitFor({ timeout: 15_000 });

    const me = await api.request("GET", "/v1/me", { token });
    expect(me.body.unread_notifications).toBe(0);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});
