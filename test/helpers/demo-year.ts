/**
 * A deterministic seeded year of demo activity (seeded PRNG, test/helpers/random.ts)
 * as catalog-valid events for the real pipeline consumer, 2025-12-01 to
 * 2026-11-30: monthly pay, Spotify, Netflix with one price change (15.99 →
 * 17.99 from September), a weekly parking charge, coffee, groceries and
 * shopping at random days and amounts, and three injected anomalies: a coffee
 * far above its usual price and two identical large charges at a new jeweller
 * within the hour. Returns the events and what the generator knows.
 */
import type { AnyEvent } from "../../src/events/catalog";
import { addDays } from "../../src/domain/intel/types";
import { EventFactory, type TestAccount } from "./events";
import { rng } from "./random";

export const YEAR_START = "2025-12-01";
export const YEAR_AS_OF = "2026-11-30";
export const PRICE_CHANGE_FROM = "2026-09";

export interface DemoYear {
  f: EventFactory;
  account: TestAccount;
  events: AnyEvent[];
  /** The injected anomalies' entry ids. */
  anomalies: { coffee: string; jeweller: [string, string] };
  /** November 2026's coffee purchases (minor units), for the cashback rule. */
  novemberCoffee: number[];
}

const entryOf = (e: AnyEvent) => (e.payload as { entry_id: string }).entry_id;

export function demoYear(seed = 20261130): DemoYear {
  const rand = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const f = new EventFactory();
  const account = f.account();
  const events: AnyEvent[] = [f.opened(account, "2025-11-30T08:00:00.000Z")];
  const novemberCoffee: number[] = [];
  const push = (kind: "deposit" | "purchase", amount: number, at: string, merchant: string, category: string) => {
    const e = f.tx(account, kind, amount, { at, merchant, category });
    events.push(e);
    return e;
  };
  const jewellerEntries: string[] = [];
  let coffeeOutlier = "";
  for (let day = YEAR_START; day <= YEAR_AS_OF; day = addDays(day, 1)) {
    const dom = Number(day.slice(8, 10));
    const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (dom === 1) push("deposit", 420_000, `${day}T09:00:00.000Z`, "ACME PAYROLL", "income");
    if (dom === 5) push("purchase", 999, `${day}T07:00:00.000Z`, "SPOTIFY", "entertainment");
    if (dom === 15)
      push("purchase", day.slice(0, 7) >= PRICE_CHANGE_FROM ? 1_799 : 1_599, `${day}T07:00:00.000Z`, "NETFLIX.COM", "entertainment");
    if (dow === 1) push("purchase", 800, `${day}T08:30:00.000Z`, "CITY PARKING", "transport");
    if (rand() < 0.45) {
      const amount = int(450, 495);
      push("purchase", amount, `${day}T08:${String(int(0, 50)).padStart(2, "0")}:00.000Z`, "SQ *BLUE BOTTLE #12", "coffee");
      if (day.startsWith("2026-11")) novemberCoffee.push(amount);
    }
    if (rand() < 0.3)
      push("purchase", int(3_000, 9_000), `${day}T17:${String(int(0, 59)).padStart(2, "0")}:00.000Z`, "Corner Grocer", "groceries");
    if (rand() < 0.15)
      push("purchase", int(2_000, 6_000), `${day}T19:${String(int(0, 59)).padStart(2, "0")}:00.000Z`, "AMZN Mktp US*1", "shopping");
    if (day === "2026-06-10") coffeeOutlier = entryOf(push("purchase", 9_900, `${day}T08:55:00.000Z`, "SQ *BLUE BOTTLE #12", "coffee"));
    if (day === "2026-08-20") {
      jewellerEntries.push(entryOf(push("purchase", 180_000, `${day}T17:10:00.000Z`, "RIVIERA JEWELLERS", "shopping")));
      jewellerEntries.push(entryOf(push("purchase", 180_000, `${day}T17:40:00.000Z`, "RIVIERA JEWELLERS", "shopping")));
    }
  }
  return { f, account, events, anomalies: { coffee: coffeeOutlier, jeweller: [jewellerEntries[0]!, jewellerEntries[1]!] }, novemberCoffee };
}
