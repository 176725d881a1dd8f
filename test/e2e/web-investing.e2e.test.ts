/**
 * Investing in a real browser: a user with a funded brokerage account opens
 * Markets and a symbol's page, sees the price and day change move live as
 * ticks arrive (fed as admin through POST /v1/market/ticks, over the market
 * socket, no reload), buys at market through the order ticket, sees the
 * position on the account page, places a far-away limit sell that rests,
 * cancels it in the orders table, and is refused an oversized buy with the
 * insufficient-buying-power message; and, with one trade frame dropped
 * between the page and the server, the page resyncs from the snapshot. The
 * simulator is off and the calendar always open, so every price on screen is
 * one this test sent; the symbol's daily history is imported as Yahoo CSV, so
 * the chart and the previous close are known.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdmin, goInApp, launchBrowser, type LocalServer, openTab, signIn, startWebServer, unexpected } from "./helpers/browser";
import { createApi } from "./helpers/http";

let server: LocalServer;
let browser: Browser;
let api: ReturnType<typeof createApi>;
let admin: string;
let accountId: string;
const USER = { email: "investor@finedge.test", password: "investor-password-0123" };
const SYMBOL = "AAPL";
const DAY = 86_400_000;

/** 30 days of history ending yesterday (UTC), closing at 100.00, newest first as Yahoo writes it. */
function yahooCsv(): string {
  const today = Math.floor(Date.now() / DAY) * DAY;
  const rows = ["Date,Open,High,Low,Close,Adj Close,Volume"];
  for (let i = 1; i <= 30; i++) {
    const day = new Date(today - i * DAY).toISOString().slice(0, 10);
    const close = (100 - (i - 1) * 0.5).toFixed(2);
    const open = (Number(close) - 0.25).toFixed(2);
    rows.push(`${day},${open},${(Number(close) + 1).toFixed(2)},${(Number(open) - 1).toFixed(2)},${close},${close},1000000`);
  }
  return `${rows.join("\n")}\n`;
}

async function tick(price: number): Promise<void> {
  const r = await api.request("POST", "/v1/market/ticks", {
    token: admin,
    body: { ticks: [{ symbol: SYMBOL, price, size: 10, t: Date.now() }] },
  });
  if (r.status !== 200 || r.body.accepted !== 1) throw new Error(`tick ${price}: ${r.status} ${JSON.stringify(r.body)}`);
}

beforeAll(async () => {
  server = await startWebServer("finedge-web-investing-", { MARKET_CALENDAR: "always_open", MARKET_SIMULATOR: "off" });
  api = createApi(server.baseUrl);
  admin = await createAdmin(server);
  const hist = await fetch(`${server.baseUrl}/v1/market/${SYMBOL}/history`, {
    method: "POST",
    headers: { authorization: `Bearer ${admin}`, "content-type": "text/csv" },
    body: yahooCsv(),
  });
  if (hist.status !== 200) throw new Error(`history: ${hist.status} ${await hist.text()}`);
  await tick(100.5);

  const reg = await api.request("POST", "/v1/auth/register", { body: USER });
  const token = reg.body.access_token as string;
  const acc = await api.request("POST", "/v1/accounts", { token, body: { type: "brokerage", currency: "USD", name: "Paper Brokerage" } });
  if (acc.status !== 201) throw new Error(`account: ${acc.status} ${JSON.stringify(acc.body)}`);
  accountId = acc.body.id as string;
  const dep = await api.request("POST", `/v1/accounts/${accountId}/transactions`, {
    token,
    headers: { "Idempotency-Key": crypto.randomUUID() },
    body: { kind: "deposit", amount: 2_500_000 },
  });
  if (dep.status !== 201) throw new Error(`deposit: ${dep.status}`);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Press Tab from the main region until the focused element's text is `label` (at most 40 presses). */
async function tabUntil(page: Page, label: string): Promise<boolean> {
  await page.evaluate('document.getElementById("main").focus()');
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate("document.activeElement?.textContent?.trim()")) === label) return true;
  }
  return false;
}

const text = (page: Page, testId: string) => page.getByTestId(testId).first().textContent();

describe("investing", () => {
  it("follows a live price, buys, sees the position, rests and cancels a limit sell, and is refused an oversized buy", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, USER.email, USER.password);

    // Markets lists the symbol with its last price and change since the previous close (100.00).
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Markets" }).click();
    await page.getByRole("heading", { level: 1, name: "Markets" }).waitFor();
    const row = page.getByTestId("market-row").filter({ hasText: "Apple Inc." });
    await expect.poll(() => row.getByTestId("last-price").textContent(), { timeout: 15_000 }).toBe("$100.50");
    expect(await row.getByTestId("day-change").textContent()).toBe("+$0.50 (+0.50%)");
    expect(await text(page, "market-clock")).toContain("US equities open");
    // Markets is live too: a trade moves the row without a reload.
    await expect.poll(() => text(page, "live-status"), { timeout: 15_000 }).toBe("Live: prices update as trades arrive");
    await tick(100.75);
    await expect.poll(() => row.getByTestId("last-price").textContent(), { timeout: 10_000 }).toBe("$100.75");
    expect(await row.getByTestId("day-change").textContent()).toBe("+$0.75 (+0.75%)");

    // The symbol's page: the chart of daily candles, the price, and the socket live (its link is reachable by Tab).
    expect(await tabUntil(page, SYMBOL)).toBe(true);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: /AAPL/ }).waitFor();
    await expect
      .poll(() => page.getByTestId("live-status").textContent(), { timeout: 15_000 })
      .toBe("Live: prices update as trades arrive");
    await expect.poll(() => page.getByTestId("price-chart").locator("canvas").count()).toBeGreaterThan(0);
    expect(await page.getByTestId("price-chart").getAttribute("aria-label")).toContain("31 days");
    await expect.poll(() => text(page, "last-price")).toBe("$100.75");
    await page.evaluate("window.__investMark = 1");

    // Ticks arrive over the socket: the price and the day change move without a reload.
    await tick(101.5);
    await expect.poll(() => text(page, "last-price"), { timeout: 10_000 }).toBe("$101.50");
    expect(await text(page, "day-change")).toBe("+$1.50 (+1.50%) today");
    await tick(99.25);
    await expect.poll(() => text(page, "last-price"), { timeout: 10_000 }).toBe("$99.25");
    expect(await text(page, "day-change")).toBe("-$0.75 (-0.75%) today");
    expect(await page.evaluate("window.__investMark")).toBe(1);

    // The ticket is reachable from the keyboard: Tab from the top of the page gets to its button.
    const ticket = page.getByTestId("order-ticket");
    expect(await tabUntil(page, "Place order")).toBe(true);

    // A market buy of 2 through the ticket fills at the latest trade.
    expect(await text(page, "buying-power")).toBe("Buying power: $25,000.00");
    await ticket.getByRole("textbox", { name: "Quantity" }).fill("2");
    await ticket.getByRole("button", { name: "Place order" }).click();
    await expect
      .poll(() => ticket.getByRole("status").textContent(), { timeout: 15_000 })
      .toBe("Market buy 2 AAPL: filled 2 at $99.25 ($198.50).");
    await expect.poll(() => text(page, "buying-power")).toBe("Buying power: $24,801.50");

    // The account page shows the position, valued at the latest trade.
    await goInApp(page, `/accounts/${accountId}`);
    const position = page.getByTestId("position-row").filter({ hasText: SYMBOL });
    await position.waitFor({ timeout: 15_000 });
    expect(await position.getByTestId("position-qty").textContent()).toBe("2");
    expect(await position.getByTestId("position-value").textContent()).toBe("$198.50");
    expect(await page.getByTestId("balance-posted").textContent()).toBe("$24,801.50");

    // A limit sell far above the market rests as an open order.
    await goInApp(page, `/markets/${SYMBOL}`);
    await ticket.waitFor();
    await ticket.getByLabel("Sell").check();
    await ticket.getByLabel("Order type").selectOption("limit");
    await ticket.getByRole("textbox", { name: "Quantity" }).fill("1");
    await ticket.getByLabel(/Limit price/).fill("500");
    await ticket.getByLabel("Time in force").selectOption("gtc");
    await ticket.getByRole("button", { name: "Place order" }).click();
    await expect
      .poll(() => ticket.getByRole("status").textContent(), { timeout: 15_000 })
      .toBe("Limit sell 1 AAPL at $500.00: open (new), resting until the price crosses.");

    // It is in the account's open orders; Cancel takes it off and it shows as canceled among the closed ones.
    await goInApp(page, `/accounts/${accountId}`);
    const open = page.getByTestId("order-row").filter({ hasText: "sell" });
    await open.waitFor({ timeout: 15_000 });
    expect(await open.getByTestId("order-status").textContent()).toBe("new");
    expect(await tabUntil(page, "Cancel")).toBe(true);
    await open.getByRole("button", { name: "Cancel limit sell AAPL" }).click();
    await expect.poll(() => page.getByTestId("order-row").count(), { timeout: 15_000 }).toBe(0);
    await page.getByTestId("orders").getByText("No open orders.").waitFor();
    await page.getByTestId("orders").getByLabel("Status").selectOption("closed");
    const canceled = page.getByTestId("order-row").filter({ hasText: "sell" });
    await canceled.waitFor();
    expect(await canceled.getByTestId("order-status").textContent()).toBe("canceled (canceled by the owner)");
    expect(await page.getByTestId("order-row").filter({ hasText: "buy" }).getByTestId("order-status").textContent()).toBe("filled");

    // An oversized buy (1,000 × $99.25 against $24,801.50) is refused with the reason, and nothing changes.
    await goInApp(page, `/markets/${SYMBOL}`);
    await ticket.waitFor();
    await ticket.getByRole("textbox", { name: "Quantity" }).fill("1000");
    await ticket.getByRole("button", { name: "Place order" }).click();
    const alert = ticket.getByRole("alert");
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toBe(
      "Insufficient buying power: Insufficient buying power for this order. The order needs $99,250.00; you have $24,801.50 available. Deposit cash on the account or buy less.",
    );
    const orders = await api.request("GET", `/v1/accounts/${accountId}/orders?status=all`, {
      token: (await api.request("POST", "/v1/auth/login", { body: USER })).body.access_token,
    });
    expect(orders.body.data.map((o: { side: string; status: string }) => `${o.side}:${o.status}`).sort()).toEqual([
      "buy:filled",
      "sell:canceled",
    ]);

    // The refused order's 403 is the one expected console line.
    expect(unexpected(problems).filter((p) => !/status of 403/.test(p))).toEqual([]);
    await context.close();
  });
});

describe("the market socket on a gap", () => {
  it("resyncs from the snapshot when a trade's q skips one", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    // Between the page and the server, drop the one trade frame at 102: the page then sees q jump by 2.
    let dropped = 0;
    await page.routeWebSocket(/\/v1\/market\/stream$/, (ws) => {
      const upstream = ws.connectToServer();
      ws.onMessage((m) => upstream.send(m));
      upstream.onMessage((m) => {
        const events = JSON.parse(String(m)) as { T: string; p?: string }[];
        const kept = events.filter((e) => !(e.T === "t" && e.p === "102" && dropped++ === 0));
        if (kept.length) ws.send(JSON.stringify(kept));
      });
    });
    const snapshots: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith(`/v1/market/${SYMBOL}/snapshot`)) snapshots.push(r.url());
    });
    await signIn(page, USER.email, USER.password);
    await goInApp(page, `/markets/${SYMBOL}`);
    await expect
      .poll(() => page.getByTestId("live-status").textContent(), { timeout: 15_000 })
      .toBe("Live: prices update as trades arrive");
    await expect.poll(() => text(page, "last-price")).toBe("$99.25");
    expect(snapshots).toEqual([]);

    await tick(102);
    await tick(102.5);
    // The trade after the gap is not applied as is: the page fetches the snapshot, which holds it.
    await expect.poll(() => snapshots.length, { timeout: 10_000 }).toBe(1);
    expect(dropped).toBe(1);
    await expect.poll(() => text(page, "last-price")).toBe("$102.50");
    // And it follows the stream again from the snapshot's seq.
    await tick(103);
    await expect.poll(() => text(page, "last-price"), { timeout: 10_000 }).toBe("$103.00");
    expect(snapshots.length).toBe(1);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});
