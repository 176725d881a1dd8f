/** The pure ledger rules the decider is built from: given an account, when a check, then its outcome. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  type Account,
  balanceOf,
  type Budget,
  crossedThresholds,
  decideClose,
  decideHold,
  decideMovement,
  decidePost,
  decideReversal,
  decideVoid,
  isExpired,
  periodBounds,
  statusOf,
  type TransferState,
  validateOccurredAt,
} from "../src/domain/account/index";
import type { DomainError } from "../src/domain/errors";
import { entryHash, GENESIS_HASH, sha256Hex } from "../src/domain/hash-chain";
import { decideIdempotency, fingerprint } from "../src/domain/idempotency";
import { formatMinor, isCurrency, isValidAmount } from "../src/domain/money";
import { transferSource, newTransferId, newAccountId } from "../src/domain/ids";

const given = (over: Partial<Account> = {}): Account => ({
  id: "acc_x",
  userId: "usr_x",
  type: "checking",
  currency: "USD",
  name: "x",
  creditLimit: 0,
  status: "open",
  posted: 0,
  pending: 0,
  createdAt: "2026-01-01T00:00:00.000Z",
  closedAt: null,
  ...over,
});
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as DomainError).code;
  }
  return "no error";
};

describe("movements and floors", () => {
  it("a deposit credits; a debit within the balance is allowed", () => {
    expect(decideMovement(given(), "credit", 500)).toBe(500);
    expect(decideMovement(given({ posted: 500 }), "debit", 500)).toBe(0);
  });
  it("a debit below zero is insufficient_funds for checking, savings and brokerage", () => {
    for (const type of ["checking", "savings", "brokerage"] as const) {
      expect(codeOf(() => decideMovement(given({ type, posted: 499 }), "debit", 500))).toBe("insufficient_funds");
    }
  });
  it("credit accounts go down to −credit_limit and no further", () => {
    const card = given({ type: "credit", creditLimit: 1_000 });
    expect(decideMovement(card, "debit", 1_000)).toBe(-1_000);
    expect(codeOf(() => decideMovement(card, "debit", 1_001))).toBe("insufficient_funds");
    expect(balanceOf(card).available).toBe(1_000);
  });
  it("holds count against the floor", () => {
    const a = given({ posted: 1_000, pending: 600 });
    expect(balanceOf(a)).toEqual({ posted: 1_000, pending: 600, available: 400 });
    expect(codeOf(() => decideMovement(a, "debit", 401))).toBe("insufficient_funds");
    expect(codeOf(() => decideHold(a, 401))).toBe("insufficient_funds");
    expect(() => decideHold(a, 400)).not.toThrow();
  });
  it("a closed account takes nothing", () => {
    expect(codeOf(() => decideMovement(given({ status: "closed" }), "credit", 1))).toBe("account_closed");
  });
  it("closing needs zero posted and zero pending", () => {
    expect(codeOf(() => decideClose(given({ posted: 1 })))).toBe("account_not_empty");
    expect(codeOf(() => decideClose(given({ pending: 1 })))).toBe("account_not_empty");
    expect(() => decideClose(given())).not.toThrow();
  });
});

describe("reversals", () => {
  it("reverse the direction once, never a reversal or a transfer leg", () => {
    const a = given({ posted: 1_000 });
    expect(decideReversal(a, { kind: "purchase", direction: "debit", amount: 300, reversedBy: null })).toEqual({
      direction: "credit",
      balanceAfter: 1_300,
    });
    expect(codeOf(() => decideReversal(a, { kind: "purchase", direction: "debit", amount: 300, reversedBy: "txn_y" }))).toBe(
      "already_reversed",
    );
    expect(codeOf(() => decideReversal(a, { kind: "reversal", direction: "credit", amount: 300, reversedBy: null }))).toBe("invalid_state");
    expect(codeOf(() => decideReversal(a, { kind: "transfer_in", direction: "credit", amount: 300, reversedBy: null }))).toBe(
      "invalid_state",
    );
  });
  it("reversing a deposit that was already spent is insufficient_funds", () => {
    expect(
      codeOf(() => decideReversal(given({ posted: 100 }), { kind: "deposit", direction: "credit", amount: 300, reversedBy: null })),
    ).toBe("insufficient_funds");
  });
});

describe("event time", () => {
  const now = Date.parse("2026-06-15T12:00:00Z");
  it("accepts the past within 90 days and normalizes to UTC", () => {
    expect(validateOccurredAt("2026-06-01T10:00:00+02:00", now)).toBe("2026-06-01T08:00:00.000Z");
  });
  it("rejects the future and the far past", () => {
    expect(codeOf(() => validateOccurredAt("2026-06-16T00:00:00Z", now))).toBe("validation_error");
    expect(codeOf(() => validateOccurredAt("2026-03-01T00:00:00Z", now))).toBe("validation_error");
  });
});

describe("transfers", () => {
  const t = (over: Partial<TransferState> = {}): TransferState => ({
    id: "trf",
    fromAccountId: "a",
    toAccountId: "b",
    amount: 1_000,
    creditAmount: null,
    postedAmount: null,
    currency: "USD",
    mode: "pending",
    status: "pending",
    phase: "reserved",
    expiresAt: "2026-01-02T00:00:00.000Z",
    ...over,
  });
  const before = "2026-01-01T12:00:00.000Z";
  it("posts the full amount or less, never more", () => {
    expect(decidePost(t(), undefined, before)).toBe(1_000);
    expect(decidePost(t(), 400, before)).toBe(400);
    expect(codeOf(() => decidePost(t(), 1_001, before))).toBe("unprocessable");
  });
  it("refuses to post once the expiry has passed, even before the alarm voids it", () => {
    expect(codeOf(() => decidePost(t(), undefined, "2026-01-02T00:00:00.000Z"))).toBe("invalid_state");
    expect(decidePost(t({ expiresAt: null }), undefined, "2027-01-01T00:00:00.000Z")).toBe(1_000);
  });
  it("posts or voids a pending transfer exactly once", () => {
    expect(codeOf(() => decidePost(t({ status: "posted", phase: "settled" }), undefined, before))).toBe("invalid_state");
    expect(codeOf(() => decideVoid(t({ status: "voided", phase: "settled" })))).toBe("invalid_state");
    expect(codeOf(() => decideVoid(t({ phase: "crediting" })))).toBe("invalid_state");
  });
  it("expires only while reserved and past its time", () => {
    expect(isExpired(t(), "2026-01-02T00:00:00.000Z")).toBe(true);
    expect(isExpired(t(), "2026-01-01T23:59:59.999Z")).toBe(false);
    expect(isExpired(t({ phase: "crediting" }), "2027-01-01T00:00:00.000Z")).toBe(false);
  });
  it("transfer ids name their source account", () => {
    const acc = newAccountId();
    expect(transferSource(newTransferId(acc))).toBe(acc);
    expect(transferSource("trf_bad")).toBeNull();
  });
});

describe("budgets", () => {
  const b: Budget = { category: "groceries", limit: 10_000, period: "monthly", alertAt: [0.8, 1], currency: "USD" };
  it("crosses each threshold when spending reaches it", () => {
    expect(crossedThresholds(b, 7_000, 7_999)).toEqual([]);
    expect(crossedThresholds(b, 7_999, 8_000)).toEqual([8_000]);
    expect(crossedThresholds(b, 7_000, 12_000)).toEqual([8_000, 10_000]);
    expect(crossedThresholds(b, 9_000, 8_500)).toEqual([]);
  });
  it("status is ok, warning at the first threshold, exceeded over the limit", () => {
    expect(statusOf(b, 7_999)).toBe("ok");
    expect(statusOf(b, 8_000)).toBe("warning");
    expect(statusOf(b, 10_000)).toBe("warning");
    expect(statusOf(b, 10_001)).toBe("exceeded");
  });
  it("periods are UTC months and ISO weeks from Monday", () => {
    expect(periodBounds("monthly", "2026-02-14T23:00:00Z")).toEqual({ start: "2026-02-01T00:00:00.000Z", end: "2026-03-01T00:00:00.000Z" });
    expect(periodBounds("weekly", "2026-11-22T10:00:00Z")).toEqual({ start: "2026-11-16T00:00:00.000Z", end: "2026-11-23T00:00:00.000Z" });
  });
});

describe("idempotency and money", () => {
  it("replays the same request, refuses another under the same key, and 409s while running", () => {
    const fp = fingerprint("op", { b: 1, a: 2 });
    expect(fingerprint("op", { a: 2, b: 1 })).toBe(fp);
    expect(decideIdempotency(null, fp)).toEqual({ execute: true });
    const reply = { status: 201, body: "{}" };
    expect(decideIdempotency({ fingerprint: fp, status: "done", reply }, fp)).toEqual({ replay: reply });
    expect(codeOf(() => decideIdempotency({ fingerprint: fp, status: "done", reply }, "other"))).toBe("idempotency_key_reused");
    expect(codeOf(() => decideIdempotency({ fingerprint: fp, status: "in_progress", reply: null }, fp))).toBe("idempotency_in_progress");
  });
  it("amounts are positive safe integers within the cap; currencies are ISO 4217", () => {
    expect(isValidAmount(1)).toBe(true);
    for (const bad of [0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Infinity]) expect(isValidAmount(bad)).toBe(false);
    expect(isCurrency("JPY")).toBe(true);
    expect(isCurrency("XXX")).toBe(false);
    expect(formatMinor(-12345, "USD")).toBe("-$123.45");
    expect(formatMinor(176438, "USD")).toBe("$1,764.38");
    expect(formatMinor(500, "JPY")).toBe("¥500");
    expect(formatMinor(1500, "KWD")).toBe("KWD\u00a01.500");
    // Exact past 2^53 / 100: no float in between.
    expect(formatMinor(900719925474099, "USD")).toBe("$9,007,199,254,740.99");
  });
});

describe("hash chain", () => {
  it("is SHA-256 over the UTF-8 bytes (FIPS 180-2 vectors), so chains written before any library change still verify", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    // Multi-byte UTF-8 (the journal stores unicode descriptions) hashes the same as node:crypto does.
    const e = {
      seq: 1,
      entry_id: "txn_0123456789abcdefghjk",
      kind: "purchase",
      debit_account: "account:acc_x",
      credit_account: "merchant:Café Ünïcode ☕",
      amount: 450,
      currency: "EUR",
      balance_after: -450,
      occurred_at: "2026-03-01T09:00:00.000Z",
      recorded_at: "2026-03-01T09:00:00.000Z",
      transfer_id: null,
      reverses_entry_id: null,
      description: "Grüße 🍰",
      merchant: "Café Ünïcode ☕",
      category: null,
      metadata: null,
    };
    const canonical = JSON.stringify([
      e.seq,
      e.entry_id,
      e.kind,
      e.debit_account,
      e.credit_account,
      e.amount,
      e.currency,
      e.balance_after,
      e.occurred_at,
      e.recorded_at,
      e.transfer_id,
      e.reverses_entry_id,
      e.description,
      e.merchant,
      e.category,
      e.metadata,
    ]);
    expect(entryHash(GENESIS_HASH, e)).toBe(createHash("sha256").update(`${GENESIS_HASH}\n${canonical}`, "utf8").digest("hex"));
  });
});
