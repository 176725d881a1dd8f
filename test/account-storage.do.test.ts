/**
 * The account store on its own (the only writer of an account's SQLite): the
 * in-memory account row follows the database through commits and rollbacks,
 * writes happen only inside a transaction, the outbox's sent watermark survives
 * the V1→V2 schema migration and rides along with later transactions, and
 * housekeeping prunes only what has expired.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AccountDO } from "../durable/account-do";
import { migrate, MIGRATIONS } from "../durable/account/schema";
import { AccountStore } from "../durable/account/store";
import type { AccountEvent } from "../src/domain/account/index";
import { newAccountId } from "../src/domain/ids";
import { IDEMPOTENCY_RETENTION_MS } from "../src/domain/idempotency";
import { housekeepingDue, tapQueue } from "./helpers/faults";
import { deposit, openAccount, registerUser } from "./helpers/ledger";

const stub = (id: string) => env.ACCOUNT.get(env.ACCOUNT.idFromName(id));
const storedRow = (s: DurableObjectState) => s.storage.sql.exec("SELECT * FROM account").one();
const NOW = "2026-06-01T12:00:00.000Z";

function opened(id: string): AccountEvent {
  return {
    type: "account_opened",
    account: {
      id,
      userId: "usr_store",
      type: "checking",
      currency: "USD",
      name: "Store",
      creditLimit: 0,
      status: "open",
      posted: 0,
      pending: 0,
      createdAt: NOW,
      closedAt: null,
    },
  };
}

function deposited(entryId: string, amount: number, balanceAfter: number): AccountEvent {
  return {
    type: "transaction_posted",
    entry: {
      entryId,
      kind: "deposit",
      direction: "credit",
      amount,
      counterparty: "external:cash",
      occurredAt: NOW,
      balanceAfter,
      description: null,
      merchant: null,
      category: null,
      metadata: null,
      transferId: null,
      reversesEntryId: null,
      reversesKind: null,
    },
  };
}

/** A store over a never-opened object's storage (the object itself never touches it). */
async function withStore(fn: (store: AccountStore, state: DurableObjectState) => void | Promise<void>) {
  const id = newAccountId();
  await runInDurableObject(stub(id), async (_i: AccountDO, state) => fn(new AccountStore(state.storage), state));
  return id;
}

describe("cached account row", () => {
  it("equals the stored row after commits, and reverts with the database when a transaction throws", async () => {
    await withStore((store, state) => {
      const id = `acc_${"s".repeat(20)}`;
      store.transaction(() => store.commit([opened(id), deposited("txn_1", 1_000, 1_000)], NOW));
      expect({ ...store.accountRow() }).toEqual(storedRow(state));
      const held = store.accountRow()!;
      const before = { ...held };
      expect(() =>
        store.transaction(() => {
          store.commit([deposited("txn_2", 5, 1_005), { type: "transfer_voided", transferId: "trf_x", amount: 7, reason: "voided" }], NOW);
          throw new Error("crash inside the transaction");
        }),
      ).toThrow(/crash inside/);
      expect({ ...store.accountRow() }).toEqual(before);
      expect(storedRow(state)).toEqual(before);
      // The very object callers hold was restored, not just a fresh copy handed out.
      expect({ ...held }).toEqual(before);
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM journal").one().n).toBe(1);
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM outbox").one().n).toBe(2);
    });
  });

  it("refuses writes outside a transaction", async () => {
    await withStore((store, state) => {
      store.transaction(() => store.commit([opened(`acc_${"t".repeat(20)}`)], NOW));
      expect(() => store.commit([deposited("txn_1", 1, 1)], NOW)).toThrow(/inside store.transaction/);
      expect(store.account()!.posted).toBe(0);
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM journal").one().n).toBe(0);
    });
  });

  it("links each journal row to the previous one's hash and numbers seqs without gaps", async () => {
    await withStore((store, state) => {
      store.transaction(() => store.commit([opened(`acc_${"u".repeat(20)}`), deposited("txn_1", 10, 10), deposited("txn_2", 20, 30)], NOW));
      store.transaction(() => store.commit([deposited("txn_3", 30, 60)], NOW));
      const rows = state.storage.sql
        .exec<{ seq: number; prev_hash: string; hash: string }>("SELECT seq, prev_hash, hash FROM journal ORDER BY seq")
        .toArray();
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
      expect(store.accountRow()!.head_hash).toBe(rows[2]!.hash);
      expect(
        state.storage.sql
          .exec<{ seq: number }>("SELECT seq FROM outbox ORDER BY seq")
          .toArray()
          .map((r) => r.seq),
      ).toEqual([1, 2, 3, 4]);
    });
  });
});

describe("schema migration V1 → V2", () => {
  it("starts the sent watermark just below the oldest unsent event", async () => {
    // A never-opened object has no schema: build a V1 one by hand, as an older deployment left it.
    await runInDurableObject(stub(`acc_${"m".repeat(20)}`), (_i: AccountDO, state) => {
      const sql = state.storage.sql;
      sql.exec("CREATE TABLE schema_version (version INTEGER NOT NULL)");
      for (const stmt of MIGRATIONS[0]!) sql.exec(stmt);
      sql.exec("INSERT INTO schema_version (version) VALUES (1)");
      sql.exec(`INSERT INTO account (id, user_id, type, currency, name, credit_limit, status, created_at, head_hash, event_seq)
                VALUES ('acc_x', 'usr_x', 'checking', 'USD', 'Old', 0, 'open', '2026-01-01T00:00:00.000Z', 'h', 5)`);
      for (let seq = 1; seq <= 5; seq++) {
        sql.exec(
          "INSERT INTO outbox (seq, event_id, type, body, created_at, sent_at) VALUES (?, ?, 't', '{}', 1, ?)",
          seq,
          `evt_${seq}`,
          seq <= 3 ? 10 : null,
        );
      }
      migrate(sql);
      expect(sql.exec("SELECT outbox_sent_seq FROM account").one().outbox_sent_seq).toBe(3);
      expect(sql.exec("SELECT version FROM schema_version").one().version).toBe(MIGRATIONS.length);
      const columns = sql
        .exec("SELECT name FROM pragma_table_info('outbox')")
        .toArray()
        .map((r) => r.name);
      expect(columns).not.toContain("sent_at");
      expect(() => migrate(sql)).not.toThrow(); // a no-op at the current version
      expect(sql.exec("SELECT outbox_sent_seq FROM account").one().outbox_sent_seq).toBe(3);
    });
  });
});

async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("condition never held");
}

describe("sent watermark", () => {
  it("rides along with the next transaction instead of a write per send, and the alarm stores it for an idle account", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    const stored = (s: DurableObjectState) => s.storage.sql.exec("SELECT outbox_sent_seq AS n FROM account").one().n as number;
    await until(async () => (await stub(id).outboxView()).sent_seq === 1);
    await runInDurableObject(stub(id), async (inst: AccountDO, state) => {
      await inst.alarm();
      expect(stored(state)).toBe(1);
    });
    await deposit(u, id, 100);
    await until(async () => (await stub(id).outboxView()).sent_seq === 2);
    await runInDurableObject(stub(id), async (_inst: AccountDO, state) => {
      expect(stored(state)).toBe(1); // sent, not yet stored: a crash now would send seq 2 again
    });
    await deposit(u, id, 100); // its transaction stores the watermark its predecessor reached
    await runInDurableObject(stub(id), async (_inst: AccountDO, state) => {
      expect(stored(state)).toBeGreaterThanOrEqual(2);
    });
  });
});

describe("housekeeping", () => {
  it("prunes idempotency keys and sent events past their retention, and nothing newer or unsent", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    // Event 1 (account_opened) goes out and its watermark is stored; then the queue fails, so 2..4 stay unsent.
    await until(async () => (await stub(id).outboxView()).sent_seq === 1);
    await runInDurableObject(stub(id), (inst: AccountDO) => inst.alarm());
    await tapQueue(id, () => {
      throw new Error("queue down");
    });
    for (let i = 0; i < 3; i++) await deposit(u, id, 100 + i);
    await housekeepingDue();
    await runInDurableObject(stub(id), async (inst: AccountDO, state) => {
      const sql = state.storage.sql;
      const now = Date.now();
      // Age the first two keys and the first three events past their retention.
      const keys = sql
        .exec<{ key: string }>("SELECT key FROM idempotency ORDER BY rowid")
        .toArray()
        .map((r) => r.key);
      expect(keys).toHaveLength(3);
      sql.exec("UPDATE idempotency SET created_at = ? WHERE key IN (?, ?)", now - IDEMPOTENCY_RETENTION_MS - 1_000, keys[0]!, keys[1]!);
      sql.exec("UPDATE outbox SET created_at = ? WHERE seq <= 3", now - 25 * 3600 * 1000);
      await inst.alarm();
      expect((await inst.outboxView()).sent_seq).toBe(1);
      expect(
        sql
          .exec<{ key: string }>("SELECT key FROM idempotency ORDER BY rowid")
          .toArray()
          .map((r) => r.key),
      ).toEqual(keys.slice(2));
      expect(
        sql
          .exec<{ seq: number }>("SELECT seq FROM outbox ORDER BY seq")
          .toArray()
          .map((r) => r.seq),
      ).toEqual([2, 3, 4]);
    });
  });
});
