/**
 * The Settings page in a real browser: notification preferences (a channel
 * turned off, quiet hours in the browser's clock) saved and read back through
 * the API; the password changed from the page — a wrong current password is
 * refused and the session stays, the right one changes it (the old password
 * no longer signs in, the new one does).
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fundedUser, launchBrowser, type LocalServer, openTab, signIn, startWebServer, unexpected } from "./helpers/browser";
import { createApi } from "./helpers/http";

let server: LocalServer;
let browser: Browser;
let token: string;
const USER = { email: "settings@finedge.test", password: "settings-password-0123" };
const NEW_PASSWORD = "settings-password-4567";

beforeAll(async () => {
  server = await startWebServer("finedge-web-settings-");
  ({ token } = await fundedUser(server, USER));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("settings", () => {
  it("saves notification preferences and changes the password", async () => {
    const api = createApi(server.baseUrl);
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, USER.email, USER.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    const form = page.getByTestId("preferences-form");
    const received = form.getByRole("checkbox", { name: "Money received: Inbox" });
    await expect.poll(() => received.isChecked()).toBe(true);
    await received.uncheck();
    await form.getByRole("checkbox", { name: "Weekly digest: Webhook" }).check();
    await form.getByRole("checkbox", { name: /Hold email and webhooks back/ }).check();
    await form.getByLabel("From", { exact: true }).fill("21:30");
    await form.getByLabel("Until", { exact: true }).fill("06:45");
    await form.getByRole("button", { name: "Save preferences" }).click();
    await expect.poll(() => form.getByRole("status").textContent()).toContain("Preferences saved.");
    const prefs = await api.request("GET", "/v1/me/notification-preferences", { token });
    expect(prefs.body.kinds.transfer_received).toEqual({ in_app: false, email: false, webhook: false });
    expect(prefs.body.kinds.weekly_digest).toMatchObject({ webhook: true });
    // The browser's clock is UTC in these tests: offset 0.
    expect(prefs.body.quiet_hours).toEqual({ start: "21:30", end: "06:45", utc_offset_minutes: 0 });
    // A reload shows what was saved.
    await page.reload();
    await expect.poll(() => page.getByRole("checkbox", { name: "Money received: Inbox" }).isChecked()).toBe(false);

    const pw = page.getByTestId("password-form");
    await pw.getByLabel("Current password", { exact: true }).fill("not-the-password-0");
    await pw.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await pw.getByLabel("Repeat the new password").fill(NEW_PASSWORD);
    await pw.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => pw.getByRole("alert").textContent()).toContain("The current password is wrong");
    // Still signed in.
    await expect.poll(() => page.getByRole("heading", { name: "Settings", level: 1 }).isVisible()).toBe(true);
    await pw.getByLabel("Current password", { exact: true }).fill(USER.password);
    await pw.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await pw.getByLabel("Repeat the new password").fill(NEW_PASSWORD);
    await pw.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => pw.getByRole("status").textContent()).toContain("Password changed.");
    expect((await api.request("POST", "/v1/auth/login", { body: USER })).status).toBe(401);
    expect((await api.request("POST", "/v1/auth/login", { body: { email: USER.email, password: NEW_PASSWORD } })).status).toBe(200);
    expect(unexpected(problems.filter((p) => !/status of 403/.test(p)))).toEqual([]);
    await context.close();
  });
});
