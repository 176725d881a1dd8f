/**
 * The demo news set: a few dozen fictional articles over the last four days,
 * ingested through POST /v1/news by a local `news-feeder` user that the
 * operator command (scripts/admin-role.ts) grants the feeder role. The demo
 * user follows two topics and likes and saves a few articles on first load, so
 * every sort has something to show. Idempotent: fixed article ids make a rerun a set of
 * duplicates, and likes and saves are set, not added.
 */
import { operatorRole } from "./operator-role.mjs";

export const NEWS_FEEDER = { email: "news-feeder@finedge.dev", password: "finedge-feeder-2026", name: "Demo News Feeder" };

/** @type {[hours: number, source: string, title: string, topics: string[], symbols: string[]][]} */
const STORIES = [
  [1, "Wire Daily", "Apple lifts its buyback after a record services quarter", ["earnings", "buybacks"], ["AAPL"]],
  [2, "Chip Ledger", "NVIDIA's new accelerator ships to three cloud providers", ["ai", "semiconductors"], ["NVDA"]],
  [3, "Coin Desk Sim", "Bitcoin holds above its 50-day average as volumes thin", ["crypto"], ["BTC-USD"]],
  [4, "Macro Notes", "Treasury yields ease as inflation cools for a third month", ["macro", "rates"], ["SPY", "VTI"]],
  [5, "Wire Daily", "Microsoft signs a multi-year AI deal with a European carrier", ["ai", "cloud"], ["MSFT"]],
  [6, "Auto Street", "Tesla trims prices on two models in Asia", ["autos", "pricing"], ["TSLA"]],
  [7, "Retail Pulse", "Amazon expands same-day delivery to forty more cities", ["retail", "logistics"], ["AMZN"]],
  [8, "Coin Desk Sim", "Ether staking withdrawals slow after the upgrade", ["crypto"], ["ETH-USD"]],
  [10, "Value Weekly", "Berkshire adds to its energy stakes, filings show", ["filings", "energy"], ["BRK.B"]],
  [12, "Macro Notes", "Central bank minutes point to a pause in the new year", ["macro", "rates"], []],
  [13, "Chip Ledger", "Chip stocks rally as memory prices firm", ["semiconductors"], ["NVDA"]],
  [15, "Wire Daily", "Apple's supplier in Taiwan raises its outlook", ["supply-chain"], ["AAPL"]],
  [17, "Fund Flows", "Index funds take in record inflows in November", ["etfs", "flows"], ["SPY", "VTI"]],
  [19, "Cloud Brief", "Microsoft and Amazon race to add data-center capacity", ["cloud", "ai"], ["MSFT", "AMZN"]],
  [21, "Auto Street", "Tesla's robotaxi pilot widens to a second city", ["autos", "ai"], ["TSLA"]],
  [24, "Earnings Desk", "Five things to watch in next week's earnings", ["earnings"], []],
  [26, "Coin Desk Sim", "Crypto funds see a second week of inflows", ["crypto", "flows"], ["BTC-USD", "ETH-USD"]],
  [28, "Retail Pulse", "Holiday sales start strong online, weaker in stores", ["retail", "macro"], ["AMZN"]],
  [31, "Chip Ledger", "Export rules for advanced chips tighten again", ["semiconductors", "regulation"], ["NVDA"]],
  [34, "Wire Daily", "Apple faces a new antitrust inquiry over its app store", ["regulation"], ["AAPL"]],
  [37, "Value Weekly", "Why cash-rich conglomerates are buying back less", ["buybacks", "filings"], ["BRK.B"]],
  [40, "Macro Notes", "Jobs report beats forecasts; wages rise 0.3 %", ["macro"], ["SPY"]],
  [44, "Cloud Brief", "Microsoft's gaming unit posts its best quarter", ["earnings", "gaming"], ["MSFT"]],
  [48, "Auto Street", "EV registrations climb 12 % in Europe", ["autos"], ["TSLA"]],
  [52, "Fund Flows", "Total-market ETFs cut fees again", ["etfs"], ["VTI"]],
  [56, "Coin Desk Sim", "A large exchange adds ether options", ["crypto"], ["ETH-USD"]],
  [60, "Earnings Desk", "Amazon's cloud margin reaches a record", ["earnings", "cloud"], ["AMZN"]],
  [64, "Chip Ledger", "AI chip demand lifts the whole supply chain", ["ai", "semiconductors", "supply-chain"], ["NVDA", "AAPL"]],
  [70, "Macro Notes", "Oil slips as supply outpaces demand", ["energy", "macro"], []],
  [76, "Wire Daily", "Apple's new headset gets a price cut", ["pricing"], ["AAPL"]],
  [82, "Value Weekly", "Insurance float hits a new high at Berkshire", ["filings"], ["BRK.B"]],
  [88, "Retail Pulse", "Retail earnings season ends with mixed guidance", ["earnings", "retail"], ["AMZN"]],
  [94, "Cloud Brief", "Regulators review a big cloud partnership", ["regulation", "cloud"], ["MSFT"]],
];

const slug = (s) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);

/** The demo articles with published_at relative to `now`. */
export function demoArticles(now = Date.now()) {
  return STORIES.map(([hours, source, title, topics, symbols], i) => ({
    id: `demo-news-${String(i + 1).padStart(2, "0")}`,
    title,
    summary: `${title}. A fictional story of the FinEdge demo feed, written to exercise topics, symbols and ranking.`,
    url: `https://news.finedge.dev/demo/${slug(title)}`,
    source,
    published_at: new Date(now - hours * 3_600_000).toISOString(),
    topics,
    symbols,
  }));
}

async function feederToken(api, storage) {
  const login = () => api.request("POST", "/v1/auth/login", { body: { email: NEWS_FEEDER.email, password: NEWS_FEEDER.password } });
  let r = await login();
  if (r.status === 401) {
    await api.expect("POST", "/v1/auth/register", { body: NEWS_FEEDER }, [201, 409]);
    r = await login();
  }
  if (r.status === 200 && r.body.user.role === "feeder") return r.body.access_token;
  await operatorRole("grant", NEWS_FEEDER.email, { role: "feeder", reason: "demo news feeder", storage });
  r = await login();
  if (r.status !== 200 || r.body.user.role !== "feeder") throw new Error(`the demo feeder has no feeder role (${r.status})`);
  return r.body.access_token;
}

/**
 * Ingests the demo set and, on first load, personalizes the demo user's feed. Returns how many articles were new.
 * @param {ReturnType<typeof import("./api.mjs").createApi>} api
 * @param {string} userToken
 * @param {{ storage?: string[], log?: (message: string) => void }} [opts]
 */
export async function seedNews(api, userToken, { storage = [], log = () => {} } = {}) {
  const token = await feederToken(api, storage);
  const r = await api.post("/v1/news", { articles: demoArticles() }, token);
  // Personalize once, on first load: a rerun must not undo the demo user's own choices.
  if (r.created === 0) {
    log(`news: ${r.duplicates} demo articles already loaded`);
    return 0;
  }
  await api.put("/v1/news/preferences", { topics: ["ai", "earnings"], symbols: ["NVDA", "MSFT"] }, userToken);
  for (const n of ["01", "02", "05", "13"]) await api.post(`/v1/news/demo-news-${n}/like`, undefined, userToken);
  for (const n of ["02", "16"]) await api.post(`/v1/news/demo-news-${n}/save`, undefined, userToken);
  log(`news: ${r.created} new articles (${r.duplicates} already there); the demo user follows ai and earnings`);
  return r.created;
}
