/**
 * The AccountDO's public surface is exactly its RPC API: every method and
 * getter on its prototype is listed here, and nothing of its internals (the
 * store, the relay, the saga) can be reached through a stub.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AccountDO } from "../durable/account-do";

const API = [
  "alarm",
  "open",
  "get",
  "close",
  "postTransaction",
  "reverse",
  "deleteTransaction",
  "annotateTransaction",
  "listTransactions",
  "getTransaction",
  "balanceAt",
  "verify",
  "reconcileView",
  "outboxView",
  "createTransfer",
  "getTransfer",
  "postTransfer",
  "voidTransfer",
  "listTransfers",
  "describeForTransfer",
  "creditTransfer",
  "inFlightView",
  "setBudget",
  "listBudgets",
  "deleteBudget",
].sort();

describe("AccountDO RPC surface", () => {
  it("has exactly the API's members on its prototype", () => {
    const members = Object.getOwnPropertyNames(AccountDO.prototype)
      .filter((n) => n !== "constructor")
      .sort();
    expect(members).toEqual(API);
  });

  it("reaches none of its internals through a stub", async () => {
    const stub = env.ACCOUNT.get(env.ACCOUNT.idFromName(`acc_${"r".repeat(20)}`)) as unknown as Record<string, () => Promise<unknown>>;
    for (const name of ["store", "exec", "relay", "saga", "publisher", "scheduleAlarm", "owned", "guarded", "idempotent", "ledger"]) {
      await expect(stub[name]!(), name).rejects.toThrow();
    }
    expect(await (stub.describeForTransfer as () => Promise<unknown>)()).toBeNull();
  });
});
