/**
 * Edit and delete, the ledger way: PATCH changes a transaction's descriptive
 * fields by a `transaction_annotated` event (the journal row never changes,
 * the latest annotation wins in every read, budgets follow); DELETE reverses
 * it with a reason and says so. Happy, error and security paths.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AccountDO } from "../durable/account-do";
import { api, balanceOf, deposit, openAccount, postTx, registerUser, transfer, type User } from "./helpers/ledger";

const stub = (id: string) => env.ACCOUNT.get(env.ACCOUNT.idFromName(id));
const patch = (u: User, acc: string, tx: string, body: unknown) =>
  api("PATCH", `/v1/accounts/${acc}/transactions/${tx}`, { token: u.access_token, body });
const del = (u: User, acc: string, tx: string, body?: unknown, headers?: Record<string, string>) =>
  api("DELETE", `/v1/accounts/${acc}/transactions/${tx}`, { token: u.access_token, body, headers });
const budget = async (u: User, acc: string, category: string) =>
  (await api("GET", `/v1/accounts/${acc}/budgets`, { token: u.access_token })).body.data.find(
    (b: { category: string }) => b.category === category,
  );

async function outbox(acc: string) {
  return runInDurableObject(stub(acc), (_i: AccountDO, s) =>
    s.storage.sql
      .exec<{ type: string; body: string }>("SELECT type, body FROM outbox ORDER BY seq")
      .toArray()
      .map((r) => ({ type: r.type, ...JSON.parse(r.body) })),
  );
}

async function journalRow(acc: string, entryId: string) {
  return runInDurableObject(stub(acc), (_i: AccountDO, s) => s.storage.sql.exec("SELECT * FROM journal WHERE entry_id = ?", entryId).one());
}

async function setup() {
  const u = await registerUser();
  const acc = await openAccount(u);
  await deposit(u, acc, 100_000);
  const buy = await postTx(u, acc, {
    kind: "purchase",
    amount: 3_000,
    category: "groceries",
    merchant: "Corner Shop",
    description: "weekly shop",
  });
  expect(buy.status).toBe(201);
  return { u, acc, tx: buy.body.id as string };
}

describe("PATCH a transaction (annotate)", () => {
  it("changes category, description, merchant, tags and notes; the journal row and its hash never change", async () => {
    const { u, acc, tx } = await setup();
    const before = await journalRow(acc, tx);
    const res = await patch(u, acc, tx, {
      category: "travel",
      description: "train tickets",
      merchant: "Rail Co",
      tags: ["work", "trip"],
      notes: "expense it",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: tx,
      category: "travel",
      description: "train tickets",
      merchant: "Rail Co",
      tags: ["work", "trip"],
      notes: "expense it",
      amount: 3_000,
      kind: "purchase",
    });
    expect(res.body.hash).toBe(before.hash);
    expect(await journalRow(acc, tx)).toEqual(before);
    const got = await api("GET", `/v1/accounts/${acc}/transactions/${tx}`, { token: u.access_token });
    expect(got.body).toEqual(res.body);
    expect((await api("GET", `/v1/accounts/${acc}/verify`, { token: u.access_token })).body.ok).toBe(true);
    // The latest annotation wins in lists and filters.
    const travel = await api("GET", `/v1/accounts/${acc}/transactions?category=travel`, { token: u.access_token });
    expect(travel.body.data.map((e: { id: string }) => e.id)).toEqual([tx]);
    const groceries = await api("GET", `/v1/accounts/${acc}/transactions?category=groceries`, { token: u.access_token });
    expect(groceries.body.data).toEqual([]);
    const second = await patch(u, acc, tx, { category: "fun", notes: null });
    expect(second.body).toMatchObject({ category: "fun", notes: null, tags: ["work", "trip"], merchant: "Rail Co" });
    const events = (await outbox(acc)).filter((e) => e.type === "transaction_annotated");
    expect(events.map((e) => [e.payload.previous.category, e.payload.category])).toEqual([
      ["groceries", "travel"],
      ["travel", "fun"],
    ]);
    expect(events[0].payload).toMatchObject({
      entry_id: tx,
      kind: "purchase",
      direction: "debit",
      amount: 3_000,
      currency: "USD",
      entry_occurred_at: before.occurred_at,
    });
  });

  it("moves the purchase between budgets, and a move that crosses a threshold alerts once", async () => {
    const { u, acc, tx } = await setup();
    for (const category of ["groceries", "travel"]) {
      expect(
        (await api("PUT", `/v1/accounts/${acc}/budgets/${category}`, { token: u.access_token, body: { limit: 4_000, alert_at: [0.5] } }))
          .status,
      ).toBe(201);
    }
    expect((await budget(u, acc, "groceries")).spent).toBe(3_000);
    await patch(u, acc, tx, { category: "travel" });
    expect((await budget(u, acc, "groceries")).spent).toBe(0);
    expect((await budget(u, acc, "travel")).spent).toBe(3_000);
    const crossed = (await outbox(acc)).filter((e) => e.type === "budget_threshold_crossed").map((e) => e.payload.category);
    expect(crossed).toEqual(["travel"]);
  });

  it("changing nothing is a 200 with the transaction as it is, and no event", async () => {
    const { u, acc, tx } = await setup();
    const res = await patch(u, acc, tx, { category: "groceries" });
    expect(res.status).toBe(200);
    expect(res.body.category).toBe("groceries");
    expect((await outbox(acc)).some((e) => e.type === "transaction_annotated")).toBe(false);
  });

  it("refuses bad bodies with 400 validation_error and changes nothing", async () => {
    const { u, acc, tx } = await setup();
    for (const body of [
      {},
      { amount: 1 },
      { category: "Travel" },
      { tags: ["a", "a"] },
      { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
      { notes: 5 },
    ]) {
      const res = await patch(u, acc, tx, body);
      expect({ body, status: res.status, code: res.body.error.code }).toEqual({ body, status: 400, code: "validation_error" });
    }
    const raw = await api("PATCH", `/v1/accounts/${acc}/transactions/${tx}`, { token: u.access_token, rawBody: "{" });
    expect([raw.status, raw.body.error.code]).toEqual([400, "invalid_json"]);
    expect((await outbox(acc)).some((e) => e.type === "transaction_annotated")).toBe(false);
  });

  it("keeps category and merchant of a reversal and of a reversed entry (422 invalid_state), but notes may change", async () => {
    const { u, acc, tx } = await setup();
    const rev = await del(u, acc, tx);
    expect(rev.status).toBe(200);
    for (const id of [tx, rev.body.reversal.id]) {
      const res = await patch(u, acc, id, { category: "travel" });
      expect([res.status, res.body.error.code]).toEqual([422, "invalid_state"]);
    }
    expect((await patch(u, acc, tx, { notes: "returned it" })).body.notes).toBe("returned it");
  });

  it("404s for an unknown transaction, another account's, and another user's", async () => {
    const { u, acc, tx } = await setup();
    const other = await openAccount(u);
    const stranger = await registerUser();
    expect((await patch(u, acc, "txn_00000000000000000000", { notes: "x" })).status).toBe(404);
    expect((await patch(u, other, tx, { notes: "x" })).status).toBe(404);
    const theirs = await patch(stranger, acc, tx, { notes: "x" });
    expect([theirs.status, theirs.body.error.code]).toEqual([404, "not_found"]);
    expect((await patch({ ...u, access_token: "" } as User, acc, tx, { notes: "x" })).status).toBe(401);
    expect((await outbox(acc)).some((e) => e.type === "transaction_annotated")).toBe(false);
  });
});

describe("DELETE a transaction (reverse it)", () => {
  it("reverses with a reason, says so, restores the balance, and a repeat answers the same bytes", async () => {
    const { u, acc, tx } = await setup();
    await patch(u, acc, tx, { category: "travel" });
    const res = await del(u, acc, tx, { reason: "duplicate charge" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: tx, object: "transaction", deleted: true, balance: { posted: 100_000 } });
    expect(res.body.reversal).toMatchObject({
      kind: "reversal",
      reverses: tx,
      amount: 3_000,
      direction: "credit",
      category: "travel",
      metadata: { reason: "duplicate charge" },
    });
    expect((await balanceOf(u, acc)).posted).toBe(100_000);
    const again = await api("DELETE", `/v1/accounts/${acc}/transactions/${tx}`, {
      token: u.access_token,
      body: { reason: "duplicate charge" },
    });
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(res.body);
    const original = await api("GET", `/v1/accounts/${acc}/transactions/${tx}`, { token: u.access_token });
    expect(original.body.reversed_by).toBe(res.body.reversal.id);
  });

  it("needs no body; transfer legs and reversals cannot be deleted", async () => {
    const { u, acc, tx } = await setup();
    const bare = await api("DELETE", `/v1/accounts/${acc}/transactions/${tx}`, {
      token: u.access_token,
      headers: { "content-type": "application/json" },
    });
    expect(bare.status).toBe(200);
    const again = await del(u, acc, bare.body.reversal.id);
    expect([again.status, again.body.error.code]).toEqual([422, "invalid_state"]);
    const b = await openAccount(u);
    const t = await transfer(u, { from_account_id: acc, to_account_id: b, amount: 100 });
    const leg = (await api("GET", `/v1/accounts/${acc}/transactions?kind=transfer_out`, { token: u.access_token })).body.data[0].id;
    expect(t.status).toBe(201);
    const refused = await del(u, acc, leg);
    expect([refused.status, refused.body.error.code]).toEqual([422, "invalid_state"]);
    expect((await del(u, acc, tx, { why: "x" })).status).toBe(400);
  });

  it("another user gets 404 and nothing is reversed", async () => {
    const { u, acc, tx } = await setup();
    const stranger = await registerUser();
    const res = await del(stranger, acc, tx);
    expect([res.status, res.body.error.code]).toEqual([404, "not_found"]);
    expect((await balanceOf(u, acc)).posted).toBe(97_000);
  });
});
