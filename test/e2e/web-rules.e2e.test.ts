/**
 * The Rules page in a real browser against a real `wrangler dev`: create a
 * rule (its preview shows the matching purchases and what changes), apply it
 * to existing transactions as a job that completes, and the account's
 * transaction shows the new category; add a cashback rule and see it listed;
 * disable the rule. A rule without an action shows a message.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FundedUser,
  fundedUser,
  goInApp,
  launchBrowser,
  type LocalServer,
  openTab,
  signIn,
  startWebServer,
  unexpected,
} from "./helpers/browser";
import { createApi, waitFor } from "./helpers/http";

let server: LocalServer;
let browser: Browser;
let user: FundedUser;
const USER = { email: "rules@finedge.test", password: "rules-password-0123" };
let coffee = "";

beforeAll(async () => {
  server = await startWebServer("finedge-web-rules-");
  user = await fundedUser(server, USER, { name: "Everyday", deposit: 100_000 });
  const api = createApi(server.baseUrl);
  for (const [amount, merchant] of [
    [450, "SQ *BLUE BOTTLE #12"],
    [2_500, "Powell's Books"],
  ] as const) {
    const r = await api.request("POST", `/v1/accounts/${user.accountId}/transactions`, {
      token: user.token,
      key: crypto.randomUUID(),
      body: { kind: "purchase", amount, merchant },
    });
    if (r.status !== 201) throw new Error(`purchase: ${r.status} ${JSON.stringify(r.body)}`);
    if (amount === 450) coffee = r.body.id;
  }
  await waitFor("the purchases in Silver", async () => {
    const r = await api.request("GET", "/v1/merchants", { token: user.token });
    return r.body.data?.length === 2;
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("rules page", () => {
  it("previews, creates and applies a rule; the transaction shows the new category; a cashback rule is listed", async () => {
    const { page, problems } = await openTab(browser, server.baseUrl);
    await signIn(page, USER.email, USER.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Rules" }).click();
    await page.getByRole("heading", { level: 1, name: "Rules" }).waitFor();

    const form = page.getByTestId("rule-form");
    // No action: the page says so, nothing is sent.
    await form.getByLabel("Value 1").fill("blue-bottle");
    await form.getByRole("button", { name: "Preview" }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toContain("Set a category, a merchant or tags");

    await form.getByLabel("Field 1").selectOption("merchant");
    await form.getByLabel("Operator 1").selectOption("is");
    await form.getByLabel("Category").fill("coffee");
    await form.getByRole("button", { name: "Preview" }).click();
    const preview = form.getByTestId("preview-row");
    await expect.poll(() => preview.count()).toBe(1);
    expect(await preview.first().getByTestId("preview-after").textContent()).toContain("coffee");

    await form.getByRole("button", { name: "Create rule" }).click();
    const rule = page.getByTestId("rule");
    await expect.poll(() => rule.count()).toBe(1);
    expect(await rule.first().getByTestId("rule-conditions").textContent()).toBe("merchant is blue-bottle");
    expect(await rule.first().getByTestId("rule-status").textContent()).toBe("enabled");

    await page.getByRole("button", { name: "Apply to existing transactions" }).click();
    const job = page.getByTestId("job-progress");
    await expect.poll(() => job.getAttribute("data-status"), { timeout: 30_000 }).toBe("succeeded");
    expect(await page.getByTestId("job-status").textContent()).toContain("100%");

    await goInApp(page, `/accounts/${user.accountId}`);
    const row = page.getByTestId("transaction-row").filter({ hasText: "BLUE BOTTLE" });
    await expect.poll(() => row.getByTestId("transaction-category").textContent(), { timeout: 15_000 }).toBe("coffee");

    // Cashback: a merchant rule at 5 %.
    await goInApp(page, "/rules");
    const cb = page.getByTestId("cashback-form");
    await cb.getByLabel("Name").fill("Coffee card");
    await cb.getByLabel("Scope").selectOption("merchant");
    await cb.getByLabel("Merchant key or category").fill("blue-bottle");
    await cb.getByLabel("Rate (bps)").fill("500");
    await cb.getByLabel("Cap (minor units)").fill("2000");
    await cb.getByLabel("Fallback (bps)").fill("100");
    await cb.getByRole("button", { name: "Add cashback rule" }).click();
    const listed = page.getByTestId("cashback-rule");
    await expect.poll(() => listed.count()).toBe(1);
    expect(await listed.first().getByTestId("cashback-name").textContent()).toBe("Coffee card");
    expect(await listed.first().textContent()).toContain("5.00 %");
    expect(unexpected(problems)).toEqual([]);

    // Disable from the page: the API shows it disabled.
    await page.getByRole("button", { name: "Disable the rule merchant is blue-bottle" }).click();
    await expect.poll(() => rule.first().getByTestId("rule-status").textContent()).toBe("disabled");
    const api = createApi(server.baseUrl);
    const tx = await api.request("GET", `/v1/accounts/${user.accountId}/transactions/${coffee}`, { token: user.token });
    expect(tx.body.category).toBe("coffee");
  });
});
