/**
 * The transfer saga between two AccountDOs. The source commits a hold (and,
 * for an immediate transfer, an "in progress" Idempotency-Key record), awaits
 * the destination's credit (idempotent by transfer id), then settles in a
 * second transaction. A crash or error between the two leaves the transfer in
 * phase `crediting`; the source's alarm finishes it (`recoverInFlight`).
 */
import { DomainError } from "../../src/domain/errors";
import { TRANSFER_REJECTED } from "../../src/domain/account/index";
import { decideIdempotency, fingerprint } from "../../src/domain/idempotency";
import {
  type Caller,
  type CreateTransferInput,
  type CreditCommand,
  type CreditResult,
  fromStored,
  ok,
  type Result,
  toStored,
  type TransferFilter,
} from "./api";
import { placedTransferRow, settledTransferRow } from "./event-writes";
import { type AccountExecutor, failure } from "./executor";
import { KnownReads } from "./known-reads";
import type { TransferRow } from "./rows";
import type { AccountStore } from "./store";
import { type TransferListItem, transferView, type TransferView } from "./views";

/** What the saga needs of the other account. */
export interface Peer {
  describeForTransfer(): Promise<{ status: "open" | "closed"; currency: string } | null>;
  creditTransfer(cmd: CreditCommand): Promise<CreditResult>;
}

export interface SagaParts {
  store: AccountStore;
  exec: AccountExecutor;
  relay: { committed(): Promise<void>; guarantee(): Promise<void> };
  peer(accountId: string): Peer;
}

export class TransferSaga {
  /** Transfers whose credit a live call in this instance is awaiting right now (recovery leaves them alone). */
  private readonly crediting = new Set<string>();

  constructor(private readonly p: SagaParts) {}

  private view(id: string): TransferView {
    return transferView(this.p.store.queries.transferRow(id)!, this.p.store.accountRow()!.id);
  }

  async create(caller: Caller, key: string, cmd: CreateTransferInput): Promise<Result<TransferView>> {
    const { store, exec } = this.p;
    const fp = fingerprint("transfer.create", cmd);
    // A pending transfer must know now that its destination can receive; an
    // immediate one learns it from the credit itself, which refuses and voids the
    // hold (one round trip fewer on the hot path). A known key is answered from
    // storage before the destination is asked anything.
    let acceptable = true;
    if (cmd.mode === "pending") {
      const early = exec.guarded(caller, () => {
        const source = exec.owned(caller.userId);
        const decision = decideIdempotency(store.keys.find(key), fp);
        return "replay" in decision ? { reply: fromStored<TransferView>(decision.replay) } : { source };
      });
      if ("ok" in early) return early;
      if (early.reply) return early.reply;
      if (early.source.id !== cmd.to_account_id) {
        const dest = await this.p.peer(cmd.to_account_id).describeForTransfer();
        acceptable = dest !== null && dest.status === "open" && dest.currency === early.source.currency;
      }
    }
    let placed: TransferRow | undefined;
    // A rejection is a business outcome like insufficient funds: it is stored under the key,
    // so a retry replays it and the key cannot be reused for another transfer.
    const reply = exec.idempotent<TransferView>(caller, key, fp, (now) => {
      const { events } = exec.apply(
        {
          type: "place_transfer",
          toAccountId: cmd.to_account_id,
          amount: cmd.amount,
          description: cmd.description,
          mode: cmd.mode,
          expiresInSeconds: cmd.expires_in_seconds,
          destinationAcceptable: acceptable,
          key,
          requestId: caller.requestId,
        },
        now,
      );
      const event = events[0]!;
      if (event.type === "transfer_pending") placed = placedTransferRow(event.transfer);
      return cmd.mode === "immediate" ? undefined : ok(201, transferView(placed!, store.accountRow()!.id));
    });
    if (reply) {
      if (!reply.replayed) await this.p.relay.committed();
      return reply;
    }
    const row = placed!;
    // Claimed in the same turn as the commit, before any await: the alarm's recovery
    // leaves the transfer to this request, so nothing but this request changes its row
    // until it settles, and the settlement may decide on the row as placed.
    this.crediting.add(row.id);
    try {
      // Before awaiting the destination, the alarm must be armed: should this process
      // die, it drains transfer_pending and finishes the transfer. The flush waits
      // for the settlement's events, so all three go out in one batch.
      await this.p.relay.guarantee();
      return (await this.#credit(row, row)) ?? ok(202, this.view(row.id));
    } finally {
      this.crediting.delete(row.id);
    }
  }

  get(caller: Caller, transferId: string): Result<TransferView> {
    return this.p.exec.guarded(caller, () => {
      this.p.exec.owned(caller.userId);
      if (!this.p.store.queries.transferRow(transferId)) throw new DomainError("not_found", "Transfer not found");
      return ok(200, this.view(transferId));
    });
  }

  async post(caller: Caller, key: string, transferId: string, amount: number | undefined): Promise<Result<TransferView>> {
    const reply = this.p.exec.idempotent<TransferView>(caller, key, fingerprint("transfer.post", { transferId, amount }), (now) => {
      this.p.exec.apply({ type: "begin_transfer_post", transferId, amount, key, requestId: caller.requestId }, now);
      return undefined;
    });
    if (reply) return reply;
    await this.p.relay.guarantee(); // armed before the destination is awaited
    return (await this.completeCredit(transferId)) ?? ok(202, this.view(transferId));
  }

  async voidTransfer(caller: Caller, key: string, transferId: string): Promise<Result<TransferView>> {
    const reply = this.p.exec.idempotent<TransferView>(caller, key, fingerprint("transfer.void", { transferId }), (now) => {
      this.p.exec.apply({ type: "void_transfer", transferId }, now);
      return ok(200, this.view(transferId));
    })!;
    if (!reply.replayed) await this.p.relay.committed();
    return reply;
  }

  /** Void every pending transfer whose expiry has passed. */
  expireDue(nowIso: string): void {
    for (const id of this.p.store.queries.dueExpiries(nowIso)) {
      this.p.store.transaction(() => this.p.exec.apply({ type: "expire_transfer", transferId: id }, nowIso));
    }
  }

  /**
   * Ask the destination to credit (idempotent by transfer id) and record the
   * outcome. Returns the final reply, or undefined while the credit is in
   * flight (the destination could not be reached; the alarm retries).
   */
  async completeCredit(transferId: string): Promise<Result<TransferView> | undefined> {
    // One completion at a time per transfer in this instance: the alarm leaves alone what a request is finishing.
    if (this.crediting.has(transferId)) return undefined;
    const t = this.p.store.queries.transferRow(transferId);
    if (t?.phase !== "crediting") return undefined;
    this.crediting.add(transferId);
    try {
      return await this.#credit(t);
    } finally {
      this.crediting.delete(transferId);
    }
  }

  /**
   * The credit and the settlement of `t0` (in phase `crediting`), by the holder
   * of its `crediting` claim. `placed`: the row as this request committed it
   * (the claim kept it unchanged since), so the settlement need not read it back.
   */
  async #credit(t0: TransferRow, placed?: TransferRow): Promise<Result<TransferView> | undefined> {
    const { store, exec } = this.p;
    const transferId = t0.id;
    const accountId = store.accountRow()!.id;
    let result: CreditResult;
    try {
      result = await this.p.peer(t0.to_account_id).creditTransfer({
        transferId,
        fromAccountId: accountId,
        amount: t0.credit_amount!,
        currency: t0.currency,
      });
    } catch (err) {
      store.noteCreditAttempt(transferId);
      console.warn(
        JSON.stringify({ level: "warn", msg: "transfer credit failed; alarm will retry", transfer_id: transferId, error: String(err) }),
      );
      return undefined;
    }
    const settled = store.transaction((): Result<TransferView> | undefined => {
      const now = new Date().toISOString();
      const reads = placed ? new KnownReads(store.queries, { transfer: { row: placed, fromAccountId: accountId } }) : undefined;
      const { events } = exec.apply({ type: "settle_transfer", transferId, credited: result.ok }, now, reads);
      if (events.length === 0) return undefined; // finished meanwhile by the alarm or the request
      // The settled row: the placed one with the settlement's changes, or one read of it (decide read it before the write).
      const t = placed ? settledTransferRow(placed, events, now) : store.queries.transferRow(transferId)!;
      const reply: Result<TransferView> = result.ok
        ? ok(t0.op_name === "post" ? 200 : 201, transferView(t, accountId))
        : failure(new DomainError("transfer_rejected", TRANSFER_REJECTED), t.op_request_id ?? "unknown");
      if (t0.op_key) store.keys.finish(t0.op_key, toStored(reply));
      return reply;
    });
    // The settlement wrote events: drain them now, not at the recovery alarm.
    if (settled) await this.p.relay.committed();
    return settled;
  }

  /** Finish every transfer left in flight (after a crash or an unreachable destination). */
  async recoverInFlight(): Promise<void> {
    for (const id of this.p.store.queries.inFlightIds(50)) await this.completeCredit(id);
  }

  /**
   * Destination side: credit once per transfer id; a repeat returns the first
   * result. Optimistic: decided as a first credit, without looking the id up.
   * A repeat's insert into received_transfers breaks its primary key, and a
   * refusal may be a repeat on an account closed since; either rolls the
   * attempt back, and the decision is taken again on what is stored.
   */
  async credit(cmd: CreditCommand): Promise<CreditResult> {
    let result: CreditResult;
    try {
      result = this.#receive(cmd, true);
    } catch {
      result = this.#receive(cmd, false);
    }
    if (result.ok) await this.p.relay.committed();
    return result;
  }

  #receive(cmd: CreditCommand, optimistic: boolean): CreditResult {
    const { store, exec } = this.p;
    return store.transaction((): CreditResult => {
      if (!store.account()) return { ok: false, reason: "not_found" };
      const reads = optimistic ? new KnownReads(store.queries, { notReceived: cmd.transferId }) : undefined;
      try {
        const { entries } = exec.apply({ type: "receive_transfer", ...cmd }, new Date().toISOString(), reads);
        // The decider looked the transfer id up first: nothing decided means it was credited before.
        if (entries.length === 0) return { ok: true, entry_id: store.queries.received(cmd.transferId)! };
        return { ok: true, entry_id: entries[0]!.entry_id };
      } catch (e) {
        if (!optimistic && e instanceof DomainError && e.code === "transfer_rejected")
          return { ok: false, reason: (e.details as { reason: "closed" | "currency" | "limit" }).reason };
        throw e;
      }
    });
  }

  /** Transfers this account sent and received, newest first (the cross-account list merges these pages). */
  list(caller: Caller, f: TransferFilter): Result<{ data: TransferListItem[]; has_more: boolean }> {
    return this.p.exec.guarded(caller, () => {
      const a = this.p.exec.owned(caller.userId);
      const rows = this.p.store.queries.transferActivity(f.status, f.created_before, f.limit + 1);
      const data = rows.slice(0, f.limit).map((r) => ({
        id: r.id,
        object: "transfer" as const,
        direction: r.direction,
        account_id: a.id,
        counterparty_account_id: r.counterparty,
        amount: r.amount,
        posted_amount: r.posted_amount,
        currency: a.currency,
        status: r.status,
        created_at: r.created_at,
      }));
      return ok(200, { data, has_more: rows.length > f.limit });
    });
  }

  describeForTransfer(): { status: "open" | "closed"; currency: string } | null {
    const a = this.p.store.account();
    return a ? { status: a.status, currency: a.currency } : null;
  }

  /** What this account has in flight and received, for conservation checks. */
  inFlightView() {
    const a = this.p.store.account();
    if (!a) return { posted: 0, pending: 0, in_flight: [] };
    return { posted: a.posted, pending: a.pending, in_flight: this.p.store.queries.inFlight() };
  }
}
