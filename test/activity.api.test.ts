/**
 * Lists across all of the caller's accounts: GET /v1/transactions (the
 * per-account filters, merged newest first, one opaque cursor) and GET
 * /v1/transfers (sent and received, by status and account). Pages never
 * repeat or skip a line; another user's accounts never show.
 */
import { describe, expect, it } from "vitest";
import { api, deposit, openAccount, postTx, registerUser, transfer, type User } from "./helpers/ledger";

async function pages(u: User, path: string, limit: number) {
  const out: { id: string; account_id: string; [k: string]: unknown }[] = [];
  let cursor: string | null = null;
  for (let n = 0; n === 0 || cursor; n++) {
    if (n > 100) throw new Error("cursor never ended");
    const sep = path.includes("?") ? "&" : "?";
    const res = await api("GET", `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`, { token: u.access_token });
    expect(res.status).toBe(200);
    out.push(...res.body.data);
    cursor = res.body.next_cursor;
  }
  return out;
}

describe("GET /v1/transactions", () => {
  it("merges every account's entries newest first, across pages without repeats or gaps, with each line's account", async () => {
    const u = await registerUser();
    const accs = [await openAccount(u), await openAccount(u), await openAccount(u)];
    for (let i = 0; i < 7; i++) await deposit(u, accs[i % 3]!, 100 + i);
    await postTx(u, accs[0]!, { kind: "purchase", amount: 50, category: "fun" });
    const perAccount = (
      await Promise.all(accs.map((a) => api("GET", `/v1/accounts/${a}/transactions`, { token: u.access_token })))
    ).flatMap((r, i) => r.body.data.map((e: { id: string }) => `${accs[i]}:${e.id}`));
    for (const size of [1, 2, 3, 50]) {
      const all = await pages(u, "/v1/transactions", size);
      expect(all.map((e) => `${e.account_id}:${e.id}`).sort()).toEqual([...perAccount].sort());
      const times = all.map((e) => e.recorded_at as string);
      expect([...times].sort().reverse()).toEqual(times);
    }
    const one = await pages(u, `/v1/transactions?account_id=${accs[1]}`, 2);
    expect(one.every((e) => e.account_id === accs[1])).toBe(true);
    expect(one).toHaveLength(2);
    const fun = await pages(u, "/v1/transactions?category=fun&kind=purchase", 10);
    expect(fun.map((e) => e.amount)).toEqual([50]);
  });

  it("shows nothing of another user's accounts, even when asked by id; refuses a bad cursor and no token", async () => {
    const u = await registerUser();
    const stranger = await registerUser();
    const theirs = await openAccount(stranger);
    await deposit(stranger, theirs, 999);
    await openAccount(u);
    expect((await api("GET", "/v1/transactions", { token: u.access_token })).body.data).toEqual([]);
    expect((await api("GET", `/v1/transactions?account_id=${theirs}`, { token: u.access_token })).body.data).toEqual([]);
    const bad = await api("GET", "/v1/transactions?cursor=not-a-cursor", { token: u.access_token });
    expect([bad.status, bad.body.error.code]).toEqual([400, "validation_error"]);
    expect((await api("GET", "/v1/transactions?limit=0x10", { token: u.access_token })).status).toBe(400);
    expect((await api("GET", "/v1/transactions")).status).toBe(401);
  });
});

describe("GET /v1/transfers", () => {
  it("lists sent and received lines, filters by status and account, and pages without repeats", async () => {
    const u = await registerUser();
    const [a, b, c] = [await openAccount(u), await openAccount(u), await openAccount(u)];
    await deposit(u, a, 10_000);
    const sent = [];
    for (const to of [b, c, b]) sent.push((await transfer(u, { from_account_id: a, to_account_id: to, amount: 100 })).body.id);
    const held = (await transfer(u, { from_account_id: a, to_account_id: c, amount: 200, mode: "pending" })).body.id;
    const all = await pages(u, "/v1/transfers", 2);
    expect(
      all
        .filter((t) => t.direction === "sent")
        .map((t) => t.id)
        .sort(),
    ).toEqual([...sent, held].sort());
    expect(
      all
        .filter((t) => t.direction === "received")
        .map((t) => t.id)
        .sort(),
    ).toEqual([...sent].sort());
    expect(new Set(all.map((t) => `${t.account_id}:${t.id}`)).size).toBe(all.length);
    expect(all.find((t) => t.id === held)).toMatchObject({ status: "pending", account_id: a, counterparty_account_id: c, amount: 200 });
    const pending = await pages(u, "/v1/transfers?status=pending", 10);
    expect(pending.map((t) => t.id)).toEqual([held]);
    const intoB = await pages(u, `/v1/transfers?account_id=${b}`, 1);
    expect(intoB.map((t) => [t.direction, t.counterparty_account_id])).toEqual([
      ["received", a],
      ["received", a],
    ]);
  });

  it("a transfer to another user's account shows as sent to the sender and received by them, and never the other way round", async () => {
    const u = await registerUser();
    const v = await registerUser();
    const mine = await openAccount(u);
    const theirs = await openAccount(v);
    await deposit(u, mine, 1_000);
    const t = await transfer(u, { from_account_id: mine, to_account_id: theirs, amount: 300 });
    const forU = await pages(u, "/v1/transfers", 10);
    const forV = await pages(v, "/v1/transfers", 10);
    expect(forU.map((x) => [x.id, x.direction])).toEqual([[t.body.id, "sent"]]);
    expect(forV.map((x) => [x.id, x.direction, x.account_id])).toEqual([[t.body.id, "received", theirs]]);
    expect((await api("GET", "/v1/transfers?status=bogus", { token: u.access_token })).status).toBe(400);
  });
});
