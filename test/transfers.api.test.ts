/**
 * Transfers through the public API: immediate, pending (hold) then post (all or
 * part) or void, the state machine's refusals, what a destination may be
 * (another user's open account in the same currency) and what a refusal reveals.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, balanceOf, deposit, key, openAccount, postTx, registerUser, transfer, type User } from "./helpers/ledger";

const postT = (u: User, id: string, body?: Record<string, unknown>) =>
  api("POST", `/v1/transfers/${id}/post`, { token: u.access_token, headers: { "idempotency-key": key() }, ...(body ? { body } : {}) });
const voidT = (u: User, id: string) =>
  api("POST", `/v1/transfers/${id}/void`, { token: u.access_token, headers: { "idempotency-key": key() } });
const getT = (u: User, id: string) => api("GET", `/v1/transfers/${id}`, { token: u.access_token });

async function entries(u: User, acc: string, kind?: string) {
  const res = await api("GET", `/v1/accounts/${acc}/transactions${kind ? `?kind=${kind}` : ""}`, { token: u.access_token });
  expect(res.status).toBe(200);
  return res.body.data as { kind: string; amount: number; transfer_id: string | null; counterparty: string; direction: string }[];
}

async function outbox(acc: string) {
  return runInDurableObject(env.ACCOUNT.get(env.ACCOUNT.idFromName(acc)), (_i, state) =>
    state.storage.sql
      .exec<{ type: string; body: string }>("SELECT type, body FROM outbox ORDER BY seq")
      .toArray()
      .map((r) => ({ type: r.type, payload: (JSON.parse(r.body) as { payload: Record<string, unknown> }).payload })),
  );
}

async function funded(amount = 10_000) {
  const u = await registerUser();
  const a = await openAccount(u);
  const b = await openAccount(u, { type: "savings", name: "Savings" });
  if (amount > 0) await deposit(u, a, amount);
  return { u, a, b };
}

describe("immediate transfers", () => {
  it("posts at once: 201, both balances move, and each side has its leg with the transfer id", async () => {
    const { u, a, b } = await funded();
    const t = await transfer(u, { from_account_id: a, to_account_id: b, amount: 3_000, description: "Rent pot" });
    expect(t.status).toBe(201);
    expect(t.body).toMatchObject({
      object: "transfer",
      from_account_id: a,
      to_account_id: b,
      amount: 3_000,
      posted_amount: 3_000,
      currency: "USD",
      mode: "immediate",
      status: "posted",
      in_flight: false,
      description: "Rent pot",
      expires_at: null,
    });
    expect(t.body.id).toMatch(/^trf_[0-9a-z]{20}_[0-9a-z]{12}$/);
    expect(await balanceOf(u, a)).toEqual({ posted: 7_000, pending: 0, available: 7_000 });
    expect(await balanceOf(u, b)).toEqual({ posted: 3_000, pending: 0, available: 3_000 });

    const out = await entries(u, a, "transfer_out");
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ direction: "debit", amount: 3_000, transfer_id: t.body.id, counterparty: `account:${b}` });
    const inn = await entries(u, b);
    expect(inn).toHaveLength(1);
    expect(inn[0]).toMatchObject({
      kind: "transfer_in",
      direction: "credit",
      amount: 3_000,
      transfer_id: t.body.id,
      counterparty: `account:${a}`,
    });

    const got = await getT(u, t.body.id);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(t.body);
    for (const acc of [a, b]) expect((await api("GET", `/v1/accounts/${acc}/verify`, { token: u.access_token })).body.ok).toBe(true);
  });

  it("cannot be posted or voided afterwards", async () => {
    const { u, a, b } = await funded();
    const t = await transfer(u, { from_account_id: a, to_account_id: b, amount: 1_000 });
    for (const res of [await postT(u, t.body.id), await voidT(u, t.body.id)]) {
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe("invalid_state");
    }
    expect((await balanceOf(u, b)).posted).toBe(1_000);
  });

  it("refuses more than the available balance with 422 insufficient_funds and holds nothing", async () => {
    const { u, a, b } = await funded(5_000);
    const before = await outbox(a);
    const res = await transfer(u, { from_account_id: a, to_account_id: b, amount: 5_001 });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: "insufficient_funds", details: { available: 5_000, requested: 5_001 } });
    const pending = await transfer(u, { from_account_id: a, to_account_id: b, amount: 5_001, mode: "pending" });
    expect(pending.status).toBe(422);
    expect(pending.body.error.code).toBe("insufficient_funds");
    expect(await balanceOf(u, a)).toEqual({ posted: 5_000, pending: 0, available: 5_000 });
    expect(await balanceOf(u, b)).toEqual({ posted: 0, pending: 0, available: 0 });
    expect(await outbox(a)).toEqual(before);
    expect(await entries(u, b)).toEqual([]);
  });
});

describe("pending transfers", () => {
  it("holds the amount: available drops, posted is unchanged, nothing reaches the destination", async () => {
    const { u, a, b } = await funded();
    const t = await transfer(u, { from_account_id: a, to_account_id: b, amount: 4_000, mode: "pending", expires_in_seconds: 3_600 });
    expect(t.status).toBe(201);
    expect(t.body).toMatchObject({ mode: "pending", status: "pending", posted_amount: null, in_flight: false, amount: 4_000 });
    const ttl = Date.parse(t.body.expires_at) - Date.parse(t.body.created_at);
    expect(ttl).toBe(3_600_000);
    expect(await balanceOf(u, a)).toEqual({ posted: 10_000, pending: 4_000, available: 6_000 });
    expect(await balanceOf(u, b)).toEqual({ posted: 0, pending: 0, available: 0 });
    expect(await entries(u, a, "transfer_out")).toEqual([]);
    expect(await entries(u, b)).toEqual([]);
    // The hold counts against the floor for everything else.
    const w = await postTx(u, a, { kind: "withdrawal", amount: 6_001 });
    expect(w.status).toBe(422);
    expect(w.body.error.code).toBe("insufficient_funds");
    expect((await transfer(u, { from_account_id: a, to_account_id: b, amount: 6_001 })).status).toBe(422);
    expect((await getT(u, t.body.id)).body.status).toBe("pending");
  });

  it("defaults to a 7-day expiry", async () => {
    const { u, a, b } = await funded();
    const t = await transfer(u, { from_account_id: a, to_account_id: b, amount: 100, mode: "pending" });
    expect(Date.parse(t.body.expires_at) - Date.parse(t.body.created_at)).toBe(7 * 86_400_000);
  });

  it("posts in full: the hold becomes a posted debit and the destination is credited", async () => {
    const { u, a, b } = await funded();
    const t = await transfer(u, { from_account_id: a, to_account_id: b, amount: 4_000, mode: "pending" });
    const p = await postT(u, t.body.id);
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({ id: t.body.id, status: "posted", posted_amount: 4_000, in_flight: false });
    expect(await balanceOf(u, a)).toEqual({ posted: 6_000, pending: 0, available: 6_000 });
    expect(await balanceOf(u, b)).toEqual({ posted: 4_000, pending: 0, available: 4_000 });
    expect((await entries(u, b))[0]).toMatchObject({ kind: "transfer_in", amount: 4_000, transfer_id: t.body.id });
    expect((await getT(u, t.body.id)).body).toMatchObject({ status: "posted", posted_amount: 4_000 });
  });

  it("posts a smaller amount and releases the rest of the hold", async () => {
    const { u, a, b } = await funded();
    const t = await transfer(u, { from_account_id: a, to_account_id: b, amount: 4_000, mode: "pending" });
    const p = await postT(u, t.body.id, { amount: 2_500 });
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({ status: "posted", amount: 4_000, posted_amount: 2_500 });
    expect(await balanceOf(u, a)).toEqual({ posted: 7_500, pending: 0, available: 7_500 });
    expect(await balanceOf(u, b)).toEqual({ posted: 2_500, pending: 0, available: 2_500 });
    expect((await entries(u, a, "transfer_out"))[0]).toMatchObject({ amount: 2_500 });
    const posted = (await outbox(a)).find((e) => e.type === "transfer_posted");
    expect(posted?.payload).toMatchObject({ transfer_id: t.body.id, amount: 2_500, released: 1_500 });
  });

  it("refuses to post more than the pending amount, keeping the hold", async () => {
    const { u, a, b } = await funded();
    const t = await transfer(u, { from_account_id: a, to_account_id: b, amount: 4_000, mode: "pending" });
    const over = await postT(u, t.body.id, { amount: 4_001 });
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe("unprocessable");
    expect((await getT(u, t.body.id)).body).toMatchObject({ status: "pending", posted_amount: null });
    expect(await balanceOf(u, a)).toEqual({ posted: 10_000, pending: 4_000, available: 6_000 });
    expect(await balanceOf(u, b)).toEqual({ posted: 0, pending: 0, available: 0 });
    expect((await postT(u, t.body.id, { amount: 4_000 })).status).toBe(200);
    expect((await balanceOf(u, b)).posted).toBe(4_000);
  });

  it("voids: the hold is released and nothing moves; then post and void again are refused", async () => {
    const { u, a, b } = await funded();
    const t = await transfer(u, { from_account_id: a, to_account_id: b, amount: 4_000, mode: "pending" });
    const v = await voidT(u, t.body.id);
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ id: t.body.id, status: "voided", posted_amount: null });
    expect(await balanceOf(u, a)).toEqual({ posted: 10_000, pending: 0, available: 10_000 });
    expect(await balanceOf(u, b)).toEqual({ posted: 0, pending: 0, available: 0 });
    for (const res of [await postT(u, t.body.id), await voidT(u, t.body.id)]) {
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe("invalid_state");
    }
    expect((await getT(u, t.body.id)).body.status).toBe("voided");
    expect(await entries(u, a, "transfer_out")).toEqual([]);
    expect(await entries(u, b)).toEqual([]);
    expect((await outbox(a)).filter((e) => e.type.startsWith("transfer_")).map((e) => e.type)).toEqual([
      "transfer_pending",
      "transfer_voided",
    ]);
  });

  it("refuses void after post", async () => {
    const { u, a, b } = await funded();
    const t = await transfer(u, { from_account_id: a, to_account_id: b, amount: 4_000, mode: "pending" });
    expect((await postT(u, t.body.id)).status).toBe(200);
    const v = await voidT(u, t.body.id);
    expect(v.status).toBe(422);
    expect(v.body.error.code).toBe("invalid_state");
    expect(await balanceOf(u, a)).toEqual({ posted: 6_000, pending: 0, available: 6_000 });
    expect((await balanceOf(u, b)).posted).toBe(4_000);
  });

  it("fails the transfer and releases the hold when the destination closed before the post", async () => {
    const { u, a, b } = await funded();
    const t = await transfer(u, { from_account_id: a, to_account_id: b, amount: 4_000, mode: "pending" });
    expect((await api("POST", `/v1/accounts/${b}/close`, { token: u.access_token })).status).toBe(200);
    const p = await postT(u, t.body.id);
    expect(p.status).toBe(422);
    expect(p.body.error.code).toBe("transfer_rejected");
    expect((await getT(u, t.body.id)).body).toMatchObject({ status: "failed", posted_amount: null, in_flight: false });
    expect(await balanceOf(u, a)).toEqual({ posted: 10_000, pending: 0, available: 10_000 });
    expect(await balanceOf(u, b)).toEqual({ posted: 0, pending: 0, available: 0 });
    expect((await voidT(u, t.body.id)).status).toBe(422);
  });

  it("rejects expires_in_seconds on an immediate transfer", async () => {
    const { u, a, b } = await funded();
    const res = await transfer(u, { from_account_id: a, to_account_id: b, amount: 100, expires_in_seconds: 600 });
    expect(res.status).toBe(400);
    expect(await balanceOf(u, a)).toEqual({ posted: 10_000, pending: 0, available: 10_000 });
  });
});

describe("GET /v1/transfers/{id}", () => {
  it("404s for an unknown transfer (of a known or unknown source) and 400s for a malformed id", async () => {
    const { u, a } = await funded();
    for (const id of [`trf_${a.slice(4)}_000000000000`, "trf_00000000000000000000_000000000000"]) {
      const res = await getT(u, id);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("not_found");
      expect((await postT(u, id)).status).toBe(404);
      expect((await voidT(u, id)).status).toBe(404);
    }
    expect((await getT(u, "trf_nope")).status).toBe(400);
  });
});

describe("destinations", () => {
  it("refuses the same account with 422 transfer_rejected", async () => {
    const { u, a } = await funded();
    const res = await transfer(u, { from_account_id: a, to_account_id: a, amount: 100 });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("transfer_rejected");
    expect(await balanceOf(u, a)).toEqual({ posted: 10_000, pending: 0, available: 10_000 });
  });

  it("refuses another currency, a closed account and an unknown account alike, revealing nothing, holding nothing", async () => {
    const { u, a } = await funded();
    const yen = await openAccount(u, { type: "savings", name: "Yen", currency: "JPY" });
    const closed = await openAccount(u);
    expect((await api("POST", `/v1/accounts/${closed}/close`, { token: u.access_token })).status).toBe(200);
    const stranger = await registerUser();
    const strangersClosed = await openAccount(stranger);
    expect((await api("POST", `/v1/accounts/${strangersClosed}/close`, { token: stranger.access_token })).status).toBe(200);
    const unknown = "acc_zzzzzzzzzzzzzzzzzzzz";

    const errors: unknown[] = [];
    // Pending ones from another user: each user may be refused 5 destinations a minute (then 429).
    const senders = { immediate: { u, a }, pending: await funded() };
    for (const to of [yen, closed, strangersClosed, unknown]) {
      for (const mode of ["immediate", "pending"] as const) {
        const from = senders[mode];
        const res = await transfer(from.u, { from_account_id: from.a, to_account_id: to, amount: 100, mode });
        expect(res.status, `${to} ${mode}`).toBe(422);
        expect(res.body.error.code).toBe("transfer_rejected");
        const { request_id: _r, ...rest } = res.body.error;
        errors.push(rest);
        expect(JSON.stringify(res.body)).not.toMatch(/JPY|closed|not found|exist/i);
      }
    }
    // One answer for every reason: the caller learns nothing about the destination.
    expect(new Set(errors.map((e) => JSON.stringify(e))).size).toBe(1);
    expect(await balanceOf(u, a)).toEqual({ posted: 10_000, pending: 0, available: 10_000 });
    expect(await balanceOf(senders.pending.u, senders.pending.a)).toEqual({ posted: 10_000, pending: 0, available: 10_000 });
    expect((await balanceOf(u, yen)).posted).toBe(0);
    expect(await entries(u, a)).toHaveLength(1);
  });

  it("sends to another user's account: they see the credit, the sender cannot read their account", async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    const a = await openAccount(alice);
    const b = await openAccount(bob);
    await deposit(alice, a, 8_000);

    const t = await transfer(alice, { from_account_id: a, to_account_id: b, amount: 2_000 });
    expect(t.status).toBe(201);
    expect(t.body).toMatchObject({ status: "posted", to_account_id: b, posted_amount: 2_000 });
    expect(JSON.stringify(t.body)).not.toContain(bob.user.id);
    const p = await transfer(alice, { from_account_id: a, to_account_id: b, amount: 1_000, mode: "pending" });
    expect((await postT(alice, p.body.id)).status).toBe(200);

    expect(await balanceOf(bob, b)).toEqual({ posted: 3_000, pending: 0, available: 3_000 });
    const credits = await entries(bob, b, "transfer_in");
    expect(credits.map((c) => [c.amount, c.transfer_id])).toEqual([
      [1_000, p.body.id],
      [2_000, t.body.id],
    ]);
    expect(await balanceOf(alice, a)).toEqual({ posted: 5_000, pending: 0, available: 5_000 });

    // The sender cannot read the destination account or its journal...
    for (const path of [`/v1/accounts/${b}`, `/v1/accounts/${b}/transactions`, `/v1/accounts/${b}/balance`, `/v1/accounts/${b}/verify`]) {
      const res = await api("GET", path, { token: alice.access_token });
      expect(res.status, path).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain("3000");
    }
    // ...nor send from it, and the recipient cannot read or settle the sender's transfer.
    expect((await transfer(alice, { from_account_id: b, to_account_id: a, amount: 1 })).status).toBe(404);
    expect((await getT(bob, t.body.id)).status).toBe(404);
    const held = await transfer(alice, { from_account_id: a, to_account_id: b, amount: 500, mode: "pending" });
    expect((await postT(bob, held.body.id)).status).toBe(404);
    expect((await voidT(bob, held.body.id)).status).toBe(404);
    expect((await getT(alice, held.body.id)).body.status).toBe("pending");
    expect((await balanceOf(bob, b)).posted).toBe(3_000);
  });
});
