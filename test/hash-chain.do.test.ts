/**
 * The journal's hash chain links: every row's `prev_hash` is the row before's
 * `hash`, and its `hash` is SHA-256 of that link plus the canonical entry,
 * recomputed here with WebCrypto, independently of src/domain/hash-chain.ts.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, deposit, key, openAccount, postTx, registerUser, transfer } from "./helpers/ledger";

const GENESIS = "0".repeat(64);
const stub = (id: string) => env.ACCOUNT.get(env.ACCOUNT.idFromName(id));

// The canonical text documented in src/domain/hash-chain.ts: a JSON array in this fixed field order.
const FIELDS = [
  "seq",
  "entry_id",
  "kind",
  "debit_account",
  "credit_account",
  "amount",
  "currency",
  "balance_after",
  "occurred_at",
  "recorded_at",
  "transfer_id",
  "reverses_entry_id",
  "description",
  "merchant",
  "category",
  "metadata",
] as const;

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function referenceEntryHash(prev: string, row: Record<string, unknown>): Promise<string> {
  return sha256Hex(`${prev}\n${JSON.stringify(FIELDS.map((f) => row[f]))}`);
}

type JournalRow = Record<string, string | number | null>;

async function journal(accountId: string): Promise<JournalRow[]> {
  return runInDurableObject(
    stub(accountId),
    (_inst, state) => state.storage.sql.exec("SELECT * FROM journal ORDER BY seq").toArray() as JournalRow[],
  );
}

describe("journal hash chain", () => {
  it("links each entry to the previous entry's hash, across deposit, purchase, reversal and transfer legs", async () => {
    const u = await registerUser();
    const a = await openAccount(u);
    const b = await openAccount(u, { type: "savings", name: "Pot" });
    await deposit(u, a, 50_000);
    const purchase = await postTx(u, a, {
      kind: "purchase",
      amount: 1_234,
      description: "Weekly shop",
      merchant: "Grocer",
      category: "groceries",
      metadata: { order: "A-17", channel: "pos" },
    });
    expect(purchase.status).toBe(201);
    const reversal = await api("POST", `/v1/accounts/${a}/transactions/${purchase.body.id}/reverse`, {
      token: u.access_token,
      headers: { "idempotency-key": key() },
    });
    expect(reversal.status).toBe(201);
    const sent = await transfer(u, { from_account_id: a, to_account_id: b, amount: 7_000, description: "Rent pot", mode: "immediate" });
    expect(sent.status).toBe(201);
    await deposit(u, a, 3);

    const rows = await journal(a);
    expect(rows.map((r) => r.kind)).toEqual(["deposit", "purchase", "reversal", "transfer_out", "deposit"]);
    expect(rows.find((r) => r.merchant === "Grocer")?.metadata).toBeTruthy();
    expect(rows.find((r) => r.reverses_entry_id === purchase.body.id)).toBeTruthy();
    expect(rows.find((r) => r.transfer_id === sent.body.id)).toBeTruthy();

    let prev = GENESIS;
    for (const row of rows) {
      expect(row.prev_hash, `seq ${row.seq} prev_hash`).toBe(prev);
      expect(row.hash, `seq ${row.seq} hash`).toBe(await referenceEntryHash(prev, row));
      prev = row.hash as string;
    }
    const verify = await api("GET", `/v1/accounts/${a}/verify`, { token: u.access_token });
    expect(verify.body).toMatchObject({ ok: true, entries: rows.length, head_hash: prev });

    // The receiving leg starts its own chain at genesis.
    const credit = (await journal(b))[0]!;
    expect(credit).toMatchObject({ seq: 1, prev_hash: GENESIS, transfer_id: sent.body.id });
    expect(credit.hash).toBe(await referenceEntryHash(GENESIS, credit));
  });
});
