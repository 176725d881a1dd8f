/**
 * The weekly and monthly digests against the real Silver (events delivered
 * through the EVENTS consumer), the real D1 `digests` table and the real
 * UserDOs, run by the Worker's scheduled handler for a fixed clock: the wide
 * digest (spending per the spending rule — purchases less refunds, a reversal
 * cancelling its purchase — income, savings rate, top categories) is stored
 * once per user × kind × period however often the schedule runs, the inbox
 * gets one notification with its headline numbers linking to it, the
 * preferences can silence it, and GET /v1/insights/digests lists what was
 * stored (filter, cursor, one by id, another user's a 404).
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Notification } from "../durable/user/inbox";
import { digestNotification } from "../src/domain/notifications/digest";
import type { NotificationKind } from "../src/domain/notifications/kinds";
import worker from "../src/index";
import { api } from "./helpers/auth";
import { EventFactory } from "./helpers/events";
import { deliverEvents, rows, tokenFor } from "./helpers/pipeline";

const inbox = (userId: string) => env.USER.get(env.USER.idFromName(userId));
const notices = async (userId: string, kind: NotificationKind = "weekly_digest") =>
  (
    (await inbox(userId).listNotifications({ cursor: null, unread: false, kind, limit: 10 })) as unknown as {
      items: Notification[];
    }
  ).items;
const stored = (userId: string) =>
  rows<{ id: string; kind: string; period_start: string; currency: string }>(
    "SELECT id, kind, period_start, currency FROM digests WHERE user_id = ?1 ORDER BY kind, period_start",
    userId,
  );

async function cron(cron: string, at: string): Promise<void> {
  const ctx = createExecutionContext();
  worker.scheduled(createScheduledController({ scheduledTime: Date.parse(at), cron }), env, ctx);
  await waitOnExecutionContext(ctx);
}

// Monday 2025-03-10 07:00 UTC: the last full week is 3–9 March, the one before 24 February – 2 March.
const WEEKLY_RUN = "2025-03-10T07:00:00.000Z";

async function seedWeek() {
  const f = new EventFactory();
  const a = f.account();
  const lunch = f.tx(a, "purchase", 2_000, { at: "2025-03-04T12:00:00.000Z", category: "restaurants", merchant: "Cafe" });
  const events = [
    f.tx(a, "deposit", 500_000, { at: "2025-03-03T09:00:00.000Z", category: "income", merchant: "ACME PAYROLL" }),
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
  return f.userId;
}

describe("digests by cron", () => {
  it("sends nothing for a period without spending", () => {
    expect(digestNotification("weekly", [])).toBeNull();
  });

  it("stores the weekly digest once and notifies its headline numbers, however often the schedule runs", async () => {
    const userId = await seedWeek();
    await cron("0 7 * * 1", WEEKLY_RUN);
    const [row, ...more] = await stored(userId);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ kind: "weekly", period_start: "2025-03-03", currency: "USD", id: expect.stringMatching(/^dgst_/) });

    const [n, ...others] = await notices(userId);
    expect(others).toEqual([]);
    // 120.00 + 30.00 + 99.99 − 10.00 (the refund, not income); the 20.00 lunch was reversed: 239.99 against 200.00.
    expect(n).toMatchObject({
      kind: "weekly_digest",
      source_event_id: "digest:2025-03-03",
      title: "Your week from 2025-03-03: $239.99 spent",
      link: `/insights?digest=${row!.id}`,
    });
    expect(n!.body).toMatch(
      /^You spent \$239\.99, 20 % more than the week before \(\$200\.00\)\. Income \$5,000\.00, savings rate 95 %\. Top: groceries \$150\.00, travel \$89\.99\. Forecast low \$[\d,]+\.\d\d on 2025-\d\d-\d\d\.$/,
    );
    expect(n!.data).toMatchObject({
      period: "weekly",
      period_start: "2025-03-03",
      digest_ids: [row!.id],
      digest_url: `/v1/insights/digests/${row!.id}`,
      currencies: [{ currency: "USD", spend: 23_999, previous_spend: 20_000, income: 500_000, spend_change_pct: 20 }],
    });

    // The schedule again (a retried invocation): no second row, no second notification, the same id.
    await cron("0 7 * * 1", "2025-03-10T08:00:00.000Z");
    expect(await stored(userId)).toEqual([row]);
    expect(await notices(userId)).toHaveLength(1);

    // The API returns the stored digest as it was built, and it is the caller's only.
    const token = await tokenFor(userId);
    const list = await api("GET", "/v1/insights/digests", { token });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ object: "list", has_more: false, next_cursor: null });
    expect(list.body.data).toEqual([
      expect.objectContaining({
        object: "digest",
        id: row!.id,
        stored: true,
        period: "weekly",
        start: "2025-03-03",
        end: "2025-03-09",
        totals: expect.objectContaining({ spend: 23_999, income: 500_000, savings_rate: 0.952 }),
        top_categories: [
          { category: "groceries", amount: 15_000 },
          { category: "travel", amount: 8_999 },
        ],
      }),
    ]);
    const one = await api("GET", `/v1/insights/digests/${row!.id}`, { token });
    expect(one.body).toEqual(list.body.data[0]);
    const stranger = await tokenFor(`usr_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`);
    expect((await api("GET", `/v1/insights/digests/${row!.id}`, { token: stranger })).status).toBe(404);
    expect((await api("GET", "/v1/insights/digests/dgst_nope", { token })).status).toBe(400);
  });

  it("builds the monthly digest from its own cron, lists by kind with a cursor, and respects the preferences", async () => {
    const f = new EventFactory();
    const a = f.account();
    await deliverEvents([
      f.tx(a, "deposit", 300_000, { at: "2025-03-01T09:00:00.000Z", category: "income", merchant: "ACME PAYROLL" }),
      f.tx(a, "purchase", 4_200, { at: "2025-03-18T10:00:00.000Z", category: "groceries", merchant: "Market" }),
      f.tx(a, "purchase", 10_000, { at: "2025-03-26T10:00:00.000Z", category: "travel", merchant: "Rail" }),
      f.tx(a, "refund", 10_000, { at: "2025-03-27T10:00:00.000Z", category: "travel", merchant: "Rail" }),
    ]);
    // Someone who turned the monthly digest off in the inbox: stored, not notified.
    const g = new EventFactory();
    await deliverEvents([g.tx(g.account(), "purchase", 1_000, { at: "2025-03-20T10:00:00.000Z", merchant: "Market" })]);
    await inbox(g.userId).setNotificationPreferences({ kinds: { monthly_digest: { in_app: false, email: false } } });

    await cron("0 7 * * 1", "2025-03-24T07:00:00.000Z"); // the week of 17–23 March
    await cron("0 7 1 * *", "2025-04-01T07:00:00.000Z"); // March
    await cron("0 7 1 * *", "2025-04-01T07:30:00.000Z"); // again: nothing new
    expect((await stored(f.userId)).map((r) => `${r.kind} ${r.period_start}`)).toEqual(["monthly 2025-03-01", "weekly 2025-03-17"]);

    const [m, ...more] = await notices(f.userId, "monthly_digest");
    expect(more).toEqual([]);
    // The travel purchase was refunded in full: spend 42.00, income 3,000.00 (the refund is not income).
    expect(m).toMatchObject({
      kind: "monthly_digest",
      source_event_id: "digest:monthly:2025-03-01",
      title: "Your month of 2025-03: $42.00 spent",
    });
    expect(m!.body).toMatch(
      /^You spent \$42\.00, up from nothing the month before \(\$0\.00\)\. Income \$3,000\.00, savings rate 99 %\. Top: groceries \$42\.00\./,
    );
    expect(await stored(g.userId)).toHaveLength(2);
    expect(await notices(g.userId, "monthly_digest")).toEqual([]);

    const token = await tokenFor(f.userId);
    const monthly = (await api("GET", "/v1/insights/digests?kind=monthly", { token })).body;
    expect(monthly.data.map((d: any) => [d.period, d.start, d.totals.spend, d.totals.income])).toEqual([
      ["monthly", "2025-03-01", 4_200, 300_000],
    ]);
    // Newest period start first: the week of 17 March, then March.
    const first = (await api("GET", "/v1/insights/digests?limit=1", { token })).body;
    expect(first).toMatchObject({ has_more: true, data: [{ period: "weekly", start: "2025-03-17" }] });
    const second = (await api("GET", `/v1/insights/digests?limit=1&cursor=${first.next_cursor}`, { token })).body;
    expect(second).toMatchObject({ has_more: false, next_cursor: null, data: [{ period: "monthly", start: "2025-03-01" }] });
    expect((await api("GET", "/v1/insights/digests?cursor=nope", { token })).status).toBe(400);
  });
});
