/**
 * AccountDO storage internals: the in-memory account row follows the database
 * through commits and rollbacks, the outbox's sent watermark survives the V1→V2
 * schema migration, and housekeeping prunes only what has expired.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AccountDO } from "../durable/account-do";
import { migrate, MIGRATIONS } from "../durable/account/schema";
import { IDEMPOTENCY_RETENTION_MS } from "../src/domain/idempotency";
import { deposit, openAccount, registerUser } from "./helpers/ledger";

const stub = (id: string) => env.ACCOUNT.get(env.ACCOUNT.idFromName(id));
const storedRow = (s: DurableObjectState) => s.storage.sql.exec("SELECT * FROM account").one();

describe("cached account row", () => {
  it("equals the stored row after commits, and reverts with the database when a transaction throws", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    await deposit(u, id, 1_000);
    await runInDurableObject(stub(id), async (inst: AccountDO, state) => {
      await inst.outbox.drain();
      inst.store.storeSentSeq(); // the sent watermark is stored lazily; everything else at each commit
      expect({ ...inst.store.account() }).toEqual(storedRow(state));
      const held = inst.store.account()!;
      const before = { ...held };
      expect(() =>
        inst.store.transaction(() => {
          const a = inst.store.account()!;
          inst.store.appendEntry(a, {
            kind: "deposit", direction: "credit", amount: 5, counterparty: "external:cash", occurredAt: new Date().toISOString(),
          }, new Date().toISOString());
          inst.store.adjustPending(a, 7);
          throw new Error("crash inside the transaction");
        }),
      ).toThrow(/crash inside/);
      expect({ ...inst.store.account() }).toEqual(before);
      expect(storedRow(state)).toEqual(before);
      // The very object callers hold was restored, not just a fresh copy handed out.
      expect({ ...held }).toEqual(before);
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM journal").one().n).toBe(1);
    });
  });

  it("refuses account writes outside a transaction", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    await runInDurableObject(stub(id), (inst: AccountDO) => {
      const a = inst.store.account()!;
      expect(() => inst.store.adjustPending(a, 1)).toThrow(/inside store.transaction/);
      expect(() => inst.store.emit(a, "account_closed", { currency: "USD" }, "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"))
        .toThrow(/inside store.transaction/);
      expect(inst.store.account()!.pending).toBe(0);
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
        sql.exec("INSERT INTO outbox (seq, event_id, type, body, created_at, sent_at) VALUES (?, ?, 't', '{}', 1, ?)", seq, `evt_${seq}`, seq <= 3 ? 10 : null);
      }
      migrate(sql);
      expect(sql.exec("SELECT outbox_sent_seq FROM account").one().outbox_sent_seq).toBe(3);
      expect(sql.exec("SELECT version FROM schema_version").one().version).toBe(MIGRATIONS.length);
      const columns = sql.exec("SELECT name FROM pragma_table_info('outbox')").toArray().map((r) => r.name);
      expect(columns).not.toContain("sent_at");
      expect(() => migrate(sql)).not.toThrow(); // a no-op at the current version
      expect(sql.exec("SELECT outbox_sent_seq FROM account").one().outbox_sent_seq).toBe(3);
    });
  });
});

describe("sent watermark", () => {
  it("rides along with the next transaction instead of a write per send, and the alarm stores it for an idle account", async () => {
    const u = await registerUser();
    const id = await openAccount(u);
    const stored = (s: DurableObjectState) => s.storage.sql.exec("SELECT outbox_sent_seq AS n FROM account").one().n as number;
    await runInDurableObject(stub(id), async (inst: AccountDO, state) => {
      await inst.outbox.drain();
      expect(inst.store.account()!.outbox_sent_seq).toBe(1);
      await inst.alarm();
      expect(stored(state)).toBe(1);
    });
    await deposit(u, id, 100);
    await runInDurableObject(stub(id), async (inst: AccountDO, state) => {
      await inst.outbox.drain();
      expect(inst.store.account()!.outbox_sent_seq).toBe(2);
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
    await runInDurableObject(stub(id), async (inst: AccountDO) => {
      await inst.outbox.drain();
      await inst.alarm();
      inst.publisher = { sendBatch: async () => { throw new Error("queue down"); } };
    });
    for (let i = 0; i < 3; i++) await deposit(u, id, 100 + i);
    await runInDurableObject(stub(id), async (inst: AccountDO, state) => {
      const sql = state.storage.sql;
      const now = Date.now();
      // Age the first two keys and the first three events past their retention.
      const keys = sql.exec<{ key: string }>("SELECT key FROM idempotency ORDER BY rowid").toArray().map((r) => r.key);
      expect(keys).toHaveLength(3);
      sql.exec("UPDATE idempotency SET created_at = ? WHERE key IN (?, ?)", now - IDEMPOTENCY_RETENTION_MS - 1_000, keys[0]!, keys[1]!);
      sql.exec("UPDATE outbox SET created_at = ? WHERE seq <= 3", now - 25 * 3600 * 1000);
      inst.lastMaintenance = 0;
      await inst.alarm();
      expect(inst.store.account()!.outbox_sent_seq).toBe(1);
      expect(sql.exec<{ key: string }>("SELECT key FROM idempotency ORDER BY rowid").toArray().map((r) => r.key)).toEqual(keys.slice(2));
      expect(sql.exec<{ seq: number }>("SELECT seq FROM outbox ORDER BY seq").toArray().map((r) => r.seq)).toEqual([2, 3, 4]);
    });
  });
});
