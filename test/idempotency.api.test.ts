/**
 * The Idempotency-Key contract (DESIGN.md, RELIABILITY.md test 3): same key and
 * same body → one execution and the first reply byte for byte; same key, other
 * body → 422; no key → 400; a stored business failure replays as it was.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { randomClientIp } from "./helpers/auth";
import { allEntries, api, balanceOf, deposit, key, openAccount, registerUser, type User } from "./helpers/ledger";

type Raw = { status: number; text: string; headers: Headers };

/** Like api(), but keeps the body's exact bytes so replays can be compared byte for byte. */
async function raw(method: string, path: string, u: User, body?: unknown, idemKey?: string): Promise<Raw> {
  const headers: Record<string, string> = { authorization: `Bearer ${u.access_token}`, "cf-connecting-ip": randomClientIp() };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (idemKey !== undefined) headers["idempotency-key"] = idemKey;
  const res = await exports.default.fetch("http://x" + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** Every 201 is byte-identical to the first 201, and every other reply is a 409 in-progress. */
function expectOneOutcome(replies: Raw[], okStatus = 201) {
  const oks = replies.filter((r) => r.status === okStatus);
  const others = replies.filter((r) => r.status !== okStatus);
  expect(oks.length).toBeGreaterThan(0);
  for (const r of others) {
    expect(r.status).toBe(409);
    expect(JSON.parse(r.text).error.code).toBe("idempotency_in_progress");
  }
  const first = oks[0]!.text;
  for (const r of oks) expect(r.text).toBe(first);
  // Exactly one of the successes executed; every other one is a replay and says so.
  expect(oks.filter((r) => r.headers.get("idempotent-replayed") !== "true")).toHaveLength(1);
  for (const r of oks) if (r.headers.get("idempotent-replayed") === "true") expect(r.text).toBe(first);
  return JSON.parse(first);
}

describe("idempotency contract", () => {
  it("transactions: same key and body ×100 concurrently execute once and replay byte for byte", async () => {
    const u = await registerUser();
    const acc = await openAccount(u);
    const k = key();
    const body = { kind: "deposit", amount: 4_321, description: "salary ✓", metadata: { ref: "r-1" } };
    const replies = await Promise.all(Array.from({ length: 100 }, () => raw("POST", `/v1/accounts/${acc}/transactions`, u, body, k)));
    const first = expectOneOutcome(replies);
    expect(first).toMatchObject({ kind: "deposit", amount: 4_321, balance_after: 4_321 });

    const entries = await allEntries(u, acc);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.id).toBe(first.id);
    expect(await balanceOf(u, acc)).toEqual({ posted: 4_321, pending: 0, available: 4_321 });

    // A later replay is still the first reply, flagged as a replay.
    const later = await raw("POST", `/v1/accounts/${acc}/transactions`, u, body, k);
    expect(later.status).toBe(201);
    expect(later.headers.get("idempotent-replayed")).toBe("true");
    expect(later.text).toBe(replies.find((r) => r.status === 201)!.text);
    // Key order in the body does not make it a different request.
    const reordered = await raw(
      "POST",
      `/v1/accounts/${acc}/transactions`,
      u,
      { metadata: { ref: "r-1" }, description: "salary ✓", amount: 4_321, kind: "deposit" },
      k,
    );
    expect(reordered.status).toBe(201);
    expect(reordered.text).toBe(later.text);
    expect(await allEntries(u, acc)).toHaveLength(1);
  });

  it("transactions: same key with another body is 422 idempotency_key_reused and changes nothing", async () => {
    const u = await registerUser();
    const acc = await openAccount(u);
    const k = key();
    const first = await raw("POST", `/v1/accounts/${acc}/transactions`, u, { kind: "deposit", amount: 1_000 }, k);
    expect(first.status).toBe(201);
    for (const other of [
      { kind: "deposit", amount: 1_001 },
      { kind: "withdrawal", amount: 1_000 },
      { kind: "deposit", amount: 1_000, description: "x" },
    ]) {
      const res = await api("POST", `/v1/accounts/${acc}/transactions`, {
        token: u.access_token,
        body: other,
        headers: { "idempotency-key": k },
      });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe("idempotency_key_reused");
      expect(res.body.error.request_id).toBe(res.headers.get("x-request-id"));
    }
    expect(await allEntries(u, acc)).toHaveLength(1);
    expect((await balanceOf(u, acc)).posted).toBe(1_000);
  });

  it("every money POST without a key is 400 idempotency_key_required and changes nothing", async () => {
    const u = await registerUser();
    const acc = await openAccount(u);
    const other = await openAccount(u, { type: "savings", name: "Other" });
    await deposit(u, acc, 10_000);
    const tx = (await allEntries(u, acc))[0]!;
    const pending = await api("POST", "/v1/transfers", {
      token: u.access_token,
      body: { from_account_id: acc, to_account_id: other, amount: 500, mode: "pending" },
      headers: { "idempotency-key": key() },
    });
    expect(pending.status).toBe(201);
    const before = { a: await balanceOf(u, acc), b: await balanceOf(u, other), n: (await allEntries(u, acc)).length };

    const cases: [string, string, unknown][] = [
      ["POST", `/v1/accounts/${acc}/transactions`, { kind: "deposit", amount: 100 }],
      ["POST", `/v1/accounts/${acc}/transactions/${tx.id}/reverse`, undefined],
      ["POST", "/v1/transfers", { from_account_id: acc, to_account_id: other, amount: 100 }],
      ["POST", `/v1/transfers/${pending.body.id}/post`, undefined],
      ["POST", `/v1/transfers/${pending.body.id}/void`, undefined],
    ];
    for (const [method, path, body] of cases) {
      for (const headers of [{}, { "idempotency-key": "" }] as Record<string, string>[]) {
        const res = await api(method, path, { token: u.access_token, body, headers });
        expect(res.status, `${method} ${path}`).toBe(400);
        expect(res.body.error.code).toBe("idempotency_key_required");
        expect(res.body.error.request_id).toBe(res.headers.get("x-request-id"));
      }
    }
    expect(await balanceOf(u, acc)).toEqual(before.a);
    expect(await balanceOf(u, other)).toEqual(before.b);
    expect((await allEntries(u, acc)).length).toBe(before.n);
    expect((await api("GET", `/v1/transfers/${pending.body.id}`, { token: u.access_token })).body.status).toBe("pending");
  });

  it("transfers: same key and body ×100 concurrently make one hold and one transfer", async () => {
    const u = await registerUser();
    const from = await openAccount(u);
    const to = await openAccount(u, { type: "savings", name: "Dest" });
    await deposit(u, from, 50_000);
    const k = key();
    const body = { from_account_id: from, to_account_id: to, amount: 1_234, description: "rent" };
    const replies = await Promise.all(Array.from({ length: 100 }, () => raw("POST", "/v1/transfers", u, body, k)));
    const first = expectOneOutcome(replies);
    expect(first).toMatchObject({ status: "posted", amount: 1_234, posted_amount: 1_234 });

    expect(await balanceOf(u, from)).toEqual({ posted: 50_000 - 1_234, pending: 0, available: 50_000 - 1_234 });
    expect(await balanceOf(u, to)).toEqual({ posted: 1_234, pending: 0, available: 1_234 });
    const outs = (await allEntries(u, from)).filter((e) => e.kind === "transfer_out");
    const ins = (await allEntries(u, to)).filter((e) => e.kind === "transfer_in");
    expect(outs.map((e) => e.transfer_id)).toEqual([first.id]);
    expect(ins.map((e) => e.transfer_id)).toEqual([first.id]);

    const again = await raw("POST", "/v1/transfers", u, body, k);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.text).toBe(replies.find((r) => r.status === 201)!.text);

    const reused = await api("POST", "/v1/transfers", {
      token: u.access_token,
      body: { ...body, amount: 1_235 },
      headers: { "idempotency-key": k },
    });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe("idempotency_key_reused");
    expect((await balanceOf(u, from)).posted).toBe(50_000 - 1_234);
  });

  it("pending transfers: create, post and void are each idempotent", async () => {
    const u = await registerUser();
    const from = await openAccount(u);
    const to = await openAccount(u, { type: "savings", name: "Dest" });
    await deposit(u, from, 10_000);
    const k1 = key();
    const body = { from_account_id: from, to_account_id: to, amount: 3_000, mode: "pending" };
    const creates = await Promise.all(Array.from({ length: 30 }, () => raw("POST", "/v1/transfers", u, body, k1)));
    const t1 = expectOneOutcome(creates);
    expect(t1.status).toBe("pending");
    expect(await balanceOf(u, from)).toEqual({ posted: 10_000, pending: 3_000, available: 7_000 });

    // Post ×30 with one key: posted once, for the smaller amount.
    const kp = key();
    const posts = await Promise.all(Array.from({ length: 30 }, () => raw("POST", `/v1/transfers/${t1.id}/post`, u, { amount: 2_000 }, kp)));
    const posted = expectOneOutcome(posts, 200);
    expect(posted).toMatchObject({ status: "posted", posted_amount: 2_000 });
    expect(await balanceOf(u, from)).toEqual({ posted: 8_000, pending: 0, available: 8_000 });
    expect(await balanceOf(u, to)).toEqual({ posted: 2_000, pending: 0, available: 2_000 });
    const otherBody = await api("POST", `/v1/transfers/${t1.id}/post`, {
      token: u.access_token,
      body: { amount: 1_000 },
      headers: { "idempotency-key": kp },
    });
    expect(otherBody.status).toBe(422);
    expect(otherBody.body.error.code).toBe("idempotency_key_reused");

    // Void ×30 with one key on another pending transfer.
    const t2 = await api("POST", "/v1/transfers", {
      token: u.access_token,
      body: { ...body, amount: 1_000 },
      headers: { "idempotency-key": key() },
    });
    expect(t2.status).toBe(201);
    const kv = key();
    const voids = await Promise.all(Array.from({ length: 30 }, () => raw("POST", `/v1/transfers/${t2.body.id}/void`, u, undefined, kv)));
    const voided = expectOneOutcome(voids, 200);
    expect(voided.status).toBe("voided");
    expect(await balanceOf(u, from)).toEqual({ posted: 8_000, pending: 0, available: 8_000 });
    expect((await allEntries(u, from)).filter((e) => e.kind === "transfer_out")).toHaveLength(1);
    expect((await allEntries(u, to)).filter((e) => e.kind === "transfer_in")).toHaveLength(1);
  });

  it("reversals: same key ×100 concurrently reverse once; same key on another transaction is 422", async () => {
    const u = await registerUser();
    const acc = await openAccount(u);
    await deposit(u, acc, 10_000);
    const buy = await api("POST", `/v1/accounts/${acc}/transactions`, {
      token: u.access_token,
      body: { kind: "purchase", amount: 2_500, merchant: "Shop", category: "groceries" },
      headers: { "idempotency-key": key() },
    });
    const fee = await api("POST", `/v1/accounts/${acc}/transactions`, {
      token: u.access_token,
      body: { kind: "fee", amount: 100 },
      headers: { "idempotency-key": key() },
    });
    expect(buy.status).toBe(201);
    expect(fee.status).toBe(201);
    const k = key();
    const replies = await Promise.all(
      Array.from({ length: 100 }, () => raw("POST", `/v1/accounts/${acc}/transactions/${buy.body.id}/reverse`, u, undefined, k)),
    );
    const rev = expectOneOutcome(replies);
    expect(rev).toMatchObject({ kind: "reversal", reverses: buy.body.id, amount: 2_500 });
    expect((await balanceOf(u, acc)).posted).toBe(10_000 - 100);
    const entries = await allEntries(u, acc);
    expect(entries.filter((e) => e.kind === "reversal")).toHaveLength(1);

    const reused = await api("POST", `/v1/accounts/${acc}/transactions/${fee.body.id}/reverse`, {
      token: u.access_token,
      headers: { "idempotency-key": k },
    });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe("idempotency_key_reused");
    // A new key on the already reversed transaction is a business failure, not a second reversal.
    const twice = await api("POST", `/v1/accounts/${acc}/transactions/${buy.body.id}/reverse`, {
      token: u.access_token,
      headers: { "idempotency-key": key() },
    });
    expect(twice.status).toBe(422);
    expect(twice.body.error.code).toBe("already_reversed");
    expect((await allEntries(u, acc)).length).toBe(entries.length);
    expect((await balanceOf(u, acc)).posted).toBe(10_000 - 100);
  });

  it("a stored insufficient_funds failure replays identically even after the account is funded", async () => {
    const u = await registerUser();
    const acc = await openAccount(u);
    const to = await openAccount(u, { type: "savings", name: "Dest" });
    const k = key();
    const wd = { kind: "withdrawal", amount: 5_000 };
    const first = await raw("POST", `/v1/accounts/${acc}/transactions`, u, wd, k);
    expect(first.status).toBe(422);
    expect(JSON.parse(first.text).error.code).toBe("insufficient_funds");
    const kt = key();
    const tbody = { from_account_id: acc, to_account_id: to, amount: 5_000 };
    const firstT = await raw("POST", "/v1/transfers", u, tbody, kt);
    expect(firstT.status).toBe(422);
    expect(JSON.parse(firstT.text).error.code).toBe("insufficient_funds");

    await deposit(u, acc, 100_000);

    const again = await raw("POST", `/v1/accounts/${acc}/transactions`, u, wd, k);
    expect(again.status).toBe(422);
    expect(again.text).toBe(first.text);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const againT = await raw("POST", "/v1/transfers", u, tbody, kt);
    expect(againT.status).toBe(422);
    expect(againT.text).toBe(firstT.text);
    expect(againT.headers.get("idempotent-replayed")).toBe("true");

    expect(await balanceOf(u, acc)).toEqual({ posted: 100_000, pending: 0, available: 100_000 });
    expect(await balanceOf(u, to)).toEqual({ posted: 0, pending: 0, available: 0 });
    expect((await allEntries(u, acc)).map((e) => e.kind)).toEqual(["deposit"]);
    // A fresh key does the withdrawal now.
    const fresh = await api("POST", `/v1/accounts/${acc}/transactions`, {
      token: u.access_token,
      body: wd,
      headers: { "idempotency-key": key() },
    });
    expect(fresh.status).toBe(201);
  });

  it("a transfer the destination rejects is stored under its key like any business failure", async () => {
    const u = await registerUser();
    const acc = await openAccount(u);
    const to = await openAccount(u, { type: "savings", name: "Dest" });
    const closed = await openAccount(u, { type: "savings", name: "Closed" });
    expect((await api("POST", `/v1/accounts/${closed}/close`, { token: u.access_token })).status).toBe(200);
    const eur = await openAccount(u, { type: "checking", name: "Euro", currency: "EUR" });
    await deposit(u, acc, 10_000);
    for (const badDest of ["acc_0000000000000000zzzz", closed, eur, acc]) {
      const k = key();
      const body = { from_account_id: acc, to_account_id: badDest, amount: 100 };
      const first = await raw("POST", "/v1/transfers", u, body, k);
      expect(first.status, badDest).toBe(422);
      expect(JSON.parse(first.text).error.code).toBe("transfer_rejected");
      // Same key, same body: the stored reply, byte for byte.
      const again = await raw("POST", "/v1/transfers", u, body, k);
      expect(again.status).toBe(422);
      expect(again.headers.get("idempotent-replayed"), badDest).toBe("true");
      expect(again.text).toBe(first.text);
      // Same key, another body: refused, and it does not execute.
      const other = await api("POST", "/v1/transfers", {
        token: u.access_token,
        body: { ...body, to_account_id: to },
        headers: { "idempotency-key": k },
      });
      expect(other.status, badDest).toBe(422);
      expect(other.body.error.code).toBe("idempotency_key_reused");
    }
    expect(await balanceOf(u, acc)).toEqual({ posted: 10_000, pending: 0, available: 10_000 });
    expect(await balanceOf(u, to)).toEqual({ posted: 0, pending: 0, available: 0 });
  });

  it("keys belong to their account's owner: another user's identical key executes separately", async () => {
    const a = await registerUser();
    const b = await registerUser();
    const accA = await openAccount(a);
    const accB = await openAccount(b);
    const k = key();
    const one = await api("POST", `/v1/accounts/${accA}/transactions`, {
      token: a.access_token,
      body: { kind: "deposit", amount: 700 },
      headers: { "idempotency-key": k },
    });
    const two = await api("POST", `/v1/accounts/${accB}/transactions`, {
      token: b.access_token,
      body: { kind: "deposit", amount: 700 },
      headers: { "idempotency-key": k },
    });
    expect(one.status).toBe(201);
    expect(two.status).toBe(201);
    expect(two.headers.get("idempotent-replayed")).toBeNull();
    expect(two.body.id).not.toBe(one.body.id);
    // B cannot obtain A's stored reply by replaying A's key on A's account.
    const steal = await api("POST", `/v1/accounts/${accA}/transactions`, {
      token: b.access_token,
      body: { kind: "deposit", amount: 700 },
      headers: { "idempotency-key": k },
    });
    expect(steal.status).toBe(404);
    expect(JSON.stringify(steal.body)).not.toContain(one.body.id);
  });
});
