/**
 * Gold semantics through the real consumer: any order and any batching of the
 * same events (duplicates included) gives the same Gold; late events land on
 * their day; reversals cancel their original; transfers are pending until resolved.
 */
import { describe, expect, it } from "vitest";
import type { AnyEvent } from "../src/events/catalog";
import { EventFactory, shuffle } from "./helpers/events";
import { deliverEvents, goldSnapshot, rows } from "./helpers/pipeline";

/** A month of mixed activity on two accounts, with reversals, a late event and transfers. */
function workload(f: EventFactory): AnyEvent[] {
  const a = f.account();
  const b = f.account();
  const out: AnyEvent[] = [f.opened(a), f.opened(b)];
  out.push(f.tx(a, "deposit", 500_000, { at: "2026-04-01T09:00:00.000Z" }));
  for (let d = 2; d <= 20; d++) {
    const at = `2026-04-${String(d).padStart(2, "0")}T12:00:00.000Z`;
    out.push(
      f.tx(a, "purchase", 1_000 + d * 37, {
        at,
        merchant: d % 3 === 0 ? "AMZN Mktp US*X1" : "Whole Foods Market #10",
        category: d % 5 === 0 ? "gifts" : null,
      }),
    );
    if (d % 4 === 0) out.push(f.tx(a, "refund", 300, { at, merchant: "AMZN Mktp US*R9" }));
    if (d % 6 === 0) out.push(f.tx(a, "fee", 150, { at }));
  }
  const buy = f.tx(a, "purchase", 9_999, { at: "2026-04-21T15:00:00.000Z", merchant: "Shell Oil 123" });
  out.push(buy, f.reversal(a, buy));
  const refund = f.tx(a, "refund", 2_000, { at: "2026-04-22T15:00:00.000Z", merchant: "Target T-1234" });
  out.push(refund, f.reversal(a, refund));
  const t1 = f.transferPending(a, b.id, 50_000, "2026-04-23T10:00:00.000Z");
  out.push(
    t1.event,
    f.tx(a, "transfer_out", 50_000, { at: "2026-04-23T10:00:01.000Z", transferId: t1.transferId }),
    f.transferPosted(a, t1.transferId, 50_000, "2026-04-23T10:00:01.000Z"),
  );
  out.push(f.tx(b, "transfer_in", 50_000, { at: "2026-04-23T10:00:01.000Z", transferId: t1.transferId }));
  const t2 = f.transferPending(a, b.id, 7_000, "2026-04-24T10:00:00.000Z");
  out.push(t2.event, f.transferVoided(a, t2.transferId, 7_000, "2026-04-24T10:05:00.000Z"));
  const t3 = f.transferPending(a, b.id, 1_234, "2026-04-25T10:00:00.000Z");
  out.push(t3.event);
  out.push(f.tx(b, "interest", 77, { at: "2026-04-30T23:59:59.000Z" }));
  return out;
}

/** The same events for another user: every id rewritten, contents identical. */
let copies = 0;
function relabel(events: AnyEvent[], from: EventFactory, to: EventFactory): { events: AnyEvent[]; back: (s: unknown) => unknown } {
  const ids = new Map<string, string>();
  const tag = `Z${++copies}`;
  const swap = (text: string) =>
    text
      .replace(/(acc|evt|txn|trf)_[0-9a-z_]+/g, (id) => {
        if (!ids.has(id)) ids.set(id, `${id}${tag}`);
        return ids.get(id)!;
      })
      .replaceAll(from.userId, to.userId);
  const relabeled = events.map((e) => JSON.parse(swap(JSON.stringify(e))) as AnyEvent);
  const back = (s: unknown) => JSON.parse(JSON.stringify(s).replaceAll(tag, "").replaceAll(to.userId, from.userId));
  return { events: relabeled, back };
}

async function deliverInBatches(events: AnyEvent[], seed: number): Promise<void> {
  let i = 0;
  let s = seed;
  while (i < events.length) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const size = 1 + (s % 17);
    await deliverEvents(events.slice(i, i + size));
    i += size;
  }
}

describe("Gold is order-independent and duplicate-proof", () => {
  it("gives identical Gold for in-order single delivery and shuffled, re-batched, duplicated delivery", async () => {
    const f1 = new EventFactory();
    const events = workload(f1);
    await deliverEvents(events);
    const expected = await goldSnapshot(f1.userId);

    for (const seed of [7, 42]) {
      const f2 = new EventFactory();
      const { events: copy, back } = relabel(events, f1, f2);
      const noisy = shuffle([...copy, ...shuffle(copy, seed).slice(0, 15)], seed);
      await deliverInBatches(noisy, seed);
      expect(back(await goldSnapshot(f2.userId))).toEqual(expected);
    }
  });

  it("computes the month's figures: reversals cancel, refunds subtract, transfers resolve", async () => {
    const f = new EventFactory();
    await deliverEvents(workload(f));
    const g = await goldSnapshot(f.userId);

    const shell = g.spending.find((s) => s.dimension === "merchant" && s.key === "Shell");
    expect(shell).toMatchObject({ purchases: 0, amount: 0 }); // reversed purchase nets to zero
    const target = g.spending.find((s) => s.dimension === "merchant" && s.key === "Target");
    expect(target).toMatchObject({ refunds: 0, amount: 0 }); // reversed refund adds back

    const purchases = g.flows.filter((x) => x.kind === "purchase").reduce((n, x) => n + (x.amount as number), 0);
    const refunds = g.flows.filter((x) => x.kind === "refund").reduce((n, x) => n + (x.amount as number), 0);
    const spend = g.spending.filter((s) => s.dimension === "category").reduce((n, s) => n + (s.amount as number), 0);
    expect(spend).toBe(purchases - refunds);
    expect(g.spending.find((s) => s.dimension === "category" && s.key === "gifts")).toBeTruthy();
    expect(g.spending.find((s) => s.dimension === "merchant" && s.key === "Amazon")).toBeTruthy();
    expect(g.spending.find((s) => s.dimension === "merchant" && s.key === "Whole Foods")).toMatchObject({ currency: "USD" });

    const statuses = g.transfers.map((t) => `${t.stage}:${t.status}`).sort();
    expect(statuses).toEqual(["pending:pending", "pending:pending", "pending:pending", "resolved:posted", "resolved:voided"]);
    const [pending] = await rows<{ n: number }>(
      `SELECT COALESCE(SUM(p.amount), 0) AS n FROM gold_transfers p WHERE p.user_id = ?1 AND p.stage = 'pending'
       AND NOT EXISTS (SELECT 1 FROM gold_transfers r WHERE r.transfer_id = p.transfer_id AND r.stage = 'resolved')`,
      f.userId,
    );
    expect(pending!.n).toBe(1_234);

    // Closing balances are the running sum, and the last one is the account's balance.
    const accounts = [...new Set(g.daily.map((d) => d.account_id as string))];
    for (const acc of accounts) {
      const days = g.daily.filter((d) => d.account_id === acc);
      let running = 0;
      for (const d of days) {
        running += d.net as number;
        expect(d.closing_balance).toBe(running);
      }
    }
  });

  it("puts a late event on its own day and moves every later closing balance", async () => {
    const f = new EventFactory();
    const a = f.account();
    await deliverEvents([
      f.tx(a, "deposit", 10_000, { at: "2026-05-01T10:00:00.000Z" }),
      f.tx(a, "purchase", 1_000, { at: "2026-05-03T10:00:00.000Z" }),
    ]);
    await deliverEvents([f.tx(a, "purchase", 2_500, { at: "2026-05-05T10:00:00.000Z" })]);
    // Arrives last, happened first-ish.
    await deliverEvents([f.tx(a, "fee", 300, { at: "2026-05-02T10:00:00.000Z" })]);
    const g = await goldSnapshot(f.userId);
    expect(g.daily.map((d) => [d.day, d.net, d.closing_balance])).toEqual([
      ["2026-05-01", 10_000, 10_000],
      ["2026-05-02", -300, 9_700],
      ["2026-05-03", -1_000, 8_700],
      ["2026-05-05", -2_500, 6_200],
    ]);
  });

  it("books a back-valued reversal on the original's day even when it arrives months later", async () => {
    const f = new EventFactory();
    const a = f.account();
    const buy = f.tx(a, "purchase", 4_000, { at: "2026-06-10T10:00:00.000Z", merchant: "Costco Whse #1" });
    await deliverEvents([
      f.tx(a, "deposit", 9_000, { at: "2026-06-01T10:00:00.000Z" }),
      buy,
      f.tx(a, "deposit", 1_000, { at: "2026-08-01T10:00:00.000Z" }),
    ]);
    await deliverEvents([f.reversal(a, buy)]);
    const g = await goldSnapshot(f.userId);
    expect(g.daily.map((d) => [d.day, d.inflow, d.outflow, d.closing_balance])).toEqual([
      ["2026-06-01", 9_000, 0, 9_000],
      ["2026-06-10", 4_000, 4_000, 9_000],
      ["2026-08-01", 1_000, 0, 10_000],
    ]);
    expect(g.spending.filter((s) => s.month === "2026-06").map((s) => [s.dimension, s.key, s.purchases, s.amount])).toEqual([
      ["category", "groceries", 0, 0],
      ["merchant", "Costco", 0, 0],
    ]);
  });

  it("keeps a transfer pending only until its resolution, whichever arrives first", async () => {
    const f = new EventFactory();
    const a = f.account();
    const t = f.transferPending(a, "acc_destination000000000", 3_000);
    const posted = f.transferPosted(a, t.transferId, 3_000);
    await deliverEvents([posted]); // resolution first
    await deliverEvents([t.event]);
    const pendingRows = await rows(
      `SELECT 1 FROM gold_transfers p WHERE p.account_id = ?1 AND p.stage = 'pending'
       AND NOT EXISTS (SELECT 1 FROM gold_transfers r WHERE r.transfer_id = p.transfer_id AND r.stage = 'resolved')`,
      a.id,
    );
    expect(pendingRows).toHaveLength(0);
  });
});

/** Spending rows that are not all zero: a row emptied by a move reads as no spending. */
const nonZeroSpending = (g: Awaited<ReturnType<typeof goldSnapshot>>) =>
  g.spending.filter((s) => s.purchases !== 0 || s.refunds !== 0 || s.amount !== 0);

describe("Gold follows annotations and refunds through the consumer", () => {
  it("A→B then B→C, shuffled, re-batched and duplicated, gives the Gold of the entry posted as C", async () => {
    const run = (f: EventFactory, annotated: boolean): AnyEvent[] => {
      const a = f.account();
      const at = "2026-03-05T10:00:00.000Z";
      const deposit = f.tx(a, "deposit", 50_000, { at });
      if (!annotated)
        return [
          deposit,
          f.tx(a, "purchase", 10_000, { at, merchant: "Book Nook", category: "c" }),
          f.tx(a, "refund", 2_500, { at, merchant: "Book Nook", category: "c" }),
        ];
      const buy = f.tx(a, "purchase", 10_000, { at, merchant: "Corner Shop", category: "a" });
      const refund = f.tx(a, "refund", 2_500, { at, merchant: "Book Nook", category: "a" });
      return [
        deposit,
        buy,
        refund,
        f.annotate(a, buy, { category: "b" }),
        f.annotate(a, buy, { category: "c", merchant: "Book Nook" }),
        f.annotate(a, refund, { category: "c" }),
      ];
    };
    const plain = new EventFactory();
    await deliverEvents(run(plain, false));
    const expected = await goldSnapshot(plain.userId);
    expect(nonZeroSpending(expected).map((s) => [s.dimension, s.key, s.purchases, s.refunds, s.amount])).toEqual([
      ["category", "c", 1, 1, 7_500],
      ["merchant", "Book Nook", 1, 1, 7_500],
    ]);
    // Another user and account each run: compare everything but the ids.
    const strip = (g: typeof expected) => ({
      daily: g.daily.map(({ account_id, user_id, ...d }) => d),
      flows: g.flows.map(({ account_id, user_id, ...x }) => x),
      spending: nonZeroSpending(g).map(({ user_id, ...s }) => s),
      transfers: g.transfers,
    });

    for (const seed of [3, 11, 29]) {
      const f = new EventFactory();
      const events = run(f, true);
      await deliverInBatches(shuffle([...events, ...shuffle(events, seed).slice(0, 3)], seed), seed);
      expect(strip(await goldSnapshot(f.userId))).toEqual(strip(expected));
    }
  });
});
