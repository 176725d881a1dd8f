/**
 * AccountDO: one per account, the source of truth for its money. A thin
 * shell: authorize → load state → decide (src/domain/account) → commit in one
 * synchronous SQLite transaction (store.ts, the only writer) → relay the
 * events after the commit. Its public members are exactly its RPC API; every
 * HTTP-facing method returns a typed Result the Worker maps to HTTP.
 */
import { DurableObject } from "cloudflare:workers";
import type {
  AnnotationInput,
  Caller,
  CreateTransferInput,
  CreditCommand,
  OpenCommand,
  SetBudgetInput,
  TransactionFilter,
  TransactionInput,
  TransferFilter,
} from "./account/api";
import * as budgets from "./account/budgets";
import { AccountExecutor } from "./account/executor";
import { nextAlarmTime, runMaintenance } from "./account/housekeeping";
import * as ledger from "./account/ledger";
import { OutboxRelay } from "./account/outbox-relay";
import { AccountStore } from "./account/store";
import { type OrderInput, Trading } from "./account/trading";
import { TransferSaga } from "./account/transfer-saga";
import { type CreatePaymentInput, Payments } from "./account/payments";
import type { PaymentListFilter } from "./account/payment-rows";
import type { ProcessorOutcome } from "../src/domain/account/index";
import { calendarMode } from "../src/domain/market/clock";
import { backdateDays } from "../src/config";

const MAINTENANCE_INTERVAL_MS = 1_000;

export class AccountDO extends DurableObject<Env> {
  readonly #store: AccountStore;
  readonly #exec: AccountExecutor;
  readonly #relay: OutboxRelay;
  readonly #saga: TransferSaga;
  readonly #trading: Trading;
  readonly #payments: Payments;
  #alarmAt: number | null = null;
  /** When housekeeping last ran (ms). */
  #lastMaintenance = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new AccountStore(ctx.storage);
    this.#exec = new AccountExecutor(this.#store, backdateDays(env));
    // Bindings are read at each use, so a test can swap the instance's env to inject faults.
    this.#relay = new OutboxRelay({ store: this.#store, publisher: () => this.env.EVENTS, scheduleAlarm: (at) => this.#scheduleAlarm(at) });
    this.#saga = new TransferSaga({
      store: this.#store,
      exec: this.#exec,
      relay: this.#relay,
      peer: (accountId) => this.env.ACCOUNT.get(this.env.ACCOUNT.idFromName(accountId)),
    });
    this.#payments = new Payments({ store: this.#store, exec: this.#exec, relay: this.#relay, queue: () => this.env.PAYMENTS });
    const market = (symbol: string) => this.env.MARKET.get(this.env.MARKET.idFromName(symbol));
    this.#trading = new Trading({
      store: this.#store,
      exec: this.#exec,
      market: {
        quote: (symbol) => market(symbol).quote(),
        book: (symbol, order) => market(symbol).bookOrder(order),
        unbook: (symbol, orderId) => market(symbol).unbookOrder(orderId),
      },
      calendar: () => calendarMode(this.env.MARKET_CALENDAR),
      committed: async () => {
        await this.#relay.committed();
        const next = nextAlarmTime(this.#store, { ok: true, remaining: 0 });
        if (next !== null) await this.#scheduleAlarm(next);
      },
    });
    void ctx.blockConcurrencyWhile(async () => {
      this.#alarmAt = await ctx.storage.getAlarm();
    });
  }

  /** Make sure an alarm will run by `at` (outbox guarantee, recovery, expiry, housekeeping). */
  async #scheduleAlarm(at: number): Promise<void> {
    if (this.#alarmAt !== null && this.#alarmAt <= at) return;
    this.#alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }

  /** Relay after a write that committed events (a replay committed nothing). */
  async #relayed<R extends { ok: boolean; replayed?: boolean }>(r: R): Promise<R> {
    if (r.ok && !r.replayed) await this.#relay.committed();
    return r;
  }

  get #ledger() {
    return { store: this.#store, exec: this.#exec };
  }

  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    // An object that was never opened (its opening rolled back) has nothing to drain or keep.
    if (!this.#store.ready) return;
    const sent = await this.#relay.drain();
    this.#store.storeSentSeq();
    // Housekeeping (recovery, expiry, pruning) at most once a second, however often the alarm is due.
    const now = Date.now();
    if (now - this.#lastMaintenance >= MAINTENANCE_INTERVAL_MS) {
      this.#lastMaintenance = now;
      await runMaintenance(this.#store, this.#saga, this.#payments);
      await this.#trading.maintain();
    }
    if (sent.ok && sent.remaining > 0) return this.#scheduleAlarm(Date.now()); // more than one batch was waiting
    const next = nextAlarmTime(this.#store, sent);
    // Whatever housekeeping is due waits for its next slot rather than spinning the alarm.
    if (next !== null) await this.#scheduleAlarm(Math.max(next, this.#lastMaintenance + MAINTENANCE_INTERVAL_MS));
  }

  // ---- account lifecycle and ledger ----
  open(cmd: OpenCommand) {
    return this.#relayed(ledger.open(this.#ledger, cmd));
  }
  get(caller: Caller) {
    return ledger.get(this.#ledger, caller);
  }
  close(caller: Caller) {
    return this.#relayed(ledger.close(this.#ledger, caller));
  }
  postTransaction(caller: Caller, key: string, cmd: TransactionInput) {
    return this.#relayed(ledger.postTransaction(this.#ledger, caller, key, cmd));
  }
  reverse(caller: Caller, key: string, entryId: string) {
    return this.#relayed(ledger.reverse(this.#ledger, caller, key, entryId));
  }
  deleteTransaction(caller: Caller, key: string | undefined, entryId: string, reason: string | undefined) {
    return this.#relayed(ledger.deleteTransaction(this.#ledger, caller, key, entryId, reason));
  }
  annotateTransaction(caller: Caller, entryId: string, changes: AnnotationInput) {
    return this.#relayed(ledger.annotate(this.#ledger, caller, entryId, changes));
  }
  listTransactions(caller: Caller, filter: TransactionFilter) {
    return ledger.listTransactions(this.#ledger, caller, filter);
  }
  getTransaction(caller: Caller, entryId: string) {
    return ledger.getTransaction(this.#ledger, caller, entryId);
  }
  balanceAt(caller: Caller, at: string | undefined) {
    return ledger.balanceAt(this.#ledger, caller, at);
  }
  verify(caller: Caller) {
    return ledger.verify(this.#ledger, caller);
  }
  reconcileView(opts: { afterSeq: number; limit: number }) {
    return ledger.reconcileView(this.#ledger, opts);
  }
  /** Outbox progress: the newest event seq and how far the queue has them (ops and tests). */
  outboxView() {
    const a = this.#store.accountRow();
    return { event_seq: a?.event_seq ?? 0, sent_seq: a?.outbox_sent_seq ?? 0, stored_sent_seq: this.#store.storedSent };
  }

  // ---- transfers (this account as source, or as destination) ----
  createTransfer(caller: Caller, key: string, cmd: CreateTransferInput) {
    return this.#saga.create(caller, key, cmd);
  }
  getTransfer(caller: Caller, transferId: string) {
    return this.#saga.get(caller, transferId);
  }
  postTransfer(caller: Caller, key: string, transferId: string, amount: number | undefined) {
    return this.#saga.post(caller, key, transferId, amount);
  }
  voidTransfer(caller: Caller, key: string, transferId: string) {
    return this.#saga.voidTransfer(caller, key, transferId);
  }
  listTransfers(caller: Caller, filter: TransferFilter) {
    return this.#saga.list(caller, filter);
  }
  describeForTransfer() {
    return this.#saga.describeForTransfer();
  }
  creditTransfer(cmd: CreditCommand) {
    return this.#saga.credit(cmd);
  }
  inFlightView() {
    return this.#saga.inFlightView();
  }

  // ---- paper trading ----
  placeOrder(caller: Caller, input: OrderInput) {
    return this.#trading.place(caller, input);
  }
  listOrders(caller: Caller, filter: Parameters<Trading["list"]>[1]) {
    return this.#trading.list(caller, filter);
  }
  getOrder(caller: Caller, orderId: string) {
    return this.#trading.get(caller, orderId);
  }
  cancelOrder(caller: Caller, orderId: string) {
    return this.#trading.cancel(caller, orderId);
  }
  listPositions(caller: Caller) {
    return this.#trading.positions(caller);
  }
  /** From the symbol's MarketDO: a fill of a resting order, idempotent by fill id. */
  applyFill(cmd: { orderId: string; fillId: string; qty: number; price: number }) {
    return this.#trading.applyFill(cmd);
  }

  // ---- payments out of the platform (the payments queue drives begin and settle) ----
  createPayment(caller: Caller, key: string, cmd: CreatePaymentInput) {
    return this.#payments.create(caller, key, cmd);
  }
  getPayment(caller: Caller, paymentId: string) {
    return this.#payments.get(caller, paymentId);
  }
  listPayments(caller: Caller, filter: PaymentListFilter) {
    return this.#payments.list(caller, filter);
  }
  cancelPayment(caller: Caller, paymentId: string) {
    return this.#payments.cancel(caller, paymentId);
  }
  beginPayment(paymentId: string) {
    return this.#payments.begin(paymentId);
  }
  settlePayment(paymentId: string, outcome: ProcessorOutcome) {
    return this.#payments.settle(paymentId, outcome);
  }

  // ---- budgets ----
  setBudget(caller: Caller, cmd: SetBudgetInput) {
    return this.#relayed(budgets.setBudget(this.#ledger, caller, cmd));
  }
  listBudgets(caller: Caller) {
    return budgets.listBudgets(this.#ledger, caller);
  }
  deleteBudget(caller: Caller, category: string) {
    return this.#relayed(budgets.deleteBudget(this.#ledger, caller, category));
  }
}
