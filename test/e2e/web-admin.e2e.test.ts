/**
 * The admin area in a real browser: dead letters (inspect, replay, discard),
 * a replay watched through its live progress bar, reconcile results; and a
 * plain user kept out of every admin page.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../scripts/demo-data.mjs";
import { DEMO_USER } from "../../scripts/lib/demo-plan.mjs";
import {
  ADMIN,
  createAdmin,
  execD1,
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
  server = await startWebServer("finedge-web-admin-");
  await seedDemo(server.baseUrl);
  await createAdmin(server);
  const now = new Date().toISOString();
  const row = (id: string, body: string) =>
    `('${id}', NULL, 'finedge-events', '${body}', 'invalid event: missing type', 3, 3, '${now}', '${now}', 'open')`;
  execD1(
    server,
    `INSERT INTO dead_letters (id, event_id, source_queue, raw_body, error, attempts, delivery_attempts, first_seen_at, last_seen_at, status) VALUES ${row("dl_0000000000000000000000a1", '{"broken":1}')}, ${row("dl_0000000000000000000000b2", '{"broken":2}')}`,
  );
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("an admin", () => {
  it("inspects, replays and discards dead letters", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Dead letters" }).click();
    await page.getByRole("heading", { name: "Admin: dead letters" }).waitFor();
    const rows = page.getByTestId("dead-letter");
    await expect.poll(() => rows.count()).toBe(2);
    const one = rows.filter({ hasText: '{"broken":1}' });
    await one.getByText("Inspect").click();
    await one.getByText('{"broken":1}').waitFor();
    expect(await one.textContent()).toMatch(/invalid event: missing type/);
    await one.getByRole("button", { name: "Discard" }).click();
    await expect.poll(() => rows.count()).toBe(1);

    const two = rows.first();
    await two.getByText("Inspect").click();
    await two.getByLabel("Corrected body (JSON, optional)").fill("{not json");
    await two.getByRole("button", { name: "Replay" }).click();
    await two.getByRole("alert").getByText("The corrected body is not valid JSON").waitFor();
    await two.getByLabel("Corrected body (JSON, optional)").fill("");
    await two.getByRole("button", { name: "Replay" }).click();
    await expect
      .poll(() =>
        page
          .getByTestId("dead-letter")
          .filter({ hasText: "open" })
          .filter({ has: page.getByText('{"broken":2}') })
          .count(),
      )
      .toBe(0);

    await page.getByLabel("Status").selectOption("discarded");
    await expect.poll(() => page.getByTestId("dead-letter-status").allTextContents()).toEqual(["discarded"]);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });

  it("starts a replay and watches its progress to the end", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await goInApp(page, "/admin/replay");
    await page.getByRole("heading", { name: "Admin: replay" }).waitFor();
    // Every status and bar value the page renders, recorded as it happens.
    await page.evaluate(`window.__seen = [];
      new MutationObserver(() => {
        const el = document.querySelector("[data-testid=job-progress]");
        if (el) window.__seen.push(el.getAttribute("data-status") + " " + el.querySelector("progress").value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });`);
    const started = page.waitForResponse((r) => r.url().endsWith("/v1/admin/replay"));
    await page.getByRole("button", { name: "Start replay" }).click();
    expect((await (await started).json()).status).toBe("queued");
    const progress = page.getByTestId("job-progress");
    await expect.poll(() => progress.getAttribute("data-status"), { timeout: 90_000 }).toMatch(/succeeded|failed/);
    expect(await progress.getAttribute("data-status")).toBe("succeeded");
    expect(await progress.locator("progress").getAttribute("value")).toBe("100");
    expect(await page.getByTestId("job-status").textContent()).toMatch(/succeeded · 100%/);
    // The page followed the job to the end by polling, with no reload; the bar never went back.
    // (The demo data replays within about one poll, so queued/running frames are not always seen.)
    const seen = (await page.evaluate("window.__seen")) as string[];
    expect(seen.at(-1)).toBe("succeeded 100");
    const percents = seen.map((s) => Number(s.split(" ")[1]));
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });

  it("runs reconcile and shows every account's result", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, ADMIN.email, ADMIN.password);
    await goInApp(page, "/admin/reconcile");
    await page.getByRole("button", { name: "Reconcile" }).click();
    await page.getByText(/^Checked \d+: \d+ drifted/).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("reconcile-row").count()).toBeGreaterThanOrEqual(3);
    for (const s of await page.getByTestId("reconcile-status").allTextContents())
      expect(["ok", "lagging", "drift", "missing"]).toContain(s);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});

describe("a plain user", () => {
  it("cannot open any admin page", async () => {
    const { page, problems, context } = await openTab(browser, server.baseUrl);
    await signIn(page, DEMO_USER.email, DEMO_USER.password);
    for (const path of ["/admin", "/admin/dead-letters", "/admin/replay", "/admin/reconcile"]) {
      await goInApp(page, path);
      await page.getByRole("heading", { name: "Not allowed" }).waitFor();
      expect(await page.getByRole("button", { name: /Start replay|Reconcile/ }).count()).toBe(0);
    }
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});
