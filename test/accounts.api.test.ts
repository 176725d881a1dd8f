/**
 * Accounts through the public API: open each type, list with cursor pagination,
 * read, close (zero balance, no holds), what a closed account refuses, the
 * point-in-time balance with late entries, journal verification, and the
 * per-user account cap. (Bad input and cross-tenant access have their own suites.)
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_ACCOUNTS_PER_USER } from "../src/db/accounts";
import { api, balanceOf, deposit, key, openAccount, postTx, registerUser, transfer, type User } from "./helpers/ledger";

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** The same instant written with a UTC offset of `offsetMin` minutes, e.g. 2026-01-01T05:00:00-05:00. */
function withOffset(ms: number, offsetMin: number): string {
  const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19);
  const sign = offsetMin < 0 ? "-" : "+";
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

async function listAll(u: User, limit: number) {
  const pages: { id: string; created_at: string; balance: { posted: number } }[][] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++) {
    const q: string = `/v1/accounts?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await api("GET", q, { token: u.access_token });
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeLessThanOrEqual(limit);
    pages.push(res.body.data);
    if (!res.body.has_more) {
      expect(res.body.next_cursor).toBeNull();
      return pages;
    }
    cursor = res.body.next_cursor;
  }
  throw new Error("pagination did not terminate");
}

async function registryRow(id: string) {
  return env.DB.prepare("SELECT user_id, status, closed_at FROM accounts WHERE id = ?")
    .bind(id)
    .first<{ user_id: string; status: string; closed_at: string | null }>();
}

describe("POST /v1/accounts", () => {
  it("opens checking, savings and brokerage accounts in USD by default with a zero balance", async () => {
    const u = await registerUser();
    for (const type of ["checking", "savings", "brokerage"] as const) {
      const res = await api("POST", "/v1/accounts", { token: u.access_token, body: { type, name: `My ${type}` } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        object: "account",
        type,
        currency: "USD",
        name: `My ${type}`,
        credit_limit: 0,
        status: "open",
        closed_at: null,
        balance: { posted: 0, pending: 0, available: 0 },
      });
      expect(res.body.id).toMatch(/^acc_[0-9a-z]{20}$/);
      expect(Date.parse(res.body.created_at)).not.toBeNaN();
      // Registered in D1 for the owner, and readable back.
      expect(await registryRow(res.body.id)).toMatchObject({ user_id: u.user.id, status: "open" });
      expect((await api("GET", `/v1/accounts/${res.body.id}`, { token: u.access_token })).body).toEqual(res.body);
    }
  });

  it("opens a credit account whose available balance is its credit limit", async () => {
    const u = await registerUser();
    const res = await api("POST", "/v1/accounts", { token: u.access_token, body: { type: "credit", name: "Card", credit_limit: 50_000 } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: "credit", credit_limit: 50_000, balance: { posted: 0, pending: 0, available: 50_000 } });
  });

  it("rejects credit_limit on a non-credit account with 400 and opens nothing", async () => {
    const u = await registerUser();
    for (const type of ["checking", "savings", "brokerage"]) {
      const res = await api("POST", "/v1/accounts", { token: u.access_token, body: { type, name: "X", credit_limit: 1_000 } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
      expect(JSON.stringify(res.body.error.details)).toContain("credit_limit");
    }
    const list = await api("GET", "/v1/accounts", { token: u.access_token });
    expect(list.body.data).toEqual([]);
  });

  it("opens a JPY account (zero-decimal currency) that takes integer yen", async () => {
    const u = await registerUser();
    const id = await openAccount(u, { type: "savings", name: "Yen", currency: "JPY" });
    const d = await deposit(u, id, 12_345);
    expect(d).toMatchObject({ currency: "JPY", amount: 12_345, balance_after: 12_345 });
    const a = await api("GET", `/v1/accounts/${id}`, { token: u.access_token });
    expect(a.body).toMatchObject({ currency: "JPY", balance: { posted: 12_345, available: 12_345 } });
  });

  it("requires a bearer token", async () => {
    const res = await api("POST", "/v1/accounts", { body: { type: "checking", name: "X" } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");
  });

  it(`caps a user at ${MAX_ACCOUNTS_PER_USER} accounts`, async () => {
    const u = await registerUser();
    for (let i = 0; i < MAX_ACCOUNTS_PER_USER; i++) await openAccount(u, { type: "savings", name: `Pot ${i}` });
    const over = await api("POST", "/v1/accounts", { token: u.access_token, body: { type: "savings", name: "One too many" } });
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe("unprocessable");
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM accounts WHERE user_id = ?").bind(u.user.id).first<{ n: number }>();
    expect(n?.n).toBe(MAX_ACCOUNTS_PER_USER);
    // Another user is not affected by this user's cap.
    const v = await registerUser();
    expect((await api("POST", "/v1/accounts", { token: v.access_token, body: { type: "savings", name: "Mine" } })).status).toBe(201);
  });
});

describe("GET /v1/accounts", () => {
  it("lists only the caller's accounts, newest first, with live balances, across pages without duplicates or gaps", async () => {
    const u = await registerUser();
    const other = await registerUser();
    await openAccount(other);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await openAccount(u, { type: "checking", name: `A${i}` }));
    await deposit(u, ids[1]!, 1_111);
    await deposit(u, ids[3]!, 3_333);

    const pages = await listAll(u, 2);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    const all = pages.flat();
    expect(all.map((a) => a.id).sort()).toEqual([...ids].sort());
    expect(new Set(all.map((a) => a.id)).size).toBe(5);
    // Newest first: created_at never increases down the list.
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.created_at >= all[i]!.created_at).toBe(true);
    const byId = new Map(all.map((a) => [a.id, a.balance.posted]));
    expect(byId.get(ids[1]!)).toBe(1_111);
    expect(byId.get(ids[3]!)).toBe(3_333);
    expect(byId.get(ids[0]!)).toBe(0);

    const single = await api("GET", "/v1/accounts", { token: u.access_token });
    expect(single.body).toMatchObject({ object: "list", has_more: false, next_cursor: null });
    expect(single.body.data.map((a: { id: string }) => a.id)).toEqual(all.map((a) => a.id));
  });

  it("keeps newest-first order when accounts are opened one after another", async () => {
    const u = await registerUser();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push(await openAccount(u, { type: "savings", name: `S${i}` }));
      await new Promise((r) => setTimeout(r, 3)); // distinct created_at
    }
    const list = await api("GET", "/v1/accounts?limit=4", { token: u.access_token });
    const rest = await api("GET", `/v1/accounts?limit=4&cursor=${encodeURIComponent(list.body.next_cursor)}`, { token: u.access_token });
    expect([...list.body.data, ...rest.body.data].map((a: { id: string }) => a.id)).toEqual([...ids].reverse());
  });

  it("rejects a limit above the bound", async () => {
    const u = await registerUser();
    const res = await api("GET", "/v1/accounts?limit=51", { token: u.access_token });
    expect(res.status).toBe(400);
  });
});

describe("GET /v1/accounts/{id}", () => {
  it("404s for an unknown account id and 400s for a malformed one", async () => {
    const u = await registerUser();
    const unknown = await api("GET", "/v1/accounts/acc_00000000000000000000", { token: u.access_token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("not_found");
    expect((await api("GET", "/v1/accounts/not-an-id", { token: u.access_token })).status).toBe(400);
  });
});

describe("POST /v1/accounts/{id}/close", () => {
  it("refuses a non-zero balance with 422 account_not_empty, then closes at zero", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    await deposit(u, id, 2_500);
    const refused = await api("POST", `/v1/accounts/${id}/close`, { token: u.access_token });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("account_not_empty");
    expect((await api("GET", `/v1/accounts/${id}`, { token: u.access_token })).body.status).toBe("open");
    expect((await registryRow(id))?.status).toBe("open");

    expect((await postTx(u, id, { kind: "withdrawal", amount: 2_500 })).status).toBe(201);
    const closed = await api("POST", `/v1/accounts/${id}/close`, { token: u.access_token });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ id, status: "closed", balance: { posted: 0, pending: 0, available: 0 } });
    expect(Date.parse(closed.body.closed_at)).not.toBeNaN();
    expect((await api("GET", `/v1/accounts/${id}`, { token: u.access_token })).body.status).toBe("closed");
    expect((await registryRow(id))?.status).toBe("closed");

    const again = await api("POST", `/v1/accounts/${id}/close`, { token: u.access_token });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe("account_closed");
  });

  it("refuses a credit account that owes money, and an account with a pending hold", async () => {
    const u = await registerUser();
    const card = await openAccount(u, { type: "credit", name: "Card", credit_limit: 10_000 });
    const dest = await openAccount(u);
    // A hold on a zero posted balance (drawing on the credit line).
    const t = await transfer(u, { from_account_id: card, to_account_id: dest, amount: 4_000, mode: "pending" });
    expect(t.status).toBe(201);
    expect(await balanceOf(u, card)).toEqual({ posted: 0, pending: 4_000, available: 6_000 });
    const held = await api("POST", `/v1/accounts/${card}/close`, { token: u.access_token });
    expect(held.status).toBe(422);
    expect(held.body.error.code).toBe("account_not_empty");

    expect(
      (await api("POST", `/v1/transfers/${t.body.id}/void`, { token: u.access_token, headers: { "idempotency-key": key() } })).status,
    ).toBe(200);
    expect((await postTx(u, card, { kind: "purchase", amount: 1_000, merchant: "Shop" })).status).toBe(201);
    const owes = await api("POST", `/v1/accounts/${card}/close`, { token: u.access_token });
    expect(owes.status).toBe(422);
    expect(owes.body.error.code).toBe("account_not_empty");

    expect((await postTx(u, card, { kind: "deposit", amount: 1_000 })).status).toBe(201);
    expect((await api("POST", `/v1/accounts/${card}/close`, { token: u.access_token })).status).toBe(200);
  });

  it("a closed account rejects transactions (422 account_closed) and incoming transfers (422), and its balance stays zero", async () => {
    const u = await registerUser();
    const closed = await openAccount(u);
    const src = await openAccount(u);
    await deposit(u, src, 5_000);
    expect((await api("POST", `/v1/accounts/${closed}/close`, { token: u.access_token })).status).toBe(200);

    for (const body of [
      { kind: "deposit", amount: 100 },
      { kind: "withdrawal", amount: 1 },
      { kind: "interest", amount: 5 },
    ]) {
      const res = await postTx(u, closed, body);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe("account_closed");
    }
    const t = await transfer(u, { from_account_id: src, to_account_id: closed, amount: 1_000 });
    expect(t.status).toBe(422);
    expect(t.body.error.code).toBe("transfer_rejected");
    // Nor can a closed account send.
    const out = await transfer(u, { from_account_id: closed, to_account_id: src, amount: 1 });
    expect(out.status).toBe(422);

    expect(await balanceOf(u, closed)).toEqual({ posted: 0, pending: 0, available: 0 });
    expect(await balanceOf(u, src)).toEqual({ posted: 5_000, pending: 0, available: 5_000 });
    const v = await api("GET", `/v1/accounts/${closed}/verify`, { token: u.access_token });
    expect(v.body).toMatchObject({ ok: true, entries: 0 });
  });
});

describe("GET /v1/accounts/{id}/balance?at=", () => {
  it("gives the posted balance at an event time, counting late entries at their own time", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    const now = Date.now();
    await deposit(u, id, 1_000); // now
    // Late entries, recorded after the one above but with earlier event times.
    expect((await postTx(u, id, { kind: "deposit", amount: 500, occurred_at: iso(now - 10 * DAY) })).status).toBe(201);
    expect((await postTx(u, id, { kind: "withdrawal", amount: 200, occurred_at: iso(now - 5 * DAY) })).status).toBe(201);

    const at = async (t: string) => {
      const res = await api("GET", `/v1/accounts/${id}/balance?at=${encodeURIComponent(t)}`, { token: u.access_token });
      expect(res.status).toBe(200);
      return res.body;
    };
    expect(await at(iso(now - 11 * DAY))).toMatchObject({ object: "balance", account_id: id, currency: "USD", posted: 0, entries: 0 });
    expect(await at(iso(now - 7 * DAY))).toMatchObject({ posted: 500, entries: 1 });
    expect(await at(iso(now - 3 * DAY))).toMatchObject({ posted: 300, entries: 2 });
    const current = await api("GET", `/v1/accounts/${id}/balance`, { token: u.access_token });
    expect(current.body).toMatchObject({ posted: 1_300, entries: 3 });
    expect((await balanceOf(u, id)).posted).toBe(1_300);
  });

  it("reads `at` as an instant, whatever its UTC offset or precision", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    const t0 = Date.now() - 10 * DAY;
    const occurred = t0 - (t0 % 1000) + 500; // …:ss.500Z
    expect((await postTx(u, id, { kind: "deposit", amount: 700, occurred_at: iso(occurred) })).status).toBe(201);
    const q = (t: string) => api("GET", `/v1/accounts/${id}/balance?at=${encodeURIComponent(t)}`, { token: u.access_token });

    // One hour after the entry, written in New York time: the entry counts.
    expect((await q(withOffset(occurred + 3_600_000, -300))).body).toMatchObject({ posted: 700, entries: 1 });
    // One hour before it, written in Tokyo time: it does not.
    expect((await q(withOffset(occurred - 3_600_000, 540))).body).toMatchObject({ posted: 0, entries: 0 });
    // Whole seconds without a fraction: the entry is half a second later, so it does not count yet…
    expect((await q(iso(occurred - 500).replace(".000Z", "Z"))).body).toMatchObject({ posted: 0, entries: 0 });
    // …and it does at the next whole second.
    expect((await q(iso(occurred + 500).replace(".000Z", "Z"))).body).toMatchObject({ posted: 700, entries: 1 });
  });

  it("rejects a malformed `at`", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    const res = await api("GET", `/v1/accounts/${id}/balance?at=yesterday`, { token: u.access_token });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_error");
  });
});

describe("GET /v1/accounts/{id}/verify", () => {
  it("is ok with the entry count, and the head hash moves with every entry to the newest entry's hash", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    const v0 = await api("GET", `/v1/accounts/${id}/verify`, { token: u.access_token });
    expect(v0.status).toBe(200);
    expect(v0.body).toEqual({ ok: true, entries: 0, head_hash: "0".repeat(64), first_invalid_seq: null });

    const seen = new Set([v0.body.head_hash]);
    const bodies = [
      { kind: "deposit", amount: 5_000 },
      { kind: "purchase", amount: 1_200, merchant: "Grocer", category: "groceries" },
      { kind: "fee", amount: 300 },
    ];
    for (const [i, body] of bodies.entries()) {
      const tx = await postTx(u, id, body);
      expect(tx.status).toBe(201);
      const v = await api("GET", `/v1/accounts/${id}/verify`, { token: u.access_token });
      expect(v.body).toMatchObject({ ok: true, entries: i + 1, first_invalid_seq: null });
      expect(v.body.head_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(v.body.head_hash).toBe(tx.body.hash);
      expect(seen.has(v.body.head_hash)).toBe(false);
      seen.add(v.body.head_hash);
    }
  });
});
