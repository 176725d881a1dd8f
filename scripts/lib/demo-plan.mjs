/**
 * The demo user's story as data: ~3 months of a salaried person's money
 * (paychecks, rent, groceries, restaurants, subscriptions, transport,
 * utilities, refunds, savings), deterministic from a seed and the day it is
 * built. Pure: no I/O. The plan checks its own floors so seeding never hits 422.
 */

const DAY = 86_400_000;
/** Amounts are integer cents; `n * DOLLARS` reads as whole dollars. */
const DOLLARS = 100;

export const DEMO_USER = { email: "demo@finedge.dev", password: "finedge-demo-2026", name: "Demo User" };
export const DEFAULT_SEED = 2026;
/** The API accepts event times up to 90 days back; keep a margin for slow seeding. */
export const DEFAULT_DAYS = 88;
/** The card's limit in a plan longer than the default (the demo year, `npm run dev` with BACKDATE_DAYS ≥ 367). */
const YEAR_CREDIT_LIMIT = 30_000 * DOLLARS;

export const DEMO_ACCOUNTS = {
  checking: { type: "checking", name: "Everyday Checking" },
  savings: { type: "savings", name: "High-Yield Savings" },
  credit: { type: "credit", name: "Rewards Visa", credit_limit: 8_000 * DOLLARS },
};

export const DEMO_BUDGETS = [
  { account: "credit", category: "groceries", limit: 650 * DOLLARS, period: "monthly", alert_at: [0.8, 1.0] },
  { account: "credit", category: "restaurants", limit: 400 * DOLLARS, period: "monthly", alert_at: [0.8, 1.0] },
];

const GROCERS = [
  ["Whole Foods Market", 3_200, 14_800],
  ["Trader Joe's", 2_400, 9_600],
  ["Safeway", 1_800, 11_500],
];
const RESTAURANTS = [
  ["Blue Bottle Coffee", 450, 950],
  ["Chipotle", 1_150, 2_400],
  ["Sweetgreen", 1_350, 2_200],
  ["Tacos El Gordo", 1_200, 3_100],
  ["Pho Saigon", 1_600, 4_200],
  ["Nopa", 4_800, 12_500],
  ["Shake Shack", 1_400, 3_300],
];
const SHOPS = [
  ["Amazon", 1_299, 11_999],
  ["Target", 1_850, 9_400],
  ["REI", 2_900, 18_900],
];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** mulberry32: a tiny, well-known 32-bit PRNG; enough for demo data, never for secrets. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const monthKey = (ms) => new Date(ms).toISOString().slice(0, 7);
const monthName = (key) => `${MONTHS[Number(key.slice(5, 7)) - 1]} ${key.slice(0, 4)}`;

/**
 * Build the plan. `now` fixes "today" (UTC); events later than a few minutes
 * before `now` are left out, so nothing is in the future when it is posted.
 */
export function buildDemoPlan({ seed = DEFAULT_SEED, now = Date.now(), days = DEFAULT_DAYS } = {}) {
  const rng = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));
  const chance = (p) => rng() < p;
  const pick = (list) => list[Math.floor(rng() * list.length)];
  const today = Math.floor(now / DAY) * DAY;
  const start = today - days * DAY;
  const cutoff = now - 5 * 60_000;
  const txs = [];
  // Randomness is drawn whether or not an event is kept, so the same seed gives the same amounts on any day.
  const add = (account, day, hour, fields) => {
    const t = day + hour * 3_600_000 + int(0, 59) * 60_000;
    if (t <= cutoff) txs.push({ account, occurred_at: new Date(t).toISOString(), ...fields });
  };
  const purchase = (account, day, hour, merchant, category, lo, hi) =>
    add(account, day, hour, { kind: "purchase", amount: int(lo, hi), merchant, category, description: `${merchant}` });

  let nextGas = start + int(2, 6) * DAY;
  for (let day = start; day <= today; day += DAY) {
    const dom = new Date(day).getUTCDate();
    if (day === start) {
      add("checking", day, 9, { kind: "deposit", amount: 2_500 * DOLLARS, description: "Opening deposit", category: "transfer" });
      add("savings", day, 9, { kind: "deposit", amount: 8_000 * DOLLARS, description: "Opening deposit", category: "transfer" });
    }
    if (dom === 1 || dom === 15)
      add("checking", day, 6, { kind: "deposit", amount: 268_437, description: "Payroll — Northwind Labs", category: "income" });
    if (dom === 1) purchase("checking", day, 9, "Maple Street Properties", "rent", 1_950 * DOLLARS, 1_950 * DOLLARS);
    if (dom === 2) purchase("credit", day, 8, "Clipper Card", "transport", 8_600, 8_600);
    if (dom === 5) purchase("credit", day, 3, "Netflix", "subscriptions", 1_549, 1_549);
    if (dom === 8) purchase("checking", day, 7, "Comcast Xfinity", "utilities", 7_999, 7_999);
    if (dom === 12) purchase("credit", day, 3, "Spotify", "subscriptions", 1_199, 1_199);
    if (dom === 18) purchase("checking", day, 7, "PG&E", "utilities", 6_200, 14_800);
    if (dom === 22) purchase("checking", day, 7, "T-Mobile", "utilities", 6_500, 6_500);
    if (dom === 27) purchase("credit", day, 3, "iCloud+", "subscriptions", 299, 299);
    // A weekly shop on Sundays, Costco once a month, and the odd top-up.
    const dow = new Date(day).getUTCDay();
    if (dow === 0) {
      const [m, lo, hi] = pick(GROCERS.slice(0, 3));
      purchase("credit", day, int(10, 13), m, "groceries", Math.max(lo, 6_000), hi);
    }
    if (dom === 10) purchase("credit", day, int(10, 16), "Costco", "groceries", 12_000, 26_000);
    if (chance(0.12)) {
      const [m, lo, hi] = pick(GROCERS.slice(0, 3));
      purchase("credit", day, int(16, 20), m, "groceries", lo, Math.min(hi, 5_500));
    }
    if (chance(0.55)) {
      const [m, lo, hi] = pick(RESTAURANTS);
      purchase("credit", day, int(11, 21), m, "restaurants", lo, hi);
    }
    if (chance(0.2)) purchase("credit", day, int(7, 23), pick(["Uber", "Lyft"]), "transport", 950, 3_800);
    if (day >= nextGas) {
      purchase("credit", day, int(8, 18), "Shell", "transport", 4_100, 6_400);
      nextGas = day + int(8, 12) * DAY;
    }
    if (chance(0.12)) {
      const [m, lo, hi] = pick(SHOPS);
      purchase("credit", day, int(9, 22), m, "shopping", lo, hi);
    }
    if (chance(0.04)) {
      add("checking", day, int(10, 20), {
        kind: "withdrawal",
        amount: int(2, 8) * 20 * DOLLARS,
        description: "ATM withdrawal",
        category: "cash",
      });
      add("checking", day, 23, { kind: "fee", amount: 300, description: "Out-of-network ATM fee", category: "fees" });
    }
    if (new Date(day + DAY).getUTCDate() === 1)
      add("savings", day, 23, { kind: "interest", amount: 0, description: "Interest (4.15% APY)", category: "interest" });
  }

  addRefunds(txs, int, cutoff);
  txs.sort((x, y) => (x.occurred_at < y.occurred_at ? -1 : x.occurred_at > y.occurred_at ? 1 : 0));
  // The card's statements are paid by transfers posted at seeding time (a transfer takes no occurred_at), so a
  // year of card spending has to fit under the limit until then: a longer span gets a higher limit.
  const accounts =
    days > DEFAULT_DAYS ? { ...DEMO_ACCOUNTS, credit: { ...DEMO_ACCOUNTS.credit, credit_limit: YEAR_CREDIT_LIMIT } } : DEMO_ACCOUNTS;
  const balances = settle(txs, accounts);

  const months = [...new Set(txs.map((t) => monthKey(Date.parse(t.occurred_at))))];
  const transfers = months.map((m) => ({
    from: "checking",
    to: "savings",
    amount: 500 * DOLLARS,
    mode: "immediate",
    description: `Monthly savings — ${monthName(m)}`,
  }));
  for (const m of months.slice(0, -1)) {
    const statement = -txs.filter((t) => t.account === "credit" && t.occurred_at.startsWith(m)).reduce((s, t) => s + signed(t), 0);
    if (statement > 0)
      transfers.push({
        from: "checking",
        to: "credit",
        amount: statement,
        mode: "immediate",
        description: `Credit card payment — ${monthName(m)} statement`,
      });
  }
  transfers.push({ from: "checking", to: "savings", amount: 250 * DOLLARS, mode: "pending", description: "Vacation fund (pending)" });
  for (const t of transfers) {
    balances[t.from] -= t.amount;
    if (t.mode === "immediate") balances[t.to] += t.amount;
    if (balances[t.from] < floorOf(t.from, accounts))
      throw new Error(`demo plan: ${t.from} would go below its floor on "${t.description}"`);
  }
  return {
    seed,
    day: new Date(today).toISOString().slice(0, 10),
    accounts,
    budgets: DEMO_BUDGETS,
    transactions: txs,
    transfers,
    balances,
  };
}

/** A few purchases come back: full refunds and one partial, 3 to 9 days later. */
function addRefunds(txs, int, cutoff) {
  const candidates = txs.filter((t) => t.kind === "purchase" && (t.category === "shopping" || t.category === "groceries"));
  const used = new Set();
  for (let i = 0; i < 3 && used.size < candidates.length; i++) {
    let idx = int(0, candidates.length - 1);
    while (used.has(idx)) idx = (idx + 1) % candidates.length;
    used.add(idx);
    const orig = candidates[idx];
    const t = Date.parse(orig.occurred_at) + int(3, 9) * DAY;
    if (t > cutoff) continue;
    const amount = i === 1 ? Math.max(1, Math.round(orig.amount * 0.4)) : orig.amount;
    txs.push({
      account: orig.account,
      kind: "refund",
      amount,
      merchant: orig.merchant,
      category: orig.category,
      description: `${orig.merchant} refund${i === 1 ? " (partial)" : ""}`,
      occurred_at: new Date(t).toISOString(),
    });
  }
}

const signed = (t) => (t.kind === "deposit" || t.kind === "refund" || t.kind === "interest" ? t.amount : -t.amount);
const floorOf = (account, accounts) => (account === "credit" ? -accounts.credit.credit_limit : 0);

/** Replay the plan in order: fill in interest from the running balance and prove no floor is crossed. */
function settle(txs, accounts) {
  const balances = { checking: 0, savings: 0, credit: 0 };
  for (const t of txs) {
    if (t.kind === "interest") t.amount = Math.max(1, Math.round((balances[t.account] * 415) / 120_000));
    balances[t.account] += signed(t);
    if (balances[t.account] < floorOf(t.account, accounts))
      throw new Error(`demo plan: ${t.account} would go below its floor at ${t.occurred_at}`);
  }
  return balances;
}
