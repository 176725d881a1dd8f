/**
 * Loads the demo user and ~3 months of activity through the public HTTP API,
 * and opens every demo symbol's MarketDO, which fills in its year of
 * simulated daily bars the first time (so charts are never empty), and the
 * demo news set (scripts/lib/demo-news.mjs), three demo banks
 * (scripts/lib/demo-institutions.mjs), and a demo payee with one payment
 * (scripts/lib/demo-payments.mjs; it settles through the payments queue).
 * Idempotent: a demo user that can log in and already has its accounts is left
 * alone; a half-finished run on the same day resumes (deterministic
 * Idempotency-Keys make every repeated post a replay).
 *
 *   node scripts/demo-data.mjs [baseUrl]      (default http://127.0.0.1:8787)
 */
import { pathToFileURL } from "node:url";
import { ApiError, createApi } from "./lib/api.mjs";
import { buildDemoPlan, DEFAULT_SEED, DEMO_ACCOUNTS as plan0, DEMO_USER } from "./lib/demo-plan.mjs";
import { seedNews } from "./lib/demo-news.mjs";
import { seedInstitutions } from "./lib/demo-institutions.mjs";
import { demoPayment } from "./lib/demo-payments.mjs";

export { DEMO_USER } from "./lib/demo-plan.mjs";

/**
 * Seed the demo data at `baseUrl` unless it is already there. The news set
 * and the banks need a role granted on the server's own D1, so they are loaded only
 * when `storage` (the wrangler flags that locate that D1, `[]` for the
 * default) is given.
 * Returns `{ skipped, user, accounts, transactions, transfers, budgets, news, ms }`.
 * @param {string} baseUrl
 * @param {{ seed?: number, now?: number, days?: number, log?: (message: string) => void, storage?: string[] }} [opts]
 */
export async function seedDemo(baseUrl, { seed = DEFAULT_SEED, now = Date.now(), days, log = () => {}, storage } = {}) {
  const started = Date.now();
  const api = createApi(baseUrl);
  const { email, password, name } = DEMO_USER;

  let token;
  const login = await api.request("POST", "/v1/auth/login", { body: { email, password } });
  if (login.status === 200) {
    token = login.body.access_token;
    const existing = await api.get("/v1/accounts?limit=50", token);
    if (existing.data.length >= 3) {
      const checking = existing.data.find((a) => a.name === plan0.checking.name && a.type === plan0.checking.type);
      if (checking) await demoPayment(api, token, checking.id);
      const brokerage = await ensureBrokerage(api, token, existing.data);
      const symbols = await warmMarket(api, token, log);
      await demoTrades(api, token, brokerage, log);
      const news = storage ? await seedNews(api, token, { storage, log }) : 0;
      const institutions = storage ? await seedInstitutions(api, token, { storage, log }) : 0;
      return { skipped: true, user: email, accounts: existing.data.length, symbols, news, institutions, ms: Date.now() - started };
    }
    log("demo user exists but has no demo accounts yet; resuming");
  } else if (login.status === 401) {
    const reg = await api.request("POST", "/v1/auth/register", { body: { email, password, name } });
    if (reg.status === 409) {
      throw new Error(
        `${email} exists but the demo password is rejected: was .dev.vars (PASSWORD_PEPPER) regenerated for an existing state directory? Use a fresh --persist-to or restore .dev.vars.`,
      );
    }
    if (reg.status !== 201) throw new ApiError("POST", "/v1/auth/register", reg.status, reg.body);
    token = reg.body.access_token;
  } else {
    throw new ApiError("POST", "/v1/auth/login", login.status, login.body);
  }

  const plan = buildDemoPlan({ seed, now, ...(days && { days }) });
  const keyOf = (suffix) => `demo-${plan.seed}-${plan.day}-${suffix}`;

  // Accounts: reuse any the demo user already has under the same name.
  const have = (await api.get("/v1/accounts?limit=50", token)).data;
  const ids = {};
  for (const [role, spec] of Object.entries(plan.accounts)) {
    const found = have.find((a) => a.name === spec.name && a.type === spec.type);
    ids[role] = found ? found.id : (await api.post("/v1/accounts", { currency: "USD", ...spec }, token)).id;
  }

  // Budgets first, so purchases that cross 80% and 100% raise their alerts as they post.
  for (const b of plan.budgets) {
    await api.put(
      `/v1/accounts/${ids[b.account]}/budgets/${b.category}`,
      { limit: b.limit, period: b.period, alert_at: b.alert_at },
      token,
    );
  }

  // Each account's transactions in event-time order; the three accounts in parallel.
  const indexed = plan.transactions.map((t, i) => ({ ...t, key: keyOf(`tx${i}`) }));
  await Promise.all(
    Object.keys(ids).map(async (role) => {
      for (const { account: _a, key, ...body } of indexed.filter((t) => t.account === role)) {
        await api.post(`/v1/accounts/${ids[role]}/transactions`, body, token, key);
      }
    }),
  );

  let n = 0;
  for (const t of plan.transfers) {
    await api.expect(
      "POST",
      "/v1/transfers",
      {
        token,
        key: keyOf(`tr${n++}`),
        body: { from_account_id: ids[t.from], to_account_id: ids[t.to], amount: t.amount, mode: t.mode, description: t.description },
      },
      [201, 202],
    );
  }

  await demoPayment(api, token, ids.checking);
  ids.brokerage = await ensureBrokerage(api, token, (await api.get("/v1/accounts?limit=50", token)).data);
  const symbols = await warmMarket(api, token, log);
  await demoTrades(api, token, ids.brokerage, log);
  const news = storage ? await seedNews(api, token, { storage, log }) : 0;
  const institutions = storage ? await seedInstitutions(api, token, { storage, log }) : 0;
  return {
    skipped: false,
    symbols,
    news,
    institutions,
    user: email,
    accounts: ids,
    transactions: indexed.length,
    transfers: plan.transfers.length,
    budgets: plan.budgets.length,
    ms: Date.now() - started,
  };
}

/**
 * The paper-trading account: opened once (found again by name) and funded once
 * (a fixed Idempotency-Key, so a rerun on any day is a replay). No orders are
 * placed for the user: buying and selling is theirs to try.
 */
export const DEMO_BROKERAGE = { type: "brokerage", name: "Paper Brokerage", funding: 25_000_00 };

async function ensureBrokerage(api, token, have) {
  const found = have.find((a) => a.type === DEMO_BROKERAGE.type && a.name === DEMO_BROKERAGE.name);
  const id = found
    ? found.id
    : (await api.post("/v1/accounts", { type: DEMO_BROKERAGE.type, name: DEMO_BROKERAGE.name, currency: "USD" }, token)).id;
  await api.post(
    `/v1/accounts/${id}/transactions`,
    { kind: "deposit", amount: DEMO_BROKERAGE.funding, description: "Paper trading funds" },
    token,
    "demo-brokerage-funding",
  );
  return id;
}

/**
 * A few buys on the demo brokerage so the portfolio is not empty: a limit buy
 * above the latest daily close of each symbol (a fresh symbol has no trade
 * yet, so a market order would be rejected). The order rests, which starts the
 * symbol's simulator, and fills at its first trade. Placed once: a rerun finds
 * the client_order_id among the account's orders and leaves it.
 */
export const DEMO_TRADES = [
  { symbol: "BTC-USD", dollars: 2_000 },
  { symbol: "ETH-USD", dollars: 1_500 },
];

async function demoTrades(api, token, accountId, log) {
  const have = await api.request("GET", `/v1/accounts/${accountId}/orders?status=all&limit=100`, { token });
  const placed = new Set((have.body?.data ?? []).map((o) => o.client_order_id));
  for (const t of DEMO_TRADES) {
    const clientOrderId = `demo-buy-${t.symbol}`;
    if (placed.has(clientOrderId)) continue;
    const snap = await api.request("GET", `/v1/market/${encodeURIComponent(t.symbol)}/snapshot`, { token });
    const close = Number(snap.body?.latest_trade?.p ?? snap.body?.daily_bar?.c ?? snap.body?.prev_close);
    if (!(close > 0)) continue;
    const limit = (close * 1.25).toFixed(2);
    const qty = (t.dollars / Number(limit)).toFixed(6);
    const r = await api.request("POST", `/v1/accounts/${accountId}/orders`, {
      token,
      body: { symbol: t.symbol, side: "buy", type: "limit", time_in_force: "gtc", qty, limit_price: limit, client_order_id: clientOrderId },
    });
    log(`demo trade: buy ${qty} ${t.symbol} (limit ${limit}) → ${r.status} ${r.body?.status ?? r.body?.error?.code ?? ""}`);
  }
}

/**
 * Opens each demo symbol's snapshot: its object backfills a year of daily bars on first use. The rest of the
 * registry is quoted on demand (its object backfills when first opened). Returns how many symbols were warmed.
 */
async function warmMarket(api, token, log) {
  const { data: all } = await api.get("/v1/market/symbols", token);
  const data = all.filter((s) => s.demo);
  await Promise.all(data.map((s) => api.get(`/v1/market/${encodeURIComponent(s.symbol)}/snapshot`, token)));
  log(
    `market: ${data.length} demo symbols ready, each with a year of daily bars (${all.length - data.length} more quoted on demand); the simulator ticks while a client subscribes`,
  );
  return data.length;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const baseUrl = process.argv[2] ?? "http://127.0.0.1:8787";
  seedDemo(baseUrl, { log: console.log }).then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e) => {
      console.error(`demo data failed: ${e.message}`);
      process.exitCode = 1;
    },
  );
}
