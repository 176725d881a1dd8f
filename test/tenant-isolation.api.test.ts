/**
 * Tenant isolation (RELIABILITY.md test 8, invariant 7): with user A's token,
 * every route that takes an id is called with user B's ids. Each answers 404
 * (403 would also do; FinEdge answers 404 so existence does not leak), no
 * body carries anything of B's, and B's state is the same afterwards.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { allEntries, api, balanceOf, deposit, key, openAccount, postTx, registerUser, transfer, type User } from "./helpers/ledger";

interface Victim {
  u: User;
  email: string;
  accounts: string[];
  /** An open account with a zero balance: closing it would succeed for its owner. */
  empty: string;
  tx: string[];
  reversible: string;
  pending: string;
  posted: string;
  /** An Idempotency-Key B used on its first account. */
  usedKey: string;
  /** Everything that must never appear in a response to A. */
  secrets: string[];
}

const NAMES = ["Bobs Secret Vault 7Q", "Bobs Hidden Savings 3Z", "Bobs Empty Pot 9K"];
const DESCRIPTIONS = ["bob-salary-description-x41", "bob-transfer-description-k77"];
const MERCHANT = "Bobs-Private-Merchant-Qx";
const AMOUNTS = [9_876_543, 3_141_592, 2_718_281, 1_618_033, 1_414_213] as const;

let A: User;
let a1: string;
let a2: string;
let B: Victim;

async function stateOf(v: Victim) {
  const t = v.u.access_token;
  const out: Record<string, unknown> = {};
  for (const id of v.accounts) {
    out[`account ${id}`] = (await api("GET", `/v1/accounts/${id}`, { token: t })).body;
    out[`journal ${id}`] = await allEntries(v.u, id);
    out[`budgets ${id}`] = (await api("GET", `/v1/accounts/${id}/budgets`, { token: t })).body;
    out[`verify ${id}`] = (await api("GET", `/v1/accounts/${id}/verify`, { token: t })).body;
  }
  out.pending = (await api("GET", `/v1/transfers/${v.pending}`, { token: t })).body;
  out.posted = (await api("GET", `/v1/transfers/${v.posted}`, { token: t })).body;
  out.list = (await api("GET", "/v1/accounts", { token: t })).body;
  // The unread count is filled asynchronously from B's own earlier events (the queue delivers
  // them whenever it does), so it is left out of the comparison; every other field must not move.
  const { unread_notifications: _unread, ...me } = (await api("GET", "/v1/me", { token: t })).body as Record<string, unknown>;
  out.me = me;
  return out;
}

/** A short, well-formed preview of a value for assertion messages (never cuts a surrogate pair). */
const preview = (v: unknown) =>
  Array.from(typeof v === "string" ? v : (JSON.stringify(v) ?? String(v)))
    .slice(0, 300)
    .join("");

function expectNoLeak(label: string, res: { status: number; body: unknown; headers: Headers }, secrets: string[]) {
  const text = typeof res.body === "string" ? res.body : JSON.stringify(res.body);
  for (const s of secrets) expect(text.includes(s), `${label} leaks ${s}: ${preview(text)}`).toBe(false);
  for (const [h, value] of res.headers) {
    if (h === "x-request-id") continue;
    for (const s of secrets) expect(value.includes(s), `${label} header ${h} leaks ${s}`).toBe(false);
  }
}

function expectDenied(label: string, res: { status: number; body: any; headers: Headers }) {
  expect([403, 404], `${label}: ${res.status} ${preview(res.body)}`).toContain(res.status);
  expect(res.body?.error?.request_id, label).toBe(res.headers.get("x-request-id"));
  expect(["not_found", "forbidden"], label).toContain(res.body.error.code);
}

describe("tenant isolation", () => {
  beforeAll(async () => {
    A = await registerUser({ name: "Alice Attacker" });
    a1 = await openAccount(A, { type: "checking", name: "Alice main" });
    a2 = await openAccount(A, { type: "savings", name: "Alice savings" });
    await deposit(A, a1, 50_000);
    expect((await transfer(A, { from_account_id: a1, to_account_id: a2, amount: 500 })).status).toBe(201);
    expect((await api("PUT", `/v1/accounts/${a1}/budgets/groceries`, { token: A.access_token, body: { limit: 10_000 } })).status).toBe(201);

    const email = `bob-${crypto.randomUUID()}@example.test`;
    const u = await registerUser({ email, name: "Bob Victim-Name-Zz" });
    const b1 = await openAccount(u, { type: "checking", name: NAMES[0] });
    const b2 = await openAccount(u, { type: "savings", name: NAMES[1] });
    const b3 = await openAccount(u, { type: "checking", name: NAMES[2] });
    const usedKey = key();
    const dep = await postTx(
      u,
      b1,
      { kind: "deposit", amount: AMOUNTS[0], description: DESCRIPTIONS[0], metadata: { employer: "bob-employer-meta" } },
      usedKey,
    );
    expect(dep.status).toBe(201);
    const buy = await postTx(u, b1, { kind: "purchase", amount: AMOUNTS[1], merchant: MERCHANT, category: "groceries" });
    expect(buy.status).toBe(201);
    const fee = await postTx(u, b1, { kind: "fee", amount: AMOUNTS[4] });
    expect(fee.status).toBe(201);
    expect((await api("PUT", `/v1/accounts/${b1}/budgets/groceries`, { token: u.access_token, body: { limit: AMOUNTS[0] } })).status).toBe(
      201,
    );
    const posted = await transfer(u, { from_account_id: b1, to_account_id: b2, amount: AMOUNTS[2], description: DESCRIPTIONS[1] });
    expect(posted.status).toBe(201);
    const pending = await transfer(u, { from_account_id: b1, to_account_id: b2, amount: AMOUNTS[3], mode: "pending" });
    expect(pending.status).toBe(201);
    expect(pending.body.status).toBe("pending");
    const b2tx = await allEntries(u, b2);

    B = {
      u,
      email,
      accounts: [b1, b2, b3],
      empty: b3,
      tx: [dep.body.id, buy.body.id, fee.body.id, ...b2tx.map((e) => e.id)],
      reversible: buy.body.id,
      pending: pending.body.id,
      posted: posted.body.id,
      usedKey,
      secrets: [
        u.user.id,
        email,
        "Bob Victim-Name-Zz",
        b1,
        b2,
        b3,
        dep.body.id,
        buy.body.id,
        fee.body.id,
        ...b2tx.map((e) => e.id),
        posted.body.id,
        pending.body.id,
        ...NAMES,
        ...DESCRIPTIONS,
        MERCHANT,
        "bob-employer-meta",
        ...AMOUNTS.map(String),
        String(AMOUNTS[0] - AMOUNTS[1] - AMOUNTS[4]),
        dep.body.hash,
        u.refresh_token,
      ],
    };
  });

  it("A's token on every id route with B's ids: 404, no B data in any body, B unchanged", async () => {
    const before = await stateOf(B);
    const [b1, b2, b3] = B.accounts as [string, string, string];
    const t = A.access_token;
    const k = () => ({ "idempotency-key": key() });
    const calls: [string, string, { body?: unknown; headers?: Record<string, string> }?][] = [];
    for (const id of B.accounts) {
      calls.push(
        ["GET", `/v1/accounts/${id}`],
        ["GET", `/v1/accounts/${id}/balance`],
        ["GET", `/v1/accounts/${id}/balance?at=${encodeURIComponent(new Date().toISOString())}`],
        ["GET", `/v1/accounts/${id}/verify`],
        ["POST", `/v1/accounts/${id}/close`],
        ["GET", `/v1/accounts/${id}/transactions`],
        ["GET", `/v1/accounts/${id}/transactions?limit=1&kind=deposit&min_amount=1`],
        ["GET", `/v1/accounts/${id}/transactions?cursor=2`],
        ["POST", `/v1/accounts/${id}/transactions`, { body: { kind: "deposit", amount: 100 }, headers: k() }],
        ["POST", `/v1/accounts/${id}/transactions`, { body: { kind: "withdrawal", amount: 100 }, headers: k() }],
        [
          "POST",
          `/v1/accounts/${id}/transactions`,
          { body: { kind: "purchase", amount: 100, merchant: "x", category: "groceries" }, headers: k() },
        ],
        ["GET", `/v1/accounts/${id}/budgets`],
        ["PUT", `/v1/accounts/${id}/budgets/groceries`, { body: { limit: 1 } }],
        ["PUT", `/v1/accounts/${id}/budgets/travel`, { body: { limit: 1 } }],
        ["DELETE", `/v1/accounts/${id}/budgets/groceries`],
      );
      for (const tx of B.tx) {
        calls.push(
          ["GET", `/v1/accounts/${id}/transactions/${tx}`],
          ["POST", `/v1/accounts/${id}/transactions/${tx}/reverse`, { headers: k() }],
        );
      }
    }
    for (const tx of B.tx) {
      // B's transaction ids through A's own accounts.
      calls.push(
        ["GET", `/v1/accounts/${a1}/transactions/${tx}`],
        ["POST", `/v1/accounts/${a1}/transactions/${tx}/reverse`, { headers: k() }],
      );
    }
    for (const tr of [B.pending, B.posted]) {
      calls.push(
        ["GET", `/v1/transfers/${tr}`],
        ["POST", `/v1/transfers/${tr}/post`, { headers: k() }],
        ["POST", `/v1/transfers/${tr}/post`, { body: { amount: 1 }, headers: k() }],
        ["POST", `/v1/transfers/${tr}/void`, { headers: k() }],
      );
    }
    // Transfers out of B's accounts with A's token, to A and within B.
    for (const [from, to] of [
      [b1, a1],
      [b1, b2],
      [b2, a1],
      [b3, b1],
    ] as const) {
      calls.push(["POST", "/v1/transfers", { body: { from_account_id: from, to_account_id: to, amount: 100 }, headers: k() }]);
      calls.push([
        "POST",
        "/v1/transfers",
        { body: { from_account_id: from, to_account_id: to, amount: 100, mode: "pending" }, headers: k() },
      ]);
    }
    // B's own Idempotency-Key, replayed by A on B's account with B's exact body.
    calls.push([
      "POST",
      `/v1/accounts/${b1}/transactions`,
      {
        body: { kind: "deposit", amount: AMOUNTS[0], description: DESCRIPTIONS[0], metadata: { employer: "bob-employer-meta" } },
        headers: { "idempotency-key": B.usedKey },
      },
    ]);
    // Logging out B's session with A's token.
    calls.push(["POST", "/v1/auth/logout", { body: { refresh_token: B.u.refresh_token } }]);

    for (const [method, path, opts] of calls) {
      const label = `${method} ${path}`;
      const res = await api(method, path, { token: t, ...opts });
      expectDenied(label, res);
      // The path itself is A's input; the answer must not echo it or add anything of B's.
      expectNoLeak(label, res, B.secrets);
    }
    expect(calls.length).toBeGreaterThanOrEqual(95);

    // A's own views never mention B, even paged with cursors made of B's accounts (created_at~id).
    const bCursors = (before.list as { data: { id: string; created_at: string }[] }).data.map((acc) =>
      encodeURIComponent(`${acc.created_at}~${acc.id}`),
    );
    expect(bCursors).toHaveLength(3);
    for (const path of [
      "/v1/accounts",
      ...bCursors.map((cur) => `/v1/accounts?cursor=${cur}`),
      "/v1/accounts?limit=1",
      "/v1/me",
      `/v1/accounts/${a1}`,
      `/v1/accounts/${a1}/transactions`,
      `/v1/accounts/${a1}/budgets`,
    ]) {
      const res = await api("GET", path, { token: t });
      expect(res.status, path).toBe(200);
      expectNoLeak(path, res, B.secrets);
    }

    // Nothing of B's changed: balances, journals, budgets, transfers, session.
    expect(await stateOf(B)).toEqual(before);
    expect((await api("GET", `/v1/accounts/${b3}`, { token: B.u.access_token })).body.status).toBe("open");
    expect((await api("GET", `/v1/transfers/${B.pending}`, { token: B.u.access_token })).body).toMatchObject({
      status: "pending",
      amount: AMOUNTS[3],
    });
    const refreshed = await api("POST", "/v1/auth/refresh", { body: { refresh_token: B.u.refresh_token } });
    expect(refreshed.status).toBe(200);
    B.u.refresh_token = refreshed.body.refresh_token;
  });

  it("B's token cannot act on A's transfers either", async () => {
    const p = await transfer(A, { from_account_id: a1, to_account_id: a2, amount: 300, mode: "pending" });
    expect(p.status).toBe(201);
    for (const [method, path] of [
      ["GET", `/v1/transfers/${p.body.id}`],
      ["POST", `/v1/transfers/${p.body.id}/post`],
      ["POST", `/v1/transfers/${p.body.id}/void`],
    ] as const) {
      const res = await api(method, path, { token: B.u.access_token, headers: { "idempotency-key": key() } });
      expectDenied(`B ${method} ${path}`, res);
      expectNoLeak(`B ${method} ${path}`, res, [a1, a2, "Alice main", "Alice savings", A.user.id]);
    }
    expect(await balanceOf(A, a1)).toMatchObject({ pending: 300 });
    const v = await api("POST", `/v1/transfers/${p.body.id}/void`, { token: A.access_token, headers: { "idempotency-key": key() } });
    expect(v.status).toBe(200);
  });

  it("a transfer from A to B's account succeeds, reveals nothing of B, and B sees the credit", async () => {
    const [b1] = B.accounts as [string];
    const bBefore = await balanceOf(B.u, b1);
    const aBefore = await balanceOf(A, a1);
    const amount = 4_321;
    const res = await transfer(A, { from_account_id: a1, to_account_id: b1, amount, description: "alice pays bob" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: "posted", from_account_id: a1, to_account_id: b1, amount, posted_amount: amount });
    // The reply names the destination A gave, and nothing else about it.
    expectNoLeak(
      "A→B transfer",
      res,
      B.secrets.filter((s) => s !== b1),
    );
    const got = await api("GET", `/v1/transfers/${res.body.id}`, { token: A.access_token });
    expect(got.status).toBe(200);
    expectNoLeak(
      "A reads its transfer to B",
      got,
      B.secrets.filter((s) => s !== b1),
    );

    // A still cannot read B's account or its journal, not even the entry A caused.
    for (const path of [`/v1/accounts/${b1}`, `/v1/accounts/${b1}/transactions`, `/v1/accounts/${b1}/balance`]) {
      const r = await api("GET", path, { token: A.access_token });
      expectDenied(path, r);
      expectNoLeak(path, r, B.secrets);
    }

    expect(await balanceOf(A, a1)).toEqual({ posted: aBefore.posted - amount, pending: 0, available: aBefore.available - amount });
    expect(await balanceOf(B.u, b1)).toEqual({ ...bBefore, posted: bBefore.posted + amount, available: bBefore.available + amount });
    const credits = (await allEntries(B.u, b1)).filter((e) => e.transfer_id === res.body.id);
    expect(credits).toHaveLength(1);
    expect(credits[0]).toMatchObject({ kind: "transfer_in", amount });
    const creditEntry = await api("GET", `/v1/accounts/${b1}/transactions/${credits[0]!.id}`, { token: A.access_token });
    expectDenied("A reads B's credit entry", creditEntry);
    // The transfer lives with its source: B cannot read, post or void it.
    const bReads = await api("GET", `/v1/transfers/${res.body.id}`, { token: B.u.access_token });
    expectDenied("B reads A's transfer", bReads);
    expect((await api("GET", `/v1/accounts/${b1}/verify`, { token: B.u.access_token })).body.ok).toBe(true);
    expect((await api("GET", `/v1/accounts/${a1}/verify`, { token: A.access_token })).body.ok).toBe(true);
  });

  it("a transfer from B's account with A's token moves nothing", async () => {
    const [b1] = B.accounts as [string];
    const before = {
      b: await balanceOf(B.u, b1),
      a: await balanceOf(A, a1),
      jb: (await allEntries(B.u, b1)).length,
      ja: (await allEntries(A, a1)).length,
    };
    const res = await transfer(A, { from_account_id: b1, to_account_id: a1, amount: 1_000 });
    expect(res.status).toBe(404);
    expectNoLeak("B→A with A's token", res, B.secrets);
    expect(await balanceOf(B.u, b1)).toEqual(before.b);
    expect(await balanceOf(A, a1)).toEqual(before.a);
    expect((await allEntries(B.u, b1)).length).toBe(before.jb);
    expect((await allEntries(A, a1)).length).toBe(before.ja);
  });

  it("a token without a valid signature sees nothing", async () => {
    const [b1] = B.accounts as [string];
    const forged = `${A.access_token.split(".").slice(0, 2).join(".")}.${"A".repeat(43)}`;
    for (const token of [forged, "", "not-a-jwt"]) {
      const res = await api("GET", `/v1/accounts/${b1}`, { token, headers: token === "" ? {} : undefined });
      expect(res.status).toBe(401);
      expectNoLeak("forged token", res, B.secrets);
    }
  });
});
