/**
 * The AccountDO's public surface is exactly its RPC API: every method and
 * getter on its prototype is listed here, and its internals (the store, the
 * relay, the saga) are #private, never own fields a caller could reach.
 */
import { runInDurableObject } from "cloudflare:test";
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
  "placeOrder",
  "listOrders",
  "getOrder",
  "cancelOrder",
  "listPositions",
  "applyFill",
  "createPayment",
  "getPayment",
  "listPayments",
  "cancelPayment",
  "beginPayment",
  "settlePayment",
].sort();

describe("AccountDO RPC surface", () => {
  it("has exactly the API's members on its prototype", () => {
    const members = Object.getOwnPropertyNames(AccountDO.prototype)
      .filter((n) => n !== "constructor")
      .sort();
    expect(members).toEqual(API);
  });

  it("keeps its internals private: an instance's own fields are only the platform's ctx and env", async () => {
    const stub = env.ACCOUNT.get(env.ACCOUNT.idFromName(`acc_${"r".repeat(20)}`));
    // RPC exposes prototype members only; #private fields are not own properties at all.
    const own = await runInDurableObject(stub, (inst: AccountDO) => Object.getOwnPropertyNames(inst).sort());
    expect(own.filter((n) => n !== "ctx" && n !== "env")).toEqual([]);
    expect(await stub.describeForTransfer()).toBeNull();
  });
});
