/**
 * Annotations in the pure pipeline: Silver enriches both sides and dates them
 * by the entry, Gold moves spend between rows, and any order or duplication of
 * successive annotations folds to the Gold of the entry's final values.
 */
import { describe, expect, it } from "vitest";
import type { AnyEvent } from "../src/events/catalog";
import { aggregate, type GoldDeltas } from "../src/pipeline/aggregate";
import { compileRules } from "../src/pipeline/enrich";
import { isAnnotation, normalizeEvent, silverPayload, type SilverEvent } from "../src/pipeline/normalize";
import { AnnotationCoverage, type HeldAnnotation, type JournalEntry } from "../src/pipeline/reconcile";
import { diffSpending } from "../src/pipeline/reconcile-diff";
import { EventFactory, shuffle } from "./helpers/events";

const rules = compileRules([
  { id: "r1", priority: 10, field: "merchant", pattern: "^(amzn|amazon)", merchant: "Amazon", category: "shopping" },
  { id: "r2", priority: 20, field: "description", pattern: "\\bgift\\b", merchant: null, category: "gifts" },
]);

function silver(events: readonly unknown[]): SilverEvent[] {
  return events.map((e) => {
    const r = normalizeEvent(e, rules);
    if (!r.ok) throw new Error(r.reason);
    return r.event;
  });
}

/** Gold rows as sorted JSON with zero sum rows dropped: what the read APIs and reconcile treat as equal. */
function canonical(d: GoldDeltas): Record<string, string[]> {
  const zero = (x: object) => Object.entries(x).every(([, v]) => typeof v !== "number" || v === 0);
  return Object.fromEntries(
    Object.entries(d).map(([k, rows]) => [
      k,
      (rows as object[])
        .filter((r) => k === "transfers" || !zero(r))
        .map((r) => JSON.stringify(r))
        .sort(),
    ]),
  );
}

/** The same entry as the account would post it with its final values: what Gold must equal. */
function postedWith(e: AnyEvent, values: { description?: string | null; merchant?: string | null; category?: string | null }): AnyEvent {
  if (e.type !== "transaction_posted") throw new Error("posted only");
  return { ...e, payload: { ...e.payload, ...values } };
}

describe("Silver normalizes transaction_annotated", () => {
  it("dates it by the annotated entry and enriches previous and new values by the posted-entry rules", () => {
    const f = new EventFactory();
    const a = f.account();
    const buy = f.tx(a, "purchase", 1_000, { at: "2026-03-31T23:30:00-02:00", merchant: "AMZN Mktp US*1" });
    const ann = f.annotate(a, buy, { category: " Home Office ", description: "desk", at: "2026-05-02T10:00:00Z" });
    const [e] = silver([ann]);
    expect(e).toMatchObject({ event_date: "2026-04-01", month: "2026-04", occurred_at: "2026-05-02T10:00:00.000Z" });
    expect(e!.enrichment).toEqual({ merchant_normalized: "Amazon", category: "home office", category_source: "event" });
    expect(e!.previous_enrichment).toEqual({ merchant_normalized: "Amazon", category: "shopping", category_source: "rule" });
    expect(silverPayload(e!)).toMatchObject({
      category: "home office",
      previous: { category: "shopping", merchant: "AMZN Mktp US*1", merchant_normalized: "Amazon" },
    });
  });

  it("refuses an annotation with a bad entry time, amount or currency", () => {
    const f = new EventFactory();
    const a = f.account();
    const ann = f.annotate(a, f.tx(a, "purchase", 100), { category: "x" });
    if (ann.type !== "transaction_annotated") throw new Error("annotated");
    for (const payload of [{ entry_occurred_at: "yesterday" }, { amount: 0 }, { currency: "ZZZ" }, { previous: null }]) {
      expect(normalizeEvent({ ...ann, payload: { ...ann.payload, ...payload } }, rules)).toMatchObject({ ok: false });
    }
  });
});

describe("Gold follows annotations", () => {
  it("moves a purchase's spend and count from the old category to the new one in the entry's month, leaving days and flows", () => {
    const f = new EventFactory();
    const a = f.account();
    const buy = f.tx(a, "purchase", 4_000, { at: "2026-02-10T10:00:00Z", merchant: "Corner Shop", category: "food" });
    const before = aggregate(silver([buy]));
    const after = aggregate(silver([buy, f.annotate(a, buy, { category: "Gifts", merchant: "Corner Shop Ltd" })]));
    expect(after.daily).toEqual(before.daily);
    expect(after.flows).toEqual(before.flows);
    expect(after.platform).toEqual(before.platform);
    const row = (dimension: string, key: string) => after.spending.find((s) => s.dimension === dimension && s.key === key);
    expect(row("category", "food")).toMatchObject({ month: "2026-02", purchases: 0, refunds: 0, amount: 0 });
    expect(row("category", "gifts")).toMatchObject({ month: "2026-02", purchases: 1, refunds: 0, amount: 4_000 });
    expect(row("merchant", "Corner Shop")).toMatchObject({ purchases: 0, amount: 0 });
    expect(row("merchant", "Corner Shop Ltd")).toMatchObject({ purchases: 1, amount: 4_000 });
  });

  it("moves a refund's negative spend and its refund count", () => {
    const f = new EventFactory();
    const a = f.account();
    const refund = f.tx(a, "refund", 2_500, { merchant: "Shop", category: "food" });
    const d = aggregate(silver([refund, f.annotate(a, refund, { category: "travel" })]));
    expect(d.spending.find((s) => s.dimension === "category" && s.key === "travel")).toMatchObject({
      purchases: 0,
      refunds: 1,
      amount: -2_500,
    });
    expect(d.spending.find((s) => s.dimension === "category" && s.key === "food")).toMatchObject({ purchases: 0, refunds: 0, amount: 0 });
    expect(d.spending.filter((s) => s.dimension === "merchant")).toHaveLength(1); // merchant unchanged: no move
  });

  it("A→B then B→C in every order, duplicated, equals the entry posted as C; a description change moves by rule", () => {
    const f = new EventFactory();
    const a = f.account();
    const buy = f.tx(a, "purchase", 1_234, { at: "2026-01-15T10:00:00Z", merchant: "AMZN Mktp", category: "a" });
    const other = f.tx(a, "purchase", 900, { at: "2026-01-16T10:00:00Z", merchant: "Kiosk" });
    const toB = f.annotate(a, buy, { category: "b" });
    const toC = f.annotate(a, buy, { category: "c", merchant: "Bookshop" });
    const toGift = f.annotate(a, other, { description: "a gift" }); // rule r2: uncategorized → gifts
    const events = [buy, other, toB, toC, toGift];
    const expected = canonical(
      aggregate(silver([postedWith(buy, { category: "c", merchant: "Bookshop" }), postedWith(other, { description: "a gift" })])),
    );
    expect(expected.spending!.some((s) => s.includes('"gifts"'))).toBe(true);
    const orders = [events, [...events].reverse(), [toC, toB, buy, toGift, other], [toB, toGift, toC, other, buy]];
    for (let seed = 1; seed <= 30; seed++) orders.push(shuffle(events, seed));
    for (const order of orders) {
      // Silver de-duplicates by event_id before Gold: a duplicate adds nothing.
      const unique = [...new Map(silver([...order, ...order.slice(0, 2)]).map((e) => [e.event_id, e])).values()];
      expect(canonical(aggregate(unique))).toEqual(expected);
    }
  });

  it("keeps a reversed purchase cancelled in the annotated category when the reversal carries the effective values", () => {
    const f = new EventFactory();
    const a = f.account();
    const buy = f.tx(a, "purchase", 700, { merchant: "Shop", category: "a" });
    const ann = f.annotate(a, buy, { category: "b" });
    const reversal = f.reversal(a, postedWith(buy, { category: "b" }));
    const d = aggregate(silver(shuffle([buy, ann, reversal], 3)));
    expect(d.spending.filter((s) => s.amount !== 0 || s.purchases !== 0)).toEqual([]);
  });

  it("leaves non-spending entries and descriptive-only edits out of spending", () => {
    const f = new EventFactory();
    const a = f.account();
    const fee = f.tx(a, "fee", 50, { category: "bank" });
    const buy = f.tx(a, "purchase", 100, { merchant: "Shop", category: "a" });
    const d = aggregate(silver([f.annotate(a, fee, { category: "other" }), f.annotate(a, buy, { notes: "lunch", tags: ["work"] })]));
    expect(d.spending).toEqual([]);
  });
});

describe("reconcile folds annotated journal entries", () => {
  // One purchase recategorized a → b (seq 3) → c (seq 4); the journal row keeps "a" and names the latest annotation.
  const f = new EventFactory();
  const a = f.account();
  const owner = { account_id: a.id, user_id: a.userId };
  f.opened(a);
  const buy = f.tx(a, "purchase", 3_000, { at: "2026-07-04T10:00:00Z", merchant: "Shop", category: "a" });
  const toB = f.annotate(a, buy, { category: "b" });
  const toC = f.annotate(a, buy, { category: "c" });
  if (buy.type !== "transaction_posted") throw new Error("posted");
  const journal: JournalEntry = {
    ...buy.payload,
    seq: buy.seq,
    occurred_at: buy.occurred_at,
    recorded_at: buy.recorded_at,
    annotation: { event_seq: toC.seq, description: null, merchant: "Shop", category: "c" },
  };
  const held = (events: SilverEvent[]): HeldAnnotation[] =>
    events
      .filter(isAnnotation)
      .map((e) => ({ seq: e.seq, entry_id: e.payload.entry_id, previous: e.previous_enrichment, current: e.enrichment }));
  const expectedFrom = (c: AnnotationCoverage) => aggregate(c.events(journal, owner, rules)).spending;

  it("uses the latest annotation's values once Silver holds every event up to it: no drift", () => {
    const inSilver = silver([buy, toB, toC]);
    const c = new AnnotationCoverage(toC.seq + 1, held(inSilver));
    expect(diffSpending(aggregate(inSilver).spending, expectedFrom(c))).toEqual([]);
    expect(c.pending).toBe(0);
    expect(expectedFrom(c).filter((s) => s.dimension === "category")).toEqual([
      expect.objectContaining({ key: "c", purchases: 1, amount: 3_000 }),
    ]);
  });

  it("counts an entry whose latest annotation (or an earlier one) is not in Silver as lag, compared as Gold holds it", () => {
    for (const inSilver of [silver([buy, toB]), silver([buy, toC])]) {
      const firstMissing = inSilver.some((e) => e.seq === toB.seq) ? toC.seq : toB.seq;
      const c = new AnnotationCoverage(firstMissing, held(inSilver));
      expect(diffSpending(aggregate(inSilver).spending, expectedFrom(c))).toEqual([]);
      expect(c.pending).toBe(1);
    }
  });

  it("reports drift when Gold missed an annotation Silver holds", () => {
    const c = new AnnotationCoverage(toC.seq + 1, held(silver([buy, toB, toC])));
    const drift = diffSpending(aggregate(silver([buy])).spending, expectedFrom(c));
    expect(drift.map((d) => [d.key.dimension, d.key.key, d.field, d.gold, d.journal])).toContainEqual([
      "category",
      "c",
      "amount",
      null,
      3_000,
    ]);
  });
});
