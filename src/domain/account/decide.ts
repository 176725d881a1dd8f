/**
 * The account decider: `decide(command, account, ctx)` returns the events the
 * command causes, or throws a DomainError and changes nothing. Pure: the
 * clock, ids and every read come in through `ctx`. The switch is exhaustive.
 */
import { DomainError } from "../errors";
import type { AccountCommand, CommandOf } from "./commands";
import { budgetCrossings, decideDeleteBudget, decideSetBudget } from "./decide-budget";
import { decideAnnotate } from "./decide-annotate";
import { decideCancelOrder, decideExpireOrder, decideFillOrder, decidePlaceOrder } from "./decide-order";
import { decideBeginPost, decideExpire, decidePlaceTransfer, decideReceive, decideSettle, decideVoidTransfer } from "./decide-transfer";
import { decideBeginPayment, decideCancelPayment, decidePlacePayment, decideSettlePayment } from "./decide-payment";
import type { AccountEvent, PostedEntry } from "./events";
import { counterpartyOf, DIRECTION, decideClose, decideMovement, decideReversal, validateOccurredAt, type Account } from "./rules";
import type { DecideContext } from "./state";

export function decide(command: AccountCommand, account: Account | null, ctx: DecideContext): AccountEvent[] {
  if (command.type === "open_account") return decideOpen(command, account, ctx);
  if (!account) throw new DomainError("not_found", "Account not found");
  switch (command.type) {
    case "close_account":
      decideClose(account);
      return [{ type: "account_closed", closedAt: ctx.now }];
    case "post_transaction":
      return decidePost(command, account, ctx);
    case "reverse_transaction":
      return decideReverse(command, account, ctx);
    case "annotate_transaction":
      return decideAnnotate(command, account, ctx);
    case "set_budget":
      return decideSetBudget(command, account, ctx);
    case "delete_budget":
      return decideDeleteBudget(command, ctx);
    case "place_transfer":
      return decidePlaceTransfer(command, account, ctx);
    case "begin_transfer_post":
      return decideBeginPost(command, ctx);
    case "settle_transfer":
      return decideSettle(command, account, ctx);
    case "void_transfer":
      return decideVoidTransfer(command, ctx);
    case "expire_transfer":
      return decideExpire(command, ctx);
    case "receive_transfer":
      return decideReceive(command, account, ctx);
    case "place_order":
      return decidePlaceOrder(command, account, ctx);
    case "fill_order":
      return decideFillOrder(command, account, ctx);
    case "cancel_order":
      return decideCancelOrder(command, ctx);
    case "expire_order":
      return decideExpireOrder(command, ctx);
    case "place_payment":
      return decidePlacePayment(command, account, ctx);
    case "begin_payment":
      return decideBeginPayment(command, ctx);
    case "settle_payment":
      return decideSettlePayment(command, account, ctx);
    case "cancel_payment":
      return decideCancelPayment(command, ctx);
    default:
      return unreachable(command);
  }
}

export function unreachable(x: never): never {
  throw new Error(`unhandled: ${JSON.stringify(x)}`);
}

function decideOpen(c: CommandOf<"open_account">, existing: Account | null, ctx: DecideContext): AccountEvent[] {
  if (existing) throw new DomainError("conflict", "Account already exists");
  return [
    {
      type: "account_opened",
      account: {
        id: c.accountId,
        userId: c.userId,
        type: c.accountType,
        currency: c.currency,
        name: c.name,
        creditLimit: c.accountType === "credit" ? c.creditLimit : 0,
        status: "open",
        posted: 0,
        pending: 0,
        createdAt: ctx.now,
        closedAt: null,
      },
    },
  ];
}

function decidePost(c: CommandOf<"post_transaction">, a: Account, ctx: DecideContext): AccountEvent[] {
  const occurredAt = c.occurredAt ? validateOccurredAt(c.occurredAt, Date.parse(ctx.now), ctx.backdateDays) : ctx.now;
  const direction = DIRECTION[c.kind];
  const entry: PostedEntry = {
    entryId: ctx.newEntryId(),
    kind: c.kind,
    direction,
    amount: c.amount,
    counterparty: counterpartyOf(c.kind, c.merchant ?? null),
    occurredAt,
    balanceAfter: decideMovement(a, direction, c.amount),
    description: c.description ?? null,
    merchant: c.merchant ?? null,
    category: c.category ?? null,
    metadata: c.metadata ?? null,
    transferId: null,
    reversesEntryId: null,
    reversesKind: null,
  };
  return [{ type: "transaction_posted", entry }, ...budgetCrossings(entry, ctx)];
}

function decideReverse(c: CommandOf<"reverse_transaction">, a: Account, ctx: DecideContext): AccountEvent[] {
  const original = ctx.reads.entry(c.entryId);
  if (!original) throw new DomainError("not_found", "Transaction not found");
  const { direction, balanceAfter } = decideReversal(a, original);
  // Back-valued: the reversal lands on the original's event time, so every
  // balance, budget and aggregate sees the pair cancel on the same day; it
  // carries the original's effective category and merchant for the same reason.
  const entry: PostedEntry = {
    entryId: ctx.newEntryId(),
    kind: "reversal",
    direction,
    amount: original.amount,
    counterparty: original.counterparty,
    occurredAt: original.occurredAt,
    balanceAfter,
    description: `Reversal of ${original.entryId}`,
    merchant: original.merchant,
    category: original.category,
    metadata: c.reason ? { reason: c.reason } : null,
    transferId: null,
    reversesEntryId: original.entryId,
    reversesKind: original.kind,
  };
  return [{ type: "transaction_posted", entry }, ...budgetCrossings(entry, ctx)];
}
