/**
 * The web app's session in a real browser: the refresh token is an HttpOnly,
 * Secure, SameSite=Strict cookie on the refresh path (invisible to scripts),
 * the access token lives in memory, so a reload stays signed in through the
 * cookie and a sign-out ends it for good.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type LocalServer, openTab, signIn, startWebServer, unexpected } from "./helpers/browser";
import { createApi } from "./helpers/http";

let server: LocalServer;
let browser: Browser;
const USER = { email: "cookie@finedge.test", password: "cookie-password-0123" };

beforeAll(async () => {
  server = await startWebServer("finedge-web-session-");
  const r = await createApi(server.baseUrl).request("POST", "/v1/auth/register", { body: USER });
  if (r.status !== 201) throw new Error(`register: ${r.status}`);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("the refresh cookie in the browser", () => {
  it("keeps the session over a reload, hides the token from scripts, and sign-out ends it", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, USER.email, USER.password);
    await page.getByRole("heading", { name: "Welcome" }).waitFor();

    const cookies = await context.cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({
      name: "__Secure-finedge_refresh",
      path: "/v1/auth/refresh",
      httpOnly: true,
      secure: true,
      sameSite: "Strict",
    });
    // Nothing a script can read: no cookie, no storage.
    expect(await page.evaluate("document.cookie.length + localStorage.length + sessionStorage.length")).toBe(0);

    await page.reload();
    await page.getByRole("heading", { name: "Welcome" }).waitFor();
    expect(await page.getByTestId("signed-in-as").textContent()).toBe(USER.email);
    // The reload rotated the cookie.
    const rotated = await context.cookies();
    expect(rotated[0]!.value).not.toBe(cookies[0]!.value);

    // A deep link on a fresh load also comes back signed in, on that page.
    await page.goto("/accounts");
    await page.getByRole("heading", { name: "Accounts", level: 1 }).waitFor();
    expect(page.url()).toBe(`${server.baseUrl}/accounts`);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/signin$/);
    expect(await context.cookies()).toEqual([]);
    await page.reload();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
    await page.goto("/");
    await page.waitForURL(/\/signin\?next=%2F$/);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });

  it("sends a visitor without a cookie to sign in after the refresh is refused", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await page.goto("/accounts");
    await page.waitForURL(/\/signin\?next=%2Faccounts$/);
    await page.getByLabel("Email").fill(USER.email);
    await page.getByLabel("Password").fill(USER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Accounts", level: 1 }).waitFor();
    expect(page.url()).toBe(`${server.baseUrl}/accounts`);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});
