/**
 * Test factory for catalog-valid event envelopes, shaped like the AccountDO's
 * outbox: per-account gap-free seq, running balance_after, back-valued
 * reversals, transfer lifecycle events at the source account, annotations
 * that carry the entry's effective values before and after (latest wins).
 */
import type { AnyEvent, EntryKind } from "../../src/events/catalog";
import { randomToken } from "../../src/domain/ids";

export interface TestAccount {
  id: string;
  userId: string;
  currency: string;
  seq: number;
  balance: number;
}

const CREDIT_KINDS = new Set(["deposit", "refund", "interest", "transfer_in"]);

export interface TxOptions {
  at?: string;
  merchant?: string | null;
  category?: string | null;
  description?: string | null;
  transferId?: string | null;
}

export interface AnnotationChange {
  description?: string | null;
  merchant?: string | null;
  category?: string | null;
  tags?: string[];
  notes?: string | null;
  /** The annotation's own event time (the entry's month is what Gold uses). */
  at?: string;
}

type Descriptive = { description: string | null; merchant: string | null; category: string | null };

export class EventFactory {
  readonly userId: string;
  /** Each annotated entry's effective descriptive values, as the account tracks them. */
  private readonly effective = new Map<string, Descriptive>();

  constructor(userId = `usr_${randomToken()}`) {
    this.userId = userId;
  }

  account(currency = "USD"): TestAccount {
    return { id: `acc_${randomToken()}`, userId: this.userId, currency, seq: 0, balance: 0 };
  }

  private envelope<T extends AnyEvent["type"]>(acct: TestAccount, type: T, at: string, payload: unknown): AnyEvent {
    acct.seq += 1;
    return {
      event_id: `evt_${randomToken()}`,
      type,
      version: 1,
      occurred_at: at,
      // Recorded as it happened (the account stamps recorded_at at commit); a test of back-dated events sets it itself.
      recorded_at: at,
      account_id: acct.id,
      user_id: acct.userId,
      seq: acct.seq,
      payload,
    } as AnyEvent;
  }

  opened(acct: TestAccount, at = "2026-11-01T08:00:00.000Z"): AnyEvent {
    return this.envelope(acct, "account_opened", at, {
      account_type: "checking",
      currency: acct.currency,
      name: "Everyday",
      credit_limit: 0,
    });
  }

  tx(acct: TestAccount, kind: Exclude<EntryKind, "reversal">, amount: number, o: TxOptions = {}): AnyEvent {
    const direction = CREDIT_KINDS.has(kind) ? "credit" : "debit";
    acct.balance += direction === "credit" ? amount : -amount;
    return this.envelope(acct, "transaction_posted", o.at ?? "2026-11-10T12:00:00.000Z", {
      entry_id: `txn_${randomToken()}`,
      kind,
      direction,
      amount,
      currency: acct.currency,
      balance_after: acct.balance,
      description: o.description ?? null,
      merchant: o.merchant ?? null,
      category: o.category ?? null,
      transfer_id: o.transferId ?? null,
      counterparty: kind === "purchase" || kind === "refund" ? `merchant:${o.merchant ?? "unknown"}` : "external:cash",
      reverses_entry_id: null,
      reverses_kind: null,
    });
  }

  /** Back-valued like the AccountDO's: occurred_at is the original's. */
  reversal(acct: TestAccount, original: AnyEvent): AnyEvent {
    if (original.type !== "transaction_posted") throw new Error("only transactions reverse");
    const o = original.payload;
    const direction = o.direction === "credit" ? "debit" : "credit";
    acct.balance += direction === "credit" ? o.amount : -o.amount;
    return this.envelope(acct, "transaction_posted", original.occurred_at, {
      ...o,
      entry_id: `txn_${randomToken()}`,
      kind: "reversal",
      direction,
      balance_after: acct.balance,
      reverses_entry_id: o.entry_id,
      reverses_kind: o.kind,
    });
  }

  /** A transaction_annotated on `original`; `previous` is the effective values left by earlier annotations. */
  annotate(acct: TestAccount, original: AnyEvent, change: AnnotationChange): AnyEvent {
    if (original.type !== "transaction_posted") throw new Error("only transactions are annotated");
    const o = original.payload;
    const previous = this.effective.get(o.entry_id) ?? { description: o.description, merchant: o.merchant, category: o.category };
    const next: Descriptive = {
      description: change.description !== undefined ? change.description : previous.description,
      merchant: change.merchant !== undefined ? change.merchant : previous.merchant,
      category: change.category !== undefined ? change.category : previous.category,
    };
    this.effective.set(o.entry_id, next);
    return this.envelope(acct, "transaction_annotated", change.at ?? "2026-12-01T10:00:00.000Z", {
      entry_id: o.entry_id,
      kind: o.kind,
      direction: o.direction,
      amount: o.amount,
      currency: o.currency,
      entry_occurred_at: original.occurred_at,
      previous,
      ...next,
      tags: change.tags ?? [],
      notes: change.notes ?? null,
    });
  }

  /** A budget crossing at `at` (default now), in the monthly period that holds it, so it is news when recorded. */
  budgetCrossed(acct: TestAccount, o: { threshold: number; spent: number; limit?: number; category?: string; at?: string }): AnyEvent {
    const at = o.at ?? new Date().toISOString();
    return this.envelope(acct, "budget_threshold_crossed", at, {
      category: o.category ?? "groceries",
      period: "monthly",
      period_start: `${at.slice(0, 7)}-01`,
      threshold: o.threshold,
      spent: o.spent,
      limit: o.limit ?? 10_000,
      currency: acct.currency,
    });
  }

  transferPending(acct: TestAccount, to: string, amount: number, at = "2026-11-12T09:00:00.000Z"): { event: AnyEvent; transferId: string } {
    const transferId = `trf_${acct.id.slice(4)}_${randomToken(12)}`;
    const event = this.envelope(acct, "transfer_pending", at, {
      transfer_id: transferId,
      from_account_id: acct.id,
      to_account_id: to,
      amount,
      currency: acct.currency,
      expires_at: null,
    });
    return { event, transferId };
  }

  transferPosted(acct: TestAccount, transferId: string, amount: number, at = "2026-11-12T09:00:01.000Z"): AnyEvent {
    return this.envelope(acct, "transfer_posted", at, { transfer_id: transferId, amount, released: 0, currency: acct.currency });
  }

  transferVoided(acct: TestAccount, transferId: string, amount: number, at = "2026-11-12T09:00:01.000Z"): AnyEvent {
    return this.envelope(acct, "transfer_voided", at, { transfer_id: transferId, amount, currency: acct.currency, reason: "rejected" });
  }
}

/** Fisher–Yates with a seeded generator, so a failing order reproduces. */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A `portfolio_trade_executed` of one fill that opens (or, selling, closes) the whole position. */
export function tradeEvent(
  a: TestAccount,
  at: string,
  p: { symbol: string; side: "buy" | "sell"; qty: string; price: string; cash: number },
) {
  a.seq += 1;
  return {
    event_id: `evt_${randomToken()}`,
    type: "portfolio_trade_executed",
    version: 1,
    occurred_at: at,
    recorded_at: at,
    account_id: a.id,
    user_id: a.userId,
    seq: a.seq,
    payload: {
      order_id: `ord_${randomToken()}`,
      fill_id: `fill_${randomToken()}`,
      entry_id: `txn_${randomToken()}`,
      ...p,
      realized_pl: 0,
      position_qty: p.qty,
      cost_basis: p.cash,
      order_status: "filled",
      currency: "USD",
    },
  };
}
