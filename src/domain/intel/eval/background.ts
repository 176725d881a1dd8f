/**
 * A synthetic user's normal life: a profile (UTC offset, activity rate, 7–12
 * merchants with Zipf-like weights and their own typical amounts, 1–3 monthly
 * subscriptions, a weekday coffee habit for about a quarter of users) and
 * SET_DAYS days of it: Poisson-many debits a day at hours drawn from a daytime
 * profile (night hours 0.1 % each), log-normal amounts (σ = 0.3) around the
 * merchant's typical amount, a one-off shop for 3 % of purchases, subscription
 * charges on their day of the month, and two paydays a month (credits).
 */
import { addTx, DAY_MS, EVAL_FROM_DAY, type Merchant, type Profile, SET_DAYS, SET_START, type UserBuild, localAt } from "./context";
import { between, chance, intIn, normal, poisson, type Rng, unit, weighted } from "./random";

const CATALOG: readonly Merchant[] = [
  { raw: "SAFEWAY #1234", category: "groceries", base: 6_500 },
  { raw: "TRADER JOES #552", category: "groceries", base: 4_800 },
  { raw: "WHOLEFDS MKT 10233", category: "groceries", base: 7_200 },
  { raw: "KROGER #331", category: "groceries", base: 5_600 },
  { raw: "TST* SUSHI ZEN", category: "dining", base: 3_800 },
  { raw: "CHIPOTLE 2231", category: "dining", base: 1_400 },
  { raw: "SQ *TACO TRUCK", category: "dining", base: 1_100 },
  { raw: "PANERA BREAD #601", category: "dining", base: 1_500 },
  { raw: "DOORDASH*PIZZA", category: "dining", base: 2_900 },
  { raw: "UBER *TRIP", category: "transport", base: 2_200 },
  { raw: "SHELL OIL 5744", category: "transport", base: 4_500 },
  { raw: "LYFT *RIDE", category: "transport", base: 1_900 },
  { raw: "AMZN Mktp US*2K4", category: "shopping", base: 3_500 },
  { raw: "TARGET 00012", category: "shopping", base: 5_200 },
  { raw: "PAYPAL *ETSY", category: "shopping", base: 2_800 },
  { raw: "CVS/PHARMACY #0912", category: "health", base: 2_100 },
  { raw: "AMC THEATRES", category: "entertainment", base: 3_200 },
  { raw: "BARNES NOBLE 2290", category: "entertainment", base: 2_400 },
];

const SUBSCRIPTIONS = [
  { raw: "NETFLIX.COM", amount: 1_549 },
  { raw: "SPOTIFY USA", amount: 1_099 },
  { raw: "APPLE.COM/BILL", amount: 299 },
  { raw: "PLANET FITNESS", amount: 2_499 },
] as const;

const ONE_OFF_WORDS = ["MAPLE", "CEDAR", "HARBOR", "SUMMIT", "ORCHID", "BIRCH", "COPPER", "ELM", "WILLOW", "LARK", "FERN", "IVY"];
const ONE_OFF_KINDS = ["BOUTIQUE", "GIFTS", "HARDWARE", "BAKERY", "FLORIST", "BOOKS"];

/** Relative weights of the local hours 0–23: daytime habits, night hours rare. */
export const HOUR_WEIGHTS = [0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.1, 0.8, 1, 1, 1, 1.5, 2, 1.5, 1, 1, 1.2, 2, 2.5, 2.5, 2, 1.2, 0.5, 0.2];

export const drawAmount = (rng: Rng, base: number): number => base * Math.exp(0.3 * normal(rng));
export const drawMinute = (rng: Rng): number => intIn(rng, 0, 59);

export function makeProfile(rng: Rng, index: number): Profile {
  const shuffled = CATALOG.map((m) => ({ m, k: unit(rng) }));
  shuffled.sort((a, b) => a.k - b.k);
  const merchants = shuffled.slice(0, intIn(rng, 7, 12)).map(({ m }, rank) => ({
    merchant: { ...m, base: Math.round(m.base * between(rng, 0.7, 1.4)) },
    weight: 1 / (rank + 1) ** 0.8,
  }));
  const subs = SUBSCRIPTIONS.map((s) => ({ s, k: unit(rng) })).sort((a, b) => a.k - b.k);
  return {
    user_id: `usr_eval_${String(index).padStart(3, "0")}`,
    offset: intIn(rng, -8, 2),
    rate: between(rng, 1.2, 3.2),
    merchants,
    subscriptions: subs.slice(0, intIn(rng, 1, 3)).map(({ s }) => ({
      raw: s.raw,
      amount: s.amount,
      dayOfMonth: intIn(rng, 1, 28),
      localHour: weighted(rng, HOUR_WEIGHTS),
    })),
    coffee: chance(rng, 0.25) ? intIn(rng, 450, 650) : null,
  };
}

/** Days (set day indexes) a subscription charges on. */
export const chargeDays = (dayOfMonth: number): number[] =>
  Array.from({ length: SET_DAYS }, (_, d) => d).filter((d) => new Date(SET_START + d * DAY_MS).getUTCDate() === dayOfMonth);

/** The background days; subscription charges from the scored window on are labelled `subscription_charge`. */
export function addBackground(b: UserBuild, subscriptionAmount: (sub: number, day: number) => number): void {
  const { profile: p, rng } = b;
  let oneOffs = intIn(rng, 0, ONE_OFF_WORDS.length * ONE_OFF_KINDS.length - 1);
  const weights = p.merchants.map((m) => m.weight);
  for (let d = 0; d < SET_DAYS; d++) {
    const dom = new Date(SET_START + d * DAY_MS).getUTCDate();
    const weekday = new Date(SET_START + d * DAY_MS).getUTCDay();
    for (let n = poisson(rng, p.rate); n > 0; n--) {
      const at = localAt(p, d, weighted(rng, HOUR_WEIGHTS), drawMinute(rng));
      if (chance(rng, 0.03)) {
        const i = oneOffs++;
        const raw = `${ONE_OFF_WORDS[i % ONE_OFF_WORDS.length]} ${ONE_OFF_KINDS[Math.floor(i / ONE_OFF_WORDS.length) % ONE_OFF_KINDS.length]}`;
        addTx(b, at, drawAmount(rng, 3_000), { raw, category: "shopping" });
      } else {
        const m = p.merchants[weighted(rng, weights)]!.merchant;
        addTx(b, at, drawAmount(rng, m.base), m);
      }
    }
    if (p.coffee !== null && weekday >= 1 && weekday <= 5)
      addTx(b, localAt(p, d, 8, Math.round(35 * normal(rng))), p.coffee, { raw: "STARBUCKS STORE 0442", category: "coffee" });
    p.subscriptions.forEach((s, i) => {
      if (dom !== s.dayOfMonth) return;
      const label = d >= EVAL_FROM_DAY ? { kind: "subscription_charge", expected: [] } : undefined;
      addTx(b, localAt(p, d, s.localHour, 5), subscriptionAmount(i, d), { raw: s.raw, category: "subscriptions" }, label);
    });
    if (dom === 1 || dom === 15)
      addTx(b, localAt(p, d, 9), 250_000, { raw: "ACME PAYROLL", category: "income" }, undefined, { direction: "credit", kind: "deposit" });
  }
}
