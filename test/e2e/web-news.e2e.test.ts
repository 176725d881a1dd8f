/**
 * The News page in a real browser against a real `wrangler dev` with the demo
 * news set (scripts/lib/demo-news.mjs, ingested by a feeder the operator
 * command grants): the feed pages with "Show more", "For you" explains why a
 * story is shown, like and save toggle with their counts, the saved tab, the
 * topic filter, and the follow preferences round-trip through the API.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoArticles, seedNews } from "../../scripts/lib/demo-news.mjs";
import { launchBrowser, type LocalServer, openTab, signIn, startWebServer, unexpected } from "./helpers/browser";
import { createApi } from "./helpers/http";

let server: LocalServer;
let browser: Browser;
let token: string;
const READER = { email: "reader@finedge.test", password: "reader-password-0123" };
const TOTAL = demoArticles().length;

beforeAll(async () => {
  server = await startWebServer("finedge-web-news-");
  const api = createApi(server.baseUrl);
  const reg = await api.request("POST", "/v1/auth/register", { body: READER });
  if (reg.status !== 201) throw new Error(`register: ${reg.status}`);
  token = reg.body.access_token;
  expect(await seedNews(api, token, { storage: ["--persist-to", server.stateDir] })).toBe(TOTAL);
  // A second run is all duplicates and leaves the reader's choices alone.
  expect(await seedNews(api, token, { storage: ["--persist-to", server.stateDir] })).toBe(0);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("news page", () => {
  it("lists, personalizes, likes, saves, filters and follows", async () => {
    const { page, problems } = await openTab(browser, server.baseUrl);
    await signIn(page, READER.email, READER.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "News" }).click();
    await page.getByRole("heading", { level: 1, name: "News" }).waitFor();
    const articles = page.getByTestId("news-article");
    await expect.poll(() => articles.count()).toBe(20);
    await page.getByRole("button", { name: "Show more" }).click();
    await expect.poll(() => articles.count()).toBe(TOTAL);
    // Newest first: the demo set's first story is an hour old.
    expect(await articles.first().getByRole("heading").textContent()).toBe(demoArticles()[0]!.title);

    // For you: the seed follows ai and earnings, NVDA and MSFT; the top story says why.
    await page.getByLabel("Sort").selectOption("relevant");
    await expect.poll(() => articles.first().getByTestId("news-reason").textContent()).toMatch(/^Because you follow/);

    // Like and save a story that is neither yet.
    await page.getByLabel("Sort").selectOption("recent");
    const story = articles.filter({ hasText: demoArticles()[2]!.title });
    const like = story.getByTestId("news-like");
    await expect.poll(() => like.getAttribute("aria-pressed")).toBe("false");
    await like.click();
    await expect.poll(() => like.getAttribute("aria-pressed")).toBe("true");
    expect(await like.textContent()).toBe("Like · 1");
    await story.getByTestId("news-save").click();
    await expect.poll(() => story.getByTestId("news-save").getAttribute("aria-pressed")).toBe("true");

    // Saved: the two the seed saved and this one; unsaving there removes it.
    await page.getByRole("button", { name: "Saved", exact: true }).click();
    await page.getByRole("heading", { level: 2, name: "Saved stories" }).waitFor();
    await expect.poll(() => articles.count()).toBe(3);
    await articles.filter({ hasText: demoArticles()[2]!.title }).getByTestId("news-save").click();
    await expect.poll(() => articles.count()).toBe(2);

    // A topic filter shows only that topic.
    await page.getByRole("button", { name: "Feed", exact: true }).click();
    await page.getByLabel("Topic").selectOption("crypto");
    const crypto = demoArticles().filter((a) => a.topics.includes("crypto")).length;
    await expect.poll(() => articles.count()).toBe(crypto);

    // Follow crypto too: the API has it.
    const follows = page.getByTestId("news-follows");
    await follows.getByRole("checkbox", { name: /^crypto/ }).check();
    await follows.getByRole("button", { name: "Save follows" }).click();
    await expect.poll(() => follows.getByRole("status").textContent()).toContain("Following 3 topics");
    const prefs = await createApi(server.baseUrl).get("/v1/news/preferences", token);
    expect(prefs.topics.sort()).toEqual(["ai", "crypto", "earnings"]);
    expect(unexpected(problems)).toEqual([]);
  });
});
