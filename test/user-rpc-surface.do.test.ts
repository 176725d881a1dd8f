/**
 * The UserDO's public surface is exactly its RPC API, and its state is
 * #private: the session check is an RPC, never a field a caller could reach.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { UserDO } from "../durable/user-do";

const API = [
  "sessionActive",
  "openSession",
  "renewSession",
  "revokeSession",
  "revokeAllSessions",
  "passwordChanged",
  "disable",
  "enable",
  "isDisabled",
  // the inbox
  "deliverNotifications",
  "recordSignIn",
  "listNotifications",
  "markNotificationRead",
  "markAllNotificationsRead",
  "unreadNotificationCount",
  "notificationPreferences",
  "setNotificationPreferences",
  "listAlerts",
  "setAlertState",
  // the index of the user's price alert rules
  "indexPriceAlert",
  "priceAlertEntry",
  "listPriceAlertEntries",
  "unindexPriceAlert",
  // risk alert rules
  "addRiskRule",
  "listRiskRules",
  "removeRiskRule",
  "riskRuleEvaluated",
  // intelligence: recurring verdicts and saved simulations
  "recurringStates",
  "setRecurringState",
  "saveSimulation",
  "listSimulations",
  "getSimulation",
  "deleteSimulation",
  // webhooks
  "createWebhook",
  "listWebhooks",
  "getWebhook",
  "updateWebhook",
  "deleteWebhook",
  "rotateWebhookSecret",
  "listWebhookDeliveries",
  "testWebhook",
  "redeliverWebhook",
  "webhookSendPlan",
  "recordWebhookAttempt",
  // the runtime's handlers of the inbox stream
  "fetch",
  "webSocketMessage",
  "webSocketClose",
  "webSocketError",
  "alarm",
].sort();

describe("UserDO RPC surface", () => {
  it("has exactly the API's members on its prototype", () => {
    const members = Object.getOwnPropertyNames(UserDO.prototype)
      .filter((n) => n !== "constructor")
      .sort();
    expect(members).toEqual(API);
  });

  it("keeps its internals private, and a check of an unknown user creates no storage", async () => {
    const stub = env.USER.get(env.USER.idFromName(`usr_${"q".repeat(20)}`));
    expect(await stub.sessionActive("rtf_00000000000000000000")).toBe(false);
    expect(await stub.unreadNotificationCount()).toBe(0);
    expect(await stub.listNotifications({ cursor: null, unread: false, kind: null, limit: 10 })).toEqual({ items: [], more: false });
    const seen = await runInDurableObject(stub, (inst: UserDO, state) => ({
      own: Object.getOwnPropertyNames(inst).sort(),
      tables: state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'").toArray(),
    }));
    expect(seen.own.filter((n) => n !== "ctx" && n !== "env")).toEqual([]);
    expect(seen.tables).toEqual([]);
  });
});
