/**
 * Deterministic simulation of the account decider (RELIABILITY #6): a seeded
 * random schedule of deposits, spending, reversals, annotations, budgets,
 * two-phase transfers, crashes between the saga's steps, duplicate credit
 * deliveries, expiries and recoveries, driven through the real `decide` and
 * `evolve` (the same ones the AccountDO runs over SQLite). Invariants are
 * checked after every step; a failure names its seed, and the seed replays it.
 */
import { describe, expect, it } from "vitest";
import {
  type AccountCommand,
  type AccountEvent,
  type AccountState,
  decide,
  evolve,
  floorOf,
  INITIAL_STATE,
  memoryReads,
} from "../src/domain/account/index";
import { DomainError } from "../src/domain/errors";
import { rng } from "./helpers/random";

const SEEDS = 10_000;
const STEPS = 80;
const CATEGORIES = ["groceries", "travel", "fun"];

interface World {
  accounts: Map<string, AccountState>;
  /** Money in minus money out through deposits and withdrawals (and their reversals). */
  external: number;
  /** Settlements (posted or voided) per transfer id. */
  resolutions: Map<string, number>;
  clock: number;
  ids: number;
}

const iso = (w: World) => new Date(w.clock).toISOString();

/** Decide on one account and fold the events in; a refusal changes nothing and returns null. */
function run(w: World, accountId: string, command: AccountCommand): AccountEvent[] | null {
  const s = w.accounts.get(accountId) ?? INITIAL_STATE;
  let events: AccountEvent[];
  try {
    events = decide(command, s.account, {
      now: iso(w),
      newEntryId: () => `txn_${w.ids++}`,
      newTransferId: () => `trf_${accountId}_${w.ids++}`,
      reads: memoryReads(s),
    });
  } catch (e) {
    if (e instanceof DomainError) return null;
    throw e;
  }
  w.accounts.set(
    accountId,
    events.reduce((acc, e) => evolve(acc, e, iso(w)), s),
  );
  for (const e of events) {
    if (e.type === "transfer_posted" || e.type === "transfer_voided")
      w.resolutions.set(e.transferId, (w.resolutions.get(e.transferId) ?? 0) + 1);
    if (e.type === "transaction_posted") {
      const kind = e.entry.kind === "reversal" ? e.entry.reversesKind : e.entry.kind;
      const sign = e.entry.direction === "credit" ? 1 : -1;
      if (kind === "deposit" || kind === "withdrawal" || kind === "purchase" || kind === "refund") w.external += sign * e.entry.amount;
    }
  }
  return events;
}

/** The saga's second half for one in-flight transfer: credit at the destination (maybe twice), settle at the source (unless it crashed). */
function finish(w: World, sourceId: string, transferId: string, r: () => number, crashProb: number) {
  const t = w.accounts.get(sourceId)!.transfers.get(transferId)!;
  if (t.phase !== "crediting") return;
  const receive: AccountCommand = {
    type: "receive_transfer",
    transferId,
    fromAccountId: sourceId,
    amount: t.creditAmount!,
    currency: t.currency,
  };
  const credited = run(w, t.toAccountId, receive) !== null;
  if (r() < 0.3) run(w, t.toAccountId, receive); // duplicate delivery: decides nothing
  if (r() < crashProb) return; // the source died before its second transaction; the alarm comes back
  run(w, sourceId, { type: "settle_transfer", transferId, credited });
}

function check(w: World, seed: number, step: number): void {
  const fail = (what: string) => {
    throw new Error(`invariant "${what}" broken at seed ${seed} step ${step}`);
  };
  let posted = 0;
  let inFlight = 0;
  for (const [id, s] of w.accounts) {
    const a = s.account!;
    posted += a.posted;
    if (a.posted - a.pending < floorOf(a)) fail(`floor of ${id}`);
    let held = 0;
    for (const t of s.transfers.values()) {
      if (t.status === "pending") held += t.amount;
      // Credited at the destination but not yet settled at the source: in flight.
      if (t.phase === "crediting" && w.accounts.get(t.toAccountId)!.received.has(t.id)) inFlight += t.creditAmount!;
    }
    if (a.pending !== held) fail(`holds of ${id}`);
    let balance = 0;
    for (const e of s.entries.values()) balance += e.direction === "credit" ? e.amount : -e.amount;
    if (balance !== a.posted) fail(`journal sum of ${id}`);
  }
  if (posted - inFlight !== w.external) fail("conservation");
  for (const n of w.resolutions.values()) if (n !== 1) fail("resolved exactly once");
}

function simulate(seed: number, steps: number): World {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const amount = () => 1 + Math.floor(r() * 5_000);
  const w: World = { accounts: new Map(), external: 0, resolutions: new Map(), clock: Date.parse("2026-03-01T00:00:00.000Z"), ids: 0 };
  const ids = ["a0", "a1", "a2", "a3"];
  for (const [i, id] of ids.entries()) {
    run(w, id, {
      type: "open_account",
      accountId: id,
      userId: "u",
      accountType: i === 3 ? "credit" : "checking",
      currency: "USD",
      name: id,
      creditLimit: 3_000,
    });
  }
  for (let step = 0; step < steps; step++) {
    w.clock += Math.floor(r() * 3_600_000);
    const roll = r();
    const id = pick(ids);
    const s = w.accounts.get(id)!;
    const entries = [...s.entries.values()];
    const pending = [...s.transfers.values()].filter((t) => t.phase === "reserved" && t.status === "pending");
    if (roll < 0.18) run(w, id, { type: "post_transaction", kind: "deposit", amount: amount() });
    else if (roll < 0.24) run(w, id, { type: "post_transaction", kind: "withdrawal", amount: amount() });
    else if (roll < 0.34)
      run(w, id, {
        type: "post_transaction",
        kind: r() < 0.8 ? "purchase" : "refund",
        amount: amount(),
        category: pick(CATEGORIES),
        merchant: "m",
      });
    else if (roll < 0.38 && entries.length) run(w, id, { type: "reverse_transaction", entryId: pick(entries).entryId });
    else if (roll < 0.42 && entries.length)
      run(w, id, { type: "annotate_transaction", entryId: pick(entries).entryId, changes: { category: pick(CATEGORIES), notes: "n" } });
    else if (roll < 0.45)
      run(w, id, { type: "set_budget", category: pick(CATEGORIES), limit: amount(), period: "monthly", alertAt: [0.5, 1] });
    else if (roll < 0.62) {
      const events = run(w, id, {
        type: "place_transfer",
        toAccountId: pick(ids.filter((x) => x !== id)),
        amount: amount(),
        mode: r() < 0.6 ? "immediate" : "pending",
        expiresInSeconds: 3_600 * (1 + Math.floor(r() * 5)),
        destinationAcceptable: true,
        key: `k${step}`,
        requestId: "req",
      });
      const placed = events?.[0];
      if (placed?.type === "transfer_pending" && placed.transfer.phase === "crediting") finish(w, id, placed.transfer.id, r, 0.3);
    } else if (roll < 0.7 && pending.length) {
      const t = pick(pending);
      if (
        run(w, id, {
          type: "begin_transfer_post",
          transferId: t.id,
          amount: r() < 0.5 ? undefined : 1 + Math.floor(r() * t.amount),
          key: `p${step}`,
          requestId: "req",
        })
      ) {
        finish(w, id, t.id, r, 0.3);
      }
    } else if (roll < 0.75 && pending.length) run(w, id, { type: "void_transfer", transferId: pick(pending).id });
    else {
      // The alarm: recover whatever is in flight, expire what is due.
      for (const t of s.transfers.values()) {
        if (t.phase === "crediting") finish(w, id, t.id, r, 0.2);
        else run(w, id, { type: "expire_transfer", transferId: t.id });
      }
    }
    check(w, seed, step);
  }
  // Every alarm eventually runs: nothing stays in flight.
  for (const id of ids) for (const t of w.accounts.get(id)!.transfers.values()) finish(w, id, t.id, r, 0);
  check(w, seed, steps);
  for (const s of w.accounts.values())
    for (const t of s.transfers.values()) if (t.phase === "crediting") throw new Error(`seed ${seed}: ${t.id} stayed in flight`);
  return w;
}

describe("deterministic simulation of the account decider", () => {
  it(`holds every invariant for ${SEEDS.toLocaleString("en")} seeds × ${STEPS} steps`, () => {
    for (let seed = 1; seed <= SEEDS; seed++) simulate(seed, STEPS);
  });

  it("replays a seed to the identical end state", () => {
    const once = simulate(4242, STEPS);
    const again = simulate(4242, STEPS);
    expect([...again.accounts.values()]).toEqual([...once.accounts.values()]);
    expect(again.external).toBe(once.external);
  });

  it("reaches every path it claims: posted, partial and voided transfers, reversals, annotations, budget alerts", () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 200; seed++) {
      for (const s of simulate(seed, STEPS).accounts.values()) {
        for (const t of s.transfers.values())
          seen.add(`transfer ${t.status}${t.postedAmount !== null && t.postedAmount < t.amount ? " partial" : ""}`);
        for (const e of s.entries.values()) {
          if (e.reversedBy) seen.add("reversed");
          if (e.notes) seen.add("annotated");
        }
        if (s.alerts.size) seen.add("budget alert");
      }
    }
    expect([...seen].sort()).toEqual([
      "annotated",
      "budget alert",
      "reversed",
      "transfer pending",
      "transfer posted",
      "transfer posted partial",
      "transfer voided",
    ]);
  });
});
