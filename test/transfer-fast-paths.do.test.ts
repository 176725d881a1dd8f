/**
 * The transfer saga's short paths (issue 7's CPU work): an immediate transfer
 * settles on the row as it placed it instead of reading it back, and the
 * destination credits without looking the transfer id up first, relying on
 * received_transfers' primary key. These tests hold both to what the stored
 * rows say.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, balanceOf, deposit, key, openAccount, postTx, registerUser, transfer } from "./helpers/ledger";

const stub = (id: string) => env.ACCOUNT.get(env.ACCOUNT.idFromName(id));

describe("an immediate transfer's reply", () => {
  it("is the stored transfer, field for field, and replays byte for byte", async () => {
    const u = await registerUser();
    const a = await openAccount(u);
    const b = await openAccount(u);
    await deposit(u, a, 10_000);
    const k = key();
    const body = { from_account_id: a, to_account_id: b, amount: 2_500, description: "rent share" };
    const first = await transfer(u, body, k);
    expect(first.status).toBe(201);
    const stored = await api("GET", `/v1/transfers/${first.body.id}`, { token: u.access_token });
    expect(stored.status).toBe(200);
    expect(first.body).toEqual(stored.body);
    expect(first.body).toMatchObject({ status: "posted", posted_amount: 2_500, in_flight: false });
    const replay = await transfer(u, body, k);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(JSON.stringify(replay.body)).toBe(JSON.stringify(first.body));
    expect(await balanceOf(u, a)).toEqual({ posted: 7_500, pending: 0, available: 7_500 });
    expect((await balanceOf(u, b)).posted).toBe(2_500);
  });

  it("of a pending transfer is the stored transfer too", async () => {
    const u = await registerUser();
    const a = await openAccount(u);
    const b = await openAccount(u);
    await deposit(u, a, 10_000);
    const placed = await transfer(u, { from_account_id: a, to_account_id: b, amount: 1_000, mode: "pending" });
    expect(placed.status).toBe(201);
    const stored = await api("GET", `/v1/transfers/${placed.body.id}`, { token: u.access_token });
    expect(placed.body).toEqual(stored.body);
  });

  it("refused by the destination is a stored 422 and a failed transfer with the hold released", async () => {
    const u = await registerUser();
    const a = await openAccount(u);
    const b = await openAccount(u);
    await deposit(u, a, 10_000);
    expect((await api("POST", `/v1/accounts/${b}/close`, { token: u.access_token })).status).toBe(200);
    const k = key();
    const body = { from_account_id: a, to_account_id: b, amount: 4_000 };
    const first = await transfer(u, body, k);
    expect(first.status).toBe(422);
    expect(first.body.error.code).toBe("transfer_rejected");
    const replay = await transfer(u, body, k);
    expect(replay.status).toBe(422);
    expect(JSON.stringify(replay.body)).toBe(JSON.stringify(first.body));
    const list = await api("GET", `/v1/transfers?account_id=${a}`, { token: u.access_token });
    expect(list.body.data.map((t: { status: string }) => t.status)).toEqual(["failed"]);
    expect(await balanceOf(u, a)).toEqual({ posted: 10_000, pending: 0, available: 10_000 });
  });
});

describe("the destination's credit", () => {
  it("credits a transfer id once; a repeat answers with the first entry, even after the account closed", async () => {
    const u = await registerUser();
    const b = await openAccount(u);
    const cmd = {
      transferId: `trf_fast${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`,
      fromAccountId: "acc_elsewhere",
      amount: 700,
      currency: "USD",
    };
    const first = await stub(b).creditTransfer(cmd);
    expect(first.ok).toBe(true);
    const again = await stub(b).creditTransfer(cmd);
    expect(again).toEqual(first);
    expect((await balanceOf(u, b)).posted).toBe(700);
    // Emptied and closed, the account still answers the repeat as the first time, and credits nothing.
    expect((await postTx(u, b, { kind: "withdrawal", amount: 700 })).status).toBe(201);
    expect((await api("POST", `/v1/accounts/${b}/close`, { token: u.access_token })).status).toBe(200);
    expect(await stub(b).creditTransfer(cmd)).toEqual(first);
    // A new transfer id to the closed account is refused.
    expect(await stub(b).creditTransfer({ ...cmd, transferId: `${cmd.transferId}x` })).toEqual({ ok: false, reason: "closed" });
    const credits = await api("GET", `/v1/accounts/${b}/transactions?kind=transfer_in`, { token: u.access_token });
    expect(credits.body.data).toHaveLength(1);
    expect((await api("GET", `/v1/accounts/${b}/verify`, { token: u.access_token })).body.ok).toBe(true);
  });
});
