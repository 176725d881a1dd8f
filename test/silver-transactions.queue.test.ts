/**
 * The typed Silver transactions table through the real EVENTS consumer: each
 * posted entry becomes one row with its merchant entity and two-level
 * category; an annotation changes the effective values (the latest seq wins,
 * in any arrival order) and never the raw texts; a redelivery changes nothing;
 * readUserTransactions returns the user's rows oldest first within a range.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { readUserTransactions } from "../src/db/intel/transactions-read";
import { EventFactory } from "./helpers/events";
import { deliverEvents, rows } from "./helpers/pipeline";

const row = async (entryId: string) =>
  (await rows<Record<string, unknown>>("SELECT * FROM silver_transactions WHERE entry_id = ?1", entryId))[0];

const entryOf = (e: { payload: unknown }) => (e.payload as { entry_id: string }).entry_id;

describe("silver_transactions", () => {
  it("classifies merchants and categories: alias rule, processor prefix, generic rule, the event's own category, the kind", async () => {
    const f = new EventFactory();
    const a = f.account();
    const amazon = f.tx(a, "purchase", 2_599, { merchant: "AMZN Mktp US*2K4L19", at: "2026-10-01T10:00:00.000Z" });
    const square = f.tx(a, "purchase", 450, { merchant: "SQ *BLUE BOTTLE COFFEE #0042", at: "2026-10-02T10:00:00.000Z" });
    const own = f.tx(a, "purchase", 1_000, { merchant: "Corner Shop", category: "Groceries ", at: "2026-10-03T10:00:00.000Z" });
    const salary = f.tx(a, "deposit", 500_000, { description: "ACME PAYROLL", at: "2026-10-04T10:00:00.000Z" });
    const unknown = f.tx(a, "purchase", 700, { merchant: "ZXQ LTD", at: "2026-10-05T10:00:00.000Z" });
    await deliverEvents([f.opened(a), amazon, square, own, salary, unknown]);

    expect(await row(entryOf(amazon))).toMatchObject({
      user_id: f.userId,
      account_id: a.id,
      raw_merchant: "AMZN Mktp US*2K4L19",
      merchant_key: "amazon",
      merchant_name: "Amazon",
      merchant_confidence: 0.95,
      category: "shopping",
      category_primary: "GENERAL_MERCHANDISE",
      category_detailed: "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
      category_source: "rule",
      category_confidence: 0.9,
      amount: 2_599,
      direction: "debit",
      currency: "USD",
      kind: "purchase",
      event_id: amazon.event_id,
      annotation_seq: 0,
    });
    expect(await row(entryOf(square))).toMatchObject({
      merchant_key: "blue-bottle-coffee",
      merchant_name: "Blue Bottle Coffee",
      merchant_confidence: 0.8,
      category: "dining",
      category_detailed: "FOOD_AND_DRINK_RESTAURANT",
      category_confidence: 0.6,
    });
    expect(await row(entryOf(own))).toMatchObject({
      category: "groceries",
      category_primary: "FOOD_AND_DRINK",
      category_source: "user",
      category_confidence: 1,
    });
    expect(await row(entryOf(salary))).toMatchObject({
      merchant_key: "acme-payroll",
      category: "uncategorized",
      category_detailed: "INCOME_OTHER_INCOME",
      category_confidence: 0.5,
    });
    expect(await row(entryOf(unknown))).toMatchObject({
      category_detailed: "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
      category_confidence: 0.1,
    });
  });

  it("an annotation moves the effective merchant and category, keeps the raw text, and the latest seq wins in any order", async () => {
    const f = new EventFactory();
    const a = f.account();
    const buy = f.tx(a, "purchase", 1_250, { merchant: "TST* JOES PIZZA 0031", at: "2026-10-10T19:00:00.000Z" });
    const first = f.annotate(a, buy, { category: "travel" });
    const second = f.annotate(a, buy, { merchant: "Joe's Pizza Downtown", category: "dining" });
    // Out of order: the later annotation first, then the entry, then the earlier annotation, then a redelivery.
    await deliverEvents([f.opened(a), second]);
    expect(await row(entryOf(buy))).toMatchObject({ event_id: null, category: "dining", category_source: "user" });
    await deliverEvents([buy]);
    await deliverEvents([first]);
    await deliverEvents([buy, first, second]);
    expect(await row(entryOf(buy))).toMatchObject({
      event_id: buy.event_id,
      raw_merchant: "TST* JOES PIZZA 0031",
      merchant: "Joe's Pizza Downtown",
      merchant_key: "joe-s-pizza-downtown",
      category: "dining",
      category_detailed: "FOOD_AND_DRINK_RESTAURANT",
      category_source: "user",
      category_confidence: 1,
      annotation_seq: second.seq,
      occurred_at: "2026-10-10T19:00:00.000Z",
    });
    expect((await rows("SELECT 1 FROM silver_transactions WHERE user_id = ?1", f.userId)).length).toBe(1);
  });

  it("readUserTransactions: the user's posted rows in [from, to), oldest first, nobody else's", async () => {
    const f = new EventFactory();
    const other = new EventFactory();
    const a = f.account();
    const b = f.account("EUR");
    const o = other.account();
    const events = [
      f.tx(a, "purchase", 300, { merchant: "Netflix.com", at: "2026-09-30T23:59:59.999Z" }),
      f.tx(b, "purchase", 400, { merchant: "Cafe Luna", at: "2026-10-01T00:00:00.000Z" }),
      f.tx(a, "refund", 100, { merchant: "Netflix.com", at: "2026-10-15T08:00:00.000Z" }),
      f.tx(a, "purchase", 500, { merchant: "Netflix.com", at: "2026-11-01T00:00:00.000Z" }),
      other.tx(o, "purchase", 999, { merchant: "Netflix.com", at: "2026-10-05T00:00:00.000Z" }),
    ];
    await deliverEvents([f.opened(a), f.opened(b), other.opened(o), ...events]);
    const got = await readUserTransactions(env.DB, f.userId, { from: "2026-10-01", to: "2026-11-01" });
    expect(got.map((t) => [t.amount, t.direction, t.currency, t.merchant_key, t.kind])).toEqual([
      [400, "debit", "EUR", "cafe-luna", "purchase"],
      [100, "credit", "USD", "netflix", "refund"],
    ]);
    expect(got[0]).toMatchObject({ id: entryOf(events[1]!), user_id: f.userId, account_id: b.id, occurred_at: "2026-10-01T00:00:00.000Z" });
    expect((await readUserTransactions(env.DB, f.userId)).length).toBe(4);
    expect((await readUserTransactions(env.DB, f.userId, { limit: 2 })).map((t) => t.amount)).toEqual([100, 500]);
    expect(await readUserTransactions(env.DB, "usr_nobody")).toEqual([]);
  });
});
