/**
 * Transfers in a real browser: an immediate transfer between the demo user's
 * accounts moves both balances; a pending one holds the money until posted,
 * another is voided; a transfer to an unknown account id is refused with the
 * API's message and moves nothing.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_BROKERAGE, seedDemo } from "../../scripts/demo-data.mjs";
import { DEMO_USER } from "../../scripts/lib/demo-plan.mjs";
import { goInApp, launchBrowser, type LocalServer, openTab, signIn, startWebServer, unexpected } from "./helpers/browser";

let server: LocalServer;
let browser: Browser;

beforeAll(async () => {
  server = await startWebServer("finedge-web-transfers-");
  await seedDemo(server.baseUrl);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Each account row's balance in cents, by account name, from the accounts page. */
async function balances(page: Page): Promise<Record<string, number>> {
  await goInApp(page, "/accounts");
  await page.getByTestId("account-row").first().waitFor();
  const out: Record<string, number> = {};
  for (const row of await page.getByTestId("account-row").all()) {
    const name = (await row.getByRole("link").textContent())!;
    const text = (await row.getByTestId("account-balance").textContent())!;
    const m = /(-?)\$([\d,]+)\.(\d\d)/.exec(text)!;
    out[name] = (m[1] ? -1 : 1) * Number(m[2]!.replaceAll(",", "") + m[3]);
  }
  return out;
}

/**
 * The balances a transfer could move: every account but the demo brokerage, whose cash moves on its own
 * while the demo's resting limit buys fill on the simulator's trades.
 */
function cashAccounts(all: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(all).filter(([name]) => name !== DEMO_BROKERAGE.name));
}

async function send(page: Page, opts: { to?: string; toId?: string; amount: string; pending?: boolean }) {
  await goInApp(page, "/transfers");
  const form = page.getByRole("form", { name: "New transfer" });
  const from = form.locator("select[name=from]");
  await from.selectOption((await from.locator("option", { hasText: "Everyday Checking" }).getAttribute("value"))!);
  if (opts.toId) {
    await form.locator("select[name=to]").selectOption("other");
    await form.getByLabel("Destination account id").fill(opts.toId);
  } else await form.locator("select[name=to]").selectOption({ label: opts.to! });
  await form.getByLabel("Amount").fill(opts.amount);
  if (opts.pending) await form.getByRole("radio", { name: /Pending/ }).check();
  await form.getByRole("button", { name: "Send transfer" }).click();
}

describe("transfers as the demo user", () => {
  it("runs an immediate transfer, then posts one pending transfer and voids another", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, DEMO_USER.email, DEMO_USER.password);
    const before = await balances(page);

    await send(page, { to: "High-Yield Savings", amount: "25.50" });
    await page.getByText("Transfer of $25.50 posted.").waitFor();
    // Both lines of a transfer between your own accounts are listed; the sent one is the one with actions.
    const sent = page.getByTestId("transfer-row").filter({ hasText: "sent to" });
    await expect.poll(() => sent.first().textContent()).toMatch(/posted.*-\$25\.50/);
    const after = await balances(page);
    expect(after["Everyday Checking"]).toBe(before["Everyday Checking"]! - 2550);
    expect(after["High-Yield Savings"]).toBe(before["High-Yield Savings"]! + 2550);

    await send(page, { to: "High-Yield Savings", amount: "10", pending: true });
    await page.getByText(/Transfer of \$10\.00 is pending/).waitFor();
    const ten = sent.filter({ hasText: "-$10.00" });
    await ten.getByRole("button", { name: /^Post transfer / }).click();
    await expect.poll(() => ten.getByTestId("transfer-status").textContent(), { timeout: 15_000 }).toBe("posted");

    await send(page, { to: "High-Yield Savings", amount: "7.25", pending: true });
    await page.getByText(/Transfer of \$7\.25 is pending/).waitFor();
    const seven = sent.filter({ hasText: "-$7.25" });
    await seven.getByRole("button", { name: /^Void transfer / }).click();
    await expect.poll(() => seven.getByTestId("transfer-status").textContent(), { timeout: 15_000 }).toBe("voided");

    const end = await balances(page);
    expect(end["Everyday Checking"]).toBe(before["Everyday Checking"]! - 2550 - 1000);
    expect(end["High-Yield Savings"]).toBe(before["High-Yield Savings"]! + 2550 + 1000);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });

  it("refuses a transfer to an account id that does not exist, with the API's message", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, DEMO_USER.email, DEMO_USER.password);
    const before = cashAccounts(await balances(page));
    await send(page, { toId: "acc_00000000000000000000", amount: "5" });
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).not.toMatch(/^HTTP/);
    expect(cashAccounts(await balances(page))).toEqual(before);
    // The refusal itself is the one expected failed request.
    expect(unexpected(problems).filter((p) => !/status of 422/.test(p))).toEqual([]);
    await context.close();
  });
});
