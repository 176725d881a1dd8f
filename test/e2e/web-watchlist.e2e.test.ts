/**
 * The watchlist on the Markets page in a real browser (issue 13): star a
 * symbol and it appears in "Your watchlist" with its price, is stored through
 * /v1/watchlist (it survives a reload), and a second click removes it.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { goInApp, launchBrowser, type LocalServer, openTab, signIn, startWebServer, unexpected } from "./helpers/browser";
import { createApi } from "./helpers/http";

const PERSON = { email: "wanda.watch@example.test", password: "wanda-password-0123" };

let server: LocalServer;
let browser: Browser;

beforeAll(async () => {
  server = await startWebServer("finedge-web-watchlist-");
  const r = await createApi(server.baseUrl).request("POST", "/v1/auth/register", { body: PERSON });
  if (r.status !== 201) throw new Error(`registration: ${r.status}`);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("the Markets page watchlist", () => {
  it("stars and unstars a symbol, kept across a reload, with a price in the watchlist", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, PERSON.email, PERSON.password);
    await goInApp(page, "/markets");
    await page.getByRole("heading", { name: "Your watchlist" }).waitFor();
    await page.getByText("No symbols yet").waitFor();
    await expect
      .poll(() => page.getByTestId("live-status").textContent(), { timeout: 15_000 })
      .toBe("Live: prices update as trades arrive");
    const star = page.getByTestId("market-row").getByRole("button", { name: "Watch NVDA" });
    expect(await star.getAttribute("aria-pressed")).toBe("false");
    await star.click();
    const rows = page.getByTestId("watchlist-row");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    expect(await rows.first().getByTestId("symbol-link").textContent()).toBe("NVDA");
    await expect.poll(() => star.getAttribute("aria-pressed"), { timeout: 10_000 }).toBe("true");
    await expect.poll(() => rows.first().getByTestId("last-price").textContent(), { timeout: 10_000 }).toMatch(/\d/);

    await page.reload();
    await expect.poll(() => page.getByTestId("watchlist-row").count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId("watchlist-row").getByRole("button", { name: "Watch NVDA" }).click();
    await page.getByText("No symbols yet").waitFor();
    expect(await page.getByTestId("market-row").getByRole("button", { name: "Watch NVDA" }).getAttribute("aria-pressed")).toBe("false");
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });

  it("searches the registry by symbol or name (server-side) and stars a symbol that is not a demo one", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, PERSON.email, PERSON.password);
    await goInApp(page, "/markets");
    const rows = page.getByTestId("market-row");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(10);
    const search = page.getByRole("searchbox", { name: "Search symbols" });
    await search.fill("alphabet");
    await expect.poll(() => rows.getByTestId("symbol-link").allTextContents(), { timeout: 10_000 }).toEqual(["GOOGL", "GOOG"]);
    await expect.poll(() => page.getByTestId("symbol-count").textContent()).toBe("2 symbols match “alphabet”");
    await rows.getByRole("button", { name: "Watch GOOG", exact: true }).click();
    await expect
      .poll(() => page.getByTestId("watchlist-row").getByTestId("symbol-link").allTextContents(), { timeout: 10_000 })
      .toEqual(["GOOG"]);
    await expect.poll(() => page.getByTestId("watchlist-row").getByTestId("last-price").textContent(), { timeout: 15_000 }).toMatch(/\d/);
    await search.fill("no such thing");
    await page.getByText("No symbol matches “no such thing”.").waitFor();
    await search.fill("");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(10);
    await page.getByTestId("watchlist-row").getByRole("button", { name: "Watch GOOG", exact: true }).click();
    await page.getByText("No symbols yet").waitFor();
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});
