/**
 * Reconciliation against the real AccountDO journals: a seeded random
 * workload through HTTP (purchases, refunds, fees, late events, reversals,
 * immediate and pending transfers) reconciles with zero drift once the
 * pipeline caught up; tampering with one Gold row is reported precisely.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, deposit, key, openAccount, postTx, registerUser, transfer, type User } from "./helpers/ledger";
import { adminToken, waitFor } from "./helpers/pipeline";

function rng(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 48271) % 2147483647;
    return s % n;
  };
}

const MERCHANTS = ["AMZN Mktp US*1", "Whole Foods Market", "Uber *Trip", "Joe's Pizza", "Shell 0042", "Netflix.com"];

async function randomWorkload(u: User, accounts: string[], seed: number, steps: number): Promise<void> {
  const r = rng(seed);
  for (const a of accounts) await deposit(u, a, 1_000_000);
  const posted: { acc: string; id: string }[] = [];
  const pendingTransfers: string[] = [];
  for (let i = 0; i < steps; i++) {
    const acc = accounts[r(accounts.length)]!;
    const op = r(10);
    const daysAgo = r(4) === 0 ? 1 + r(40) : 0;
    const occurred_at = daysAgo ? new Date(Date.now() - daysAgo * 86_400_000).toISOString() : undefined;
    if (op <= 3) {
      const res = await postTx(u, acc, { kind: "purchase", amount: 100 + r(20_000), merchant: MERCHANTS[r(MERCHANTS.length)], ...(occurred_at ? { occurred_at } : {}) });
      if (res.status === 201) posted.push({ acc, id: res.body.id });
    } else if (op === 4) {
      await postTx(u, acc, { kind: "refund", amount: 50 + r(2_000), merchant: MERCHANTS[r(MERCHANTS.length)] });
    } else if (op === 5) {
      await postTx(u, acc, { kind: r(2) ? "fee" : "withdrawal", amount: 10 + r(500) });
    } else if (op === 6 && posted.length > 0) {
      const p = posted.splice(r(posted.length), 1)[0]!;
      await api("POST", `/v1/accounts/${p.acc}/transactions/${p.id}/reverse`, { token: u.access_token, headers: { "idempotency-key": key() } });
    } else if (op === 7) {
      const to = accounts.find((a) => a !== acc)!;
      const res = await transfer(u, { from_account_id: acc, to_account_id: to, amount: 100 + r(5_000), mode: r(2) ? "pending" : "immediate" });
      if (res.status === 201 && res.body.status === "pending") pendingTransfers.push(res.body.id);
    } else if (op >= 8 && pendingTransfers.length > 0) {
      const id = pendingTransfers.splice(r(pendingTransfers.length), 1)[0]!;
      const action = r(2) ? "post" : "void";
      await api("POST", `/v1/transfers/${id}/${action}`, { token: u.access_token, headers: { "idempotency-key": key() } });
    } else {
      await postTx(u, acc, { kind: "deposit", amount: 1 + r(3_000) });
    }
  }
}

async function reconcile(token: string, accountId: string) {
  const res = await api("GET", `/v1/admin/reconcile?account_id=${accountId}`, { token });
  expect(res.status).toBe(200);
  return res.body.data[0] as { status: string; drift: { day: string | null; field: string; gold: number | null; journal: number | null }[]; journal: { posted: number; pending: number; entries: number } };
}

describe("GET /v1/admin/reconcile", () => {
  it("reports zero drift after a random workload, and the exact drift after tampering", async () => {
    const u = await registerUser();
    const accounts = [await openAccount(u), await openAccount(u), await openAccount(u, { type: "savings", name: "Rainy day" })];
    await randomWorkload(u, accounts, 20261122, 60);
    const admin = await adminToken();

    // Wait until every account is caught up (never "drift" on the way: only "lagging").
    await waitFor(async () => {
      const res = await api("GET", "/v1/admin/reconcile?limit=25", { token: admin });
      const mine = (res.body.data as { account_id: string; status: string }[]).filter((a) => accounts.includes(a.account_id));
      return mine.length === 3 && mine.every((a) => a.status === "ok");
    }, 30_000, 200);
    const full = await api("GET", "/v1/admin/reconcile?limit=25", { token: admin });
    expect(full.body).toMatchObject({ drifted: 0 });
    const pendingSomewhere = await Promise.all(accounts.map((a) => reconcile(admin, a)));
    expect(pendingSomewhere.every((r) => r.drift.length === 0)).toBe(true);

    // Tamper with one Gold day: the drift names the day, the field and both values.
    const victim = accounts[0]!;
    const day = (await env.DB.prepare("SELECT day, inflow FROM gold_daily_balances WHERE account_id = ?1 ORDER BY day DESC LIMIT 1").bind(victim).first<{ day: string; inflow: number }>())!;
    await env.DB.prepare("UPDATE gold_daily_balances SET inflow = inflow + 7 WHERE account_id = ?1 AND day = ?2").bind(victim, day.day).run();
    const tampered = await reconcile(admin, victim);
    expect(tampered.status).toBe("drift");
    expect(tampered.drift).toEqual([{ day: day.day, field: "inflow", gold: day.inflow + 7, journal: day.inflow }]);

    // A lost transfer resolution shows as pending drift.
    await env.DB.prepare("UPDATE gold_daily_balances SET inflow = inflow - 7 WHERE account_id = ?1 AND day = ?2").bind(victim, day.day).run();
    const resolved = await env.DB.prepare("SELECT transfer_id, account_id FROM gold_transfers WHERE stage = 'resolved' AND account_id IN (?1, ?2, ?3) LIMIT 1")
      .bind(...accounts).first<{ transfer_id: string; account_id: string }>();
    if (resolved) {
      await env.DB.prepare("DELETE FROM gold_transfers WHERE transfer_id = ?1 AND stage = 'resolved'").bind(resolved.transfer_id).run();
      const r = await reconcile(admin, resolved.account_id);
      expect(r.status).toBe("drift");
      expect(r.drift.map((d) => d.field)).toEqual(["pending"]);
    }
    expect(resolved).not.toBeNull();
  });

  it("pages through every registered account and rejects a malformed cursor", async () => {
    const admin = await adminToken();
    const u = await registerUser();
    for (let i = 0; i < 3; i++) await openAccount(u);
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { data: { account_id: string }[]; next_cursor: string | null } } = await api(
        "GET", `/v1/admin/reconcile?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token: admin });
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      for (const a of res.body.data) seen.add(a.account_id);
      cursor = res.body.next_cursor;
    } while (cursor);
    const { results } = await env.DB.prepare("SELECT id FROM accounts").all<{ id: string }>();
    expect([...seen].sort()).toEqual(results.map((r) => r.id).sort());
    expect((await api("GET", "/v1/admin/reconcile?cursor=nope", { token: admin })).status).toBe(400);
  });
});
