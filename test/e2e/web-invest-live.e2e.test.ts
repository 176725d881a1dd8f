/**
 * Investing on the web, live, in a real browser against `wrangler dev`
 * (simulator off, calendar always open, so every price is one this test sent
 * as admin through POST /v1/market/ticks): a triggered price alert is edited
 * through its prefilled form (a refused value shows the API's message and
 * changes nothing; saving re-arms it); the symbol chart switches between
 * 1Min, 1Hour and 1Day, each loading bars of that timeframe over its window,
 * and a new trade opens a minute candle without a reload; a position on the
 * account page is revalued from the market socket (one connection) within a
 * few seconds of a tick, with no positions request in between, to exactly
 * what GET …/positions then returns; the portfolio page values the same
 * position live too (cash plus qty × the streamed price), next to Gold's close.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
import { createApi, waitFor } from "./helpers/http";

let server: LocalServer;
let browser: Browser;
let api: ReturnType<typeof createApi>;
let admin: string;
let user: { token: string; accountId: string };
const USER = { email: "live-investor@finedge.test", password: "live-investor-password-0123" };
const MIN = 60_000;
const HOUR = 60 * MIN;

async function ticks(list: { symbol: string; price: number; t?: number }[]): Promise<void> {
  const now = Date.now();
  const r = await api.request("POST", "/v1/market/ticks", {
    token: admin,
    body: { ticks: list.map((x, i) => ({ symbol: x.symbol, price: x.price, size: 1, t: x.t ?? now + i })) },
  });
  if (r.status !== 200 || r.body.accepted !== list.length) throw new Error(`ticks: ${r.status} ${JSON.stringify(r.body)}`);
}

beforeAll(async () => {
  server = await startWebServer("finedge-web-invest-live-", { MARKET_CALENDAR: "always_open", MARKET_SIMULATOR: "off" });
  api = createApi(server.baseUrl);
  admin = await createAdmin(server);
  user = await fundedUser(server, USER, { type: "brokerage", name: "Live Brokerage", deposit: 1_000_000 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(): Promise<Awaited<ReturnType<typeof openTab>>> {
  const tab = await openTab(browser, server.baseUrl);
  await signIn(tab.page, USER.email, USER.password);
  return tab;
}

describe("editing a price alert", () => {
  it("opens the rule prefilled, shows a refused value's message, and saving re-arms the triggered rule", async () => {
    const created = await api.request("POST", "/v1/alerts/price", {
      token: user.token,
      body: { symbol: "AMZN", condition: "greater_than", value: "100", frequency: "once" },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await ticks([{ symbol: "AMZN", price: 101 }]);
    const get = () => api.request("GET", `/v1/alerts/price/${id}`, { token: user.token });
    await expect.poll(async () => (await get()).body.status, { timeout: 15_000 }).toBe("triggered");

    const { page, problems, context } = await open();
    await goInApp(page, "/alerts");
    const rule = page.getByTestId("price-alert-rule");
    await expect.poll(() => rule.getByTestId("rule-status").textContent(), { timeout: 15_000 }).toBe("triggered");
    await page.getByRole("button", { name: "Edit the AMZN is above alert" }).click();

    const form = page.getByTestId("price-alert-edit");
    await form.getByRole("heading", { name: "Edit the AMZN alert" }).waitFor();
    expect(await form.getByLabel("Symbol").inputValue()).toBe("AMZN");
    expect(await form.getByLabel("Symbol").isDisabled()).toBe(true);
    expect(await form.getByLabel("Condition").inputValue()).toBe("greater_than");
    expect(await form.getByLabel("Price").inputValue()).toBe("100");
    expect(await form.getByLabel("Frequency").inputValue()).toBe("once");
    expect(await page.getByTestId("price-alert-form").count()).toBe(0);

    // More decimals than AMZN's precision: the API refuses it, the form shows its message, the rule is unchanged.
    const before = (await get()).body;
    await form.getByLabel("Price").fill("1.123");
    await form.getByRole("button", { name: "Save and re-arm" }).click();
    const alert = form.getByRole("alert");
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toMatch(/at most 2 decimals/);
    expect((await get()).body).toEqual(before);

    await form.getByLabel("Price").fill("250.5");
    await form.getByLabel("Frequency").selectOption("every_time");
    await form.getByRole("button", { name: "Save and re-arm" }).click();
    await form.getByText("Alert saved and armed: AMZN is above $250.50.").waitFor({ timeout: 10_000 });
    await expect.poll(() => rule.getByTestId("rule-status").textContent()).toBe("active");
    expect(await rule.getByTestId("rule-value").textContent()).toBe("$250.50");
    expect(await rule.getByTestId("rule-count").textContent()).toBe("1");
    expect((await get()).body).toMatchObject({ status: "active", value: "250.5", frequency: "every_time", trigger_count: 1 });

    await form.getByRole("button", { name: "Close" }).click();
    await page.getByTestId("price-alert-form").waitFor();
    expect(unexpected(problems).filter((p) => !/status of 422|status of 400/.test(p))).toEqual([]);
    await context.close();
  });
});

describe("the symbol chart's timeframes", () => {
  it("loads bars of the chosen timeframe over its window and opens a new minute candle live", async () => {
    // MSFT trades every 5 h for the last ~8 days, then every 7 min for the last 105 min (oldest first).
    const now = Date.now();
    const times = [
      ...Array.from({ length: 40 }, (_, i) => now - (40 - i) * 5 * HOUR),
      ...Array.from({ length: 15 }, (_, i) => now - (15 - i) * 7 * MIN),
    ];
    await ticks(times.map((t, i) => ({ symbol: "MSFT", price: 400 + (i % 7), t })));
    const buckets = (size: number, since: number) => new Set(times.filter((t) => t >= since).map((t) => Math.floor(t / size))).size;

    const { page, problems, context } = await open();
    const bars: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/v1/market/MSFT/bars")) bars.push(r.url());
    });
    await goInApp(page, "/markets/MSFT");
    const chart = page.getByTestId("price-chart");
    const picker = page.getByRole("group", { name: "Chart timeframe" });
    await expect.poll(() => chart.getAttribute("aria-label"), { timeout: 15_000 }).toMatch(/^Daily candles of MSFT, \d+ days/);
    expect(await chart.getAttribute("aria-label")).toContain(`, ${buckets(24 * HOUR, 0)} days`);
    expect(await picker.getByRole("button", { name: "1 day" }).getAttribute("aria-pressed")).toBe("true");

    async function choose(label: string, timeframe: string, windowMs: number, bucketMs: number): Promise<number> {
      const response = page.waitForResponse((r) => r.url().includes(`/v1/market/MSFT/bars?`) && r.url().includes(`timeframe=${timeframe}`));
      await picker.getByRole("button", { name: label }).click();
      const r = await response;
      const query = new URL(r.url()).searchParams;
      expect(Math.abs(Date.parse(query.get("from")!) - (Date.now() - windowMs))).toBeLessThan(MIN);
      const data = ((await r.json()) as { data: { t: string }[] }).data;
      for (const b of data) expect(Date.parse(b.t) % bucketMs).toBe(0);
      expect(await picker.getByRole("button", { name: label }).getAttribute("aria-pressed")).toBe("true");
      expect(await picker.locator('button[aria-pressed="true"]').count()).toBe(1);
      return data.length;
    }

    const hours = await choose("1 hour", "1Hour", 10 * 24 * HOUR, HOUR);
    expect(hours).toBe(buckets(HOUR, 0));
    await expect.poll(() => chart.getAttribute("aria-label")).toContain(`Hourly candles of MSFT, ${hours} hours`);

    const minutes = await choose("1 min", "1Min", 2 * HOUR, MIN);
    expect(minutes).toBe(15);
    await expect.poll(() => chart.getAttribute("aria-label")).toContain("Minute candles of MSFT, 15 minutes");
    expect(bars.at(-1)).toContain("timeframe=1Min");

    // A trade now falls in a new minute: the 1Min chart gains a candle from the socket, without another bars request.
    await expect
      .poll(() => page.getByTestId("live-status").textContent(), { timeout: 15_000 })
      .toBe("Live: prices update as trades arrive");
    const requested = bars.length;
    await ticks([{ symbol: "MSFT", price: 410.25 }]);
    await expect.poll(() => chart.getAttribute("aria-label"), { timeout: 10_000 }).toContain("Minute candles of MSFT, 16 minutes");
    expect(bars.length).toBe(requested);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});

const positionRequests = (page: Page, into: string[]) =>
  page.on("request", (r) => {
    if (r.url().endsWith(`/v1/accounts/${user.accountId}/positions`)) into.push(r.url());
  });

describe("positions valued live", () => {
  it("revalues the position from a streamed tick, without a reload, to what the API then returns", async () => {
    await ticks([{ symbol: "NVDA", price: 100 }]);
    const placed = await api.request("POST", `/v1/accounts/${user.accountId}/orders`, {
      token: user.token,
      body: { symbol: "NVDA", side: "buy", type: "market", time_in_force: "day", qty: "1.5" },
    });
    expect(placed.status).toBe(201);
    expect(placed.body.status).toBe("filled");

    const { page, problems, context } = await open();
    const sockets: string[] = [];
    page.on("websocket", (ws) => sockets.push(ws.url()));
    const requests: string[] = [];
    positionRequests(page, requests);
    await goInApp(page, `/accounts/${user.accountId}`);
    const row = page.getByTestId("position-row").filter({ hasText: "NVDA" });
    await row.waitFor({ timeout: 15_000 });
    await expect.poll(() => row.getByTestId("position-value").textContent()).toBe("$150.00");
    await page.evaluate("window.__liveMark = 1");
    await expect.poll(() => sockets.filter((u) => u.endsWith("/v1/market/stream")).length, { timeout: 10_000 }).toBe(1);
    // Let the socket subscribe (its snapshot arrives), then trade.
    await page.waitForTimeout(1_500);
    const before = requests.length;

    // 1.5 × 123.43 = 185.145: half-even to the cent is $185.14 (half-up would say $185.15).
    await ticks([{ symbol: "NVDA", price: 123.43 }]);
    await expect.poll(() => row.getByTestId("position-value").textContent(), { timeout: 5_000 }).toBe("$185.14");
    expect(requests.length).toBe(before);
    expect(await page.evaluate("window.__liveMark")).toBe(1);
    expect(await row.getByTestId("position-price").textContent()).toBe("$123.43");
    expect(await row.getByTestId("position-pl").textContent()).toBe("+$35.14");

    const api_ = await api.request("GET", `/v1/accounts/${user.accountId}/positions`, { token: user.token });
    const nvda = (api_.body.data as { symbol: string }[]).find((p) => p.symbol === "NVDA");
    expect(nvda).toMatchObject({ current_price: "123.43", market_value: "185.14", unrealized_pl: "35.14", unrealized_plpc: "0.234267" });
    expect(sockets.filter((u) => u.endsWith("/v1/market/stream")).length).toBe(1);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});

describe("the portfolio valued live", () => {
  it("revalues the positions and the total from a streamed tick, next to Gold's figures at close", async () => {
    // The live-positions test above left 1.5 NVDA; Gold holds it once the pipeline has run.
    const gold = await waitFor(
      "Gold values the NVDA position",
      async () => {
        const r = await api.request("GET", "/v1/portfolio", { token: user.token });
        return r.body.positions?.some((x: { symbol: string }) => x.symbol === "NVDA") ? r.body : null;
      },
      60_000,
      1_000,
    );
    const { page, problems, context } = await open();
    await goInApp(page, "/portfolio");
    await page.getByRole("heading", { level: 1, name: "Portfolio" }).waitFor();
    const row = page.getByTestId("portfolio-position").filter({ hasText: "NVDA" });
    await row.waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1_500); // let the socket subscribe
    // 1.5 × 200.01 = 300.015 → $300.02 (half-even: the tie goes to the even cent).
    await ticks([{ symbol: "NVDA", price: 200.01 }]);
    await expect.poll(() => row.getByTestId("portfolio-live-value").textContent(), { timeout: 10_000 }).toBe("$300.02");
    expect(await row.getByTestId("portfolio-live-price").textContent()).toBe("200.01");
    const cash = BigInt(gold.cash as string);
    const others = (gold.positions as { symbol: string; market_value: string }[])
      .filter((x) => x.symbol !== "NVDA")
      .reduce((a, x) => a + BigInt(x.market_value), 0n);
    await expect.poll(() => page.getByTestId("portfolio-live-total").textContent(), { timeout: 10_000 }).toBe(usd(cash + others + 30_002n));
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});

const usd = (minor: bigint) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(Number(minor) / 100);
