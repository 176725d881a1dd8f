/**
 * The web app in a real browser (Debian's Chromium via playwright-core) against
 * a real `wrangler dev` with the demo data: static assets and the SPA fallback
 * beside the API, the CSP, /docs without a CDN, sign-in with non-empty charts,
 * registration, the admin guard and sign-out. See helpers/browser.ts.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../scripts/demo-data.mjs";
import { DEMO_USER } from "../../scripts/lib/demo-plan.mjs";
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

let server: LocalServer;
let browser: Browser;

beforeAll(async () => {
  server = await startWebServer("finedge-web-app-");
  await seedDemo(server.baseUrl);
  await createAdmin(server);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("serving", () => {
  it("answers a browser's navigation to any app path with the app under a strict CSP, and the API paths with JSON", async () => {
    for (const path of ["/", "/accounts/acc_whatever", "/admin"]) {
      const res = await fetch(server.baseUrl + path, { headers: { "sec-fetch-mode": "navigate", accept: "text/html" } });
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toMatch(/<div id="app">/);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toMatch(/script-src 'self'(;|$)/);
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(csp, path).toMatch(/frame-ancestors 'none'/);
    }
    const missing = await fetch(`${server.baseUrl}/v1/nothing-here`, { headers: { "sec-fetch-mode": "navigate", accept: "text/html" } });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.code).toBe("not_found");
    expect((await fetch(`${server.baseUrl}/health`)).headers.get("content-type")).toMatch(/json/);
  });

  it("serves /docs (Swagger UI) entirely from its own origin, with no inline script", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    const foreign: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(server.baseUrl)) foreign.push(r.url());
    });
    await page.goto("/docs");
    await expect.poll(() => page.locator(".swagger-ui .info .title").textContent(), { timeout: 30_000 }).toMatch(/FinEdge API/);
    // Swagger UI renders only the operations near the viewport, so count what it loaded, and that it draws some.
    const loaded = await page.evaluate(
      () => ((globalThis as any).ui.specSelectors.specJson().get("paths") as { size: number } | undefined)?.size ?? 0,
    );
    expect(loaded).toBeGreaterThan(100);
    expect(await page.locator(".opblock").count()).toBeGreaterThan(5);
    expect(foreign).toEqual([]);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});

describe("signed in as the demo user", () => {
  it("sends a signed-out visitor to sign in, then shows the dashboard with non-empty charts", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await page.goto("/");
    await page.waitForURL(/\/signin\?next=%2F$/);
    await signIn(page, DEMO_USER.email, DEMO_USER.password);
    await page.waitForURL(`${server.baseUrl}/`);
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    // Gold follows the demo data within moments; the dashboard polls until it is there.
    await expect.poll(() => page.getByTestId("cash-flow").locator("tbody tr").count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.locator(".chart canvas").count()).toBeGreaterThanOrEqual(3);
    // Checking, savings, the credit card and the paper brokerage account.
    expect(await page.getByTestId("dashboard-account").count()).toBe(4);
    expect(await page.getByTestId("net-worth").textContent()).toMatch(/\$[\d,]+\.\d\d/);
    expect(await page.getByTestId("as-of").textContent()).toMatch(/Analytics as of/);
    expect(await page.getByTestId("spending").locator("tbody tr").count()).toBeGreaterThan(2);
    // Each chart drew bars or lines: some pixels in the plotting colours, not just an empty frame.
    const painted = (await page.evaluate(`[...document.querySelectorAll(".chart canvas")].map((cv) => {
      const px = cv.getContext("2d").getImageData(0, 0, cv.width, cv.height).data;
      let n = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 0 && px[i + 2] > 150 && px[i] < 80) n++;
      return n;
    })`)) as number[];
    for (const n of painted) expect(n).toBeGreaterThan(50);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });

  it("keeps a user out of the admin pages: no Admin link, and the URL shows Not allowed", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, DEMO_USER.email, DEMO_USER.password);
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).count()).toBe(0);
    for (const path of ["/admin"]) {
      await goInApp(page, path);
      await page.getByRole("heading", { name: "Not allowed" }).waitFor();
      expect(await page.locator("[data-testid=pipeline-run]").count()).toBe(0);
    }
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });

  it("signs out: the refresh token is revoked, the session is gone and going back asks to sign in again", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, DEMO_USER.email, DEMO_USER.password);
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    const logout = page.waitForResponse((r) => r.url().endsWith("/v1/auth/logout"));
    await page.getByRole("button", { name: "Sign out" }).click();
    expect((await logout).status()).toBe(204);
    await page.waitForURL(/\/signin$/);
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
    await page.goBack();
    await page.waitForURL(/\/signin\?next=/);
    await goInApp(page, "/");
    await page.waitForURL(/\/signin\?next=/);
    expect(await page.getByRole("heading", { name: "Dashboard" }).count()).toBe(0);
    // Nothing was kept for a later visit either.
    expect(await page.evaluate("localStorage.length + sessionStorage.length + document.cookie.length")).toBe(0);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});

describe("registration and the admin area", () => {
  it("registers a new user, who lands on an empty dashboard", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl, { viewport: { width: 390, height: 844 } });
    await page.goto("/register");
    await page.getByLabel("Name (optional)").fill("Ada");
    await page.getByLabel("Email").fill("ada@finedge.test");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { name: "Welcome" }).waitFor();
    expect(await page.getByTestId("signed-in-as").textContent()).toBe("ada@finedge.test");
    // A phone's width: nothing wider than the screen.
    expect(await page.evaluate("document.documentElement.scrollWidth <= innerWidth")).toBe(true);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });

  it("shows an admin the pipeline runs", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await page.getByRole("heading", { name: "Admin: pipeline runs" }).waitFor();
    await expect.poll(() => page.getByTestId("pipeline-run").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});
