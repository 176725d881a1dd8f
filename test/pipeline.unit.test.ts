/** The pipeline's pure core: enrichment, normalization, aggregation, Bronze layout, read-side rules, reconciliation. */
import { describe, expect, it } from "vitest";
import { aggregate, GoldAccumulator } from "../src/pipeline/aggregate";
import { bronzeInstant, bronzeKey, dayOfBronzeKey, parseNdjson, planBronzeObjects, safeJson } from "../src/pipeline/bronze-layout";
import { cleanMerchant, compileRules, enrichTransaction, type MerchantRule } from "../src/pipeline/enrich";
import { normalizeEvent, type SilverEvent } from "../src/pipeline/normalize";
import { closingDays, journalEvent, SilverCoverage } from "../src/pipeline/reconcile";
import { diffDays, diffFlows, diffSpending } from "../src/pipeline/reconcile-diff";
import { denseDays, summarizeMonths } from "../src/pipeline/summary";
import { isDay, lastDayOfMonth, monthsBetween, toUtcIso } from "../src/pipeline/time";
import { EventFactory, shuffle } from "./helpers/events";

const rules = compileRules([
  { id: "r2", priority: 20, field: "merchant", pattern: "coffee", merchant: null, category: "dining" },
  { id: "r1", priority: 10, field: "merchant", pattern: "^(amzn|amazon)(\\s*mktp)?\\b", merchant: "Amazon", category: "shopping" },
  { id: "r3", priority: 30, field: "description", pattern: "\\brent\\b", merchant: null, category: "housing" },
  { id: "bad", priority: 5, field: "merchant", pattern: "([unclosed", merchant: "Never", category: "never" },
] satisfies MerchantRule[]);

describe("enrichment", () => {
  it("normalizes merchants by the first matching rule, else by a generic clean-up", () => {
    expect(enrichTransaction({ merchant: "AMZN Mktp US*2K3LL", description: null, category: null }, rules)).toEqual({
      merchant_normalized: "Amazon",
      category: "shopping",
      category_source: "rule",
    });
    expect(cleanMerchant("SQ *BLUE BOTTLE COFFEE #12")).toBe("Blue Bottle Coffee");
    expect(cleanMerchant("STARBUCKS STORE 01234")).toBe("Starbucks Store");
    expect(cleanMerchant("   ")).toBe(null);
    expect(cleanMerchant(null)).toBe(null);
  });

  it("lets the event's own category win, and falls back to uncategorized", () => {
    expect(enrichTransaction({ merchant: "AMZN Mktp", description: null, category: " Gifts " }, rules)).toMatchObject({
      category: "gifts",
      category_source: "event",
      merchant_normalized: "Amazon",
    });
    expect(enrichTransaction({ merchant: "Joe's", description: "monthly RENT", category: null }, rules)).toMatchObject({
      category: "housing",
      category_source: "rule",
    });
    expect(enrichTransaction({ merchant: "Nowhere", description: null, category: null }, rules)).toMatchObject({
      category: "uncategorized",
      category_source: "default",
    });
  });

  it("skips a rule whose pattern does not compile and honours priority over list order", () => {
    expect(rules.map((r) => r.id)).toEqual(["r1", "r2", "r3"]);
  });
});

describe("normalization", () => {
  it("moves timestamps to UTC and derives the event day and month", () => {
    const f = new EventFactory();
    const e = f.tx(f.account(), "purchase", 100, { at: "2026-01-31T22:30:00-03:00" });
    const r = normalizeEvent(e, rules);
    expect(r.ok && r.event).toMatchObject({ occurred_at: "2026-02-01T01:30:00.000Z", event_date: "2026-02-01", month: "2026-02" });
  });

  it("rejects unknown types and versions, bad money and unknown currencies with a reason", () => {
    const f = new EventFactory();
    const a = f.account();
    const e = f.tx(a, "deposit", 100);
    expect(normalizeEvent({ ...e, type: "nope" }, rules)).toEqual({ ok: false, reason: 'unknown event type "nope"' });
    expect(normalizeEvent({ ...e, version: 2 }, rules)).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown version 2/) });
    expect(normalizeEvent({ ...e, payload: { ...e.payload, amount: 0 } }, rules)).toMatchObject({ ok: false });
    expect(normalizeEvent({ ...e, payload: { ...e.payload, amount: -5 } }, rules)).toMatchObject({ ok: false });
    expect(normalizeEvent({ ...e, payload: { ...e.payload, currency: "ZZZ" } }, rules)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/ZZZ/),
    });
    expect(normalizeEvent(null, rules)).toMatchObject({ ok: false });
    expect(normalizeEvent({ ...e, payload: { ...e.payload, kind: "reversal", reverses_kind: null } }, rules)).toMatchObject({ ok: false });
  });
});

function silver(events: unknown[]): SilverEvent[] {
  return events.map((e) => {
    const r = normalizeEvent(e, rules);
    if (!r.ok) throw new Error(r.reason);
    return r.event;
  });
}

describe("aggregation", () => {
  it("is the same for every order of the same events", () => {
    const f = new EventFactory();
    const a = f.account();
    const buy = f.tx(a, "purchase", 700, { merchant: "AMZN Mktp" });
    const events = silver([
      f.tx(a, "deposit", 5_000),
      buy,
      f.tx(a, "refund", 200, { merchant: "Coffee Bar" }),
      f.reversal(a, buy),
      f.tx(a, "fee", 3),
    ]);
    const canonical = (d: ReturnType<typeof aggregate>) =>
      JSON.stringify(Object.fromEntries(Object.entries(d).map(([k, v]) => [k, [...v].map((x) => JSON.stringify(x)).sort()])));
    const expected = canonical(aggregate(events));
    for (let seed = 1; seed <= 25; seed++) expect(canonical(aggregate(shuffle(events, seed)))).toBe(expected);
  });

  it("folds reversals into what they reverse: purchases out, refunds back in", () => {
    const f = new EventFactory();
    const a = f.account();
    const buy = f.tx(a, "purchase", 700, { merchant: "AMZN Mktp" });
    const ref = f.tx(a, "refund", 200, { merchant: "AMZN Mktp" });
    const d = aggregate(silver([buy, ref, f.reversal(a, buy), f.reversal(a, ref)]));
    expect(d.spending.find((s) => s.dimension === "category")).toMatchObject({ key: "shopping", purchases: 0, refunds: 0, amount: 0 });
    expect(d.flows.map((x) => [x.kind, x.count, x.amount]).sort()).toEqual([
      ["purchase", 0, 0],
      ["refund", 0, 0],
    ]);
    expect(d.daily[0]).toMatchObject({ inflow: 900, outflow: 900, net: 0, entries: 4 });
    expect(d.platform.map((p) => [p.kind, p.count, p.volume]).sort()).toEqual([
      ["purchase", 1, 700],
      ["refund", 1, 200],
      ["reversal", 2, 900],
    ]);
  });
});

describe("refunds take from spending", () => {
  it("nets a purchase and a smaller refund: spend 7 500, one purchase, one refund", () => {
    const f = new EventFactory();
    const a = f.account();
    const d = aggregate(
      silver([f.tx(a, "purchase", 10_000, { merchant: "AMZN Mktp" }), f.tx(a, "refund", 2_500, { merchant: "AMZN Mktp" })]),
    );
    for (const dimension of ["category", "merchant"] as const) {
      expect(d.spending.filter((s) => s.dimension === dimension)).toEqual([
        expect.objectContaining({ key: dimension === "category" ? "shopping" : "Amazon", purchases: 1, refunds: 1, amount: 7_500 }),
      ]);
    }
  });

  it("counts a refund on its own as negative spend", () => {
    const f = new EventFactory();
    const a = f.account();
    const d = aggregate(silver([f.tx(a, "refund", 1_200, { merchant: "Coffee Bar" })]));
    expect(d.spending.find((s) => s.dimension === "category")).toMatchObject({ key: "dining", purchases: 0, refunds: 1, amount: -1_200 });
  });
});

describe("Bronze layout", () => {
  it("partitions by UTC event date and hour, falling back to delivery time, in delivery order", () => {
    const t = new Date("2026-11-22T14:05:00.000Z");
    const plans = planBronzeObjects([
      { body: { occurred_at: "2026-11-21T23:10:00-02:00" }, timestamp: t },
      { body: "garbage", timestamp: t },
      { body: { occurred_at: "2026-11-22T01:59:59Z", n: 2 }, timestamp: t },
    ]);
    expect(plans.map((p) => [p.dt, p.hr, p.count])).toEqual([
      ["2026-11-22", "01", 2],
      ["2026-11-22", "14", 1],
    ]);
    expect(parseNdjson(plans[0]!.ndjson)).toEqual([
      { occurred_at: "2026-11-21T23:10:00-02:00" },
      { occurred_at: "2026-11-22T01:59:59Z", n: 2 },
    ]);
    expect(bronzeInstant({ occurred_at: "not a date" }, t)).toBe(t.toISOString());
    // An annotation is filed under the entry it annotates, not the day it was made.
    const annotation = {
      type: "transaction_annotated",
      occurred_at: "2026-12-03T09:00:00Z",
      payload: { entry_occurred_at: "2026-11-17T13:00:00Z" },
    };
    expect(bronzeInstant(annotation, t)).toBe("2026-11-17T13:00:00.000Z");
    expect(bronzeInstant({ ...annotation, payload: { entry_occurred_at: "bad" } }, t)).toBe("2026-12-03T09:00:00.000Z");
    const key = bronzeKey("2026-11-22", "01", "ab".repeat(32));
    expect(key).toBe(`bronze/events/dt=2026-11-22/hr=01/${"ab".repeat(16)}.ndjson.gz`);
    expect(dayOfBronzeKey(key)).toBe("2026-11-22");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(safeJson(cyclic)).toBe('"[object Object]"');
    expect(safeJson(undefined)).toBe("null");
  });
});

describe("read-side rules", () => {
  it("summarizes income, expenses and transfers per month and currency", () => {
    expect(
      summarizeMonths([
        { month: "2026-01", currency: "USD", kind: "deposit", amount: 1_000 },
        { month: "2026-01", currency: "USD", kind: "interest", amount: 5 },
        { month: "2026-01", currency: "USD", kind: "purchase", amount: 300 },
        { month: "2026-01", currency: "USD", kind: "refund", amount: 50 },
        { month: "2026-01", currency: "USD", kind: "fee", amount: 2 },
        { month: "2026-01", currency: "USD", kind: "transfer_out", amount: 70 },
      ]),
    ).toEqual([{ month: "2026-01", currency: "USD", income: "1005", expenses: "252", net: "753", transfers_in: "0", transfers_out: "70" }]);
  });

  it("fills quiet days with the previous closing balance", () => {
    const rows = [{ day: "2026-01-02", inflow: 10, outflow: 0, net: 10, entries: 1, closing_balance: 110 }];
    expect(denseDays("2026-01-01", "2026-01-03", 100, rows).map((d) => [d.day, d.closing_balance, d.entries])).toEqual([
      ["2026-01-01", 100, 0],
      ["2026-01-02", 110, 1],
      ["2026-01-03", 110, 0],
    ]);
  });

  it("recomputes a journal's days with the live fold and names each difference by table, key and field", () => {
    const owner = { account_id: "acc_j", user_id: "usr_j" };
    const entry = (
      seq: number,
      kind: string,
      direction: string,
      amount: number,
      occurred_at: string,
      extra: Record<string, unknown> = {},
    ) => ({
      seq,
      entry_id: `txn_${seq}`,
      kind,
      direction,
      amount,
      currency: "USD",
      balance_after: 0,
      description: null,
      merchant: null,
      category: null,
      transfer_id: null,
      reverses_entry_id: null,
      reverses_kind: null,
      occurred_at,
      recorded_at: occurred_at,
      ...extra,
    });
    const acc = new GoldAccumulator();
    for (const e of [
      entry(1, "deposit", "credit", 100, "2026-01-01T10:00:00Z"),
      entry(2, "purchase", "debit", 30, "2026-01-03T10:00:00Z", { merchant: "AMZN Mktp US*1" }),
      entry(3, "reversal", "credit", 30, "2026-01-03T09:00:00+05:00", {
        reverses_entry_id: "txn_2",
        reverses_kind: "purchase",
        merchant: "AMZN Mktp US*1",
      }),
    ])
      acc.add(journalEvent(e, owner, rules)!);
    expect(journalEvent(entry(4, "reversal", "credit", 1, "2026-01-01T10:00:00Z"), owner, rules)).toBeNull(); // Silver refuses it too
    const d = acc.deltas();
    const j = closingDays(d.daily);
    expect(j.map((x) => [x.day, x.net, x.closing_balance])).toEqual([
      ["2026-01-01", 100, 100],
      ["2026-01-03", 0, 100],
    ]);
    expect(d.flows.find((f) => f.kind === "purchase")).toMatchObject({ month: "2026-01", count: 0, amount: 0 });
    expect(d.spending).toContainEqual(expect.objectContaining({ dimension: "merchant", key: "Amazon", purchases: 0, amount: 0 }));
    expect(diffDays("acc_j", j, j)).toEqual([]);
    const gold = j.map((x) => (x.day === "2026-01-03" ? { ...x, outflow: 31 } : x));
    expect(diffDays("acc_j", gold, j)).toEqual([
      { table: "gold_daily_balances", key: { account_id: "acc_j", day: "2026-01-03" }, field: "outflow", gold: 31, journal: 30 },
    ]);
    expect(diffDays("acc_j", j.slice(0, 1), j).map((x) => [x.field, x.gold])).toEqual([
      ["inflow", null],
      ["outflow", null],
      ["net", null],
      ["entries", null],
      ["closing_balance", null],
    ]);
    // Sum tables: an absent row is a row of zeros.
    const flows = d.flows.map(({ account_id, month, kind, count, amount }) => ({ account_id, month, kind, count, amount }));
    expect(
      diffFlows(
        flows.filter((f) => f.count !== 0 || f.amount !== 0),
        flows,
      ),
    ).toEqual([]);
    expect(diffFlows([{ ...flows[0]!, amount: flows[0]!.amount + 5 }], flows.slice(0, 1))).toEqual([
      {
        table: "gold_monthly_flows",
        key: { account_id: "acc_j", month: "2026-01", kind: flows[0]!.kind },
        field: "amount",
        gold: flows[0]!.amount + 5,
        journal: flows[0]!.amount,
      },
    ]);
    expect(diffSpending([], d.spending)).toEqual([]);
  });

  it("tells which journal entries Silver holds from the holes in its event seqs", () => {
    const walk = (c: SilverCoverage, ids: string[]) => ids.map((id) => c.holds(id));
    // Silver holds t1, t2, t4 with a hole between t2 and t4 (t3's event), and nothing after t4.
    const c = new SilverCoverage(
      [
        { after_entry: "t2", before_entry: "t4" },
        { after_entry: "t4", before_entry: null },
      ],
      3,
    );
    expect(walk(c, ["t1", "t2", "t3", "t4", "t5"])).toEqual([true, true, false, true, false]);
    expect([c.held, c.notHeld]).toEqual([3, 2]);
    const leading = new SilverCoverage(
      [
        { after_entry: null, before_entry: "t2" },
        { after_entry: "t2", before_entry: null },
      ],
      1,
    );
    expect(walk(leading, ["t1", "t2", "t3"])).toEqual([false, true, false]);
    expect(walk(new SilverCoverage([], 0), ["t1", "t2"])).toEqual([false, false]);
  });

  it("knows the calendar", () => {
    expect(isDay("2026-02-29")).toBe(false);
    expect(isDay("2028-02-29")).toBe(true);
    expect(lastDayOfMonth("2026-02-10")).toBe("2026-02-28");
    expect(monthsBetween("2025-11-30", "2026-02-01")).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
    expect(toUtcIso("2026-01-01T00:00:00+01:00")).toBe("2025-12-31T23:00:00.000Z");
    expect(toUtcIso("yesterday")).toBe(null);
  });
});
