/**
 * Payments out of the platform, the account's side. `create` takes the hold
 * (Idempotency-Key: a retry answers the first reply) and hands the payment to
 * the `payments` queue; the consumer (queues/payments.ts) drives `begin` and
 * `settle`, each a no-op once the payment is past that step, so duplicate
 * deliveries and a crash between the processor call and the settlement
 * leave one withdrawal or one release. The alarm hands a pending payment to
 * the queue again when the first hand-over was lost.
 */
import { DomainError } from "../../src/domain/errors";
import type { ProcessorOutcome } from "../../src/domain/account/index";
import { fingerprint } from "../../src/domain/idempotency";
import { newPaymentId } from "../../src/domain/ids";
import { type Caller, ok, type Result } from "./api";
import type { AccountExecutor } from "./executor";
import type { PaymentListFilter, PaymentRow } from "./payment-rows";
import type { AccountStore } from "./store";

/** A payments queue message: which account holds the payment. */
export interface PaymentMessage {
  account_id: string;
  payment_id: string;
}

export interface CreatePaymentInput {
  payee_id: string;
  amount: number;
  memo?: string;
}

/** How long a pending payment may wait for its first delivery before the alarm hands it over again. */
export const REDISPATCH_AFTER_MS = 30_000;

export interface PaymentParts {
  store: AccountStore;
  exec: AccountExecutor;
  relay: { committed(): Promise<void> };
  queue(): Queue<PaymentMessage>;
}

export function paymentView(r: PaymentRow, accountId: string) {
  return {
    id: r.id,
    object: "payment" as const,
    account_id: accountId,
    payee_id: r.payee_id,
    amount: r.amount,
    currency: r.currency,
    memo: r.memo,
    status: r.status,
    failure_reason: r.status === "failed" ? r.reason : null,
    entry_id: r.entry_id,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}
export type PaymentView = ReturnType<typeof paymentView>;

export class Payments {
  constructor(private readonly p: PaymentParts) {}

  private get accountId(): string {
    return this.p.store.accountRow()!.id;
  }

  private view(id: string): PaymentView {
    return paymentView(this.p.store.queries.payments.row(id)!, this.accountId);
  }

  async create(caller: Caller, key: string, cmd: CreatePaymentInput): Promise<Result<PaymentView>> {
    const { exec } = this.p;
    let placed: string | undefined;
    const reply = exec.idempotent<PaymentView>(caller, key, fingerprint("payment.create", cmd), (now) => {
      const paymentId = newPaymentId(this.accountId);
      exec.apply({ type: "place_payment", paymentId, payeeId: cmd.payee_id, amount: cmd.amount, memo: cmd.memo }, now);
      placed = paymentId;
      return ok(202, this.view(paymentId));
    })!;
    if (reply.replayed) return reply;
    await this.p.relay.committed();
    if (reply.ok && placed) await this.dispatch(placed);
    return reply;
  }

  /** Hand a pending payment to the queue; a failed send is left to the alarm (redispatch). */
  private async dispatch(paymentId: string): Promise<void> {
    try {
      await this.p.queue().send({ account_id: this.accountId, payment_id: paymentId });
      this.p.store.sql.exec("UPDATE payments SET dispatched_at = ? WHERE id = ?", Date.now(), paymentId);
    } catch (err) {
      console.warn(
        JSON.stringify({ level: "warn", msg: "payment enqueue failed; alarm will retry", payment_id: paymentId, error: String(err) }),
      );
    }
  }

  /** Pending payments whose hand-over was lost or is overdue go to the queue again (the consumer is idempotent). */
  async redispatch(): Promise<void> {
    for (const id of this.p.store.queries.payments.undispatched(Date.now() - REDISPATCH_AFTER_MS, 50)) await this.dispatch(id);
  }

  get(caller: Caller, paymentId: string): Result<PaymentView & { history: ReturnType<AccountStore["queries"]["payments"]["history"]> }> {
    return this.p.exec.guarded(caller, () => {
      this.p.exec.owned(caller.userId);
      if (!this.p.store.queries.payments.row(paymentId)) throw new DomainError("not_found", "Payment not found");
      return ok(200, { ...this.view(paymentId), history: this.p.store.queries.payments.history(paymentId) });
    });
  }

  list(caller: Caller, f: PaymentListFilter): Result<{ data: PaymentView[]; has_more: boolean }> {
    return this.p.exec.guarded(caller, () => {
      const a = this.p.exec.owned(caller.userId);
      const rows = this.p.store.queries.payments.list({ ...f, limit: f.limit + 1 });
      return ok(200, { data: rows.slice(0, f.limit).map((r) => paymentView(r, a.id)), has_more: rows.length > f.limit });
    });
  }

  /** Cancel while pending; canceling a canceled payment answers it again. */
  async cancel(caller: Caller, paymentId: string): Promise<Result<PaymentView>> {
    let wrote = false;
    const reply = this.p.exec.write<PaymentView>(caller, (now) => {
      this.p.exec.owned(caller.userId);
      const row = this.p.store.queries.payments.row(paymentId);
      if (row?.status !== "canceled") wrote = this.p.exec.apply({ type: "cancel_payment", paymentId }, now).events.length > 0;
      return ok(200, this.view(paymentId));
    });
    if (wrote) await this.p.relay.committed();
    return reply;
  }

  /** The consumer's first step: pending → processing. The payment as it is after (null: no such payment). */
  async begin(paymentId: string): Promise<PaymentView | null> {
    return this.step(paymentId, (now) => this.p.exec.apply({ type: "begin_payment", paymentId }, now).events.length > 0);
  }

  /** The consumer's last step: the processor's answer, applied once. */
  async settle(paymentId: string, outcome: ProcessorOutcome): Promise<PaymentView | null> {
    return this.step(paymentId, (now) => this.p.exec.apply({ type: "settle_payment", paymentId, outcome }, now).events.length > 0);
  }

  private async step(paymentId: string, apply: (now: string) => boolean): Promise<PaymentView | null> {
    const { store } = this.p;
    if (!store.ready || !store.queries.payments.row(paymentId)) return null;
    const wrote = store.transaction(() => apply(new Date().toISOString()));
    if (wrote) await this.p.relay.committed();
    return this.view(paymentId);
  }
}
