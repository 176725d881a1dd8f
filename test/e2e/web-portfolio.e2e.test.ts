/**
 * The portfolio in a real browser against `wrangler dev` with the demo data:
 * the demo brokerage's resting limit buys fill on the simulator's first trades,
 * the pipeline values them, and the portfolio page shows the API's total, cash
 * and positions, the value chart, every return labelled by method and the
 * allocation with its cash bucket; the dashboard shows the same total next to
 * the balances; reconcile finds the brokerage's Gold portfolio equal to its journal.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../scripts/demo-data.mjs";
import { DEMO_USER } from "../../scripts/lib/demo-plan.mjs";
import { createAdmin, goInApp, launchBrowser, type LocalServer, openTab, signIn, startWebServer, unexpected } from "./helpers/browser";
import { createApi, waitFor } from "./helpers/http";

let server: LocalServer;
let browser: Browser;

beforeAll(async () => {
  server = await startWebServer("finedge-web-portfolio-");
  await seedDemo(server.baseUrl);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const usd = (minor: string) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(Number(BigInt(minor)) / 100);

describe("the portfolio page", () => {
  it("shows the demo brokerage's value, positions, returns and allocation as the API has them, and the dashboard its total", async () => {
    const api = createApi(server.baseUrl);
    const login = await api.request("POST", "/v1/auth/login", { body: { email: DEMO_USER.email, password: DEMO_USER.password } });
    const token = login.body.access_token as string;
    // The demo's limit buys fill on the simulator's first trades; then Gold has both positions priced.
    const p = await waitFor(
      "the demo buys filled and priced in Gold",
      async () => {
        const r = await api.request("GET", "/v1/portfolio", { token });
        return r.body.positions?.length === 2 && r.body.unpriced.length === 0 ? r.body : null;
      },
      90_000,
      1_000,
    );
    expect(BigInt(p.total_value)).toBe(BigInt(p.cash) + BigInt(p.positions_value));
    expect(p.positions.map((x: any) => x.symbol)).toEqual(["BTC-USD", "ETH-USD"]);

    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, DEMO_USER.email, DEMO_USER.password);
    await goInApp(page, "/portfolio");
    await page.getByRole("heading", { level: 1, name: "Portfolio" }).waitFor();
    // Prices move while the simulator runs, so compare with the API read just before each check.
    await expect
      .poll(
        async () => {
          const now = (await api.request("GET", "/v1/portfolio", { token })).body;
          return (await page.getByTestId("portfolio-total").textContent())?.trim() === usd(now.total_value);
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    expect(await page.getByTestId("portfolio-position").count()).toBe(2);
    expect(await page.getByTestId("portfolio-position").first().textContent()).toContain("BTC-USD");
    const methods = await page.getByTestId("return").locator("th").allTextContents();
    expect(methods).toEqual([
      "Simple return",
      "Time-weighted return (TWR)",
      "Money-weighted return (XIRR)",
      "Volatility",
      "Sharpe ratio",
      "Max drawdown",
    ]);
    // One day of history: volatility and Sharpe need 20 daily returns.
    expect(await page.getByTestId("return").nth(3).textContent()).toContain("Not enough data");
    const symbols = await page.getByTestId("allocation-symbol").locator("th").allTextContents();
    expect(symbols.sort()).toEqual(["BTC-USD", "ETH-USD", "cash"]);
    const classes = await page.getByTestId("allocation-class").locator("th").allTextContents();
    expect(classes.sort()).toEqual(["cash", "crypto"]);
    await expect.poll(() => page.getByTestId("portfolio-history").locator(".chart canvas").count()).toBeGreaterThanOrEqual(1);
    await page.getByRole("radio", { name: "All" }).check();
    await expect.poll(() => page.getByRole("radio", { name: "All" }).isChecked()).toBe(true);

    await goInApp(page, "/");
    await page.getByTestId("dashboard-portfolio").waitFor();
    await expect
      .poll(
        async () => {
          const now = (await api.request("GET", "/v1/portfolio", { token })).body;
          return (await page.getByTestId("dashboard-portfolio").textContent())?.includes(usd(now.total_value));
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    expect(unexpected(problems)).toEqual([]);
    await context.close();

    // Reconcile on the real server: the brokerage's Gold cash and positions agree with its journal and fills.
    const admin = await createAdmin(server);
    const brokerage = p.accounts[0].id as string;
    const report = await waitFor(
      "reconcile of the demo brokerage is ok",
      async () => {
        const r = (await api.request("GET", `/v1/admin/reconcile?account_id=${brokerage}`, { token: admin })).body.data?.[0];
        return r?.status === "ok" ? r : null;
      },
      30_000,
      1_000,
    );
    expect(report.drift).toEqual([]);
  }, 180_000);
});
