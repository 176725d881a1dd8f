/**
 * AccountDO: one per account, the source of truth for its money. Every write
 * is one synchronous SQLite transaction (check, append, outbox, idempotency
 * record), committed before the reply. Methods are typed RPC; HTTP-facing ones
 * return the reply (status and JSON body) so idempotent replays are byte-exact.
 */
import { DurableObject } from "cloudflare:workers";
import { DomainError } from "../src/domain/errors";
import { decideIdempotency, fingerprint, type StoredReply } from "../src/domain/idempotency";
import { nextAlarmTime, runMaintenance } from "./account/alarm";
import * as budgets from "./account/budget-ops";
import * as ledger from "./account/ledger-ops";
import { OutboxRelay } from "./account/outbox-relay";
import { AccountStore, errorReply, type AccountRow } from "./account/store";
import * as transfers from "./account/transfer-ops";

/** Who is asking, as established by the Worker from the access token. */
export interface Caller {
  userId: string;
  requestId: string;
}

export type Reply = StoredReply & { replayed?: boolean };

const MAINTENANCE_INTERVAL_MS = 1_000;

export class AccountDO extends DurableObject<Env> {
  readonly store: AccountStore;
  /** Where outbox events go; a test may swap it to inject send failures. */
  publisher: Pick<Queue, "sendBatch">;
  /** Consecutive failed outbox sends; shapes the retry backoff. */
  outboxFailures = 0;
  private alarmAt: number | null = null;
  /** When housekeeping last ran (ms); a test may reset it to force a run. */
  lastMaintenance = 0;
  /** Transfers whose credit a live call in this instance is awaiting right now (recovery leaves them alone). */
  readonly crediting = new Set<string>();
  /** Sends committed events soon; the alarm is its guarantee. */
  readonly outbox = new OutboxRelay(this);

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new AccountStore(ctx.storage);
    this.publisher = env.EVENTS;
    void ctx.blockConcurrencyWhile(async () => {
      this.alarmAt = await ctx.storage.getAlarm();
    });
  }

  get storage(): DurableObjectStorage {
    return this.ctx.storage;
  }

  // ---- helpers shared by the operation modules ----

  /** The account if `userId` owns it; otherwise not_found, so existence never leaks. */
  owned(userId: string): AccountRow {
    const a = this.store.account();
    if (!a || a.user_id !== userId) throw new DomainError("not_found", "Account not found");
    return a;
  }

  /** Run a read or non-idempotent write, mapping domain errors to an error reply. */
  guarded(caller: Caller, fn: () => StoredReply): Reply {
    try {
      return fn();
    } catch (e) {
      if (e instanceof DomainError) return errorReply(e, caller.requestId);
      throw e;
    }
  }

  /**
   * The Idempotency-Key contract around one synchronous money transaction.
   * Business-rule failures are stored as the key's reply like successes.
   */
  idempotent(caller: Caller, key: string, op: string, input: unknown, run: (a: AccountRow, nowIso: string) => StoredReply): Reply {
    return this.idempotentStep(caller, key, fingerprint(op, input), run)!;
  }

  /**
   * Like `idempotent`, but `run` may return undefined: the operation continues
   * beyond this transaction (a transfer awaiting the other account), so the key
   * stays "in progress" (a retry gets 409) until `store.keys.finish`.
   * `fp` is the request's fingerprint (`fingerprint(op, input)`).
   */
  idempotentStep(caller: Caller, key: string, fp: string, run: (a: AccountRow, nowIso: string) => StoredReply | undefined): Reply | undefined {
    try {
      return this.store.transaction(() => {
        const a = this.owned(caller.userId);
        const decision = decideIdempotency(this.store.keys.find(key), fp);
        if ("replay" in decision) return { ...decision.replay, replayed: true };
        let reply: StoredReply | undefined;
        try {
          reply = this.store.transaction(() => run(a, new Date().toISOString()));
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          reply = errorReply(e, caller.requestId);
        }
        this.store.keys.record(key, fp, reply, Date.now());
        return reply;
      });
    } catch (e) {
      if (e instanceof DomainError) return errorReply(e, caller.requestId);
      throw e;
    }
  }

  /** The Worker's bindings, for calls to other accounts. */
  get bindings(): Env {
    return this.env;
  }

  /** Make sure an alarm will run by `at` (outbox guarantee, recovery, expiry, housekeeping). */
  async scheduleAlarm(at: number): Promise<void> {
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    this.alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }

  override async alarm(): Promise<void> {
    this.alarmAt = null;
    // An object that was never opened (its opening rolled back) has nothing to drain or keep.
    if (!this.store.ready) return;
    const sent = await this.outbox.drain();
    this.store.storeSentSeq();
    // Housekeeping (recovery, expiry, pruning) at most once a second, however
    // often the alarm is due.
    const now = Date.now();
    if (now - this.lastMaintenance >= MAINTENANCE_INTERVAL_MS) {
      this.lastMaintenance = now;
      await runMaintenance(this);
    }
    if (sent.ok && sent.remaining > 0) return this.scheduleAlarm(Date.now()); // more than one batch was waiting
    const next = nextAlarmTime(this, sent);
    // Whatever housekeeping is due waits for its next slot rather than spinning the alarm.
    if (next !== null) await this.scheduleAlarm(Math.max(next, this.lastMaintenance + MAINTENANCE_INTERVAL_MS));
  }

  // ---- account lifecycle and ledger ----
  open(cmd: ledger.OpenCommand) {
    return ledger.open(this, cmd);
  }
  get(caller: Caller) {
    return ledger.get(this, caller);
  }
  close(caller: Caller) {
    return ledger.close(this, caller);
  }
  postTransaction(caller: Caller, key: string, cmd: ledger.TransactionCommand) {
    return ledger.postTransaction(this, caller, key, cmd);
  }
  reverse(caller: Caller, key: string, entryId: string) {
    return ledger.reverse(this, caller, key, entryId);
  }
  listTransactions(caller: Caller, filter: ledger.TransactionFilter) {
    return ledger.listTransactions(this, caller, filter);
  }
  getTransaction(caller: Caller, entryId: string) {
    return ledger.getTransaction(this, caller, entryId);
  }
  balanceAt(caller: Caller, at: string | undefined) {
    return ledger.balanceAt(this, caller, at);
  }
  verify(caller: Caller) {
    return ledger.verify(this, caller);
  }
  reconcileView(opts: { afterSeq: number; limit: number }) {
    return ledger.reconcileView(this, opts);
  }

  // ---- transfers (this account as source, or as destination) ----
  createTransfer(caller: Caller, key: string, cmd: transfers.CreateTransferCommand) {
    return transfers.create(this, caller, key, cmd);
  }
  getTransfer(caller: Caller, transferId: string) {
    return transfers.get(this, caller, transferId);
  }
  postTransfer(caller: Caller, key: string, transferId: string, amount: number | undefined) {
    return transfers.post(this, caller, key, transferId, amount);
  }
  voidTransfer(caller: Caller, key: string, transferId: string) {
    return transfers.voidTransfer(this, caller, key, transferId);
  }
  describeForTransfer() {
    return transfers.describeForTransfer(this);
  }
  creditTransfer(cmd: transfers.CreditCommand) {
    return transfers.credit(this, cmd);
  }
  inFlightView() {
    return transfers.inFlightView(this);
  }

  // ---- budgets ----
  setBudget(caller: Caller, cmd: budgets.SetBudgetCommand) {
    return budgets.setBudget(this, caller, cmd);
  }
  listBudgets(caller: Caller) {
    return budgets.listBudgets(this, caller);
  }
  deleteBudget(caller: Caller, category: string) {
    return budgets.deleteBudget(this, caller, category);
  }
}
