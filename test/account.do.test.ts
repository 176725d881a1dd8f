/**
 * AccountDO internals: the transactional outbox (drain, send failure and retry,
 * crash between commit and send), transfer recovery after a crash between the
 * two accounts' steps, pending expiry, and the append-only journal.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AccountDO } from "../durable/account-do";
import { OUTBOX_SAFETY_MS } from "../durable/account/outbox-relay";
import { breakCredits, housekeepingDue, tapQueue } from "./helpers/faults";
import { rows as d1Rows } from "./helpers/pipeline";
import { api, balanceOf, deposit, key, openAccount, registerUser, transfer, type User } from "./helpers/ledger";

const stub = (id: string) => env.ACCOUNT.get(env.ACCOUNT.idFromName(id));

/** Run the scheduled alarm a few times (it always re-arms for housekeeping, so never "until none"). */
async function runAlarms(id: string, times = 3) {
  for (let i = 0; i < times; i++) if (!(await runDurableObjectAlarm(stub(id)))) return;
}

/** Outbox rows with whether each is sent (at or below the instance's sent watermark, which the row stores lazily). */
async function outboxRows(id: string) {
  const { sent_seq: sentSeq } = await stub(id).outboxView();
  return runInDurableObject(stub(id), (_inst: AccountDO, state) => {
    return state.storage.sql
      .exec<{ seq: number }>("SELECT seq FROM outbox ORDER BY seq")
      .toArray()
      .map((r) => ({ seq: r.seq, sent: r.seq <= sentSeq }));
  });
}

/** Wait until the live alarm (which races the test's manual runs) has sent everything. */
async function outboxSettled(id: string) {
  for (let i = 0; i < 100; i++) {
    await runAlarms(id, 1);
    if ((await outboxRows(id)).every((r) => r.sent)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("outbox never settled");
}

const setPublisher = tapQueue;

describe("transactional outbox", () => {
  it("drains every event in seq order and marks rows sent only after the send", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    await outboxSettled(id);
    const captured: { body: { seq: number; type: string; event_id: string } }[] = [];
    await setPublisher(id, (m) => captured.push(...m));
    for (let i = 0; i < 5; i++) await deposit(u, id, 100 + i);
    await outboxSettled(id); // the manual alarm runs race the live one, which may be mid-send
    const rows = await outboxRows(id);
    expect(rows.every((r) => r.sent)).toBe(true);
    expect(captured.map((m) => m.body.seq)).toEqual([2, 3, 4, 5, 6]);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(captured.map((m) => m.body.type))).toEqual(new Set(["transaction_posted"]));
  });

  it("sends committed events by itself within moments of the commit, with the durable alarm armed as the guarantee", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    await outboxSettled(id);
    const captured: { body: { seq: number; type: string; event_id: string } }[] = [];
    await setPublisher(id, (m) => captured.push(...m));
    const before = Date.now();
    await deposit(u, id, 250);
    await deposit(u, id, 350);
    const alarm = await runInDurableObject(stub(id), (_i, s) => s.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThanOrEqual(Date.now() + OUTBOX_SAFETY_MS);
    // No alarm is run here: the relay's timer sends both, in one batch when they commit within its window.
    for (let i = 0; i < 100 && captured.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(captured.map((m) => m.body.seq)).toEqual([2, 3]);
    expect(Date.now() - before).toBeLessThan(OUTBOX_SAFETY_MS);
  });

  it("keeps events unsent when the queue fails, re-arms the alarm, and sends them later without gaps", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    await outboxSettled(id);
    let fail = true;
    const captured: { body: { seq: number; type: string; event_id: string } }[] = [];
    await setPublisher(id, (m) => {
      if (fail) throw new Error("queue unavailable");
      captured.push(...m);
    });
    await deposit(u, id, 500);
    await deposit(u, id, 700);
    await runDurableObjectAlarm(stub(id));
    expect((await outboxRows(id)).filter((r) => !r.sent).map((r) => r.seq)).toEqual([2, 3]);
    const alarm = await runInDurableObject(stub(id), (_i, s) => s.storage.getAlarm());
    expect(alarm).not.toBeNull();
    fail = false;
    await outboxSettled(id);
    expect(captured.map((m) => m.body.seq)).toEqual([2, 3]);
    expect((await outboxRows(id)).every((r) => r.sent)).toBe(true);
  });

  it("publishes events committed just before a crash (the object is evicted before its alarm sends)", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    await setPublisher(id, () => {
      throw new Error("process died before send");
    });
    await deposit(u, id, 900);
    await runDurableObjectAlarm(stub(id));
    await evictDurableObject(stub(id));
    // A fresh instance uses the real queue binding; its alarm finishes the job.
    await outboxSettled(id);
    const rows = await outboxRows(id);
    expect(rows.map((r) => r.seq)).toEqual([1, 2]);
    expect(rows.every((r) => r.sent)).toBe(true);
    expect((await balanceOf(u, id)).posted).toBe(900);
    // Sent means delivered: the live EVENTS consumer has both events in Silver.
    const held = async () =>
      (await d1Rows<{ seq: number }>("SELECT seq FROM silver_events WHERE account_id = ? ORDER BY seq", id)).map((r) => r.seq);
    for (let i = 0; i < 200 && (await held()).length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await held()).toEqual([1, 2]);
  });
});

describe("journal", () => {
  it("refuses UPDATE and DELETE of journal rows, and verify detects a forged row", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    await deposit(u, id, 1_000);
    await deposit(u, id, 2_000);
    await runInDurableObject(stub(id), (_i: AccountDO, s) => {
      expect(() => s.storage.sql.exec("UPDATE journal SET amount = 1")).toThrow(/append-only/);
      expect(() => s.storage.sql.exec("DELETE FROM journal")).toThrow(/append-only/);
    });
    expect((await api("GET", `/v1/accounts/${id}/verify`, { token: u.access_token })).body).toMatchObject({ ok: true, entries: 2 });
    await runInDurableObject(stub(id), (_i: AccountDO, s) => {
      s.storage.sql.exec("DROP TRIGGER journal_no_update");
      s.storage.sql.exec("UPDATE journal SET amount = 5000 WHERE seq = 1");
    });
    const v = await api("GET", `/v1/accounts/${id}/verify`, { token: u.access_token });
    expect(v.body).toMatchObject({ ok: false, first_invalid_seq: 1 });
  });
});

/** Run the source's alarm until the transfer is no longer in flight (the live recovery alarm may be finishing it too). */
async function settleTransfer(u: User, source: string, transferId: string) {
  for (let i = 0; i < 100; i++) {
    await runAlarms(source, 1);
    const t = await api("GET", `/v1/transfers/${transferId}`, { token: u.access_token });
    if (!t.body.in_flight) return t.body;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("transfer never settled");
}

/**
 * Conservation at an instant (RELIABILITY #1): Σ posted over the accounts,
 * minus what sources record in flight that the destination already credited,
 * equals what was deposited.
 */
async function booksBalance(u: User, accounts: string[], deposited: number) {
  let posted = 0;
  let creditedInFlight = 0;
  for (const id of accounts) {
    posted += (await balanceOf(u, id)).posted;
    const view = await stub(id).inFlightView();
    for (const t of view.in_flight as { id: string; to_account_id: string; amount: number }[]) {
      const received = await api("GET", `/v1/accounts/${t.to_account_id}/transactions?kind=transfer_in`, { token: u.access_token });
      if (received.body.data.some((e: { transfer_id: string }) => e.transfer_id === t.id)) creditedInFlight += t.amount;
    }
  }
  expect(posted - creditedInFlight).toBe(deposited);
}

describe("transfer crash recovery", () => {
  for (const mode of ["before-credit", "after-credit"] as const) {
    it(`finishes an immediate transfer interrupted ${mode} exactly once via the source's alarm`, async () => {
      const u = await registerUser();
      const a = await openAccount(u);
      const b = await openAccount(u);
      await deposit(u, a, 10_000);
      await breakCredits(a, mode);
      const k = key();
      const body = { from_account_id: a, to_account_id: b, amount: 4_000 };
      const first = await transfer(u, body, k);
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({ status: "pending", in_flight: true });
      expect(await balanceOf(u, a)).toEqual({ posted: 10_000, pending: 4_000, available: 6_000 });
      expect((await transfer(u, body, k)).status).toBe(409);
      await booksBalance(u, [a, b], 10_000);

      await evictDurableObject(stub(a)); // the crash: in-memory state and the broken binding are gone
      await settleTransfer(u, a, first.body.id);

      expect(await balanceOf(u, a)).toEqual({ posted: 6_000, pending: 0, available: 6_000 });
      expect((await balanceOf(u, b)).posted).toBe(4_000);
      await booksBalance(u, [a, b], 10_000);
      const replay = await transfer(u, body, k);
      expect(replay.status).toBe(201);
      expect(replay.body).toMatchObject({ id: first.body.id, status: "posted", posted_amount: 4_000, in_flight: false });
      const credits = await api("GET", `/v1/accounts/${b}/transactions?kind=transfer_in`, { token: u.access_token });
      expect(credits.body.data).toHaveLength(1);
      expect((await api("GET", `/v1/accounts/${a}/verify`, { token: u.access_token })).body.ok).toBe(true);
    });

    it(`finishes posting a pending transfer interrupted ${mode} exactly once, releasing the unposted rest`, async () => {
      const u = await registerUser();
      const a = await openAccount(u);
      const b = await openAccount(u);
      await deposit(u, a, 10_000);
      const pending = await transfer(u, { from_account_id: a, to_account_id: b, amount: 5_000, mode: "pending" });
      expect(pending.status).toBe(201);
      await breakCredits(a, mode);
      const k = key();
      const postOnce = () =>
        api("POST", `/v1/transfers/${pending.body.id}/post`, {
          token: u.access_token,
          body: { amount: 3_000 },
          headers: { "idempotency-key": k },
        });
      const first = await postOnce();
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({ status: "pending", in_flight: true });
      expect((await postOnce()).status).toBe(409);
      await booksBalance(u, [a, b], 10_000);

      await evictDurableObject(stub(a));
      const settled = await settleTransfer(u, a, pending.body.id);
      expect(settled).toMatchObject({ status: "posted", posted_amount: 3_000 });
      expect(await balanceOf(u, a)).toEqual({ posted: 7_000, pending: 0, available: 7_000 });
      expect((await balanceOf(u, b)).posted).toBe(3_000);
      await booksBalance(u, [a, b], 10_000);
      const replay = await postOnce();
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({ id: pending.body.id, status: "posted", posted_amount: 3_000 });
      const credits = await api("GET", `/v1/accounts/${b}/transactions?kind=transfer_in`, { token: u.access_token });
      expect(credits.body.data).toHaveLength(1);
    });
  }
});

describe("pending transfer expiry", () => {
  it("voids a pending transfer past its expiry from the alarm and releases the hold", async () => {
    const u = await registerUser();
    const a = await openAccount(u);
    const b = await openAccount(u);
    await deposit(u, a, 5_000);
    const t = await transfer(u, { from_account_id: a, to_account_id: b, amount: 2_000, mode: "pending", expires_in_seconds: 60 });
    expect(t.status).toBe(201);
    expect(await balanceOf(u, a)).toEqual({ posted: 5_000, pending: 2_000, available: 3_000 });
    await runInDurableObject(stub(a), (_i: AccountDO, s) => {
      s.storage.sql.exec("UPDATE transfers SET expires_at = ? WHERE id = ?", new Date(Date.now() - 1000).toISOString(), t.body.id);
    });
    // Housekeeping runs at most once a second; make this alarm's run due.
    await housekeepingDue();
    await runDurableObjectAlarm(stub(a));
    // The expiry wrote transfer_voided after that alarm's drain: the alarm re-arms for it at once, not at the next housekeeping.
    const next = await runInDurableObject(stub(a), (_i, s) => s.storage.getAlarm());
    expect(next).not.toBeNull();
    expect(next!).toBeLessThanOrEqual(Date.now() + 1_500);
    await runAlarms(a);
    const after = await api("GET", `/v1/transfers/${t.body.id}`, { token: u.access_token });
    expect(after.body.status).toBe("voided");
    expect(await balanceOf(u, a)).toEqual({ posted: 5_000, pending: 0, available: 5_000 });
    expect((await balanceOf(u, b)).posted).toBe(0);
    const post = await api("POST", `/v1/transfers/${t.body.id}/post`, { token: u.access_token, headers: { "idempotency-key": key() } });
    expect(post.status).toBe(422);
  });
});

describe("pending transfer past its expiry, before the alarm", () => {
  it("cannot be posted: 422, nothing credited, the hold stays until the alarm releases it", async () => {
    const u = await registerUser();
    const a = await openAccount(u);
    const b = await openAccount(u);
    await deposit(u, a, 5_000);
    const t = await transfer(u, { from_account_id: a, to_account_id: b, amount: 2_000, mode: "pending", expires_in_seconds: 60 });
    await runInDurableObject(stub(a), (_i: AccountDO, s) => {
      s.storage.sql.exec("UPDATE transfers SET expires_at = ? WHERE id = ?", new Date(Date.now() - 1000).toISOString(), t.body.id);
    });
    const post = await api("POST", `/v1/transfers/${t.body.id}/post`, { token: u.access_token, headers: { "idempotency-key": key() } });
    expect(post.status).toBe(422);
    expect(post.body.error.message).toMatch(/expired/);
    expect((await balanceOf(u, b)).posted).toBe(0);
    expect(await balanceOf(u, a)).toEqual({ posted: 5_000, pending: 2_000, available: 3_000 });
  });
});

describe("unknown accounts", () => {
  it("probing an id that was never opened answers not found and writes nothing", async () => {
    const u = await registerUser();
    const a = await openAccount(u);
    await deposit(u, a, 1_000);
    const ghost = "acc_" + "z".repeat(20);
    const t = await transfer(u, { from_account_id: a, to_account_id: ghost, amount: 100 });
    expect(t.status).toBe(422);
    expect((await api("GET", `/v1/accounts/${ghost}`, { token: u.access_token })).status).toBe(404);
    const tables = await runInDurableObject(stub(ghost), (_i: AccountDO, s) =>
      s.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table'").toArray(),
    );
    expect(tables).toEqual([]);
    expect(await stub(ghost).reconcileView({ afterSeq: 0, limit: 10 })).toEqual({ account: null, entries: [], next_after_seq: null });
  });
});
