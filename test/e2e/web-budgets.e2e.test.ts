/**
 * The budgets editor and exports in a real browser: create a budget, see
 * "left to spend" follow a purchase, edit its limit, delete it; request an
 * export, watch it finish and download its file, and find it listed on a later visit.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser, goInApp, launchBrowser, type LocalServer, openTab, signIn, startWebServer, unexpected } from "./helpers/browser";

let server: LocalServer;
let browser: Browser;
const USER = { email: "budgets@finedge.test", password: "budgets-password-0123" };

beforeAll(async () => {
  server = await startWebServer("finedge-web-budgets-");
  await fundedUser(server, USER, { name: "Household", deposit: 100_000 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("budgets and exports", () => {
  it("creates a budget, follows a purchase in left-to-spend, edits and deletes it", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, USER.email, USER.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Budgets" }).click();
    const form = page.getByTestId("budget-form");
    await form.getByLabel("Category").fill("groceries");
    await form.getByLabel("Limit").fill("100");
    await form.getByRole("button", { name: "Create budget" }).click();
    const left = page.getByTestId("budget-groceries").getByTestId("left-to-spend");
    await expect.poll(() => left.textContent()).toBe("$100.00 left to spend");

    await page.getByRole("link", { name: "Household" }).click();
    await page.getByLabel("Kind").first().selectOption("purchase");
    await page.getByLabel("Amount (USD)").fill("30.05");
    await page.getByLabel("Category (purchases)").fill("groceries");
    await page.getByRole("button", { name: "Record" }).click();
    await page.getByText("Purchase of $30.05 recorded.").waitFor();
    await goInApp(page, "/budgets");
    await expect.poll(() => left.textContent()).toBe("$69.95 left to spend");

    await page.getByRole("button", { name: "Edit the groceries budget" }).click();
    await expect.poll(() => form.getByLabel("Limit").inputValue()).toBe("100.00");
    await form.getByLabel("Limit").fill("50.5");
    await form.getByRole("button", { name: "Save budget" }).click();
    await expect.poll(() => left.textContent()).toBe("$20.45 left to spend");

    await page.getByRole("button", { name: "Delete the groceries budget" }).click();
    await page.getByText("No budgets yet.").waitFor();
    expect(await page.getByTestId("budget-groceries").count()).toBe(0);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });

  it("requests an export, shows its progress and downloads the file", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, USER.email, USER.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Exports" }).click();
    await page.getByRole("button", { name: "Request export" }).click();
    const job = page.getByTestId("export-job");
    await job.waitFor();
    await expect.poll(() => job.getByTestId("export-status").textContent(), { timeout: 60_000 }).toBe("succeeded · 100%");
    const button = job.getByRole("button", { name: /^Download / });
    const [download] = await Promise.all([page.waitForEvent("download"), button.first().click()]);
    expect(download.suggestedFilename()).toMatch(/\.ndjson$/);
    const stream = await download.createReadStream();
    let text = "";
    for await (const chunk of stream) text += chunk;
    for (const line of text.split("\n").filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
    // A later visit still lists it (GET /v1/exports), finished, with its files.
    await page.reload();
    await expect.poll(() => page.getByTestId("export-job").count()).toBe(1);
    await expect.poll(() => page.getByTestId("export-job").getByTestId("export-status").textContent()).toBe("succeeded · 100%");
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});
