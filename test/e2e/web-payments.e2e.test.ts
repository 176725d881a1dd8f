/**
 * The payments page in a real browser against a real `wrangler dev` (its
 * payments queue and simulated processor, delays and random failures at
 * zero): add a payee (shown masked), pay it and watch the status turn
 * success; pay a payee the simulator declines and watch it fail with the
 * hold released; bad input shows the API's message; delete a payee. And the
 * profile page: the national id validated, then shown masked only.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser, launchBrowser, type LocalServer, openTab, signIn, startWebServer, unexpected } from "./helpers/browser";

let server: LocalServer;
let browser: Browser;
const USER = { email: "payments@finedge.test", password: "payments-password-0123" };

beforeAll(async () => {
  server = await startWebServer("finedge-web-payments-", {
    PAYMENTS_SIM_DELAY_MS_MIN: "0",
    PAYMENTS_SIM_DELAY_MS_MAX: "0",
    PAYMENTS_SIM_FAILURE_RATE: "0",
    PAYMENTS_SIM_TRANSIENT_RATE: "0",
  });
  await fundedUser(server, USER, { name: "Everyday", deposit: 100_000 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("payments page", () => {
  it("adds payees, pays one to success and one to a decline, and deletes a payee", async () => {
    const { page, problems } = await openTab(browser, server.baseUrl);
    await signIn(page, USER.email, USER.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Payments" }).click();
    await page.getByRole("heading", { level: 1, name: "Payments" }).waitFor();

    const add = page.getByRole("form", { name: "Add a payee" });
    await add.getByLabel("Payee name").fill("Landlord");
    await add.getByLabel("Account number or IBAN").fill("DE89 3704 0044 0532 0130 00");
    await add.getByRole("button", { name: "Add payee" }).click();
    await expect.poll(() => page.getByTestId("payee-list").textContent()).toContain("Landlord ••••3000");
    expect(await page.content()).not.toContain("370400440532");
    await add.getByLabel("Payee name").fill("Declines");
    await add.getByLabel("Account number or IBAN").fill("12340002");
    await add.getByRole("button", { name: "Add payee" }).click();
    await expect.poll(() => page.getByTestId("payee-list").textContent()).toContain("Declines ••••0002");

    const pay = page.getByRole("form", { name: "Pay", exact: true });
    // More than the balance: the API's refusal, nothing listed.
    await pay.getByLabel("Amount").fill("5000");
    await pay.getByRole("button", { name: "Pay", exact: true }).click();
    await expect.poll(() => pay.getByRole("alert").textContent()).toContain("Insufficient");
    expect(await page.getByTestId("payment-row").count()).toBe(0);

    await pay.getByLabel("To").selectOption({ label: "Landlord (••••3000)" });
    await pay.getByLabel("Amount").fill("125.00");
    await pay.getByLabel("Memo").fill("Rent");
    await pay.getByRole("button", { name: "Pay", exact: true }).click();
    const first = page.getByTestId("payment-row").filter({ hasText: "Landlord" });
    await expect.poll(() => first.getByTestId("payment-status").textContent(), { timeout: 20_000 }).toBe("success");

    await pay.getByLabel("To").selectOption({ label: "Declines (••••0002)" });
    await pay.getByLabel("Amount").fill("10.00");
    await pay.getByRole("button", { name: "Pay", exact: true }).click();
    const second = page.getByTestId("payment-row").filter({ hasText: "Declines" });
    await expect.poll(() => second.getByTestId("payment-status").textContent(), { timeout: 20_000 }).toMatch(/^failed \(declined: /);
    // The decline released its hold: 1,000.00 − 125.00 available.
    await expect.poll(() => pay.getByLabel("From").textContent()).toContain("$875.00 available");

    await page.getByRole("button", { name: "Delete payee Declines" }).click();
    await expect.poll(() => page.getByTestId("payee-list").textContent()).not.toContain("Declines");
    // The payment stays in the list, final, its payee now named as deleted.
    const orphan = page.getByTestId("payment-row").filter({ hasText: "a deleted payee" });
    await expect.poll(() => orphan.getByTestId("payment-status").textContent()).toMatch(/^failed/);
    expect(unexpected(problems).filter((p) => !/status of 422/.test(p))).toEqual([]);
  });

  it("saves the customer profile with the national id shown masked, never in the clear", async () => {
    const { page, problems } = await openTab(browser, server.baseUrl);
    await signIn(page, USER.email, USER.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Profile" }).click();
    await page.getByRole("heading", { level: 1, name: "Profile" }).waitFor();
    const form = page.getByRole("form", { name: "Customer profile" });
    await form.getByLabel("National id (PAN)").fill("1234");
    await form.getByRole("button", { name: "Save profile" }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toContain("PAN");
    await form.getByLabel("Name").fill("Ada Lovelace");
    await form.getByLabel("National id (PAN)").fill("ABCPE1234F");
    await form.getByRole("button", { name: "Save profile" }).click();
    await expect.poll(() => form.textContent()).toContain("National id on file: ••••234F");
    await page.reload();
    await page.getByRole("heading", { name: "Your banks" }).waitFor();
    expect(await page.content()).not.toContain("ABCPE1234F");
    expect(unexpected(problems).filter((p) => !/status of 400/.test(p))).toEqual([]);
  });
});
