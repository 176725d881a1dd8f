/**
 * Lighthouse 12 (pinned) on the web app's dashboard, signed in, in Debian's
 * Chromium: chrome-launcher starts /usr/bin/chromium headless with a remote
 * debugging port, puppeteer-core (the page type Lighthouse drives) signs the
 * demo user in, then three Lighthouse runs on that same page, with storage
 * reset disabled so whatever the sign-in left (cookies, storage) stays:
 *
 *  1. `navigation` of "/": a full page load with Lighthouse's default
 *     (mobile, simulated slow 4G and 4× CPU) performance metrics. While the
 *     session lives in memory only, a load of "/" restores no session and the
 *     app shows the sign-in page: this step then measures the app's cold load
 *     (the same document and bundle the dashboard is in), and says so
 *     (`landed`). Once a reload restores the session, it measures the
 *     signed-in dashboard itself, with no change here.
 *  2. `timespan` over signing in (when step 1 landed on sign-in) until the
 *     dashboard's data is on screen: blocking time, layout shift and
 *     interaction latency of the signed-in dashboard's render.
 *  3. `snapshot` of the signed-in dashboard with its data: accessibility and
 *     best practices of the page a person actually sees.
 */
import { launch } from "chrome-launcher";
import { navigation, snapshot, startTimespan } from "lighthouse";
import puppeteer from "puppeteer-core";

export const CHROMIUM = "/usr/bin/chromium";

/** What "the dashboard's data is on screen" means, for Lighthouse's page and the timing bench alike. */
export const DASHBOARD_DATA = [
  "[data-testid=net-worth] li",
  "[data-testid=dashboard-account]",
  "[data-testid=cash-flow] tbody tr",
  ".chart canvas",
];

/** @param {import("puppeteer-core").Page} page */
async function signInOn(page, user, timeout = 60_000) {
  await page.waitForSelector("input[name=email]", { timeout });
  await page.type("input[name=email]", user.email);
  await page.type("input[name=password]", user.password);
  await page.click("button[type=submit]");
  await dashboardData(page, timeout);
}

/** @param {import("puppeteer-core").Page} page */
async function dashboardData(page, timeout = 60_000) {
  for (const sel of DASHBOARD_DATA) await page.waitForSelector(sel, { visible: true, timeout });
}

const pick = (lhr, ids) =>
  // A null score means an audit of the category errored (not that it scored 0): kept as null.
  Object.fromEntries(
    ids.map((id) => [id, typeof lhr.categories[id]?.score === "number" ? Math.round(lhr.categories[id].score * 100) : null]),
  );
const metric = (lhr, id) => lhr.audits[id]?.numericValue ?? null;
/** Failed audits of a category (score < 1, weighted or not) and errored ones, for the report. */
function failing(lhr, category) {
  const refs = lhr.categories[category]?.auditRefs ?? [];
  const audits = refs.map((r) => lhr.audits[r.id]).filter(Boolean);
  return [
    ...audits
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "manual")
      .map((a) => `${a.id} (${a.score})`),
    ...audits.filter((a) => a.scoreDisplayMode === "error").map((a) => `${a.id} (error: ${a.errorMessage ?? "?"})`),
  ];
}

/**
 * @param {string} baseUrl a running server with the demo data
 * @param {{email: string, password: string}} user
 * Returns the bars' scores (`scores`) and each step's scores, metrics and failing audits (`steps`).
 */
export async function runLighthouse(baseUrl, user, { log = () => {} } = {}) {
  const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: ["--headless=new", "--no-sandbox"] });
  let browser;
  try {
    browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}`, defaultViewport: null });
    const page = await browser.newPage();
    const flags = { disableStorageReset: true, logLevel: "error" };
    log("signing in");
    await page.goto(`${baseUrl}/signin`);
    await signInOn(page, user);

    log("lighthouse: navigation of /");
    const nav = (
      await navigation(page, `${baseUrl}/`, { flags: { ...flags, onlyCategories: ["performance", "accessibility", "best-practices"] } })
    ).lhr;
    const landed = /\/signin/.test(nav.finalDisplayedUrl) ? "sign-in (the session does not survive a load)" : "dashboard";
    const navigationStep = {
      url: nav.finalDisplayedUrl,
      landed,
      scores: pick(nav, ["performance", "accessibility", "best-practices"]),
      metrics_ms: {
        fcp: metric(nav, "first-contentful-paint"),
        lcp: metric(nav, "largest-contentful-paint"),
        tbt: metric(nav, "total-blocking-time"),
        speed_index: metric(nav, "speed-index"),
      },
      cls: metric(nav, "cumulative-layout-shift"),
      failing: {
        performance: failing(nav, "performance"),
        accessibility: failing(nav, "accessibility"),
        "best-practices": failing(nav, "best-practices"),
      },
    };

    let timespanStep = null;
    if (landed !== "dashboard") {
      log("lighthouse: timespan of signing in until the dashboard's data is on screen");
      const span = await startTimespan(page, { flags: { ...flags, onlyCategories: ["performance", "best-practices"] } });
      await signInOn(page, user);
      const ts = (await span.endTimespan()).lhr;
      timespanStep = {
        scores: pick(ts, ["performance", "best-practices"]),
        tbt_ms: metric(ts, "total-blocking-time"),
        cls: metric(ts, "cumulative-layout-shift"),
        inp_ms: metric(ts, "interaction-to-next-paint"),
        failing: { performance: failing(ts, "performance"), "best-practices": failing(ts, "best-practices") },
      };
    }

    log("lighthouse: snapshot of the signed-in dashboard");
    await dashboardData(page);
    const snap = (await snapshot(page, { flags: { ...flags, onlyCategories: ["accessibility", "best-practices"] } })).lhr;
    const snapshotStep = {
      url: snap.finalDisplayedUrl,
      scores: pick(snap, ["accessibility", "best-practices"]),
      failing: { accessibility: failing(snap, "accessibility"), "best-practices": failing(snap, "best-practices") },
    };

    // The lower of the steps' scores; null when any step's errored (undefined: a step that did not run).
    const min = (...xs) => (xs.includes(null) ? null : Math.min(...xs.filter((x) => typeof x === "number")));
    return {
      lighthouse: nav.lighthouseVersion,
      chromium: nav.environment.hostUserAgent.match(/Chrome\/([\d.]+)/)?.[1] ?? nav.environment.hostUserAgent,
      form_factor: nav.configSettings.formFactor,
      throttling: nav.configSettings.throttlingMethod,
      // The bars: performance of the page load; accessibility and best practices the lower of the load and the signed-in dashboard.
      scores: {
        performance: navigationStep.scores.performance,
        accessibility: min(navigationStep.scores.accessibility, snapshotStep.scores.accessibility),
        "best-practices": min(
          navigationStep.scores["best-practices"],
          snapshotStep.scores["best-practices"],
          timespanStep?.scores["best-practices"],
        ),
      },
      steps: { navigation: navigationStep, timespan: timespanStep, snapshot: snapshotStep },
    };
  } finally {
    await browser?.disconnect();
    chrome.kill();
  }
}
