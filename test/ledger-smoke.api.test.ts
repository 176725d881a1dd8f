import { describe, expect, it } from "vitest";
import { api, balanceOf, deposit, key, openAccount, postTx, registerUser, transfer } from "./helpers/ledger";

describe("ledger smoke", () => {
  it("opens, deposits, purchases, transfers, reverses and verifies", async () => {
    const u = await registerUser();
    const a = await openAccount(u);
    const b = await openAccount(u, { type: "savings", name: "Rainy day" });
    const d = await deposit(u, a, 10_000);
    expect(d.balance_after).toBe(10_000);
    const p = await postTx(u, a, { kind: "purchase", amount: 2_500, merchant: "Corner Shop", category: "groceries" });
    expect(p.status).toBe(201);
    const t = await transfer(u, { from_account_id: a, to_account_id: b, amount: 1_000 });
    expect(t.status).toBe(201);
    expect(t.body.status).toBe("posted");
    expect(await balanceOf(u, a)).toEqual({ posted: 6_500, pending: 0, available: 6_500 });
    expect(await balanceOf(u, b)).toEqual({ posted: 1_000, pending: 0, available: 1_000 });
    const r = await api("POST", `/v1/accounts/${a}/transactions/${p.body.id}/reverse`, {
      token: u.access_token,
      headers: { "idempotency-key": key() },
    });
    expect(r.status).toBe(201);
    expect((await balanceOf(u, a)).posted).toBe(9_000);
    const v = await api("GET", `/v1/accounts/${a}/verify`, { token: u.access_token });
    expect(v.body).toMatchObject({ ok: true, entries: 4 });
    const list = await api("GET", `/v1/accounts/${a}/transactions?limit=2`, { token: u.access_token });
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(2);
    expect(list.body.has_more).toBe(true);
    const page2 = await api("GET", `/v1/accounts/${a}/transactions?limit=2&cursor=${list.body.next_cursor}`, { token: u.access_token });
    expect(page2.body.data.map((x: { seq: number }) => x.seq)).toEqual([2, 1]);
  });
});
