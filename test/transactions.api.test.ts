/**
 * Transactions through the public API: each kind's direction and balance, the
 * floors (0, or −credit_limit), a refused debit leaving nothing behind, list
 * filters and pagination, reading one, and reversals (once, links, event time).
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, balanceOf, deposit, key, openAccount, postTx, registerUser, transfer, type User } from "./helpers/ledger";

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
type Tx = {
  id: string;
  seq: number;
  kind: string;
  amount: number;
  direction: string;
  category: string | null;
  merchant: string | null;
  occurred_at: string;
};

const reverse = (u: User, acc: string, tx: string) =>
  api("POST", `/v1/accounts/${acc}/transactions/${tx}/reverse`, { token: u.access_token, headers: { "idempotency-key": key() } });
const getTx = (u: User, acc: string, tx: string) => api("GET", `/v1/accounts/${acc}/transactions/${tx}`, { token: u.access_token });
const verify = async (u: User, acc: string) => (await api("GET", `/v1/accounts/${acc}/verify`, { token: u.access_token })).body;

async function outboxTypes(acc: string): Promise<string[]> {
  return runInDurableObject(env.ACCOUNT.get(env.ACCOUNT.idFromName(acc)), (_i, state) =>
    state.storage.sql
      .exec<{ type: string }>("SELECT type FROM outbox ORDER BY seq")
      .toArray()
      .map((r) => r.type),
  );
}

async function list(u: User, acc: string, query: string): Promise<{ data: Tx[]; has_more: boolean; next_cursor: string | null }> {
  const res = await api("GET", `/v1/accounts/${acc}/transactions?${query}`, { token: u.access_token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe("POST /v1/accounts/{id}/transactions", () => {
  it("moves money in the right direction for each kind, with balance_after and the counter-account", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    const steps = [
      { body: { kind: "deposit", amount: 10_000 }, direction: "credit", after: 10_000, counterparty: "external:cash" },
      { body: { kind: "withdrawal", amount: 1_500 }, direction: "debit", after: 8_500, counterparty: "external:cash" },
      {
        body: { kind: "purchase", amount: 2_000, merchant: "Corner Shop", category: "groceries" },
        direction: "debit",
        after: 6_500,
        counterparty: "merchant:Corner Shop",
      },
      {
        body: { kind: "refund", amount: 500, merchant: "Corner Shop", category: "groceries" },
        direction: "credit",
        after: 7_000,
        counterparty: "merchant:Corner Shop",
      },
      { body: { kind: "fee", amount: 250, description: "Monthly fee" }, direction: "debit", after: 6_750, counterparty: "platform:fees" },
      { body: { kind: "interest", amount: 42 }, direction: "credit", after: 6_792, counterparty: "platform:interest" },
    ];
    for (const [i, s] of steps.entries()) {
      const res = await postTx(u, id, s.body);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        object: "transaction",
        seq: i + 1,
        kind: s.body.kind,
        amount: s.body.amount,
        currency: "USD",
        direction: s.direction,
        balance_after: s.after,
        counterparty: s.counterparty,
        reverses: null,
        reversed_by: null,
        transfer_id: null,
        balance: { posted: s.after, pending: 0, available: s.after },
      });
      expect(res.body.id).toMatch(/^txn_[0-9a-z]{20}$/);
    }
    expect(await balanceOf(u, id)).toEqual({ posted: 6_792, pending: 0, available: 6_792 });
    expect(await verify(u, id)).toMatchObject({ ok: true, entries: 6 });
  });

  it("stores description, merchant, category and metadata, and reads them back", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    await deposit(u, id, 5_000);
    const res = await postTx(u, id, {
      kind: "purchase",
      amount: 999,
      description: "Weekly shop",
      merchant: "Grocer",
      category: "groceries",
      metadata: { order: "A-17", channel: "pos" },
    });
    expect(res.status).toBe(201);
    const got = await getTx(u, id, res.body.id);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      description: "Weekly shop",
      merchant: "Grocer",
      category: "groceries",
      metadata: { order: "A-17", channel: "pos" },
    });
    const { balance: _b, ...entry } = res.body;
    expect(got.body).toEqual(entry);
  });

  it("lets a credit account go down to −credit_limit and no further", async () => {
    const u = await registerUser();
    const card = await openAccount(u, { type: "credit", name: "Card", credit_limit: 10_000 });
    const p = await postTx(u, card, { kind: "purchase", amount: 7_000, merchant: "Airline" });
    expect(p.body).toMatchObject({ balance_after: -7_000, balance: { posted: -7_000, available: 3_000 } });
    const over = await postTx(u, card, { kind: "purchase", amount: 3_001, merchant: "Hotel" });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: "insufficient_funds", details: { available: 3_000, requested: 3_001 } });
    const exact = await postTx(u, card, { kind: "fee", amount: 3_000 });
    expect(exact.status).toBe(201);
    expect(exact.body).toMatchObject({ balance_after: -10_000, balance: { posted: -10_000, available: 0 } });
    const one = await postTx(u, card, { kind: "withdrawal", amount: 1 });
    expect(one.status).toBe(422);
    expect(one.body.error.code).toBe("insufficient_funds");
    expect(await balanceOf(u, card)).toEqual({ posted: -10_000, pending: 0, available: 0 });
  });

  it("refuses a debit below zero on checking with 422 insufficient_funds and leaves nothing behind", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    await deposit(u, id, 1_000);
    await api("PUT", `/v1/accounts/${id}/budgets/groceries`, { token: u.access_token, body: { limit: 1_000 } });
    const before = await verify(u, id);
    const eventsBefore = await outboxTypes(id);
    for (const body of [
      { kind: "withdrawal", amount: 1_001 },
      { kind: "purchase", amount: 5_000, merchant: "Grocer", category: "groceries" },
      { kind: "fee", amount: 1_001 },
    ]) {
      const res = await postTx(u, id, body);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe("insufficient_funds");
    }
    expect(await balanceOf(u, id)).toEqual({ posted: 1_000, pending: 0, available: 1_000 });
    expect(await verify(u, id)).toEqual(before);
    expect((await list(u, id, "")).data).toHaveLength(1);
    expect(await outboxTypes(id)).toEqual(eventsBefore);
    const budgets = await api("GET", `/v1/accounts/${id}/budgets`, { token: u.access_token });
    expect(budgets.body.data[0]).toMatchObject({ spent: 0, status: "ok" });
  });

  it("accepts a backdated occurred_at within 90 days and refuses the future and older dates, storing nothing", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    const past = iso(Date.now() - 30 * DAY);
    const ok = await postTx(u, id, { kind: "deposit", amount: 100, occurred_at: past });
    expect(ok.status).toBe(201);
    expect(ok.body.occurred_at).toBe(past);
    expect(Date.parse(ok.body.recorded_at)).toBeGreaterThan(Date.parse(past));
    for (const occurred_at of [iso(Date.now() + 3_600_000), iso(Date.now() - 91 * DAY)]) {
      const res = await postTx(u, id, { kind: "deposit", amount: 100, occurred_at });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
    }
    expect((await balanceOf(u, id)).posted).toBe(100);
  });

  it("404s for an unknown account and 401s without a token", async () => {
    const u = await registerUser();
    const unknown = await postTx(u, "acc_00000000000000000000", { kind: "deposit", amount: 100 });
    expect(unknown.status).toBe(404);
    const anon = await api("POST", `/v1/accounts/acc_00000000000000000000/transactions`, {
      body: { kind: "deposit", amount: 1 },
      headers: { "idempotency-key": key() },
    });
    expect(anon.status).toBe(401);
  });
});

describe("GET /v1/accounts/{id}/transactions", () => {
  async function seed() {
    const u = await registerUser();
    const id = await openAccount(u);
    const now = Date.now();
    const posted: Record<string, Tx> = {};
    const add = async (name: string, body: Record<string, unknown>) => {
      const res = await postTx(u, id, body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      posted[name] = res.body;
    };
    await add("dep", { kind: "deposit", amount: 10_000, occurred_at: iso(now - 6 * DAY) });
    await add("wd", { kind: "withdrawal", amount: 2_000, occurred_at: iso(now - 5 * DAY) });
    await add("groc1", { kind: "purchase", amount: 1_200, merchant: "Grocer", category: "groceries", occurred_at: iso(now - 3 * DAY) });
    await add("cafe", { kind: "purchase", amount: 800, merchant: "Cafe", category: "dining", occurred_at: iso(now - 2 * DAY) });
    await add("groc2", { kind: "purchase", amount: 3_000, merchant: "Market", category: "groceries", occurred_at: iso(now - 1 * DAY) });
    await add("refund", { kind: "refund", amount: 500, merchant: "Grocer", category: "groceries" });
    await add("fee", { kind: "fee", amount: 150 });
    return { u, id, now, posted };
  }

  it("filters by kind, category, merchant, amount range and event-time window, newest first", async () => {
    const { u, id, now, posted: p } = await seed();
    const names = (data: Tx[]) => data.map((t) => Object.keys(p).find((k) => p[k]!.id === t.id));
    expect(names((await list(u, id, "")).data)).toEqual(["fee", "refund", "groc2", "cafe", "groc1", "wd", "dep"]);
    expect(names((await list(u, id, "kind=purchase")).data)).toEqual(["groc2", "cafe", "groc1"]);
    expect(names((await list(u, id, "category=groceries")).data)).toEqual(["refund", "groc2", "groc1"]);
    // Categories are exact lowercase slugs: another spelling is a 400, not a match.
    expect((await api("GET", `/v1/accounts/${id}/transactions?category=GROCERIES`, { token: u.access_token })).status).toBe(400);
    expect(names((await list(u, id, "kind=purchase&category=groceries")).data)).toEqual(["groc2", "groc1"]);
    expect(names((await list(u, id, "merchant=Grocer")).data)).toEqual(["refund", "groc1"]);
    expect(names((await list(u, id, "min_amount=1000")).data)).toEqual(["groc2", "groc1", "wd", "dep"]);
    expect(names((await list(u, id, "max_amount=800")).data)).toEqual(["fee", "refund", "cafe"]);
    expect(names((await list(u, id, "min_amount=800&max_amount=1200")).data)).toEqual(["cafe", "groc1"]);
    const cut = encodeURIComponent(iso(now - 2.5 * DAY));
    expect(names((await list(u, id, `from=${cut}`)).data)).toEqual(["fee", "refund", "groc2", "cafe"]);
    expect(names((await list(u, id, `to=${cut}`)).data)).toEqual(["groc1", "wd", "dep"]);
    // `to` is exclusive, `from` inclusive, both on the event time.
    const at = encodeURIComponent(p.cafe!.occurred_at);
    expect(names((await list(u, id, `from=${at}&to=${encodeURIComponent(p.groc2!.occurred_at)}`)).data)).toEqual(["cafe"]);
    expect(names((await list(u, id, `to=${at}&from=${encodeURIComponent(iso(now - 4 * DAY))}`)).data)).toEqual(["groc1"]);
    expect((await list(u, id, "kind=interest")).data).toEqual([]);
  });

  it("pages through every entry once, with and without a filter", async () => {
    const { u, id } = await seed();
    const walk = async (q: string, limit: number) => {
      const seqs: number[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 20; i++) {
        const page = await list(u, id, `${q}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
        expect(page.data.length).toBeLessThanOrEqual(limit);
        seqs.push(...page.data.map((t) => t.seq));
        if (!page.has_more) {
          expect(page.next_cursor).toBeNull();
          return seqs;
        }
        expect(page.data).toHaveLength(limit);
        cursor = page.next_cursor;
      }
      throw new Error("no end");
    };
    expect(await walk("", 3)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(await walk("", 7)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(await walk("", 1)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(await walk("kind=purchase", 2)).toEqual([5, 4, 3]);
    expect(await walk("category=groceries", 1)).toEqual([6, 5, 3]);
  });

  it("bounds the limit and validates filters and the cursor", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    for (const q of [
      "limit=0",
      "limit=201",
      "cursor=abc",
      "kind=gift",
      "min_amount=0",
      "min_amount=1.5",
      "from=last-week",
      "category=Not%20a%20slug",
    ]) {
      const res = await api("GET", `/v1/accounts/${id}/transactions?${q}`, { token: u.access_token });
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
    }
    expect((await list(u, id, "limit=200")).data).toEqual([]);
  });
});

describe("GET /v1/accounts/{id}/transactions/{tx_id}", () => {
  it("returns the entry, and 404s for an unknown id or one from another account", async () => {
    const u = await registerUser();
    const a = await openAccount(u);
    const b = await openAccount(u);
    const d = await deposit(u, a, 700);
    expect((await getTx(u, a, d.id)).body).toMatchObject({ id: d.id, seq: 1, amount: 700, reversed_by: null });
    const unknown = await getTx(u, a, "txn_00000000000000000000");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("not_found");
    expect((await getTx(u, b, d.id)).status).toBe(404);
    expect((await getTx(u, a, "not-a-txn")).status).toBe(400);
  });
});

describe("POST /v1/accounts/{id}/transactions/{tx_id}/reverse", () => {
  it("cancels the original with a linked entry on the original's event time, once", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    await deposit(u, id, 10_000);
    const occurred = iso(Date.now() - 20 * DAY);
    const p = await postTx(u, id, { kind: "purchase", amount: 2_500, merchant: "Shop", category: "clothes", occurred_at: occurred });
    expect(p.body.balance_after).toBe(7_500);

    const r = await reverse(u, id, p.body.id);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      kind: "reversal",
      direction: "credit",
      amount: 2_500,
      reverses: p.body.id,
      reversed_by: null,
      occurred_at: occurred,
      merchant: "Shop",
      category: "clothes",
      balance_after: 10_000,
      counterparty: "merchant:Shop",
      balance: { posted: 10_000, available: 10_000 },
    });
    expect(r.body.id).not.toBe(p.body.id);
    expect((await getTx(u, id, p.body.id)).body.reversed_by).toBe(r.body.id);
    expect((await getTx(u, id, r.body.id)).body.reverses).toBe(p.body.id);
    const listed = await list(u, id, "");
    expect(listed.data.find((t) => t.id === p.body.id)).toMatchObject({ reversed_by: r.body.id });
    expect(listed.data.find((t) => t.id === r.body.id)).toMatchObject({ reverses: p.body.id });

    // The pair cancels at the original's event time: just before it neither counts.
    const bal = async (t: number) =>
      (await api("GET", `/v1/accounts/${id}/balance?at=${encodeURIComponent(iso(t))}`, { token: u.access_token })).body;
    expect(await bal(Date.parse(occurred) - 1)).toMatchObject({ posted: 0, entries: 0 });
    expect(await bal(Date.parse(occurred))).toMatchObject({ posted: 0, entries: 2 });

    const again = await reverse(u, id, p.body.id);
    expect(again.status).toBe(422);
    expect(again.body.error).toMatchObject({ code: "already_reversed", details: { reversed_by: r.body.id } });
    const ofReversal = await reverse(u, id, r.body.id);
    expect(ofReversal.status).toBe(422);
    expect(ofReversal.body.error.code).toBe("invalid_state");

    expect(await balanceOf(u, id)).toEqual({ posted: 10_000, pending: 0, available: 10_000 });
    expect(await verify(u, id)).toMatchObject({ ok: true, entries: 3 });
  });

  it("reverses a credit as a debit, and refuses when the money is already spent (422 insufficient_funds)", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    const d1 = await deposit(u, id, 1_000);
    const d2 = await deposit(u, id, 3_000);
    const r1 = await reverse(u, id, d1.id);
    expect(r1.status).toBe(201);
    expect(r1.body).toMatchObject({ direction: "debit", amount: 1_000, balance_after: 3_000 });
    expect((await postTx(u, id, { kind: "withdrawal", amount: 2_500 })).status).toBe(201);
    const spent = await reverse(u, id, d2.id);
    expect(spent.status).toBe(422);
    expect(spent.body.error.code).toBe("insufficient_funds");
    expect((await getTx(u, id, d2.id)).body.reversed_by).toBeNull();
    expect(await balanceOf(u, id)).toEqual({ posted: 500, pending: 0, available: 500 });
    expect(await verify(u, id)).toMatchObject({ ok: true, entries: 4 });
  });

  it("refuses transfer legs and unknown entries, and needs an Idempotency-Key", async () => {
    const u = await registerUser();
    const a = await openAccount(u);
    const b = await openAccount(u);
    await deposit(u, a, 5_000);
    expect((await transfer(u, { from_account_id: a, to_account_id: b, amount: 1_000 })).status).toBe(201);
    const out = (await list(u, a, "kind=transfer_out")).data[0]!;
    const inn = (await list(u, b, "kind=transfer_in")).data[0]!;
    for (const [acc, tx] of [
      [a, out.id],
      [b, inn.id],
    ] as const) {
      const res = await reverse(u, acc, tx);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe("invalid_state");
    }
    const unknown = await reverse(u, a, "txn_00000000000000000000");
    expect(unknown.status).toBe(404);
    const noKey = await api("POST", `/v1/accounts/${a}/transactions/${out.id}/reverse`, { token: u.access_token });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.code).toBe("idempotency_key_required");
    expect(await balanceOf(u, a)).toEqual({ posted: 4_000, pending: 0, available: 4_000 });
    expect(await balanceOf(u, b)).toEqual({ posted: 1_000, pending: 0, available: 1_000 });
  });
});

describe("event time checked at the edge", () => {
  it("a future occurred_at is a 400 that is not stored under the key; the fixed body then succeeds with the same key", async () => {
    const u = await registerUser();
    const a = await openAccount(u);
    const k = key();
    const bad = await postTx(u, a, { kind: "deposit", amount: 100, occurred_at: new Date(Date.now() + 3_600_000).toISOString() }, k);
    expect(bad.status).toBe(400);
    const good = await postTx(u, a, { kind: "deposit", amount: 100 }, k);
    expect(good.status).toBe(201);
    expect((await balanceOf(u, a)).posted).toBe(100);
  });
});
