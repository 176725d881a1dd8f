/**
 * How the shell runs a command: authorize (the caller owns the account),
 * decide on the committed state, commit the events in the same synchronous
 * transaction, and keep the Idempotency-Key contract around it. The decider
 * throws before anything is written, so a refusal needs no savepoint.
 */
import { type AccountCommand, type AccountEvent, decide, type DecideContext, type Reads } from "../../src/domain/account/index";
import { DomainError, errorBody } from "../../src/domain/errors";
import { decideIdempotency } from "../../src/domain/idempotency";
import { newEntryId, newTransferId } from "../../src/domain/ids";
import { type Caller, type Failed, fromStored, type Result, toStored } from "./api";
import type { JournalRow } from "./rows";
import type { AccountStore } from "./store";

export function failure(err: DomainError, requestId: string): Failed {
  return { ok: false, status: err.status, error: errorBody(err.code, err.message, requestId, err.details).error };
}

export class AccountExecutor {
  /** Made once: a closure built per command costs more than the decision it serves. */
  readonly #newTransferId: () => string;

  constructor(
    private readonly store: AccountStore,
    /** occurred_at's limit in days (src/config.ts backdateDays). */
    private readonly backdateDays?: number,
  ) {
    this.#newTransferId = () => newTransferId(store.accountRow()!.id);
  }

  /** The account row if `userId` owns it; otherwise not_found, so existence never leaks. */
  owned(userId: string) {
    const a = this.store.accountRow();
    if (!a || a.user_id !== userId) throw new DomainError("not_found", "Account not found");
    return a;
  }

  context(now: string, reads: Reads = this.store.queries): DecideContext {
    return { now, newEntryId, newTransferId: this.#newTransferId, reads, backdateDays: this.backdateDays };
  }

  /**
   * Decide and commit, inside the caller's transaction. `reads` replaces the
   * store's queries when the caller already knows what the decision reads (a
   * transfer it placed in this request).
   */
  apply(command: AccountCommand, now: string, reads?: Reads): { events: AccountEvent[]; entries: JournalRow[] } {
    const events = decide(command, this.store.account(), this.context(now, reads));
    return { events, entries: this.store.commit(events, now) };
  }

  /** A read or a one-transaction write whose domain errors become failures. */
  guarded<R>(caller: Caller, fn: () => R): R | Failed {
    try {
      return fn();
    } catch (e) {
      if (e instanceof DomainError) return failure(e, caller.requestId);
      throw e;
    }
  }

  /** `guarded` inside one transaction. */
  write<T>(caller: Caller, fn: (now: string) => Result<T>): Result<T> {
    return this.guarded(caller, () => this.store.transaction(() => fn(new Date().toISOString())));
  }

  /**
   * The Idempotency-Key contract around one synchronous transaction:
   * business-rule failures are stored as the key's reply like successes. `run`
   * may return undefined when the operation goes on beyond this transaction (a
   * transfer awaiting the other account): the key then stays "in progress" (a
   * retry gets 409) until `store.keys.finish`. `fp` is the request's fingerprint.
   *
   * Optimistic: the command runs first and the key is claimed with its reply
   * in the same transaction. A key recorded before (a retry, a reuse, one still
   * in progress) claims nothing; the whole transaction rolls back, so nothing
   * the attempt wrote remains, and the record answers in a second one.
   */
  idempotent<T>(caller: Caller, key: string, fp: string, run: (now: string) => Result<T> | undefined): Result<T> | undefined {
    return this.guarded(caller, () => {
      try {
        return this.store.transaction(() => {
          this.owned(caller.userId);
          let reply: Result<T> | undefined;
          try {
            reply = run(new Date().toISOString());
          } catch (e) {
            if (!(e instanceof DomainError)) throw e;
            reply = failure(e, caller.requestId);
          }
          if (!this.store.keys.claim(key, fp, reply && toStored(reply), Date.now())) throw KEY_RECORDED;
          return reply as Result<T>;
        });
      } catch (e) {
        if (e !== KEY_RECORDED) throw e;
      }
      const decision = decideIdempotency(this.store.keys.find(key), fp);
      if ("replay" in decision) return fromStored<T>(decision.replay);
      throw new Error("idempotency key recorded but not found"); // unreachable: the claim just saw it
    });
  }
}

/** Thrown inside the transaction to roll back an attempt whose key was already recorded. */
const KEY_RECORDED = new Error("idempotency key already recorded");
