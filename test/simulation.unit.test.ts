/**
 * Deterministic simulation of the pure ledger core (RELIABILITY #6): a seeded
 * random schedule of deposits, withdrawals, two-phase transfers, crashes
 * between phases, duplicate credit deliveries and recoveries, driven through
 * the same decide functions the AccountDO uses. Invariants are checked after
 * every step; a failure names its seed, and the same seed replays it.
 */
import { describe, expect, it } from "vitest";
import { rng } from "./helpers/random";
import { decideHold, decideMovement, floorOf, type AccountState } from "../src/domain/account";
import { DomainError } from "../src/domain/errors";
import { decidePost, decideVoid, type TransferState } from "../src/domain/transfer";


interface World {
  accounts: AccountState[];
  transfers: TransferState[];
  /** Destination side: transfer ids already credited (the idempotency record). */
  received: Map<string, number>;
  external: number;
  resolutions: Map<string, number>;
}

function attempt(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
  }
}

/** Destination credit, idempotent by transfer id (as AccountDO.creditTransfer). */
function credit(w: World, t: TransferState): void {
  if (w.received.has(t.id)) return;
  const dest = w.accounts.find((a) => a.id === t.toAccountId)!;
  dest.posted = decideMovement(dest, "credit", t.creditAmount!);
  w.received.set(t.id, t.creditAmount!);
}

/** Source finishes a credited transfer: post the debit, release the whole hold. */
function settle(w: World, t: TransferState): void {
  if (t.phase !== "crediting" || !w.received.has(t.id)) return;
  const src = w.accounts.find((a) => a.id === t.fromAccountId)!;
  src.posted -= t.creditAmount!;
  src.pending -= t.amount;
  t.status = "posted";
  t.phase = "settled";
  t.postedAmount = t.creditAmount;
  w.resolutions.set(t.id, (w.resolutions.get(t.id) ?? 0) + 1);
}

/** Plain checks (not `expect`) so thousands of seeds stay fast; a failure names seed and step. */
function checkInvariants(w: World, seed: number, step: number): void {
  const fail = (what: string) => {
    throw new Error(`invariant "${what}" broken at seed ${seed} step ${step}`);
  };
  const posted = w.accounts.reduce((s, a) => s + a.posted, 0);
  // Credited at the destination but not yet posted at the source: the in-flight amount the sources record.
  let inFlight = 0;
  for (const t of w.transfers) if (t.phase === "crediting" && w.received.has(t.id)) inFlight += t.creditAmount!;
  if (posted - inFlight !== w.external) fail("conservation");
  for (const a of w.accounts) {
    if (a.posted - a.pending < floorOf(a)) fail(`floor of ${a.id}`);
    let held = 0;
    for (const t of w.transfers) if (t.fromAccountId === a.id && t.status === "pending") held += t.amount;
    if (a.pending !== held) fail(`holds of ${a.id}`);
  }
  for (const n of w.resolutions.values()) if (n !== 1) fail("resolved exactly once");
}

function simulate(seed: number, steps: number): World {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const amount = () => 1 + Math.floor(r() * 5_000);
  const w: World = {
    accounts: Array.from({ length: 4 }, (_, i) => ({
      id: `a${i}`, userId: "u", type: i === 3 ? "credit" : "checking", currency: "USD", name: "", creditLimit: i === 3 ? 3_000 : 0,
      status: "open", posted: 0, pending: 0,
    })),
    transfers: [], received: new Map(), external: 0, resolutions: new Map(),
  };
  let nextId = 0;
  for (let step = 0; step < steps; step++) {
    const roll = r();
    const a = pick(w.accounts);
    if (roll < 0.2) {
      const x = amount();
      a.posted = decideMovement(a, "credit", x);
      w.external += x;
    } else if (roll < 0.3) {
      const x = amount();
      attempt(() => {
        a.posted = decideMovement(a, "debit", x);
        w.external -= x;
      });
    } else if (roll < 0.55) {
      // Phase 1: hold at the source (immediate or pending).
      const to = pick(w.accounts.filter((b) => b !== a));
      const x = amount();
      attempt(() => {
        decideHold(a, x);
        a.pending += x;
        const immediate = r() < 0.6;
        w.transfers.push({
          id: `t${nextId++}`, fromAccountId: a.id, toAccountId: to.id, amount: x, creditAmount: immediate ? x : null, postedAmount: null,
          currency: "USD", mode: immediate ? "immediate" : "pending", status: "pending", phase: immediate ? "crediting" : "reserved", expiresAt: null,
        });
      });
    } else if (roll < 0.65) {
      const t = w.transfers.find((x) => x.phase === "reserved" && x.status === "pending");
      if (t) attempt(() => {
        t.creditAmount = decidePost(t, r() < 0.5 ? undefined : 1 + Math.floor(r() * t.amount), "2026-01-01T00:00:00.000Z");
        t.phase = "crediting";
      });
    } else if (roll < 0.72) {
      const t = w.transfers.find((x) => x.phase === "reserved" && x.status === "pending");
      if (t) attempt(() => {
        decideVoid(t);
        w.accounts.find((x) => x.id === t.fromAccountId)!.pending -= t.amount;
        t.status = "voided";
        t.phase = "settled";
        w.resolutions.set(t.id, (w.resolutions.get(t.id) ?? 0) + 1);
      });
    } else {
      // Phase 2 for some in-flight transfer: the credit may arrive (or arrive twice),
      // the source may crash before settling; a later step (the alarm) retries.
      const t = pick(w.transfers.filter((x) => x.phase === "crediting").concat([undefined as never]));
      if (t) {
        if (r() < 0.8) credit(w, t);
        if (r() < 0.3) credit(w, t); // duplicate delivery
        if (r() < 0.7) settle(w, t); // else: crash before the source's second transaction
      }
    }
    checkInvariants(w, seed, step);
  }
  // Recovery: every alarm eventually runs; nothing stays in flight.
  for (const t of w.transfers.filter((x) => x.phase === "crediting")) {
    credit(w, t);
    settle(w, t);
  }
  checkInvariants(w, seed, steps);
  if (w.transfers.some((t) => t.phase === "crediting")) throw new Error(`seed ${seed}: a transfer stayed in flight`);
  if (w.accounts.reduce((s, a) => s + a.posted, 0) !== w.external) throw new Error(`seed ${seed}: books do not balance at rest`);
  return w;
}

describe("deterministic simulation of the ledger core", () => {
  it("holds every invariant for 2,000 seeds × 300 steps", () => {
    for (let seed = 1; seed <= 2_000; seed++) simulate(seed, 300);
  });

  it("replays a seed to the identical end state", () => {
    const once = simulate(4242, 300);
    const again = simulate(4242, 300);
    expect(again.accounts).toEqual(once.accounts);
    expect(again.transfers).toEqual(once.transfers);
  });
});
