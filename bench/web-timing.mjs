/**
 * "Dashboard data on screen after sign-in", in Debian's Chromium driven by
 * playwright-core: from the sign-in form's submit event to the first animation
 * frame in which every element of DASHBOARD_DATA (net worth, account rows, cash
 * flow rows, chart canvases) is laid out, both clocks the page's own
 * (performance.now), so the driver's round trips are not counted. Each run is a
 * fresh browser context (no cache); one warm-up run first, not counted.
 */
import { chromium } from "playwright-core";
import { CHROMIUM, DASHBOARD_DATA } from "./web-lighthouse.mjs";

/**
 * @param {string} baseUrl
 * @param {{email: string, password: string}} user
 * @param {{ runs?: number, viewport?: {width: number, height: number} }} [opts]
 * @returns {Promise<number[]>} milliseconds of each counted run
 */
export async function timeDashboardAfterSignIn(baseUrl, user, { runs = 7, viewport = { width: 1280, height: 900 } } = {}) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ["--no-sandbox"] : [] });
  const out = [];
  try {
    for (let i = 0; i <= runs; i++) {
      const context = await browser.newContext({ baseURL: baseUrl, viewport, locale: "en-US", timezoneId: "UTC" });
      const page = await context.newPage();
      await page.addInitScript(
        'addEventListener("submit", () => { window.__submittedAt = performance.now(); }, { capture: true, once: true });',
      );
      await page.goto("/signin");
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill(user.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      const ms = await page.waitForFunction(
        (selectors) => {
          const shown = selectors.every((s) => [...document.querySelectorAll(s)].some((el) => el.getClientRects().length > 0));
          return shown && window.__submittedAt !== undefined ? performance.now() - window.__submittedAt : false;
        },
        DASHBOARD_DATA,
        { polling: "raf", timeout: 60_000 },
      );
      if (i > 0) out.push(Math.round((await ms.jsonValue()) * 10) / 10);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return out;
}
