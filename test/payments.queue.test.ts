/**
 * The payments consumer under the processor's failures: transient errors
 * retried with backoff until success or until the attempts run out (failed,
 * processor_unavailable), duplicate deliveries, a crash between the
 * processor call and the ledger update (executed once, the hold posted or
 * released once), cancel racing the queue, poison messages to the DLQ, and
 * the DLQ finishing a payment the queue gave up on.
 */
import { createExecutionContext, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { consumePaymentDeadLetters } from "../queues/payments-dlq";
import { consumePayments, MAX_ATTEMPTS, type PaymentsOptions } from "../queues/payments";
import { findExecution } from "../src/db/processor-executions";
import { capturePayments } from "./helpers/faults";
import { allEntries, api, balanceOf, deposit, openAccount, registerUser, type User } from "./helpers/ledger";
import { addPayee, getPayment, pay } from "./helpers/payments";
import { messageBatch } from "./helpers/pipeline";

async function deliver(bodies: unknown[], attempts = 1, opts: PaymentsOptions = {}, target: Env = env) {
  const batch = messageBatch("finedge-payments", bodies, attempts);
  const delays: (number | undefined)[] = [];
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    m.retry = (o?: QueueRetryOptions) => {
      delays.push(o?.delaySeconds);
      retry(o);
    };
  }
  await consumePayments(batch, target, opts);
  return { result: await getQueueResult(batch, createExecutionContext()), delays };
}

/** A funded account whose payment hand-overs the test delivers itself, and one payment to a payee with this reference. */
async function held(ref: string, amount = 2_000) {
  const u = await registerUser();
  const a = await openAccount(u);
  await deposit(u, a, 10_000);
  const sent = await capturePayments(a);
  const payee = await addPayee(u, ref);
  const res = await pay(u, { from_account_id: a, payee_id: payee, amount });
  expect(res.status).toBe(202);
  expect(sent).toEqual([{ account_id: a, payment_id: res.body.id }]);
  return { u, a, id: res.body.id as string, message: sent[0]! };
}

const statusOf = async (u: User, id: string) => (await getPayment(u, id)).body;
const withdrawals = async (u: User, a: string) => (await allEntries(u, a)).filter((e) => e.kind === "withdrawal");

describe("payments consumer", () => {
  it("retries the processor's transient errors with backoff, then succeeds; the hold stays until then", async () => {
    const { u, a, id, message } = await held("77770119"); // transient on the first two calls
    expect(await balanceOf(u, a)).toEqual({ posted: 10_000, pending: 2_000, available: 8_000 });
    const first = await deliver([message], 1);
    expect(first.result.retryMessages).toHaveLength(1);
    expect(first.delays).toEqual([1]);
    expect((await statusOf(u, id)).status).toBe("processing");
    const second = await deliver([message], 2);
    expect(second.delays).toEqual([2]);
    expect(await findExecution(env.DB, id)).toBeNull(); // nothing executed on a transient error
    const third = await deliver([message], 3);
    expect(third.result.explicitAcks).toHaveLength(1);
    const p = await statusOf(u, id);
    expect(p.status).toBe("success");
    expect(p.history.map((h: { status: string }) => h.status)).toEqual(["pending", "processing", "success"]);
    expect(await balanceOf(u, a)).toEqual({ posted: 8_000, pending: 0, available: 8_000 });
  });

  it("fails as processor_unavailable after the last attempt and releases the hold", async () => {
    const { u, a, id, message } = await held("11110500"); // always transient
    await deliver([message], MAX_ATTEMPTS - 1);
    expect((await statusOf(u, id)).status).toBe("processing");
    const last = await deliver([message], MAX_ATTEMPTS);
    expect(last.result.explicitAcks).toHaveLength(1);
    const p = await statusOf(u, id);
    expect(p.status).toBe("failed");
    expect(p.failure_reason).toMatch(/^processor_unavailable: /);
    expect(await balanceOf(u, a)).toEqual({ posted: 10_000, pending: 0, available: 10_000 });
    expect(await withdrawals(u, a)).toEqual([]);
  });

  it("duplicate deliveries (in one batch and later) execute once and post once", async () => {
    const { u, a, id, message } = await held("DE89370400440532013000");
    const r = await deliver([message, message, message]);
    expect(r.result.explicitAcks).toHaveLength(3);
    await deliver([message]);
    const exec = await findExecution(env.DB, id);
    expect(exec).toMatchObject({ outcome: "success", amount: 2_000 });
    expect(await withdrawals(u, a)).toHaveLength(1);
    expect(await balanceOf(u, a)).toEqual({ posted: 8_000, pending: 0, available: 8_000 });
    expect((await statusOf(u, id)).history).toHaveLength(3);
  });

  for (const [ref, final] of [
    ["DE89370400440532013000", "success"],
    ["44440002", "failed"],
  ] as const) {
    it(`a crash between the processor call and the ledger update: executed once, settled once (${final})`, async () => {
      const { u, a, id, message } = await held(ref);
      const crash = await deliver([message], 1, {
        failpoint: (stage) => {
          if (stage === "after_processor") throw new Error("crash");
        },
      });
      expect(crash.result.retryMessages).toHaveLength(1);
      expect((await statusOf(u, id)).status).toBe("processing");
      const executed = await findExecution(env.DB, id);
      expect(executed).not.toBeNull();
      expect(await balanceOf(u, a)).toMatchObject({ posted: 10_000, pending: 2_000 });

      await deliver([message, message], 2);
      const after = await findExecution(env.DB, id);
      // The same execution answered the redeliveries: same outcome and reference, nothing executed again.
      expect({ ...after, calls: 0 }).toEqual({ ...executed, calls: 0 });
      expect(after!.calls).toBe(3);
      expect((await statusOf(u, id)).status).toBe(final);
      expect(await withdrawals(u, a)).toHaveLength(final === "success" ? 1 : 0);
      expect(await balanceOf(u, a)).toEqual(
        final === "success" ? { posted: 8_000, pending: 0, available: 8_000 } : { posted: 10_000, pending: 0, available: 10_000 },
      );
    });
  }

  it("cancel while pending releases the hold and the queue then does nothing; once processing, cancel is 422", async () => {
    const { u, a, id, message } = await held("DE89370400440532013000");
    const c = await api("POST", `/v1/payments/${id}/cancel`, { token: u.access_token });
    expect(c.status).toBe(200);
    expect(c.body.status).toBe("canceled");
    expect((await api("POST", `/v1/payments/${id}/cancel`, { token: u.access_token })).body.status).toBe("canceled");
    expect(await balanceOf(u, a)).toEqual({ posted: 10_000, pending: 0, available: 10_000 });
    const r = await deliver([message]);
    expect(r.result.explicitAcks).toHaveLength(1);
    expect(await findExecution(env.DB, id)).toBeNull();

    const second = await held("77770119");
    await deliver([second.message], 1); // processing, retry pending
    const late = await api("POST", `/v1/payments/${second.id}/cancel`, { token: second.u.access_token });
    expect(late.status).toBe(422);
    expect(late.body.error.code).toBe("invalid_state");
  });

  it("poison messages go to the DLQ at once and are acknowledged", async () => {
    const dead: unknown[] = [];
    const target = { ...env, PAYMENTS_DLQ: { send: async (b: unknown) => void dead.push(b) } } as unknown as Env;
    const unknown = { account_id: `acc_${"z".repeat(20)}`, payment_id: `pay_${"z".repeat(20)}_${"y".repeat(12)}` };
    const r = await deliver(
      [{ nope: 1 }, "text", unknown, { account_id: `acc_${"q".repeat(20)}`, payment_id: unknown.payment_id }],
      1,
      {},
      target,
    );
    expect(r.result.explicitAcks).toHaveLength(4);
    expect(dead).toHaveLength(4);
    // Sent concurrently: in any order.
    const reasons = (dead as { kind: string; reason: string; body: unknown }[]).map((d) => [d.kind, d.reason, d.body]);
    expect(reasons).toContainEqual(["payment_dead_letter", "unknown payment", unknown]);
    expect(reasons.filter(([, r]) => r === "malformed message")).toHaveLength(3);
  });

  it("the DLQ finishes a payment the queue gave up on: failed when it never executed, posted when it did", async () => {
    const never = await held("11110500");
    await deliver([never.message], 1); // processing, nothing executed
    const did = await held("DE89370400440532013000");
    await deliver([did.message], 1, {
      failpoint: (s) => {
        if (s === "after_processor") throw new Error("crash");
      },
    });
    const batch = messageBatch("finedge-payments-dlq", [never.message, did.message, { kind: "payment_dead_letter", body: {} }], 11);
    await consumePaymentDeadLetters(batch, env);
    expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toHaveLength(3);
    expect((await statusOf(never.u, never.id)).failure_reason).toMatch(/^processor_unavailable: retries exhausted/);
    expect(await balanceOf(never.u, never.a)).toMatchObject({ posted: 10_000, pending: 0 });
    expect((await statusOf(did.u, did.id)).status).toBe("success");
    expect(await balanceOf(did.u, did.a)).toMatchObject({ posted: 8_000, pending: 0 });
  });
});
