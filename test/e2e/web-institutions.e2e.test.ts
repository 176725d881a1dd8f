/**
 * Opening an account at a bank in a real browser against a real `wrangler
 * dev`, with the banks `npm run dev` seeds (scripts/lib/demo-institutions.mjs:
 * created once, by a registrar whose admin role is revoked at once): the
 * open-account form's bank picker lists the institutions (GET
 * /v1/institutions), the new account shows its bank's name in the accounts
 * list, and a second checking account at a bank that allows one per type
 * shows the API's 409 message and opens nothing.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApi } from "../../scripts/lib/api.mjs";
import { DEMO_INSTITUTIONS, seedInstitutions } from "../../scripts/lib/demo-institutions.mjs";
import {
  createAdmin,
  fundedUser,
  goInApp,
  launchBrowser,
  type LocalServer,
  openTab,
  signIn,
  startWebServer,
  unexpected,
} from "./helpers/browser";

let server: LocalServer;
let browser: Browser;
const USER = { email: "banks@finedge.test", password: "banks-password-0123" };

beforeAll(async () => {
  server = await startWebServer("finedge-web-institutions-");
  const { token } = await fundedUser(server, USER, { name: "Everyday", deposit: 10_000 });
  const api = createApi(server.baseUrl);
  const storage = ["--persist-to", server.stateDir];
  expect(await seedInstitutions(api, token, { storage })).toBe(DEMO_INSTITUTIONS.length);
  expect(await seedInstitutions(api, token, { storage })).toBe(0);
  const listed = await api.get("/v1/institutions?limit=10", token);
  expect(listed.data.map((i: { code: string }) => i.code).sort()).toEqual(DEMO_INSTITUTIONS.map((i) => i.code).sort());
  // The registrar keeps no admin role once the banks exist.
  const users = await api.get("/v1/admin/users?email=demo-registrar", await createAdmin(server));
  expect(users.data.map((u: { email: string; role: string }) => [u.email, u.role])).toEqual([["demo-registrar@finedge.dev", "user"]]);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("accounts at a bank", () => {
  it("opens an account at a bank picked in the form, lists the bank's name, and shows the one-per-type 409", async () => {
    const { page, problems } = await openTab(browser, server.baseUrl);
    await signIn(page, USER.email, USER.password);
    await goInApp(page, "/accounts");
    await page.getByRole("heading", { level: 1, name: "Accounts" }).waitFor();
    const form = page.getByRole("form", { name: "Open an account" });
    const openAt = async (name: string, bank: string) => {
      await form.getByLabel("Name").fill(name);
      await form.getByLabel("Type").selectOption("checking");
      await form.getByLabel("Bank (optional)").selectOption({ label: bank });
      await form.getByRole("button", { name: "Open account" }).click();
    };
    await expect.poll(() => form.getByLabel("Bank (optional)").textContent()).toContain("First Demo Bank (FDEMOUS33)");
    await openAt("First Demo checking", "First Demo Bank (FDEMOUS33)");
    await page.waitForURL(/\/accounts\/acc_/);

    await goInApp(page, "/accounts");
    const row = page.getByTestId("account-row").filter({ hasText: "First Demo checking" });
    await expect.poll(() => row.getByTestId("account-bank").textContent()).toBe("First Demo Bank");
    const plain = page.getByTestId("account-row").filter({ hasText: "Everyday" });
    expect(await plain.getByTestId("account-bank").textContent()).toBe("—");

    await openAt("Second checking", "First Demo Bank (FDEMOUS33)");
    await expect.poll(() => form.getByRole("alert").textContent()).toContain("First Demo Bank allows one checking account per customer");
    expect(await page.getByTestId("account-row").count()).toBe(2);
    expect(unexpected(problems).filter((p) => !/status of 409/.test(p))).toEqual([]);
  });
});
