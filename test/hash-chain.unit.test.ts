/**
 * entryHash against a fixed vector computed outside the project (Python's
 * hashlib over the same canonical text), with a non-genesis previous hash so
 * the link itself is covered, not only the entry's fields.
 */
import { describe, expect, it } from "vitest";
import { entryHash, GENESIS_HASH, type HashedEntry } from "../src/domain/hash-chain";

// sha256("previous entry"): any hash other than genesis.
const PREV = "1505d8c51c119dce252ec62c609734e3fd980cbafec06c9996dfa2776c208e31";

const ENTRY: HashedEntry = {
  seq: 2,
  entry_id: "01JD0000000000000000000002",
  kind: "purchase",
  debit_account: "account:acc_1",
  credit_account: "merchant:café",
  amount: 1234,
  currency: "USD",
  balance_after: 48766,
  occurred_at: "2026-11-30T12:00:00.000Z",
  recorded_at: "2026-11-30T12:00:01.000Z",
  transfer_id: null,
  reverses_entry_id: null,
  description: "Weekly shop",
  merchant: "Café",
  category: "groceries",
  metadata: '{"order":"A-17"}',
};

describe("entryHash", () => {
  it("is SHA-256 of the previous hash, a newline and the canonical entry (fixed vector)", () => {
    expect(entryHash(PREV, ENTRY)).toBe("2eb3b2d499f7e91cd2d48703b2e27799e746df0a6c92adcc512b34b5833176ce");
    expect(entryHash(GENESIS_HASH, ENTRY)).toBe("e150287058ea9f8bf1205d0f25bf211ff1d6ab9d893d04ca77a6f2fba74f7070");
  });

  it("changes with every covered field", () => {
    const base = entryHash(PREV, ENTRY);
    const edits: Partial<HashedEntry>[] = [
      { seq: 3 },
      { entry_id: "x" },
      { kind: "refund" },
      { debit_account: "x" },
      { credit_account: "x" },
      { amount: 1235 },
      { currency: "EUR" },
      { balance_after: 0 },
      { occurred_at: "x" },
      { recorded_at: "x" },
      { transfer_id: "x" },
      { reverses_entry_id: "x" },
      { description: null },
      { merchant: null },
      { category: null },
      { metadata: null },
    ];
    for (const edit of edits) expect(entryHash(PREV, { ...ENTRY, ...edit }), JSON.stringify(edit)).not.toBe(base);
  });
});
