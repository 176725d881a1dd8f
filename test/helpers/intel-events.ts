/**
 * A hand-built half year of one user's activity for the intelligence API
 * tests, as catalog-valid events through the real pipeline consumer: monthly
 * pay, a Netflix subscription whose price goes up (two agreeing charges on
 * Oct 15 and Nov 15), Spotify, and a few one-off purchases. Judged as of AS_OF.
 */
import type { AnyEvent } from "../../src/events/catalog";
import { EventFactory, type TestAccount } from "./events";
import { deliverEvents, tokenFor } from "./pipeline";

export const AS_OF = "2026-11-20";
const MONTHS = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"];

export interface SeededUser {
  f: EventFactory;
  account: TestAccount;
  token: string;
  events: AnyEvent[];
}

export async function seedIntelUser(): Promise<SeededUser> {
  const f = new EventFactory();
  const account = f.account();
  const events: AnyEvent[] = [f.opened(account, "2026-05-30T08:00:00.000Z")];
  for (const m of MONTHS) {
    events.push(f.tx(account, "deposit", 250_000, { at: `${m}-01T09:00:00.000Z`, merchant: "ACME PAYROLL", category: "income" }));
    events.push(f.tx(account, "purchase", 999, { at: `${m}-05T07:00:00.000Z`, merchant: "SPOTIFY", category: "entertainment" }));
    const netflix = m >= "2026-10" ? 1_799 : 1_599;
    events.push(f.tx(account, "purchase", netflix, { at: `${m}-15T07:00:00.000Z`, merchant: "NETFLIX.COM", category: "entertainment" }));
    events.push(
      f.tx(account, "purchase", 4_000 + MONTHS.indexOf(m) * 700, {
        at: `${m}-20T18:00:00.000Z`,
        merchant: "Corner Grocer",
        category: "groceries",
      }),
    );
  }
  await deliverEvents(events);
  return { f, account, token: await tokenFor(f.userId), events };
}
