/**
 * The digest history page in a real browser against a real `wrangler dev`
 * with the demo data. The digests are stored the way production stores them:
 * the weekly and monthly cron triggers run (Miniflare's local trigger
 * endpoint under `wrangler dev`, GET /cdn-cgi/local/scheduled?cron=…&time=…)
 * at each past Monday and 1st 07:00 UTC of the demo's 88 days. The page lists what GET /v1/insights/digests lists, newest
 * first, 10 then "Load more"; a digest opens as the digest card; the kind
 * filter shows the monthly ones only. The Insights page links to it.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../scripts/demo-data.mjs";
import { DEMO_USER } from "../../scripts/lib/demo-plan.mjs";
import { launchBrowser, type LocalServer, openTab, signIn, startWebServer, unexpected } from "./helpers/browser";
import { createApi, sleep, waitFor } from "./helpers/http";

let server: LocalServer;
let browser: Browser;
let token: string;

interface Listed {
  id: string | null;
  period: string;
  start: string;
  end: string;
  stored: boolean;
}

const DAY = 86_400_000;
/** wrangler.toml's [triggers] (queues/digests.ts WEEKLY_DIGEST_CRON, MONTHLY_DIGEST_CRON). */
const WEEKLY_DIGEST_CRON = "0 7 * * 1";
const MONTHLY_DIGEST_CRON = "0 7 1 * *";

/** The cron times of the demo's span: each Monday and each 1st at 07:00 UTC in the last `days` days. */
function cronTimes(now: number, days: number): { cron: string; at: number }[] {
  const out: { cron: string; at: number }[] = [];
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  for (let t = today - days * DAY; t <= today; t += DAY) {
    const at = t + 7 * 3_600_000;
    if (at > now) continue;
    const d = new Date(at);
    if (d.getUTCDay() === 1) out.push({ cron: WEEKLY_DIGEST_CRON, at });
    if (d.getUTCDate() === 1) out.push({ cron: MONTHLY_DIGEST_CRON, at });
  }
  return out;
}

async function listAll(kind?: string): Promise<Listed[]> {
  const api = createApi(server.baseUrl);
  const r = await api.request("GET", `/v1/insights/digests?limit=100${kind ? `&kind=${kind}` : ""}`, { token });
  expect(r.status).toBe(200);
  return r.body.data;
}

beforeAll(async () => {
  server = await startWebServer("finedge-web-digests-");
  const now = Date.now();
  await seedDemo(server.baseUrl, { now });
  const api = createApi(server.baseUrl);
  const login = await api.request("POST", "/v1/auth/login", { body: { email: DEMO_USER.email, password: DEMO_USER.password } });
  token = login.body.access_token;
  // The pipeline follows the seeded data within moments: wait until the computed digests stop changing.
  let last = "";
  await waitFor(
    "the pipeline to settle",
    async () => {
      const json = JSON.stringify(await listAll());
      const same = json === last && json.includes('"stored":false');
      last = json;
      if (!same) await sleep(2_000);
      return same;
    },
    120_000,
    0,
  );
  for (const { cron, at } of cronTimes(now, 88)) {
    // Miniflare's trigger endpoint under wrangler dev (it takes the scheduled time; wrangler's --test-scheduled does not).
    const r = await fetch(`${server.baseUrl}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(cron)}&time=${at}`);
    expect(r.status).toBe(200);
  }
  await waitFor("the digests to be stored", async () => (await listAll()).filter((d) => d.stored).length > 10, 60_000, 500);
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const label = (d: Listed) => new RegExp(`^${d.period === "weekly" ? "Week" : "Month"} ${d.start} to ${d.end}: spent \\$[\\d,]+\\.\\d\\d$`);

describe("digest history page", () => {
  it("lists the stored digests 10 at a time, opens one as the card, filters monthly", async () => {
    const all = await listAll();
    expect(all.every((d) => d.stored)).toBe(true);
    expect(all.length).toBeGreaterThan(10);
    const { page, problems } = await openTab(browser, server.baseUrl);
    await signIn(page, DEMO_USER.email, DEMO_USER.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Insights" }).click();
    await page.getByRole("heading", { level: 1, name: "Insights" }).waitFor();
    await page.getByRole("link", { name: "All your digests" }).click();
    await page.getByRole("heading", { level: 1, name: "Digest history" }).waitFor();

    const items = page.getByTestId("digest-item");
    await expect.poll(() => items.count()).toBe(10);
    for (const [i, d] of all.slice(0, 10).entries()) expect(await items.nth(i).getByRole("button").textContent()).toMatch(label(d));
    await page.getByRole("button", { name: "Load more" }).click();
    await expect.poll(() => items.count()).toBe(Math.min(all.length, 20));
    for (const [i, d] of all.slice(10, 20).entries())
      expect(
        await items
          .nth(10 + i)
          .getByRole("button")
          .textContent(),
      ).toMatch(label(d));
    if (all.length <= 20) expect(await page.getByRole("button", { name: "Load more" }).count()).toBe(0);

    // Open the second: its card, as stored (not computed now); opening another closes it.
    const second = items.nth(1).getByRole("button");
    await second.click();
    expect(await second.getAttribute("aria-expanded")).toBe("true");
    const card = items.nth(1).getByTestId("digest");
    const d = all[1]!;
    expect(await card.getByRole("heading", { level: 3 }).textContent()).toBe(
      `${d.period === "weekly" ? "Weekly" : "Monthly"} digest, ${d.start} to ${d.end}`,
    );
    const totals = (await card.getByTestId("digest-totals").textContent()) ?? "";
    expect(totals).toMatch(/^Spent \$[\d,]+\.\d\d \(.+\); income /);
    expect(totals).not.toContain("Computed now");
    await items.nth(0).getByRole("button").click();
    await expect.poll(() => page.getByTestId("digest").count()).toBe(1);
    expect(await second.getAttribute("aria-expanded")).toBe("false");

    // Monthly only: the API's monthly digests, in its order.
    const monthly = await listAll("monthly");
    expect(monthly.length).toBeGreaterThanOrEqual(2);
    await page.getByLabel("Kind").selectOption("monthly");
    await expect.poll(() => items.first().textContent()).toMatch(/^Month /);
    await expect.poll(() => items.count()).toBe(monthly.length);
    for (const [i, m] of monthly.entries()) expect(await items.nth(i).getByRole("button").textContent()).toMatch(label(m));
    expect(unexpected(problems)).toEqual([]);
  });
});
