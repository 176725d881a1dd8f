/**
 * Reconciliation against the real AccountDO journals: a seeded random
 * workload through HTTP (purchases, refunds, fees, late events, reversals,
 * immediate and pending transfers) reconciles with zero drift in every Gold
 * table once the pipeline caught up; tampering with a daily, monthly-flow,
 * spending or transfer row is reported precisely; an account whose events
 * are still on their way is compared without them, so its drift still shows.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, deposit, key, openAccount, postTx, registerUser, transfer, type User } from "./helpers/ledger";
import { adminToken, rows, waitFor } from "./helpers/pipeline";

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
      const res = await postTx(u, acc, {
        kind: "purchase",
        amount: 100 + r(20_000),
        merchant: MERCHANTS[r(MERCHANTS.length)],
        ...(occurred_at ? { occurred_at } : {}),
      });
      if (res.status === 201) posted.push({ acc, id: res.body.id });
    } else if (op === 4) {
      await postTx(u, acc, { kind: "refund", amount: 50 + r(2_000), merchant: MERCHANTS[r(MERCHANTS.length)] });
    } else if (op === 5) {
      await postTx(u, acc, { kind: r(2) ? "fee" : "withdrawal", amount: 10 + r(500) });
    } else if (op === 6 && posted.length > 0) {
      const p = posted.splice(r(posted.length), 1)[0]!;
      await api("POST", `/v1/accounts/${p.acc}/transactions/${p.id}/reverse`, {
        token: u.access_token,
        headers: { "idempotency-key": key() },
      });
    } else if (op === 7) {
      const to = accounts.find((a) => a !== acc)!;
      const res = await transfer(u, {
        from_account_id: acc,
        to_account_id: to,
        amount: 100 + r(5_000),
        mode: r(2) ? "pending" : "immediate",
      });
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

type Drift = { table: string; key: Record<string, string>; field: string; gold: number | null; journal: number | null };
type AccountReport = {
  account_id: string;
  status: string;
  not_ingested: number;
  silver_transactions: number;
  drift: Drift[];
  journal: { posted: number; pending: number; entries: number };
};
type Report = {
  data: AccountReport[];
  spending: { user_id: string; status: string; drift: Drift[] }[];
  drifted: number;
  spending_drifted: number;
  next_cursor: string | null;
};

async function reconcile(token: string, query: string): Promise<Report> {
  const res = await api("GET", `/v1/admin/reconcile?${query}`, { token });
  expect(res.status).toBe(200);
  return res.body;
}

const allOk = (r: Report) => r.data.every((a) => a.status === "ok") && r.spending.every((s) => s.status === "ok");

async function caughtUp(admin: string, userId: string): Promise<Report> {
  return waitFor(
    async () => {
      const r = await reconcile(admin, `user_id=${userId}`);
      return allOk(r) ? r : null;
    },
    30_000,
    200,
  );
}

/** Moves one ingested deposit back to "still in the queue": its Silver row and its Gold effect disappear. */
async function unIngestDeposit(accountId: string, entryId: string, amount: number): Promise<void> {
  const ev = (await env.DB.prepare("SELECT event_id, event_date FROM silver_events WHERE payload->>'$.entry_id' = ?1")
    .bind(entryId)
    .first<{ event_id: string; event_date: string }>())!;
  await env.DB.batch([
    env.DB.prepare("DELETE FROM silver_events WHERE event_id = ?1").bind(ev.event_id),
    env.DB.prepare(
      "UPDATE gold_daily_balances SET inflow = inflow - ?3, net = net - ?3, entries = entries - 1 WHERE account_id = ?1 AND day = ?2",
    ).bind(accountId, ev.event_date, amount),
    env.DB.prepare("UPDATE gold_daily_balances SET closing_balance = closing_balance - ?3 WHERE account_id = ?1 AND day >= ?2").bind(
      accountId,
      ev.event_date,
      amount,
    ),
    env.DB.prepare(
      "UPDATE gold_monthly_flows SET count = count - 1, amount = amount - ?3 WHERE account_id = ?1 AND month = ?2 AND kind = 'deposit'",
    ).bind(accountId, ev.event_date.slice(0, 7), amount),
  ]);
}

describe("GET /v1/admin/reconcile", () => {
  it("reports zero drift in every Gold table after a random workload, and the exact row, field and values of each tampering", async () => {
    const u = await registerUser();
    const accounts = [await openAccount(u), await openAccount(u), await openAccount(u, { type: "savings", name: "Rainy day" })];
    await randomWorkload(u, accounts, 20261122, 60);
    const admin = await adminToken();

    const mine = await caughtUp(admin, u.user.id);
    expect(mine.data.map((a) => a.account_id).sort()).toEqual([...accounts].sort());
    expect(mine.spending).toEqual([expect.objectContaining({ user_id: u.user.id, status: "ok", drift: [] })]);
    expect((await rows("SELECT 1 FROM gold_spending WHERE user_id = ?1", u.user.id)).length).toBeGreaterThan(4);
    expect(
      (await rows("SELECT DISTINCT kind FROM gold_monthly_flows WHERE account_id IN (?1, ?2, ?3)", ...accounts)).length,
    ).toBeGreaterThan(4);
    // The paged mode agrees: nothing anywhere drifts.
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page = await reconcile(admin, `limit=25${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page).toMatchObject({ drifted: 0, spending_drifted: 0 });
      cursor = page.next_cursor;
    }

    // A Gold day: the drift names the table, the day, the field and both values.
    const victim = accounts[0]!;
    const day = (await env.DB.prepare("SELECT day, inflow FROM gold_daily_balances WHERE account_id = ?1 ORDER BY day DESC LIMIT 1")
      .bind(victim)
      .first<{ day: string; inflow: number }>())!;
    await env.DB.prepare("UPDATE gold_daily_balances SET inflow = inflow + 7 WHERE account_id = ?1 AND day = ?2")
      .bind(victim, day.day)
      .run();
    let r = (await reconcile(admin, `account_id=${victim}`)).data[0]!;
    expect(r.status).toBe("drift");
    expect(r.drift).toEqual([
      {
        table: "gold_daily_balances",
        key: { account_id: victim, day: day.day },
        field: "inflow",
        gold: day.inflow + 7,
        journal: day.inflow,
      },
    ]);
    await env.DB.prepare("UPDATE gold_daily_balances SET inflow = inflow - 7 WHERE account_id = ?1 AND day = ?2")
      .bind(victim, day.day)
      .run();

    // A monthly flow (what /v1/analytics/summary adds up).
    const flow = (await env.DB.prepare(
      "SELECT month, kind, amount FROM gold_monthly_flows WHERE account_id = ?1 AND kind = 'purchase' LIMIT 1",
    )
      .bind(victim)
      .first<{ month: string; kind: string; amount: number }>())!;
    await env.DB.prepare("UPDATE gold_monthly_flows SET amount = amount + 11 WHERE account_id = ?1 AND month = ?2 AND kind = ?3")
      .bind(victim, flow.month, flow.kind)
      .run();
    r = (await reconcile(admin, `account_id=${victim}`)).data[0]!;
    expect(r.status).toBe("drift");
    expect(r.drift).toEqual([
      {
        table: "gold_monthly_flows",
        key: { account_id: victim, month: flow.month, kind: "purchase" },
        field: "amount",
        gold: flow.amount + 11,
        journal: flow.amount,
      },
    ]);
    await env.DB.prepare("UPDATE gold_monthly_flows SET amount = amount - 11 WHERE account_id = ?1 AND month = ?2 AND kind = ?3")
      .bind(victim, flow.month, flow.kind)
      .run();

    // A spending row (what /v1/analytics/spending and the dashboard show): checked per user.
    const spend = (await env.DB.prepare(
      "SELECT month, dimension, key, currency, purchases FROM gold_spending WHERE user_id = ?1 AND dimension = 'merchant' AND purchases > 0 LIMIT 1",
    )
      .bind(u.user.id)
      .first<{ month: string; dimension: string; key: string; currency: string; purchases: number }>())!;
    const bump = (n: number) =>
      env.DB.prepare(
        "UPDATE gold_spending SET purchases = purchases + ?5 WHERE user_id = ?1 AND month = ?2 AND dimension = 'merchant' AND key = ?3 AND currency = ?4",
      )
        .bind(u.user.id, spend.month, spend.key, spend.currency, n)
        .run();
    await bump(1);
    const spent = await reconcile(admin, `user_id=${u.user.id}`);
    expect(spent.data.every((a) => a.status === "ok")).toBe(true);
    expect(spent).toMatchObject({ spending_drifted: 1 });
    expect(spent.spending[0]!.drift).toEqual([
      {
        table: "gold_spending",
        key: { user_id: u.user.id, month: spend.month, dimension: "merchant", key: spend.key, currency: spend.currency },
        field: "purchases",
        gold: spend.purchases + 1,
        journal: spend.purchases,
      },
    ]);
    expect((await reconcile(admin, `account_id=${victim}`)).spending).toEqual([]); // one account cannot prove a per-user table
    await bump(-1);

    // A lost transfer resolution shows as pending drift.
    const resolved = await env.DB.prepare(
      "SELECT transfer_id, account_id FROM gold_transfers WHERE stage = 'resolved' AND account_id IN (?1, ?2, ?3) LIMIT 1",
    )
      .bind(...accounts)
      .first<{ transfer_id: string; account_id: string }>();
    expect(resolved).not.toBeNull();
    await env.DB.prepare("DELETE FROM gold_transfers WHERE transfer_id = ?1 AND stage = 'resolved'").bind(resolved!.transfer_id).run();
    r = (await reconcile(admin, `account_id=${resolved!.account_id}`)).data[0]!;
    expect(r.status).toBe("drift");
    expect(r.drift.map((d) => [d.table, d.field])).toEqual([["gold_transfers", "pending"]]);
  });

  it("leaves entries still on their way out of the comparison, so a lagging account's drift elsewhere is still drift", async () => {
    const u = await registerUser();
    const acc = await openAccount(u);
    const admin = await adminToken();
    await deposit(u, acc, 50_000);
    const lastMonth = new Date(Date.now() - 40 * 86_400_000).toISOString();
    await postTx(u, acc, { kind: "purchase", amount: 1_250, merchant: "Joe's Pizza", occurred_at: lastMonth });
    const first = await deposit(u, acc, 777);
    await deposit(u, acc, 888);
    await caughtUp(admin, u.user.id);

    // The first of the two deposits is "still in the queue": a hole in Silver's event seqs, with Gold consistent with it.
    await unIngestDeposit(acc, first.id, 777);
    const lag = await reconcile(admin, `user_id=${u.user.id}`);
    expect(lag.data[0]).toMatchObject({
      status: "lagging",
      not_ingested: 1,
      silver_transactions: 3,
      drift: [],
      journal: { entries: 4, posted: 50_000 - 1_250 + 777 + 888 },
    });
    expect(lag.spending[0]).toMatchObject({ status: "lagging", drift: [] });

    // Drift in a month the missing entry does not touch is reported while the account lags.
    const month = lastMonth.slice(0, 7);
    await env.DB.prepare("UPDATE gold_monthly_flows SET count = count + 1 WHERE account_id = ?1 AND month = ?2 AND kind = 'purchase'")
      .bind(acc, month)
      .run();
    const drift = (await reconcile(admin, `account_id=${acc}`)).data[0]!;
    expect(drift).toMatchObject({ status: "drift", not_ingested: 1 });
    expect(drift.drift).toEqual([
      { table: "gold_monthly_flows", key: { account_id: acc, month, kind: "purchase" }, field: "count", gold: 2, journal: 1 },
    ]);
  });

  it("a hold whose event is the account's newest and still in the queue is lag; once Silver has the account's head, a pending difference is drift", async () => {
    const u = await registerUser();
    const [a, b] = [await openAccount(u), await openAccount(u)];
    const admin = await adminToken();
    await deposit(u, a, 10_000);
    const t = await transfer(u, { from_account_id: a, to_account_id: b, amount: 2_500, mode: "pending" });
    expect(t.status).toBe(201);
    await caughtUp(admin, u.user.id);
    // The transfer_pending event (a's newest) goes back to "in the queue": no Silver row, no Gold effect, no hole behind it.
    const ev = (await env.DB.prepare("SELECT event_id FROM silver_events WHERE type = 'transfer_pending' AND account_id = ?1")
      .bind(a)
      .first<{ event_id: string }>())!;
    await env.DB.batch([
      env.DB.prepare("DELETE FROM silver_events WHERE event_id = ?1").bind(ev.event_id),
      env.DB.prepare("DELETE FROM gold_transfers WHERE transfer_id = ?1").bind(t.body.id),
    ]);
    const lag = (await reconcile(admin, `account_id=${a}`)).data[0]!;
    expect(lag).toMatchObject({ status: "lagging", drift: [], journal: { pending: 2_500 } });
    // Put the event back as ingested, with a wrong amount in Gold: now it is drift.
    await env.DB.prepare(`INSERT INTO silver_events (event_id, type, version, account_id, user_id, seq, occurred_at, event_date, recorded_at, run_id, payload)
      SELECT ?1, 'transfer_pending', 1, ?2, ?3, (SELECT MAX(seq) + 1 FROM silver_events WHERE account_id = ?2), '2026-01-01T00:00:00.000Z', '2026-01-01', '2026-01-01T00:00:00.000Z', 'run_test', '{}'`)
      .bind(ev.event_id, a, u.user.id)
      .run();
    await env.DB.prepare(`INSERT INTO gold_transfers (transfer_id, stage, account_id, user_id, to_account_id, currency, amount, released, status, day)
      VALUES (?1, 'pending', ?2, ?3, ?4, 'USD', 2000, 0, 'pending', '2026-01-01')`)
      .bind(t.body.id, a, u.user.id, b)
      .run();
    const drift = (await reconcile(admin, `account_id=${a}`)).data[0]!;
    expect(drift.status).toBe("drift");
    expect(drift.drift).toEqual([{ table: "gold_transfers", key: { account_id: a }, field: "pending", gold: 2_000, journal: 2_500 }]);
  });

  it("pages through every registered account as whole users and rejects malformed parameters", async () => {
    const admin = await adminToken();
    for (const n of [3, 1, 2]) {
      const u = await registerUser();
      for (let i = 0; i < n; i++) await openAccount(u);
    }
    const seen: string[] = [];
    const users = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: Report = await reconcile(admin, `limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      const owners = await rows<{ user_id: string; n: number }>(
        "SELECT user_id, COUNT(*) AS n FROM accounts WHERE id IN (SELECT value FROM json_each(?1)) GROUP BY user_id",
        JSON.stringify(page.data.map((a) => a.account_id)),
      );
      // Whole users only: each user's accounts are all on this page, and its spending is checked here.
      for (const o of owners) expect((await rows("SELECT id FROM accounts WHERE user_id = ?1", o.user_id)).length).toBe(o.n);
      expect(page.spending.map((s) => s.user_id).sort()).toEqual(owners.map((o) => o.user_id).sort());
      for (const o of owners) expect(users.has(o.user_id)).toBe(false);
      for (const o of owners) users.add(o.user_id);
      seen.push(...page.data.map((a) => a.account_id));
      cursor = page.next_cursor;
    } while (cursor);
    const { results } = await env.DB.prepare("SELECT id FROM accounts").all<{ id: string }>();
    expect(seen.sort()).toEqual(results.map((r) => r.id).sort());
    for (const bad of [
      "cursor=nope",
      "account_id=acc_0123456789abcdefghjk&user_id=usr_x",
      "user_id=usr_x&cursor=WyJ4Il0",
      "user_id=nobody",
    ]) {
      expect((await api("GET", `/v1/admin/reconcile?${bad}`, { token: admin })).status).toBe(400);
    }
  });
});
