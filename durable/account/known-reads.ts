/**
 * The decider's reads with what the caller already knows put in front of the
 * store's queries, so a decision need not read back a row this request just
 * wrote or a lookup whose answer a constraint will check anyway. Methods, not
 * closures, so making one costs nothing measurable.
 */
import type { BudgetState, Entry, HeldOrder, HeldPosition, Payment, Reads, Transfer } from "../../src/domain/account/index";
import { toTransfer, type TransferRow } from "./rows";

export class KnownReads implements Reads {
  constructor(
    private readonly base: Reads,
    private readonly known: { transfer?: { row: TransferRow; fromAccountId: string }; notReceived?: string },
  ) {}

  entry(entryId: string): Entry | null {
    return this.base.entry(entryId);
  }

  transfer(transferId: string): Transfer | null {
    const t = this.known.transfer;
    return t && t.row.id === transferId ? toTransfer(t.row, t.fromAccountId) : this.base.transfer(transferId);
  }

  received(transferId: string): string | null {
    return this.known.notReceived === transferId ? null : this.base.received(transferId);
  }

  budget(category: string): BudgetState | null {
    return this.base.budget(category);
  }

  budgetCount(): number {
    return this.base.budgetCount();
  }

  spent(category: string, start: string, end: string): number {
    return this.base.spent(category, start, end);
  }

  alerted(category: string, periodStart: string, thresholdBp: number): boolean {
    return this.base.alerted(category, periodStart, thresholdBp);
  }

  order(orderId: string): HeldOrder | null {
    return this.base.order(orderId);
  }

  orderByClientId(clientOrderId: string): HeldOrder | null {
    return this.base.orderByClientId(clientOrderId);
  }

  hasFill(fillId: string): boolean {
    return this.base.hasFill(fillId);
  }

  position(symbol: string): HeldPosition {
    return this.base.position(symbol);
  }

  reservedSellQty(symbol: string): number {
    return this.base.reservedSellQty(symbol);
  }

  payment(paymentId: string): Payment | null {
    return this.base.payment(paymentId);
  }
}
