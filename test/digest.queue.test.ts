/**
 * The weekly digest against the real Silver (events delivered through the
 * EVENTS consumer) and the real UserDOs: last full week's spending per the
 * spending rule (purchases less refunds, a reversal cancelling its purchase)
 * against the week before, the week's top categories, once per user and week
 * however often the schedule runs, nothing for a user without spending, and
 * the Worker's cron handler running it.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Notification } from "../durable/user/inbox";
import { lastFullWeek, weeklyDigest } from "../src/domain/notifications/digest";
import worker from "../src/index";
import { sendWeeklyDigests } from "../queues/weekly-digest";
import { EventFactory } from "./helpers/events";
import { deliverEvents } from "./helpers/pipeline";

const inbox = (userId: string) => env.USER.get(env.USER.idFromName(userId));
const digests = async (userId: string) =>
  (
    (await inbox(userId).listNotifications({ cursor: null, unread: false, kind: "weekly_digest", limit: 10 })) as unknown as {
      items: Notification[];
    }
  ).items;

// Monday 2025-03-10 07:00 UTC: the last full week is 3–9 March, the one before 24 February – 2 March.
const RUN = Date.parse("2025-03-10T07:00:00.000Z");

describe("weekly digest", () => {
  it("takes the last full week, Monday to Sunday, whatever the day it runs", () => {
    expect(lastFullWeek(RUN)).toEqual({ start: "2025-03-03", end: "2025-03-10", previousStart: "2025-02-24" });
    expect(lastFullWeek(Date.parse("2025-03-16T23:59:59.000Z"))).toEqual({
      start: "2025-03-03",
      end: "2025-03-10",
      previousStart: "2025-02-24",
    });
    expect(weeklyDigest("2025-03-03", [])).toBeNull();
  });

  it("sums a week's spending against the week before, with its top categories, once per week", async () => {
    const f = new EventFactory();
    const a = f.account();
    const lunch = f.tx(a, "purchase", 2_000, { at: "2025-03-04T12:00:00.000Z", category: "restaurants", merchant: "Cafe" });
    const events = [
      f.tx(a, "deposit", 500_000, { at: "2025-03-03T09:00:00.000Z" }),
      f.tx(a, "purchase", 12_000, { at: "2025-03-05T18:00:00.000Z", category: "groceries", merchant: "Market" }),
      f.tx(a, "purchase", 3_000, { at: "2025-03-09T23:59:00.000Z", category: "groceries", merchant: "Market" }),
      lunch,
      f.tx(a, "purchase", 9_999, { at: "2025-03-06T10:00:00.000Z", category: "travel", merchant: "Rail" }),
      f.tx(a, "refund", 1_000, { at: "2025-03-07T10:00:00.000Z", category: "travel", merchant: "Rail" }),
      // Outside the week: the week before, and the Monday after.
      f.tx(a, "purchase", 20_000, { at: "2025-02-24T00:00:00.000Z", category: "groceries", merchant: "Market" }),
      f.tx(a, "purchase", 7_777, { at: "2025-03-10T00:00:00.000Z", category: "groceries", merchant: "Market" }),
    ];
    events.push(f.reversal(a, lunch));
    await deliverEvents(events);
    // Someone who only deposited: no spending in either week, no digest.
    const g = new EventFactory();
    await deliverEvents([g.tx(g.account(), "deposit", 10_000, { at: "2025-03-04T09:00:00.000Z" })]);

    const first = await sendWeeklyDigests(env, RUN);
    expect(first.failed).toBe(0);
    const [d, ...more] = await digests(f.userId);
    expect(more).toEqual([]);
    // 120.00 + 30.00 + 99.99 − 10.00 (refund); the 20.00 lunch was reversed: 239.99 against 200.00.
    expect(d).toMatchObject({
      kind: "weekly_digest",
      source_event_id: "digest:2025-03-03",
      title: "Your week from 2025-03-03: $239.99 spent",
    });
    expect(d!.body).toBe("You spent $239.99, 20 % more than the week before ($200.00). Top: groceries $150.00, travel $89.99.");
    expect(d!.data).toMatchObject({
      week_start: "2025-03-03",
      currencies: [{ currency: "USD", spent: 23_999, previous: 20_000, entries: 6 }],
    });
    expect(await digests(g.userId)).toEqual([]);

    // The schedule again (a retried invocation): nothing new.
    await sendWeeklyDigests(env, RUN + 3_600_000);
    expect(await digests(f.userId)).toHaveLength(1);
  });

  it("runs from the Worker's cron trigger", async () => {
    const f = new EventFactory();
    const a = f.account();
    await deliverEvents([f.tx(a, "purchase", 4_200, { at: "2025-04-02T10:00:00.000Z", category: "groceries", merchant: "Market" })]);
    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ scheduledTime: Date.parse("2025-04-07T07:00:00.000Z"), cron: "0 7 * * 1" }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await digests(f.userId)).map((n) => n.title)).toEqual(["Your week from 2025-03-31: $42.00 spent"]);
  });
});
