/**
 * The account decider, command by command: given events, when a command,
 * then the events it causes (or the domain error, with nothing decided).
 * Covers every command, the transfer saga's steps included.
 */
import { describe, expect, it } from "vitest";
import type { Account, AccountEvent, PostedEntry, Transfer } from "../src/domain/account/index";
import { given, NOW } from "./helpers/decider";

const account: Account = {
  id: "acc_a",
  userId: "usr_a",
  type: "checking",
  currency: "USD",
  name: "A",
  creditLimit: 0,
  status: "open",
  posted: 0,
  pending: 0,
  createdAt: NOW,
  closedAt: null,
};
const opened: AccountEvent = { type: "account_opened", account };
const entry = (over: Partial<PostedEntry>): PostedEntry => ({
  entryId: "txn_1",
  kind: "deposit",
  direction: "credit",
  amount: 1_000,
  counterparty: "external:cash",
  occurredAt: NOW,
  balanceAfter: 1_000,
  description: null,
  merchant: null,
  category: null,
  metadata: null,
  transferId: null,
  reversesEntryId: null,
  reversesKind: null,
  ...over,
});
const posted = (over: Partial<PostedEntry>): AccountEvent => ({ type: "transaction_posted", entry: entry(over) });
const funded = posted({});
const purchase = posted({
  entryId: "txn_2",
  kind: "purchase",
  direction: "debit",
  amount: 300,
  counterparty: "merchant:Shop",
  balanceAfter: 700,
  merchant: "Shop",
  category: "food",
});
const transfer = (over: Partial<Transfer> = {}): Transfer => ({
  id: "trf_1",
  userId: "usr_a",
  fromAccountId: "acc_a",
  toAccountId: "acc_b",
  amount: 400,
  creditAmount: null,
  postedAmount: null,
  currency: "USD",
  mode: "pending",
  status: "pending",
  phase: "reserved",
  description: null,
  expiresAt: "2026-06-16T12:00:00.000Z",
  createdAt: NOW,
  updatedAt: NOW,
  op: null,
  ...over,
});
const held: AccountEvent = { type: "transfer_pending", transfer: transfer() };

describe("open and close", () => {
  it("opens once", () => {
    given()
      .when({
        type: "open_account",
        accountId: "acc_a",
        userId: "usr_a",
        accountType: "checking",
        currency: "USD",
        name: "A",
        creditLimit: 500,
      })
      .then([opened]);
    given(opened)
      .when({
        type: "open_account",
        accountId: "acc_a",
        userId: "usr_a",
        accountType: "checking",
        currency: "USD",
        name: "A",
        creditLimit: 0,
      })
      .thenError("conflict");
  });
  it("a credit account keeps its limit; others ignore it", () => {
    const [e] = given()
      .when({ type: "open_account", accountId: "acc_c", userId: "u", accountType: "credit", currency: "EUR", name: "C", creditLimit: 500 })
      .events();
    expect(e).toMatchObject({ account: { type: "credit", creditLimit: 500, currency: "EUR" } });
  });
  it("closes only at zero, with no holds, once", () => {
    given(opened)
      .when({ type: "close_account" })
      .then([{ type: "account_closed", closedAt: NOW }]);
    given(opened, funded).when({ type: "close_account" }).thenError("account_not_empty");
    given(opened, { type: "account_closed", closedAt: NOW }).when({ type: "close_account" }).thenError("account_closed");
  });
  it("an account that was never opened is not found", () => {
    given().when({ type: "post_transaction", kind: "deposit", amount: 1 }).thenError("not_found");
  });
});

describe("post, reverse", () => {
  it("a deposit credits with the balance after", () => {
    given(opened)
      .when({ type: "post_transaction", kind: "deposit", amount: 1_000 })
      .then([posted({ entryId: "txn_new1" })]);
  });
  it("a purchase below the floor is insufficient_funds", () => {
    given(opened, funded)
      .when({ type: "post_transaction", kind: "purchase", amount: 1_001 })
      .thenError("insufficient_funds", { available: 1_000, requested: 1_001 });
  });
  it("holds count against the floor", () => {
    given(opened, funded, held).when({ type: "post_transaction", kind: "withdrawal", amount: 601 }).thenError("insufficient_funds");
  });
  it("an event time more than 90 days back or in the future is refused", () => {
    given(opened)
      .when({ type: "post_transaction", kind: "deposit", amount: 1, occurredAt: "2026-03-01T00:00:00.000Z" })
      .thenError("validation_error");
    given(opened)
      .when({ type: "post_transaction", kind: "deposit", amount: 1, occurredAt: "2026-06-16T00:00:00.000Z" })
      .thenError("validation_error");
  });
  it("a reversal cancels the original on its event time with its effective category, once", () => {
    given(opened, funded, purchase)
      .when({ type: "reverse_transaction", entryId: "txn_2", reason: "dup" })
      .then([
        posted({
          entryId: "txn_new1",
          kind: "reversal",
          direction: "credit",
          amount: 300,
          counterparty: "merchant:Shop",
          balanceAfter: 1_000,
          merchant: "Shop",
          category: "food",
          description: "Reversal of txn_2",
          metadata: { reason: "dup" },
          reversesEntryId: "txn_2",
          reversesKind: "purchase",
        }),
      ]);
    const reversed = posted({
      entryId: "txn_3",
      kind: "reversal",
      direction: "credit",
      amount: 300,
      balanceAfter: 1_000,
      reversesEntryId: "txn_2",
      reversesKind: "purchase",
    });
    given(opened, funded, purchase, reversed)
      .when({ type: "reverse_transaction", entryId: "txn_2" })
      .thenError("already_reversed", { reversed_by: "txn_3" });
    given(opened, funded, purchase, reversed).when({ type: "reverse_transaction", entryId: "txn_3" }).thenError("invalid_state");
    given(opened).when({ type: "reverse_transaction", entryId: "txn_x" }).thenError("not_found");
  });
});

describe("annotate", () => {
  it("moves the entry to another category with the previous and current values", () => {
    given(opened, funded, purchase)
      .when({ type: "annotate_transaction", entryId: "txn_2", changes: { category: "travel", tags: ["a", "a", "b"] } })
      .then([
        {
          type: "transaction_annotated",
          entryId: "txn_2",
          kind: "purchase",
          direction: "debit",
          amount: 300,
          entryOccurredAt: NOW,
          previous: { description: null, merchant: "Shop", category: "food", tags: [], notes: null },
          current: { description: null, merchant: "Shop", category: "travel", tags: ["a", "b"], notes: null },
        },
      ]);
  });
  it("changing nothing decides nothing; a reversed entry keeps its category; a closed account refuses", () => {
    given(opened, funded, purchase)
      .when({ type: "annotate_transaction", entryId: "txn_2", changes: { category: "food" } })
      .then([]);
    const reversal = posted({
      entryId: "txn_3",
      kind: "reversal",
      direction: "credit",
      amount: 300,
      balanceAfter: 1_000,
      reversesEntryId: "txn_2",
      reversesKind: "purchase",
    });
    given(opened, funded, purchase, reversal)
      .when({ type: "annotate_transaction", entryId: "txn_2", changes: { merchant: "Other" } })
      .thenError("invalid_state");
    given(opened, funded, purchase, reversal)
      .when({ type: "annotate_transaction", entryId: "txn_2", changes: { description: "x" } })
      .thenError("invalid_state");
    expect(
      given(opened, funded, purchase, reversal)
        .when({ type: "annotate_transaction", entryId: "txn_2", changes: { notes: "ok" } })
        .events(),
    ).toHaveLength(1);
    given(opened, { type: "account_closed", closedAt: NOW })
      .when({ type: "annotate_transaction", entryId: "txn_1", changes: { notes: "x" } })
      .thenError("account_closed");
  });
  it("a recategorization that crosses the new category's threshold alerts", () => {
    const budget: AccountEvent = {
      type: "budget_set",
      budget: { category: "travel", limit: 400, period: "monthly", alertAt: [0.5], createdAt: NOW, updatedAt: NOW },
    };
    const events = given(opened, funded, purchase, budget)
      .when({ type: "annotate_transaction", entryId: "txn_2", changes: { category: "travel" } })
      .events();
    expect(events[1]).toEqual({
      type: "budget_threshold_crossed",
      category: "travel",
      period: "monthly",
      periodStart: "2026-06-01T00:00:00.000Z",
      thresholdBp: 5_000,
      spent: 300,
      limit: 400,
    });
  });
});

describe("budgets", () => {
  const set = { type: "set_budget", category: "food", limit: 500, period: "monthly", alertAt: [1, 0.5] } as const;
  it("sets (thresholds sorted), keeps its creation time on replace, deletes", () => {
    const made: AccountEvent = {
      type: "budget_set",
      budget: { category: "food", limit: 500, period: "monthly", alertAt: [0.5, 1], createdAt: NOW, updatedAt: NOW },
    };
    given(opened).when(set).then([made]);
    given(opened, made)
      .when({ ...set, limit: 900 }, "2026-06-20T00:00:00.000Z")
      .then([
        {
          type: "budget_set",
          budget: {
            category: "food",
            limit: 900,
            period: "monthly",
            alertAt: [0.5, 1],
            createdAt: NOW,
            updatedAt: "2026-06-20T00:00:00.000Z",
          },
        },
      ]);
    given(opened, made)
      .when({ type: "delete_budget", category: "food" })
      .then([{ type: "budget_deleted", category: "food" }]);
    given(opened).when({ type: "delete_budget", category: "food" }).thenError("not_found");
    given(opened)
      .when({ ...set, alertAt: [0.5, 0.5] })
      .thenError("validation_error");
  });
  it("a purchase crossing a threshold alerts once per period", () => {
    const made: AccountEvent = {
      type: "budget_set",
      budget: { category: "food", limit: 500, period: "monthly", alertAt: [0.5], createdAt: NOW, updatedAt: NOW },
    };
    const buy = { type: "post_transaction", kind: "purchase", amount: 300, category: "food" } as const;
    const [, alert] = given(opened, funded, made).when(buy).events();
    expect(alert).toMatchObject({ type: "budget_threshold_crossed", thresholdBp: 5_000, spent: 300 });
    expect(given(opened, funded, made, alert!).when(buy).events()).toHaveLength(1);
  });
});

describe("the transfer saga", () => {
  const place = {
    type: "place_transfer",
    toAccountId: "acc_b",
    amount: 400,
    mode: "pending",
    expiresInSeconds: 86_400,
    destinationAcceptable: true,
    key: "k",
    requestId: "r",
  } as const;
  it("places a hold (pending), or a hold already crediting (immediate)", () => {
    given(opened, funded)
      .when(place)
      .then([{ type: "transfer_pending", transfer: transfer({ id: "trf_new1" }) }]);
    const [e] = given(opened, funded)
      .when({ ...place, mode: "immediate", expiresInSeconds: undefined })
      .events();
    expect(e).toMatchObject({
      transfer: { phase: "crediting", creditAmount: 400, expiresAt: null, op: { key: "k", name: "create", requestId: "r" } },
    });
  });
  it("refuses an unfunded hold, itself as destination, and a destination that cannot receive", () => {
    given(opened).when(place).thenError("insufficient_funds");
    given(opened, funded)
      .when({ ...place, toAccountId: "acc_a" })
      .thenError("transfer_rejected");
    given(opened, funded)
      .when({ ...place, destinationAcceptable: false })
      .thenError("transfer_rejected");
  });
  it("begins posting (for less), then settles: debit leg, release the rest", () => {
    given(opened, funded, held)
      .when({ type: "begin_transfer_post", transferId: "trf_1", amount: 250, key: "p", requestId: "r" })
      .then([{ type: "transfer_crediting", transferId: "trf_1", creditAmount: 250, op: { key: "p", name: "post", requestId: "r" } }]);
    const crediting: AccountEvent = { type: "transfer_crediting", transferId: "trf_1", creditAmount: 250, op: null };
    given(opened, funded, held, crediting)
      .when({ type: "settle_transfer", transferId: "trf_1", credited: true })
      .then([
        posted({
          entryId: "txn_new1",
          kind: "transfer_out",
          direction: "debit",
          amount: 250,
          counterparty: "account:acc_b",
          balanceAfter: 750,
          transferId: "trf_1",
        }),
        { type: "transfer_posted", transferId: "trf_1", amount: 250, released: 150 },
      ]);
    given(opened, funded, held, crediting)
      .when({ type: "settle_transfer", transferId: "trf_1", credited: false })
      .then([{ type: "transfer_voided", transferId: "trf_1", amount: 400, reason: "rejected" }]);
  });
  it("settles once: a settled transfer decides nothing; posting twice or more than held is refused", () => {
    const crediting: AccountEvent = { type: "transfer_crediting", transferId: "trf_1", creditAmount: 400, op: null };
    const done: AccountEvent = { type: "transfer_posted", transferId: "trf_1", amount: 400, released: 0 };
    given(opened, funded, held, crediting, done).when({ type: "settle_transfer", transferId: "trf_1", credited: true }).then([]);
    given(opened, funded, held, crediting)
      .when({ type: "begin_transfer_post", transferId: "trf_1", key: "p", requestId: "r" })
      .thenError("invalid_state");
    given(opened, funded, held)
      .when({ type: "begin_transfer_post", transferId: "trf_1", amount: 401, key: "p", requestId: "r" })
      .thenError("unprocessable");
    given(opened, funded).when({ type: "begin_transfer_post", transferId: "trf_9", key: "p", requestId: "r" }).thenError("not_found");
  });
  it("voids a pending hold; expires it only once due; never posts an expired one", () => {
    given(opened, funded, held)
      .when({ type: "void_transfer", transferId: "trf_1" })
      .then([{ type: "transfer_voided", transferId: "trf_1", amount: 400, reason: "voided" }]);
    given(opened, funded, held).when({ type: "expire_transfer", transferId: "trf_1" }).then([]);
    const later = "2026-06-17T00:00:00.000Z";
    given(opened, funded, held)
      .when({ type: "expire_transfer", transferId: "trf_1" }, later)
      .then([{ type: "transfer_voided", transferId: "trf_1", amount: 400, reason: "expired" }]);
    given(opened, funded, held)
      .when({ type: "begin_transfer_post", transferId: "trf_1", key: "p", requestId: "r" }, later)
      .thenError("invalid_state");
    const voided: AccountEvent = { type: "transfer_voided", transferId: "trf_1", amount: 400, reason: "voided" };
    given(opened, funded, held, voided).when({ type: "void_transfer", transferId: "trf_1" }).thenError("invalid_state");
  });
  it("the destination credits once per transfer id and refuses what it cannot hold", () => {
    const receive = { type: "receive_transfer", transferId: "trf_9", fromAccountId: "acc_z", amount: 50, currency: "USD" } as const;
    given(opened)
      .when(receive)
      .then([
        posted({
          entryId: "txn_new1",
          kind: "transfer_in",
          amount: 50,
          counterparty: "account:acc_z",
          balanceAfter: 50,
          transferId: "trf_9",
        }),
        { type: "transfer_received", transferId: "trf_9", fromAccountId: "acc_z", amount: 50, entryId: "txn_new1" },
      ]);
    const got: AccountEvent = { type: "transfer_received", transferId: "trf_9", fromAccountId: "acc_z", amount: 50, entryId: "txn_x" };
    given(opened, got).when(receive).then([]);
    given(opened)
      .when({ ...receive, currency: "EUR" })
      .thenError("transfer_rejected", { reason: "currency" });
    given(opened, { type: "account_closed", closedAt: NOW }).when(receive).thenError("transfer_rejected", { reason: "closed" });
    given(opened)
      .when({ ...receive, amount: 1_000_000_000_000_001 })
      .thenError("transfer_rejected", { reason: "limit" });
  });
});
