/**
 * Gold cashback (`gold_cashback`) kept by the live EVENTS consumer, against
 * the real D1: purchases earn, a refund and a reversal take back, the cap
 * crossing earns the fallback in order of event time whatever the arrival
 * order, a quarterly cap consumed by an entry that arrives late recomputes the
 * later month, an annotation moving a purchase to another category moves its
 * cashback, and redeliveries never double anything.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertCashbackRule, type StoredCashbackRule } from "../src/db/intel/cashback-rules";
import { EventFactory, type TestAccount } from "./helpers/events";
import { deliverEvents, rows } from "./helpers/pipeline";

let n = 0;
async function rule(a: TestAccount, over: Partial<StoredCashbackRule>): Promise<string> {
  const r: StoredCashbackRule = {
    id: `cbr_gold${String(++n).padStart(4, "0")}`,
    user_id: a.userId,
    account_id: a.id,
    name: `rule ${n}`,
    scope: "all",
    scope_value: null,
    rate_bps: 100,
    cap: null,
    cap_period: "month",
    fallback_bps: 0,
    valid_from: "2026-01-01",
    valid_to: null,
    rotating: {},
    created_at: `2026-01-01T00:00:0${n % 10}.000Z`,
    ...over,
  };
  expect(await insertCashbackRule(env.DB, r)).toBe(true);
  return r.id;
}

const gold = (userId: string) =>
  rows<Record<string, unknown>>(
    "SELECT month, rule_id, currency, account_id, purchases, earned, reversed, net FROM gold_cashback WHERE user_id = ?1 ORDER BY month, rule_id",
    userId,
  );

describe("gold cashback", () => {
  it("purchase, refund, reversal and the cap crossing, in event-time order whatever the arrival order; redelivery changes nothing", async () => {
    const f = new EventFactory();
    const a = f.account();
    const coffee = await rule(a, { scope: "merchant", scope_value: "blue-bottle", rate_bps: 500, cap: 60, fallback_bps: 100 });
    const base = await rule(a, {});
    await deliverEvents([f.opened(a), f.tx(a, "deposit", 1_000_000, { at: "2026-11-01T09:00:00.000Z" })]);
    const first = f.tx(a, "purchase", 1_000, { merchant: "SQ *BLUE BOTTLE #12", at: "2026-11-02T08:00:00.000Z" }); // 50
    const second = f.tx(a, "purchase", 2_000, { merchant: "SQ *BLUE BOTTLE #12", at: "2026-11-03T08:00:00.000Z" }); // 10 + 1 % of 1,800
    const big = f.tx(a, "purchase", 20_000, { merchant: "AMZN Mktp US*1", at: "2026-11-04T08:00:00.000Z" }); // 200
    const refund = f.tx(a, "refund", 5_000, { merchant: "AMZN Mktp US*1", at: "2026-11-05T08:00:00.000Z" }); // −50
    // The later coffee arrives first: the cap still goes to the earlier one.
    await deliverEvents([second]);
    expect(await gold(f.userId)).toEqual([
      { month: "2026-11", rule_id: coffee, currency: "USD", account_id: a.id, purchases: 1, earned: 60 + 8, reversed: 0, net: 68 },
    ]);
    await deliverEvents([first, big, refund]);
    const expected = [
      { month: "2026-11", rule_id: coffee, currency: "USD", account_id: a.id, purchases: 2, earned: 50 + 28, reversed: 0, net: 78 },
      { month: "2026-11", rule_id: base, currency: "USD", account_id: a.id, purchases: 1, earned: 200, reversed: 50, net: 150 },
    ].sort((x, y) => x.rule_id.localeCompare(y.rule_id));
    expect(await gold(f.userId)).toEqual(expected);

    // Reversing the first coffee cancels exactly the 50 it earned (its cap share stays consumed).
    const reversal = f.reversal(a, first);
    await deliverEvents([reversal]);
    const reversed = expected.map((r) => (r.rule_id === coffee ? { ...r, reversed: 50, net: 28 } : r));
    expect(await gold(f.userId)).toEqual(reversed);

    // Redeliveries of every batch, in any order and as a retried delivery: nothing doubles.
    await deliverEvents([reversal, first, big, refund, second], { attempts: 2 });
    await deliverEvents([second, second]);
    expect(await gold(f.userId)).toEqual(reversed);
  });

  it("a quarterly cap consumed by a late-arriving earlier entry recomputes the later month; an annotation moves cashback", async () => {
    const f = new EventFactory();
    const a = f.account();
    const dining = await rule(a, { scope: "category", scope_value: "dining", rate_bps: 500, cap: 100, cap_period: "quarter" });
    const nov = f.tx(a, "purchase", 2_000, { merchant: "Cafe Luna", category: "dining", at: "2026-11-10T12:00:00.000Z" });
    await deliverEvents([f.opened(a, "2026-10-01T08:00:00.000Z"), nov]);
    expect((await gold(f.userId)).map((r) => [r.month, r.earned])).toEqual([["2026-11", 100]]);
    // October's dinner lands after November was computed: it takes 75 of the quarter's cap first.
    const oct = f.tx(a, "purchase", 1_500, { merchant: "Cafe Luna", category: "dining", at: "2026-10-20T12:00:00.000Z" });
    await deliverEvents([oct]);
    expect((await gold(f.userId)).map((r) => [r.month, r.rule_id, r.earned])).toEqual([
      ["2026-10", dining, 75],
      ["2026-11", dining, 25],
    ]);
    // The user moves October's dinner to groceries: it earns nothing, and November gets the whole cap back.
    await deliverEvents([f.annotate(a, oct, { category: "groceries", at: "2026-11-20T09:00:00.000Z" })]);
    expect((await gold(f.userId)).map((r) => [r.month, r.earned])).toEqual([["2026-11", 100]]);
  });

  it("a user without rules gets no rows", async () => {
    const f = new EventFactory();
    const a = f.account();
    await deliverEvents([f.opened(a), f.tx(a, "purchase", 5_000, { merchant: "Cafe Luna" })]);
    expect(await gold(f.userId)).toEqual([]);
  });
});
