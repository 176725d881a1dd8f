/**
 * Two-phase transfers between two AccountDOs. The source commits a hold and an
 * "in progress" idempotency record, awaits the destination's idempotent credit,
 * then posts in a second transaction. A crash or error between the two leaves
 * the transfer in phase `crediting`; the source's alarm finishes it.
 */
import type { AccountDO, Caller, Reply } from "../account-do";
import { canReceive, decideHold } from "../../src/domain/account";
import { DomainError } from "../../src/domain/errors";
import { newTransferId } from "../../src/domain/ids";
import {
  decidePost, decideVoid, DEFAULT_PENDING_SECONDS, validateTransferRequest, type TransferState,
} from "../../src/domain/transfer";
import { decideIdempotency, fingerprint } from "../../src/domain/idempotency";
import { errorReply, okReply, toState, type AccountRow } from "./store";
import { transferView, type TransferRow } from "./views";

export interface CreateTransferCommand {
  to_account_id: string;
  amount: number;
  description?: string;
  mode: "immediate" | "pending";
  expires_in_seconds?: number;
}

export interface CreditCommand {
  transferId: string;
  fromAccountId: string;
  amount: number;
  currency: string;
}

export type CreditResult = { ok: true; entry_id: string } | { ok: false; reason: "not_found" | "closed" | "currency" | "limit" };

const REJECTED = "The destination account cannot receive this transfer";

function row(d: AccountDO, id: string): TransferRow | null {
  return (d.storage.sql.exec("SELECT * FROM transfers WHERE id = ?", id).toArray()[0] as unknown as TransferRow) ?? null;
}

function state(t: TransferRow, from: string): TransferState {
  return {
    id: t.id, fromAccountId: from, toAccountId: t.to_account_id, amount: t.amount, creditAmount: t.credit_amount,
    postedAmount: t.posted_amount, currency: t.currency, mode: t.mode, status: t.status, phase: t.phase, expiresAt: t.expires_at,
  };
}

function stubOf(d: AccountDO, accountId: string) {
  const ns = d.bindings.ACCOUNT;
  return ns.get(ns.idFromName(accountId));
}

export function describeForTransfer(d: AccountDO): { status: "open" | "closed"; currency: string } | null {
  const a = d.store.account();
  return a ? { status: a.status, currency: a.currency } : null;
}

export async function create(d: AccountDO, caller: Caller, key: string, cmd: CreateTransferCommand): Promise<Reply> {
  const fp = fingerprint("transfer.create", cmd);
  // A pending transfer must know now that its destination can receive; an
  // immediate one learns it from the credit itself, which refuses and voids the
  // hold (one round trip fewer on the hot path). A known key is answered from
  // storage before the destination is asked anything.
  let acceptable = true;
  if (cmd.mode === "pending") {
    let source: AccountRow | undefined;
    const early = d.guarded(caller, () => {
      source = d.owned(caller.userId);
      const decision = decideIdempotency(d.store.keys.find(key), fp);
      if ("replay" in decision) return { ...decision.replay, replayed: true };
      return { status: 0, body: "" };
    });
    if (early.status !== 0 || !source) return early;
    if (source.id !== cmd.to_account_id) {
      const dest = await stubOf(d, cmd.to_account_id).describeForTransfer();
      acceptable = dest !== null && dest.status === "open" && dest.currency === source.currency;
    }
  }
  let transferId = "";
  // A rejection is a business outcome like insufficient funds: it is stored under the key
  // (inside idempotentStep), so a retry replays it and the key cannot be reused for another transfer.
  const reply = d.idempotentStep(caller, key, fp, (a, now) => {
    validateTransferRequest(a.id, cmd.to_account_id);
    if (!acceptable) throw new DomainError("transfer_rejected", REJECTED);
    decideHold(toState(a), cmd.amount);
    transferId = newTransferId(a.id);
    const immediate = cmd.mode === "immediate";
    const expiresAt = immediate ? null : new Date(Date.parse(now) + (cmd.expires_in_seconds ?? DEFAULT_PENDING_SECONDS) * 1000).toISOString();
    d.storage.sql.exec(
      `INSERT INTO transfers (id, user_id, to_account_id, amount, credit_amount, currency, mode, status, phase, description,
         expires_at, created_at, updated_at, op_key, op_name, op_request_id) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?)`,
      transferId, a.user_id, cmd.to_account_id, cmd.amount, immediate ? cmd.amount : null, a.currency, cmd.mode,
      immediate ? "crediting" : "reserved", cmd.description ?? null, expiresAt, now, now,
      immediate ? key : null, immediate ? "create" : null, caller.requestId);
    d.store.adjustPending(a, cmd.amount);
    d.store.emit(a, "transfer_pending", {
      transfer_id: transferId, from_account_id: a.id, to_account_id: cmd.to_account_id, amount: cmd.amount, currency: a.currency, expires_at: expiresAt,
    }, now, now);
    return immediate ? undefined : okReply(201, transferView(row(d, transferId)!, a.id));
  });
  if (reply) {
    await d.outbox.committed();
    return reply;
  }
  // Before awaiting the destination, the alarm must be armed: should this process
  // die, it drains transfer_pending and finishes the transfer. The flush waits
  // for the settlement's events, so all three go out in one batch.
  await d.outbox.guarantee();
  return (await completeCredit(d, transferId)) ?? inFlightReply(d, transferId);
}

export function get(d: AccountDO, caller: Caller, transferId: string): Reply {
  return d.guarded(caller, () => {
    const a = d.owned(caller.userId);
    const t = row(d, transferId);
    if (!t) throw new DomainError("not_found", "Transfer not found");
    return okReply(200, transferView(t, a.id));
  });
}

export async function post(d: AccountDO, caller: Caller, key: string, transferId: string, amount: number | undefined): Promise<Reply> {
  const reply = d.idempotentStep(caller, key, fingerprint("transfer.post", { transferId, amount }), (a, now) => {
    const t = row(d, transferId);
    if (!t) throw new DomainError("not_found", "Transfer not found");
    const creditAmount = decidePost(state(t, a.id), amount, now);
    d.storage.sql.exec(
      "UPDATE transfers SET phase = 'crediting', credit_amount = ?, op_key = ?, op_name = 'post', op_request_id = ?, updated_at = ? WHERE id = ?",
      creditAmount, key, caller.requestId, now, transferId);
    return undefined;
  });
  if (reply) return reply;
  await d.outbox.guarantee(); // armed before the destination is awaited
  return (await completeCredit(d, transferId)) ?? inFlightReply(d, transferId);
}

export async function voidTransfer(d: AccountDO, caller: Caller, key: string, transferId: string): Promise<Reply> {
  const reply = d.idempotent(caller, key, "transfer.void", { transferId }, (a, now) => {
    const t = row(d, transferId);
    if (!t) throw new DomainError("not_found", "Transfer not found");
    decideVoid(state(t, a.id));
    release(d, a, t, "voided", now);
    return okReply(200, transferView(row(d, transferId)!, a.id));
  });
  if (!reply.replayed) await d.outbox.committed();
  return reply;
}

/** Release a hold without posting (void, expiry or rejection by the destination). */
function release(d: AccountDO, a: AccountRow, t: TransferRow, reason: "voided" | "expired" | "rejected", now: string): void {
  d.storage.sql.exec("UPDATE transfers SET status = ?, phase = 'settled', updated_at = ? WHERE id = ?",
    reason === "rejected" ? "failed" : "voided", now, t.id);
  d.store.adjustPending(a, -t.amount);
  d.store.emit(a, "transfer_voided", { transfer_id: t.id, amount: t.amount, currency: t.currency, reason }, now, now);
}

/** Void every pending transfer whose expiry has passed. */
export function expireDue(d: AccountDO, nowIso: string): void {
  const due = d.storage.sql
    .exec("SELECT id FROM transfers WHERE status = 'pending' AND phase = 'reserved' AND expires_at <= ?", nowIso)
    .toArray() as { id: string }[];
  for (const { id } of due) {
    d.store.transaction(() => {
      const a = d.store.account()!;
      const t = row(d, id);
      if (t && t.status === "pending" && t.phase === "reserved") release(d, a, t, "expired", nowIso);
    });
  }
}

/**
 * Ask the destination to credit (idempotent by transfer id) and record the
 * outcome. Returns the final reply, or undefined while the credit is in
 * flight (the destination could not be reached; the alarm retries).
 */
export async function completeCredit(d: AccountDO, transferId: string): Promise<Reply | undefined> {
  const t0 = row(d, transferId);
  // One completion at a time per transfer in this instance: the alarm leaves alone what a request is finishing.
  if (!t0 || t0.phase !== "crediting" || d.crediting.has(transferId)) return undefined;
  d.crediting.add(transferId);
  let result: CreditResult;
  try {
    result = await stubOf(d, t0.to_account_id).creditTransfer({
      transferId, fromAccountId: d.store.account()!.id, amount: t0.credit_amount!, currency: t0.currency,
    });
  } catch (err) {
    d.crediting.delete(transferId);
    d.storage.sql.exec("UPDATE transfers SET attempts = attempts + 1 WHERE id = ?", transferId);
    console.warn(JSON.stringify({ level: "warn", msg: "transfer credit failed; alarm will retry", transfer_id: transferId, error: String(err) }));
    return undefined;
  }
  d.crediting.delete(transferId);
  const settled = d.store.transaction((): Reply | undefined => {
    const a = d.store.account()!;
    const t = row(d, transferId)!;
    if (t.phase !== "crediting") return undefined; // finished meanwhile by the alarm or the request
    const now = new Date().toISOString();
    let reply: Reply;
    if (result.ok) {
      const posted = t.credit_amount!;
      d.store.appendEntry(a, {
        kind: "transfer_out", direction: "debit", amount: posted, counterparty: `account:${t.to_account_id}`,
        occurredAt: now, description: t.description, transferId: t.id,
      }, now);
      d.store.adjustPending(a, -t.amount);
      d.storage.sql.exec("UPDATE transfers SET status = 'posted', phase = 'settled', posted_amount = ?, updated_at = ? WHERE id = ?", posted, now, t.id);
      d.store.emit(a, "transfer_posted", { transfer_id: t.id, amount: posted, released: t.amount - posted, currency: t.currency }, now, now);
      const settledRow: TransferRow = { ...t, status: "posted", phase: "settled", posted_amount: posted, updated_at: now };
      reply = okReply(t.op_name === "post" ? 200 : 201, transferView(settledRow, a.id));
    } else {
      release(d, a, t, "rejected", now);
      reply = errorReply(new DomainError("transfer_rejected", REJECTED), t.op_request_id ?? "unknown");
    }
    if (t.op_key) d.store.keys.finish(t.op_key, reply);
    return reply;
  });
  // The settlement wrote events: drain them now, not at the recovery alarm.
  if (settled) await d.outbox.committed();
  return settled;
}

/** Finish every transfer left in flight (after a crash or an unreachable destination). */
export async function recoverInFlight(d: AccountDO): Promise<void> {
  const stuck = d.storage.sql.exec("SELECT id FROM transfers WHERE phase = 'crediting' LIMIT 50").toArray() as { id: string }[];
  for (const { id } of stuck) await completeCredit(d, id);
}

function inFlightReply(d: AccountDO, transferId: string): Reply {
  return okReply(202, transferView(row(d, transferId)!, d.store.account()!.id));
}

/** Destination side: credit once per transfer id; a repeat returns the first result. */
export async function credit(d: AccountDO, cmd: CreditCommand): Promise<CreditResult> {
  const result = d.store.transaction((): CreditResult => {
    const a = d.store.account();
    if (!a) return { ok: false, reason: "not_found" };
    const seen = d.storage.sql.exec("SELECT entry_id FROM received_transfers WHERE transfer_id = ?", cmd.transferId).toArray()[0] as
      | { entry_id: string } | undefined;
    if (seen) return { ok: true, entry_id: seen.entry_id };
    if (a.status !== "open") return { ok: false, reason: "closed" };
    if (a.currency !== cmd.currency) return { ok: false, reason: "currency" };
    if (!canReceive(a, cmd.amount)) return { ok: false, reason: "limit" };
    const now = new Date().toISOString();
    const entry = d.store.appendEntry(a, {
      kind: "transfer_in", direction: "credit", amount: cmd.amount, counterparty: `account:${cmd.fromAccountId}`,
      occurredAt: now, transferId: cmd.transferId,
    }, now);
    d.storage.sql.exec("INSERT INTO received_transfers (transfer_id, from_account_id, amount, entry_id, received_at) VALUES (?, ?, ?, ?, ?)",
      cmd.transferId, cmd.fromAccountId, cmd.amount, entry.entry_id, now);
    return { ok: true, entry_id: entry.entry_id };
  });
  if (result.ok) await d.outbox.committed();
  return result;
}

/** What this account has in flight and received, for conservation checks. */
export function inFlightView(d: AccountDO) {
  if (!d.store.account()) return { posted: 0, pending: 0, in_flight: [] };
  const inFlight = d.storage.sql
    .exec("SELECT id, to_account_id, credit_amount AS amount FROM transfers WHERE phase = 'crediting'").toArray();
  const a = d.store.account();
  return { posted: a?.posted ?? 0, pending: a?.pending ?? 0, in_flight: inFlight };
}
