/**
 * Payments in the account decider (given events, when a command, then the
 * events) and the processor simulator's seeded choices: the hold at once,
 * each step once, cancel only while pending; the same seed, key and attempt
 * always choose the same, and the rates and test references do what they say.
 */
import { describe, expect, it } from "vitest";
import { type Account, type AccountEvent, evolveAccount, type Payment } from "../src/domain/account/index";
import { planCall, simulatorConfig } from "../src/domain/payments/simulator";
import { given, NOW } from "./helpers/decider";

const account: Account = {
  id: "acc_a",
  userId: "usr_a",
  type: "checking",
  currency: "USD",
  name: "A",
  creditLimit: 0,
  status: "open",
  posted: 10_000,
  pending: 0,
  createdAt: NOW,
  closedAt: null,
};
const opened: AccountEvent = { type: "account_opened", account };
const payment: Payment = {
  id: "pay_1",
  userId: "usr_a",
  payeeId: "pye_1",
  amount: 4_000,
  currency: "USD",
  memo: null,
  status: "pending",
  reason: null,
  processorRef: null,
  entryId: null,
  createdAt: NOW,
  updatedAt: NOW,
};
const placed: AccountEvent = { type: "payment_status_changed", previous: null, payment };
const processing: AccountEvent = { type: "payment_status_changed", previous: "pending", payment: { ...payment, status: "processing" } };

describe("payments in the decider", () => {
  it("place takes the hold; beyond the available balance it is insufficient_funds", () => {
    given(opened).when({ type: "place_payment", paymentId: "pay_1", payeeId: "pye_1", amount: 4_000 }).then([placed]);
    expect(evolveAccount(account, placed)!.pending).toBe(4_000);
    given(opened, placed)
      .when({ type: "place_payment", paymentId: "pay_2", payeeId: "pye_1", amount: 6_001 })
      .thenError("insufficient_funds");
  });

  it("begin moves pending to processing once; settle posts the withdrawal and releases the hold once", () => {
    given(opened, placed).when({ type: "begin_payment", paymentId: "pay_1" }).then([processing]);
    given(opened, placed, processing).when({ type: "begin_payment", paymentId: "pay_1" }).then([]);
    const settle = given(opened, placed, processing).when({
      type: "settle_payment",
      paymentId: "pay_1",
      outcome: { ok: true, reference: "ref" },
    });
    const events = settle.events();
    expect(events.map((e) => e.type)).toEqual(["transaction_posted", "payment_status_changed"]);
    const [post, done] = events as [
      Extract<AccountEvent, { type: "transaction_posted" }>,
      Extract<AccountEvent, { type: "payment_status_changed" }>,
    ];
    expect(post.entry).toMatchObject({
      kind: "withdrawal",
      direction: "debit",
      amount: 4_000,
      counterparty: "payee:pye_1",
      balanceAfter: 6_000,
    });
    expect(done.payment).toMatchObject({ status: "success", processorRef: "ref", entryId: post.entry.entryId });
    const after = [opened, placed, processing, ...events].reduce<Account | null>((a, e) => evolveAccount(a, e), null)!;
    expect(after).toMatchObject({ posted: 6_000, pending: 0 });
    given(opened, placed, processing, ...events)
      .when({ type: "settle_payment", paymentId: "pay_1", outcome: { ok: true, reference: "ref" } })
      .then([]);
  });

  it("a failure releases the hold with its reason; settle before begin decides nothing", () => {
    const failed = given(opened, placed, processing)
      .when({ type: "settle_payment", paymentId: "pay_1", outcome: { ok: false, failure: "declined", message: "no" } })
      .events();
    expect(failed).toEqual([
      { type: "payment_status_changed", previous: "processing", payment: { ...payment, status: "failed", reason: "declined: no" } },
    ]);
    expect(evolveAccount({ ...account, pending: 4_000 }, failed[0]!)!.pending).toBe(0);
    given(opened, placed)
      .when({ type: "settle_payment", paymentId: "pay_1", outcome: { ok: true, reference: "r" } })
      .then([]);
  });

  it("cancel only while pending; an unknown payment is not_found", () => {
    expect(given(opened, placed).when({ type: "cancel_payment", paymentId: "pay_1" }).events()[0]).toMatchObject({
      previous: "pending",
      payment: { status: "canceled" },
    });
    given(opened, placed, processing).when({ type: "cancel_payment", paymentId: "pay_1" }).thenError("invalid_state");
    given(opened).when({ type: "begin_payment", paymentId: "pay_x" }).thenError("not_found");
  });
});

describe("the processor simulator", () => {
  it("is deterministic per seed, key and attempt, and follows its rates and test references", async () => {
    const cfg = simulatorConfig({ PAYMENTS_SIM_SEED: "s", PAYMENTS_SIM_DELAY_MS_MIN: "10", PAYMENTS_SIM_DELAY_MS_MAX: "20" });
    expect(await planCall(cfg, "k", 1, "1234")).toEqual(await planCall(cfg, "k", 1, "1234"));
    const delays = await Promise.all(Array.from({ length: 50 }, (_, i) => planCall(cfg, `k${i}`, 1, "1234")));
    for (const d of delays) expect(d.delayMs >= 10 && d.delayMs <= 20).toBe(true);
    const never = simulatorConfig({ PAYMENTS_SIM_FAILURE_RATE: "0", PAYMENTS_SIM_TRANSIENT_RATE: "0" });
    const always = simulatorConfig({ PAYMENTS_SIM_FAILURE_RATE: "1", PAYMENTS_SIM_TRANSIENT_RATE: "1" });
    expect(await planCall(never, "k", 1, "1234")).toMatchObject({ transient: false, declined: false });
    expect(await planCall(always, "k", 1, "1234")).toMatchObject({ transient: true, declined: true });
    expect(await planCall(never, "k", 1, "0002")).toMatchObject({ declined: true });
    expect((await Promise.all([1, 2, 3].map((n) => planCall(never, "k", n, "0119")))).map((p) => p.transient)).toEqual([true, true, false]);
    // About the configured share of 1,000 payments is declined.
    const tenth = simulatorConfig({ PAYMENTS_SIM_FAILURE_RATE: "0.1", PAYMENTS_SIM_TRANSIENT_RATE: "0" });
    const plans = await Promise.all(Array.from({ length: 1_000 }, (_, i) => planCall(tenth, `pay_${i}`, 1, "1234")));
    const declined = plans.filter((p) => p.declined).length;
    expect(declined).toBeGreaterThan(60);
    expect(declined).toBeLessThan(140);
    // Malformed values take the defaults, rates are clamped.
    expect(simulatorConfig({ PAYMENTS_SIM_FAILURE_RATE: "x", PAYMENTS_SIM_TRANSIENT_RATE: "7" })).toMatchObject({
      failureRate: 0.05,
      transientRate: 1,
    });
  });
});
