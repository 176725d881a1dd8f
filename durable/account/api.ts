/**
 * The AccountDO's RPC contract: who calls, what each method takes, and the
 * typed result every HTTP-facing method returns (a view with its status, or
 * the error envelope). The Worker maps results to HTTP; the idempotency
 * record keeps the exact first reply, so a replay is the same bytes.
 */
import type { AccountType, AnnotationChanges, BudgetPeriod } from "../../src/domain/account/index";
import type { ErrorBody } from "../../src/domain/errors";
import type { StoredReply } from "../../src/domain/idempotency";
import type { TransactionKind } from "../../src/events/catalog";

/** Who is asking, as established by the Worker from the access token. */
export interface Caller {
  userId: string;
  requestId: string;
}

export type SuccessStatus = 200 | 201 | 202 | 204;
export type Ok<T> = { ok: true; status: SuccessStatus; value: T; replayed?: boolean };
export type Failed = { ok: false; status: number; error: ErrorBody["error"]; replayed?: boolean };
export type Result<T> = Ok<T> | Failed;

export function ok<T>(status: SuccessStatus, value: T): Ok<T> {
  return { ok: true, status, value };
}

/** The bytes the idempotency record keeps (and the Worker sends) for a result. */
export function toStored(r: Result<unknown>): StoredReply {
  if (r.status === 204) return { status: 204, body: "" };
  return { status: r.status, body: JSON.stringify(r.ok ? r.value : { error: r.error }) };
}

/** A stored reply as the result it was; JSON.stringify of the parse is the stored bytes again. */
export function fromStored<T>(s: StoredReply): Result<T> {
  if (s.status === 204) return { ok: true, status: 204, value: undefined as T, replayed: true };
  const body = JSON.parse(s.body) as { error?: ErrorBody["error"] };
  if (s.status >= 400) return { ok: false, status: s.status, error: body.error!, replayed: true };
  return { ok: true, status: s.status as SuccessStatus, value: body as T, replayed: true };
}

export interface OpenCommand {
  accountId: string;
  userId: string;
  type: AccountType;
  currency: string;
  name: string;
  creditLimit: number;
  requestId: string;
}

export interface TransactionInput {
  kind: TransactionKind;
  amount: number;
  description?: string;
  merchant?: string;
  category?: string;
  occurred_at?: string;
  metadata?: Record<string, string>;
}

export type AnnotationInput = AnnotationChanges;

export interface TransactionFilter {
  from?: string;
  to?: string;
  kind?: string;
  category?: string;
  merchant?: string;
  min_amount?: number;
  max_amount?: number;
  limit: number;
  /** Exclusive upper bound on seq (newest first). */
  before_seq?: number;
  /** Only entries recorded before this instant (or at it, when `inclusive`): the cross-account list's cursor. */
  recorded_before?: { at: string; inclusive: boolean };
}

export interface TransferFilter {
  status?: "pending" | "posted" | "voided" | "failed";
  limit: number;
  /** Only transfers created before this instant; at it too when `inclusive`, or at it with an id below `id`. */
  created_before?: { at: string; inclusive?: boolean; id?: string };
}

export interface CreateTransferInput {
  to_account_id: string;
  amount: number;
  description?: string;
  mode: "immediate" | "pending";
  expires_in_seconds?: number;
}

export interface SetBudgetInput {
  category: string;
  limit: number;
  period: BudgetPeriod;
  alert_at: number[];
}

export interface CreditCommand {
  transferId: string;
  fromAccountId: string;
  amount: number;
  currency: string;
}

export type CreditResult = { ok: true; entry_id: string } | { ok: false; reason: "not_found" | "closed" | "currency" | "limit" };
