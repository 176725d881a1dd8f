/**
 * Payments through the public API and the real payments queue: 202 pending
 * with the hold taken at once, then success (the hold posted as a withdrawal
 * to the payee's counter-account) or failed (the hold released with a
 * reason); idempotent creation, cancel while pending, filters and cursor,
 * another user's payees and payments as 404s, and bad input as 4xx.
 */
import { describe, expect, it } from "vitest";
import { api, balanceOf, deposit, key, openAccount, registerUser } from "./helpers/ledger";
import { addPayee, getPayment, pay, settled } from "./helpers/payments";

async function funded(amount = 50_000) {
  const u = await registerUser();
  const a = await openAccount(u);
  await deposit(u, a, amount);
  return { u, a };
}

describe("payees", () => {
  it("stores the reference masked, lists newest first with a cursor, deletes; another user's payee is a 404", async () => {
    const u = await registerUser();
    const created = await api("POST", "/v1/payees", {
      token: u.access_token,
      body: { name: "Landlord", account_ref: "DE89 3704 0044 0532 0130 00" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: "payee", name: "Landlord", institution_id: null, account_ref_masked: "••••3000" });
    expect(JSON.stringify(created.body)).not.toContain("370400");
    const second = await addPayee(u, "12345678", "Utility");
    const page1 = await api("GET", "/v1/payees?limit=1", { token: u.access_token });
    expect(page1.body.data.map((p: { id: string }) => p.id)).toEqual([second]);
    const page2 = await api("GET", `/v1/payees?limit=1&cursor=${page1.body.next_cursor}`, { token: u.access_token });
    expect(page2.body.data.map((p: { id: string }) => p.id)).toEqual([created.body.id]);
    expect(page2.body.next_cursor).toBeNull();

    const other = await registerUser();
    expect((await api("DELETE", `/v1/payees/${second}`, { token: other.access_token })).status).toBe(404);
    expect((await api("GET", "/v1/payees", { token: other.access_token })).body.data).toEqual([]);
    expect((await api("DELETE", `/v1/payees/${second}`, { token: u.access_token })).status).toBe(204);
    expect((await api("DELETE", `/v1/payees/${second}`, { token: u.access_token })).status).toBe(404);
  });

  it("refuses bad input with 400s and an unknown institution with 404", async () => {
    const u = await registerUser();
    for (const body of [
      {},
      { name: "x" },
      { name: "x", account_ref: "12" },
      { name: "", account_ref: "12345" },
      { name: "x", account_ref: "12345!" },
      { name: "x", account_ref: "12345", extra: 1 },
    ])
      expect((await api("POST", "/v1/payees", { token: u.access_token, body })).status, JSON.stringify(body)).toBe(400);
    const unknown = await api("POST", "/v1/payees", {
      token: u.access_token,
      body: { name: "x", account_ref: "12345", institution_id: `ins_${"a".repeat(20)}` },
    });
    expect(unknown.status).toBe(404);
    expect((await api("DELETE", "/v1/payees/nope", { token: u.access_token })).status).toBe(400);
  });
});

describe("payments", () => {
  it("202 pending with the hold taken, then success: the hold is posted as a withdrawal to the payee, with the status history", async () => {
    const { u, a } = await funded();
    const payee = await addPayee(u);
    const res = await pay(u, { from_account_id: a, payee_id: payee, amount: 12_500, memo: "Rent" });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ object: "payment", account_id: a, payee_id: payee, amount: 12_500, currency: "USD", memo: "Rent" });
    expect(res.body.id).toMatch(/^pay_[0-9a-z]{20}_[0-9a-z]{12}$/);
    const done = await settled(u, res.body.id);
    expect(done).toMatchObject({ status: "success", failure_reason: null });
    expect((done.history as { status: string }[]).map((h) => h.status)).toEqual(["pending", "processing", "success"]);
    expect(await balanceOf(u, a)).toEqual({ posted: 37_500, pending: 0, available: 37_500 });
    const tx = await api("GET", `/v1/accounts/${a}/transactions/${done.entry_id}`, { token: u.access_token });
    expect(tx.body).toMatchObject({
      kind: "withdrawal",
      direction: "debit",
      amount: 12_500,
      counterparty: `payee:${payee}`,
      metadata: { payment_id: res.body.id },
    });
  });

  it("a declined payment fails with its reason and the hold is released; nothing is withdrawn", async () => {
    const { u, a } = await funded(10_000);
    const payee = await addPayee(u, "99990002"); // the simulator's "always declined" reference
    const res = await pay(u, { from_account_id: a, payee_id: payee, amount: 4_000 });
    expect(res.status).toBe(202);
    const done = await settled(u, res.body.id);
    expect(done.status).toBe("failed");
    expect(done.failure_reason).toMatch(/^declined: /);
    expect(done.entry_id).toBeNull();
    expect(await balanceOf(u, a)).toEqual({ posted: 10_000, pending: 0, available: 10_000 });
  });

  it("holds at once: a second payment beyond the available balance is 422 insufficient_funds, stored under its key", async () => {
    const { u, a } = await funded(10_000);
    const payee = await addPayee(u, "55550119"); // transient errors first: the first payment stays held a while
    const first = await pay(u, { from_account_id: a, payee_id: payee, amount: 8_000 });
    expect(first.status).toBe(202);
    const k = key();
    const second = await pay(u, { from_account_id: a, payee_id: payee, amount: 3_000 }, k);
    expect(second.status).toBe(422);
    expect(second.body.error.code).toBe("insufficient_funds");
    const again = await pay(u, { from_account_id: a, payee_id: payee, amount: 3_000 }, k);
    expect(again.status).toBe(422);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });

  it("an Idempotency-Key retry answers the first payment and creates nothing; a reused key with another body is 422", async () => {
    const { u, a } = await funded();
    const payee = await addPayee(u);
    const k = key();
    const body = { from_account_id: a, payee_id: payee, amount: 1_000 };
    const first = await pay(u, body, k);
    const retry = await pay(u, body, k);
    expect(retry.status).toBe(202);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect((await pay(u, { ...body, amount: 2_000 }, k)).body.error.code).toBe("idempotency_key_reused");
    await settled(u, first.body.id);
    const list = await api("GET", `/v1/payments?account_id=${a}`, { token: u.access_token });
    expect(list.body.data).toHaveLength(1);
    expect(await balanceOf(u, a)).toMatchObject({ posted: 49_000, pending: 0 });
  });

  it("another user's payments, payees and accounts are 404s; bad input is 400", async () => {
    const { u, a } = await funded();
    const payee = await addPayee(u);
    const p = await pay(u, { from_account_id: a, payee_id: payee, amount: 500 });
    const other = await registerUser();
    const otherAcc = await openAccount(other);
    expect((await getPayment(other, p.body.id)).status).toBe(404);
    expect((await api("POST", `/v1/payments/${p.body.id}/cancel`, { token: other.access_token })).status).toBe(404);
    expect((await pay(other, { from_account_id: otherAcc, payee_id: payee, amount: 500 })).status).toBe(404);
    expect((await pay(other, { from_account_id: a, payee_id: await addPayee(other), amount: 500 })).status).toBe(404);
    expect((await api("GET", "/v1/payments", { token: other.access_token })).body.data).toEqual([]);
    expect((await getPayment(u, `pay_${"a".repeat(20)}_${"b".repeat(12)}`)).status).toBe(404);
    for (const body of [
      {},
      { from_account_id: a, payee_id: payee },
      { from_account_id: a, payee_id: payee, amount: 0 },
      { from_account_id: a, payee_id: payee, amount: 1.5 },
      { from_account_id: a, payee_id: payee, amount: "5" },
      { from_account_id: a, payee_id: payee, amount: 5, memo: "x".repeat(141) },
    ])
      expect((await pay(u, body)).status, JSON.stringify(body)).toBe(400);
    const noKey = await api("POST", "/v1/payments", { token: u.access_token, body: { from_account_id: a, payee_id: payee, amount: 5 } });
    expect(noKey.body.error.code).toBe("idempotency_key_required");
    expect((await api("GET", "/v1/payments?status=done", { token: u.access_token })).status).toBe(400);
    expect((await api("GET", "/v1/payments?cursor=zzz", { token: u.access_token })).status).toBe(400);
    expect((await api("GET", "/v1/payments?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", { token: u.access_token })).status).toBe(
      400,
    );
    expect((await getPayment(u, "pay_nope")).status).toBe(400);
  });

  it("lists across accounts newest first with status filter and cursor", async () => {
    const { u, a } = await funded();
    const b = await openAccount(u, { type: "savings", name: "Savings" });
    await deposit(u, b, 5_000);
    const payee = await addPayee(u);
    const declined = await addPayee(u, "00000002");
    const ids: string[] = [];
    for (const [acc, pe] of [
      [a, payee],
      [b, declined],
      [a, payee],
    ] as const) {
      const r = await pay(u, { from_account_id: acc, payee_id: pe, amount: 100 });
      ids.push(r.body.id);
      await settled(u, r.body.id);
    }
    const p1 = await api("GET", "/v1/payments?limit=2", { token: u.access_token });
    const p2 = await api("GET", `/v1/payments?limit=2&cursor=${p1.body.next_cursor}`, { token: u.access_token });
    expect([...p1.body.data, ...p2.body.data].map((p: { id: string }) => p.id)).toEqual([...ids].reverse());
    expect(p2.body.next_cursor).toBeNull();
    const failed = await api("GET", "/v1/payments?status=failed", { token: u.access_token });
    expect(failed.body.data.map((p: { id: string }) => p.id)).toEqual([ids[1]]);
    const future = await api("GET", "/v1/payments?from=2099-01-01T00:00:00Z", { token: u.access_token });
    expect(future.body.data).toEqual([]);
  });

  it("every status change reaches the inbox through the events pipeline: accepted, processing, completed", async () => {
    const { u, a } = await funded();
    const payee = await addPayee(u);
    const res = await pay(u, { from_account_id: a, payee_id: payee, amount: 2_500 });
    await settled(u, res.body.id);
    const until = Date.now() + 15_000;
    let titles: string[] = [];
    while (Date.now() < until) {
      const list = await api("GET", "/v1/notifications?limit=50", { token: u.access_token });
      const mine = (list.body.data as { kind: string; title: string; data: { payment_id?: string } }[]).filter(
        (n) => n.data.payment_id === res.body.id,
      );
      titles = mine.map((n) => `${n.kind}: ${n.title}`).sort();
      if (titles.length >= 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(titles).toEqual([
      "payment_settled: Payment of $25.00 completed",
      "payment_status: Payment of $25.00 accepted",
      "payment_status: Payment of $25.00 processing",
    ]);
  });

  it("a settled payment is a webhook delivery for an endpoint that takes payment_settled, once the kind's webhook channel is on", async () => {
    const { u, a } = await funded();
    const hook = await api("POST", "/v1/webhooks", {
      token: u.access_token,
      body: { url: "http://127.0.0.1:9/pay", event_types: ["payment_settled"] },
    });
    expect(hook.status).toBe(201);
    await api("PUT", "/v1/me/notification-preferences", { token: u.access_token, body: { kinds: { payment_settled: { webhook: true } } } });
    const payee = await addPayee(u, "98760002");
    const res = await pay(u, { from_account_id: a, payee_id: payee, amount: 700 });
    await settled(u, res.body.id);
    const until = Date.now() + 15_000;
    let log: { type: string }[] = [];
    while (Date.now() < until && log.length === 0) {
      log = (await api("GET", `/v1/webhooks/${hook.body.id}/deliveries`, { token: u.access_token })).body.data;
      if (log.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    // One delivery: the failure (pending and processing are payment_status, which this endpoint does not take).
    expect(log.map((d) => d.type)).toEqual(["payment_settled"]);
  });
});
