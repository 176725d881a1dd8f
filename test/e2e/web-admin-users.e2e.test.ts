/**
 * Users and the audit log in a real browser (issue 13): an admin finds a user
 * by email, disables them (their sign-in is refused at once), enables them
 * again, promotes them, and reads each change in the audit log; a plain user
 * is kept out of both pages.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN,
  createAdmin,
  goInApp,
  launchBrowser,
  type LocalServer,
  openTab,
  signIn,
  startWebServer,
  unexpected,
} from "./helpers/browser";
import { createApi } from "./helpers/http";

const PERSON = { email: "pat.person@example.test", password: "pat-password-0123" };

let server: LocalServer;
let browser: Browser;

beforeAll(async () => {
  server = await startWebServer("finedge-web-admin-users-");
  await createAdmin(server);
  const r = await createApi(server.baseUrl).request("POST", "/v1/auth/register", { body: PERSON });
  if (r.status !== 201) throw new Error(`registration: ${r.status}`);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const login = () => createApi(server.baseUrl).request("POST", "/v1/auth/login", { body: PERSON });

describe("an admin", () => {
  it("disables, enables and promotes a user, and reads it all in the audit log", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Users" }).click();
    await page.getByRole("heading", { name: "Admin: users" }).waitFor();
    await page.getByLabel("Email contains").fill("pat.person");
    const rows = page.getByTestId("admin-user");
    await expect.poll(() => rows.count()).toBe(1);
    const row = rows.first();
    expect(await row.getByTestId("user-status").textContent()).toBe("active");

    await row.getByRole("button", { name: `Disable ${PERSON.email}` }).click();
    await expect.poll(() => row.getByTestId("user-status").textContent()).toBe("disabled");
    expect((await login()).status).toBe(401);
    await page.getByLabel("Status filter").selectOption("disabled");
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByLabel("Status filter").selectOption("");

    await row.getByRole("button", { name: `Enable ${PERSON.email}` }).click();
    await expect.poll(() => row.getByTestId("user-status").textContent()).toBe("active");
    expect((await login()).status).toBe(200);

    await row.getByLabel(`Role of ${PERSON.email}`, { exact: true }).selectOption("admin");
    await row.getByRole("button", { name: `Change the role of ${PERSON.email}` }).click();
    await expect.poll(() => row.getByTestId("user-role").textContent()).toBe("admin");

    // The admin's own row cannot be changed: the API refuses and the page says why.
    await page.getByLabel("Email contains").fill(ADMIN.email);
    await expect.poll(() => rows.count()).toBe(1);
    await rows
      .first()
      .getByRole("button", { name: `Disable ${ADMIN.email}` })
      .click();
    await page.getByText(/cannot change their own account/).waitFor();

    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit log" }).click();
    await page.getByRole("heading", { name: "Admin: audit log" }).waitFor();
    await page.getByLabel("Action", { exact: true }).fill("user.");
    const actions = page.getByTestId("audit-action");
    await expect.poll(() => actions.allTextContents()).toEqual(expect.arrayContaining(["user.role_change", "user.enable", "user.disable"]));
    await page.getByLabel("Action", { exact: true }).fill("user.disable");
    await expect.poll(() => actions.allTextContents()).toEqual(["user.disable"]);
    expect(unexpected(problems.filter((p) => !/status of 422/.test(p)))).toEqual([]);
    await context.close();
  });
});

describe("the users list", () => {
  it("pages with Load more (the API cursor) within the filters, without repeats", async () => {
    const http = createApi(server.baseUrl);
    const emails = Array.from({ length: 30 }, (_, i) => `bulk.${String(i).padStart(2, "0")}@example.test`);
    for (const email of emails) {
      const r = await http.request("POST", "/v1/auth/register", { body: { email, password: "bulk-password-0123" } });
      if (r.status !== 201) throw new Error(`registration of ${email}: ${r.status}`);
    }
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await goInApp(page, "/admin/users");
    await page.getByRole("heading", { name: "Admin: users" }).waitFor();
    await page.getByLabel("Email contains").fill("bulk.");
    const rows = page.getByTestId("admin-user");
    await expect.poll(() => rows.count()).toBe(25);
    await page.getByRole("button", { name: "Load more" }).click();
    await expect.poll(() => rows.count()).toBe(30);
    expect(await page.getByRole("button", { name: "Load more" }).count()).toBe(0);
    const shown = await rows.locator("th").allTextContents();
    expect([...shown].sort()).toEqual([...emails].sort());
    // A filter change starts over from the first page.
    await page.getByLabel("Role filter").selectOption("feeder");
    await expect.poll(() => rows.count()).toBe(0);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});

describe("a plain user", () => {
  it("cannot open the users or audit pages", async () => {
    const other = { email: "plain.user@example.test", password: "plain-password-0123" };
    await createApi(server.baseUrl).request("POST", "/v1/auth/register", { body: other });
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, other.email, other.password);
    for (const path of ["/admin/users", "/admin/audit"]) {
      await goInApp(page, path);
      await page.getByRole("heading", { name: "Not allowed" }).waitFor();
      expect(await page.getByTestId("admin-user").count()).toBe(0);
    }
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});
