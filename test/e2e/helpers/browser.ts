/**
 * Browser tests: Debian's Chromium (/usr/bin/chromium, never a downloaded
 * browser) driven by playwright-core against a real `wrangler dev` from
 * scripts/lib/local-server.mjs serving the built web app. Every page records
 * console errors, page errors and Content Security Policy violations, so a
 * test can assert the app ran cleanly under its CSP.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { buildWeb } from "../../../scripts/lib/build-web.mjs";
import { startLocalServer } from "../../../scripts/lib/local-server.mjs";
import { createApi } from "./http";

export const CHROMIUM = "/usr/bin/chromium";

/** The one place that knows how a test user becomes an admin: registered, then granted by the operator command. */
export const ADMIN = { email: "admin@finedge.test", password: "admin-password-0123" };

export type LocalServer = Awaited<ReturnType<typeof startLocalServer>>;

export async function startWebServer(prefix: string, vars?: Record<string, string>): Promise<LocalServer> {
  buildWeb({ ifMissing: true, stdio: "ignore" });
  return startLocalServer(vars ? { prefix, vars } : { prefix });
}

/** Register the admin (see ADMIN) through the API, grant the role with `npm run admin:grant`'s statements, log in; returns its access token. */
export async function createAdmin(server: LocalServer): Promise<string> {
  const api = createApi(server.baseUrl);
  const r = await api.request("POST", "/v1/auth/register", { body: { email: ADMIN.email, password: ADMIN.password } });
  if (r.status !== 201) throw new Error(`admin registration: ${r.status} ${JSON.stringify(r.body)}`);
  await server.grantAdmin(ADMIN.email);
  const login = await api.request("POST", "/v1/auth/login", { body: { email: ADMIN.email, password: ADMIN.password } });
  if (login.status !== 200 || login.body.user.role !== "admin")
    throw new Error(`admin login: ${login.status} ${JSON.stringify(login.body)}`);
  return login.body.access_token;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (see .ci/run)`);
  // Root (CI, containers) cannot use Chromium's sandbox.
  return chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ["--no-sandbox"] : [] });
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught errors and CSP violations seen so far. */
  problems: string[];
}

export async function openTab(
  browser: Browser,
  baseUrl: string,
  opts: { colorScheme?: "light" | "dark"; viewport?: { width: number; height: number } } = {},
): Promise<Tab> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: "en-US",
    timezoneId: "UTC",
    colorScheme: opts.colorScheme ?? "light",
    viewport: opts.viewport ?? { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // An init script runs before the page's own (and outside its CSP): it only listens.
  await page.addInitScript(
    'document.addEventListener("securitypolicyviolation", (e) => console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI));',
  );
  return { context, page, problems };
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

/**
 * A 401 for a signed-out first load or a refused request is expected; everything
 * else in `problems` is a failure. Returns the unexpected ones.
 */
export function unexpected(problems: string[]): string[] {
  return problems.filter((p) => !/status of 40[14]/.test(p));
}

/** Navigate inside the app without a page load (no refresh request, so no auth rate-limit cost; the access token stays in memory). */
export async function goInApp(page: Page, path: string): Promise<void> {
  // A string, not a function: these tests are type-checked without the DOM library.
  await page.evaluate(`history.pushState(null, "", ${JSON.stringify(path)}); dispatchEvent(new PopStateEvent("popstate"));`);
}

/** Run SQL on the server's local D1 (its --persist-to state), as the operator commands do: for rows no API creates, like dead letters. */
export function execD1(server: LocalServer, sql: string): void {
  const wrangler = path.join(process.cwd(), "node_modules/wrangler/bin/wrangler.js");
  const r = spawnSync(process.execPath, [wrangler, "d1", "execute", "DB", "--local", "--persist-to", server.stateDir, "--command", sql], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`d1 execute exited with ${r.status}: ${r.stderr}`);
}
