/**
 * What the account decider knows: the account itself, and the reads a
 * decision may need (one entry, one transfer, a budget and its spending).
 * The Durable Object answers the reads from SQLite; `memoryState` answers them
 * from events folded in memory (the reference the simulation drives).
 */
import type { EntryKind } from "../../events/catalog";
import type { Position } from "../portfolio/positions";
import type { Order } from "../trading/orders";
import type { Budget } from "./budget-rules";
import type { Payment } from "./payment-rules";
import type { Direction } from "./rules";
import type { TransferState } from "./transfer-rules";

/** The descriptive fields an annotation may change; the latest annotation wins. */
export interface Descriptive {
  description: string | null;
  merchant: string | null;
  category: string | null;
  tags: string[];
  notes: string | null;
}

/** A journal entry as decisions see it: its money facts and its effective descriptive fields. */
export interface Entry extends Descriptive {
  entryId: string;
  kind: EntryKind;
  direction: Direction;
  amount: number;
  currency: string;
  counterparty: string;
  occurredAt: string;
  transferId: string | null;
  reversesEntryId: string | null;
  reversesKind: EntryKind | null;
  /** The entry that reversed this one, if any. */
  reversedBy: string | null;
}

/** The request that drives a transfer step, so its reply lands on the request's Idempotency-Key. */
export interface TransferOp {
  key: string;
  name: "create" | "post";
  requestId: string;
}

export interface Transfer extends TransferState {
  userId: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  op: TransferOp | null;
}

export interface BudgetState extends Omit<Budget, "currency"> {
  createdAt: string;
  updatedAt: string;
}

/** An order as the account keeps it: the trading domain's order, when it expires, and its request's fingerprint. */
export interface HeldOrder extends Order {
  /** A `day` order's close (null: gtc, ioc, or a market that never closes). */
  expiresAt: string | null;
  fingerprint: string;
}

/** A position with the P/L its sells realized so far (minor units). */
export interface HeldPosition extends Position {
  realizedPl: number;
}

export interface Reads {
  entry(entryId: string): Entry | null;
  transfer(transferId: string): Transfer | null;
  /** The entry that credited an incoming transfer, if it was received. */
  received(transferId: string): string | null;
  budget(category: string): BudgetState | null;
  budgetCount(): number;
  /** Signed spend (src/domain/spending.ts) with this effective category and event time in [start, end). */
  spent(category: string, start: string, end: string): number;
  /** Whether this threshold (basis points) already fired in the period. */
  alerted(category: string, periodStart: string, thresholdBp: number): boolean;
  order(orderId: string): HeldOrder | null;
  orderByClientId(clientOrderId: string): HeldOrder | null;
  /** Whether this fill id was applied already (fills are idempotent by it). */
  hasFill(fillId: string): boolean;
  /** The position in a symbol (an empty one when nothing is held). */
  position(symbol: string): HeldPosition;
  /** Shares promised to open sell orders of a symbol (QTY_SCALE), so two sells never sell one share twice. */
  reservedSellQty(symbol: string): number;
  payment(paymentId: string): Payment | null;
}

/** Clock and ids, passed in so decisions are pure and replayable. */
export interface DecideContext {
  now: string;
  /** Minor units of the account's currency (2 for USD). */
  minorUnits?: number;
  newEntryId(): string;
  newTransferId(): string;
  reads: Reads;
  /** How far back occurred_at may go, in days (90 unless a local environment raised it). */
  backdateDays?: number;
}
