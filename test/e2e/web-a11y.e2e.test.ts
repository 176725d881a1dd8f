/**
 * Accessibility of every page of the web app with axe-core
 * (@axe-core/playwright on Debian's Chromium via playwright-core, against a
 * real `wrangler dev` with the demo data): each page in PAGES, as the visitor,
 * user or admin it is for, in light and dark colour schemes, at a desktop's and
 * a phone's width, has no serious or critical violation of WCAG 2.1 A/AA or
 * axe's best practices. Adding a page is adding one entry to PAGES.
 *
 * With SCREENSHOTS=1 it also saves the pages marked `screenshot` into
 * docs/screenshots/<name>-<scheme>-<width>.png (overwritten; README shows them).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../scripts/demo-data.mjs";
import { DEMO_USER } from "../../scripts/lib/demo-plan.mjs";
import { ADMIN, createAdmin, goInApp, launchBrowser, type LocalServer, openTab, signIn, startWebServer, type Tab } from "./helpers/browser";
import { createApi } from "./helpers/http";

type Who = "visitor" | "user" | "admin";

/** What a page's path may be built from: the demo user's data, read through the API once. */
interface Fixtures {
  /** The demo user's account ids, in the API's order. */
  accounts: string[];
  /** The demo user's brokerage account ("Paper Brokerage"). */
  brokerage: string;
}

interface PageCase {
  /** Shown in the test's name. */
  name: string;
  as: Who;
  path: string | ((f: Fixtures) => string);
  /** The page's level-1 heading, present once it has rendered. */
  heading: string | RegExp;
  /** More to wait for before checking (data that polls in, charts). */
  ready?: (page: Page) => Promise<void>;
  /** Save screenshots under this name when SCREENSHOTS=1. */
  screenshot?: string;
}

const dashboardReady = async (page: Page) => {
  // Gold follows the demo data within moments; the dashboard polls until it is there.
  await expect.poll(() => page.getByTestId("cash-flow").locator("tbody tr").count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
  await expect.poll(() => page.locator(".chart canvas").count()).toBeGreaterThanOrEqual(3);
};

/** Every page of the app, as whom it is seen. One entry per page (or per state of a page worth checking). */
const PAGES: PageCase[] = [
  { name: "sign in", as: "visitor", path: "/signin", heading: "Sign in", screenshot: "signin" },
  { name: "register", as: "visitor", path: "/register", heading: "Create your account" },
  { name: "not found", as: "visitor", path: "/no-such-page", heading: "Not found" },
  { name: "dashboard", as: "user", path: "/", heading: "Dashboard", ready: dashboardReady, screenshot: "dashboard" },
  { name: "admin refused to a user", as: "user", path: "/admin", heading: "Not allowed" },
  { name: "accounts", as: "user", path: "/accounts", heading: "Accounts" },
  { name: "account detail", as: "user", path: (f) => `/accounts/${f.accounts[0]}`, heading: /\S/ },
  { name: "transfers", as: "user", path: "/transfers", heading: "Transfers" },
  {
    name: "payments",
    as: "user",
    path: "/payments",
    heading: "Payments",
    ready: (page) => page.getByRole("heading", { name: "Payees" }).waitFor(),
  },
  { name: "budgets", as: "user", path: "/budgets", heading: "Budgets" },
  { name: "merchants", as: "user", path: "/merchants", heading: "Merchants" },
  {
    name: "rules",
    as: "user",
    path: "/rules",
    heading: "Rules",
    ready: (page) => page.getByRole("heading", { name: "Cashback rules" }).waitFor(),
  },
  {
    name: "subscriptions",
    as: "user",
    path: "/subscriptions",
    heading: "Subscriptions",
    ready: (page) =>
      page
        .getByTestId("stream")
        .or(page.getByText("Nothing recurring yet", { exact: false }))
        .first()
        .waitFor(),
  },
  {
    name: "insights with forecast and what-if",
    as: "user",
    path: "/insights",
    heading: "Insights",
    ready: (page) => page.getByTestId("forecast-chart").locator("canvas").first().waitFor(),
  },
  {
    name: "digest history, one digest open",
    as: "user",
    path: "/insights/digests",
    heading: "Digest history",
    ready: async (page) => {
      // No cron has run here: the API's computed-on-read digests; open the first as the card (the same path
      // reached again keeps the page, and its open card, as it was).
      const first = page.getByTestId("digest-item").first().getByRole("button");
      if ((await first.getAttribute("aria-expanded")) !== "true") await first.click();
      await page.getByTestId("digest-totals").first().waitFor();
    },
  },
  { name: "exports", as: "user", path: "/exports", heading: "Exports" },
  { name: "portfolio", as: "user", path: "/portfolio", heading: "Portfolio" },
  {
    name: "inbox",
    as: "user",
    path: "/inbox",
    heading: "Inbox",
    ready: (page) => page.getByTestId("notifications").or(page.getByText("No notifications yet.")).first().waitFor(),
  },
  {
    name: "news",
    as: "user",
    path: "/news",
    heading: "News",
    ready: (page) => page.getByTestId("news-article").first().waitFor(),
  },
  {
    name: "markets",
    as: "user",
    path: "/markets",
    heading: "Markets",
    ready: (page) => page.getByTestId("market-row").first().waitFor(),
  },
  {
    name: "symbol with chart and order ticket",
    as: "user",
    path: "/markets/AAPL",
    heading: /AAPL/,
    ready: async (page) => {
      await expect.poll(() => page.getByTestId("price-chart").locator("canvas").count(), { timeout: 20_000 }).toBeGreaterThan(0);
      await page.getByTestId("order-ticket").waitFor();
    },
  },
  {
    name: "brokerage account: positions and orders",
    as: "user",
    path: (f) => `/accounts/${f.brokerage}`,
    heading: "Paper Brokerage",
    ready: async (page) => {
      await page.getByTestId("positions").getByText("No open positions.").or(page.getByTestId("position-row").first()).waitFor();
      await page
        .getByTestId("orders")
        .getByText(/No open orders|No orders/)
        .or(page.getByTestId("order-row").first())
        .waitFor();
    },
  },
  {
    name: "alerts",
    as: "user",
    path: "/alerts",
    heading: "Alerts",
    ready: (page) => page.getByTestId("price-alert-form").waitFor(),
  },
  {
    name: "settings",
    as: "user",
    path: "/settings",
    heading: "Settings",
    ready: (page) => page.getByTestId("preferences-form").waitFor(),
  },
  { name: "webhooks", as: "user", path: "/webhooks", heading: "Webhooks", ready: (page) => page.getByTestId("webhook-form").waitFor() },
  { name: "admin: dead letters", as: "admin", path: "/admin/dead-letters", heading: "Admin: dead letters" },
  { name: "admin: replay", as: "admin", path: "/admin/replay", heading: "Admin: replay" },
  { name: "admin: reconcile", as: "admin", path: "/admin/reconcile", heading: "Admin: reconcile" },
  {
    name: "admin: users",
    as: "admin",
    path: "/admin/users",
    heading: "Admin: users",
    ready: async (page) => {
      await expect.poll(() => page.getByTestId("admin-user").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    },
  },
  {
    name: "admin: audit log",
    as: "admin",
    path: "/admin/audit",
    heading: "Admin: audit log",
    ready: async (page) => {
      await expect.poll(() => page.getByTestId("audit-entry").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    },
  },
  {
    name: "admin: pipeline runs",
    as: "admin",
    path: "/admin",
    heading: "Admin: pipeline runs",
    ready: async (page) => {
      await expect.poll(() => page.getByTestId("pipeline-run").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    },
  },
];

const SCHEMES = ["light", "dark"] as const;
const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;
/** WCAG 2.0/2.1 A and AA, plus axe's best practices (landmarks, one h1, …). */
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
const SHOTS = process.env.SCREENSHOTS === "1" ? path.resolve(import.meta.dirname, "../../docs/screenshots") : null;

let server: LocalServer;
let browser: Browser;
let fixtures: Fixtures;
/** One tab per kind of visitor, signed in once (the sign-in rate limit is per IP); pages are reached inside the app. */
const tabs = new Map<Who, Tab>();

beforeAll(async () => {
  server = await startWebServer("finedge-web-a11y-");
  await seedDemo(server.baseUrl, { storage: ["--persist-to", server.stateDir] });
  await createAdmin(server);
  const api = createApi(server.baseUrl);
  const login = await api.request("POST", "/v1/auth/login", { body: { email: DEMO_USER.email, password: DEMO_USER.password } });
  const accounts = await api.get("/v1/accounts?limit=50", login.body.access_token);
  fixtures = {
    accounts: accounts.data.map((a: { id: string }) => a.id),
    brokerage: accounts.data.find((a: { type: string }) => a.type === "brokerage").id,
  };
  browser = await launchBrowser();
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  for (const t of tabs.values()) await t.context.close();
  await browser?.close();
  await server?.stop();
});

async function tabFor(who: Who): Promise<Tab> {
  let tab = tabs.get(who);
  if (tab) return tab;
  tab = await openTab(browser, server.baseUrl);
  if (who === "user") await signIn(tab.page, DEMO_USER.email, DEMO_USER.password);
  else if (who === "admin") await signIn(tab.page, ADMIN.email, ADMIN.password);
  else await tab.page.goto("/signin");
  tabs.set(who, tab);
  return tab;
}

const cases = PAGES.flatMap((p) =>
  SCHEMES.flatMap((scheme) => (Object.keys(WIDTHS) as (keyof typeof WIDTHS)[]).map((width) => ({ ...p, scheme, width }))),
);

describe("accessibility (axe-core): no serious or critical violation", () => {
  it.each(cases)("$name as $as, $scheme, $width", async (c) => {
    const { page } = await tabFor(c.as);
    await page.emulateMedia({ colorScheme: c.scheme });
    await page.setViewportSize(WIDTHS[c.width]);
    // Inside the app: a page load would drop the in-memory session, by design.
    await goInApp(page, typeof c.path === "function" ? c.path(fixtures) : c.path);
    await page.getByRole("heading", { name: c.heading, level: 1 }).waitFor();
    await c.ready?.(page);
    // Nothing still loading.
    await expect.poll(() => page.locator("main [role=status]", { hasText: "…" }).count()).toBe(0);

    const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    const bad = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => `${n.target.join(" ")} (${n.failureSummary ?? ""})`).join("; ")}`);
    expect(bad).toEqual([]);
    // Some rules ran and passed: the page really was checked.
    expect(results.passes.length).toBeGreaterThan(10);

    if (SHOTS && c.screenshot) {
      await page.mouse.move(0, 0);
      await page.screenshot({ path: path.join(SHOTS, `${c.screenshot}-${c.scheme}-${c.width}.png`), animations: "disabled" });
    }
  });
});
