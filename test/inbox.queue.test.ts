/**
 * The inbox branch of the real EVENTS consumer: every source event becomes
 * exactly one notification in its user's UserDO, under duplicate, reordered
 * and redelivered batches; events that notify nobody add nothing; a muted
 * kind (in_app off) never enters the inbox.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Notification } from "../durable/user/inbox";
import { randomToken } from "../src/domain/ids";
import type { AnyEvent } from "../src/events/catalog";
import { EventFactory, type TestAccount } from "./helpers/events";
import { deliverEvents } from "./helpers/pipeline";

const inbox = (userId: string) => env.USER.get(env.USER.idFromName(userId));
const all = async (userId: string) =>
  ((await inbox(userId).listNotifications({ cursor: null, unread: false, kind: null, limit: 100 })) as unknown as { items: Notification[] })
    .items;

const crossed = (acct: TestAccount, threshold: number, spent: number): AnyEvent =>
  new EventFactory(acct.userId).budgetCrossed(acct, { threshold, spent, at: "2026-11-10T12:00:00.000Z" });

describe("inbox from the EVENTS consumer", () => {
  it("turns each source into one notification, however often and in whatever order it arrives", async () => {
    const f = new EventFactory();
    const a = f.account();
    const deposit = f.tx(a, "deposit", 500_000);
    const big = f.tx(a, "withdrawal", 100_000); // 1,000.00 USD: the threshold
    const small = f.tx(a, "withdrawal", 99_999);
    const b80 = crossed(a, 0.8, 8_000);
    const b100 = crossed(a, 1, 10_000);
    const { event: pending, transferId } = f.transferPending(a, `acc_${randomToken()}`, 2_500);
    const posted = f.transferPosted(a, transferId, 2_500);
    const received = f.tx(a, "transfer_in", 700, { transferId: `trf_${randomToken()}_${randomToken(12)}` });

    // Reordered, with duplicates inside the batch, then the whole batch again.
    const first = await deliverEvents([b100, posted, big, b80, b100, deposit, small, pending, received, big]);
    expect(first.retryMessages).toEqual([]);
    const again = await deliverEvents([received, b80, posted, big, b100]);
    expect(again.retryMessages).toEqual([]);

    const items = await all(f.userId);
    expect(items.map((n) => n.kind).sort()).toEqual(
      ["budget_threshold_crossed", "budget_threshold_crossed", "large_withdrawal", "transfer_completed", "transfer_received"].sort(),
    );
    expect(new Set(items.map((n) => n.source_event_id))).toEqual(
      new Set([b80.event_id, b100.event_id, big.event_id, posted.event_id, received.event_id]),
    );
    const budget = items.find((n) => n.source_event_id === b80.event_id)!;
    expect(budget).toMatchObject({ title: 'Budget "groceries" at 80 %', link: "/budgets", read_at: null, alert_state: "open" });
    expect(budget.body).toContain("$80.00 of your monthly $100.00");
    // Texts carry amounts as people read them, never an internal id.
    const done = items.find((n) => n.kind === "transfer_completed")!;
    expect(done.body).toMatch(/^Your transfer of \$[\d,]+\.\d\d was posted/);
    expect(done.body).not.toMatch(/trf_|acc_/);
    // Ids sort by arrival; the list is newest first.
    const ids = items.map((n) => n.id);
    expect([...ids].sort().reverse()).toEqual(ids);
    expect(await inbox(f.userId).unreadNotificationCount()).toBe(5);
  });

  it("a back-dated event (recorded over 7 days after it happened) is history: Gold gets it, the inbox does not", async () => {
    const f = new EventFactory();
    const a = f.account();
    const old = f.tx(a, "withdrawal", 500_000, { at: "2026-10-01T09:00:00.000Z" });
    (old as { recorded_at: string }).recorded_at = "2026-10-08T09:00:01.000Z";
    const recent = f.tx(a, "withdrawal", 500_000, { at: "2026-10-01T09:00:00.000Z" });
    (recent as { recorded_at: string }).recorded_at = "2026-10-07T09:00:00.000Z";
    await deliverEvents([old, recent]);
    const items = await all(f.userId);
    expect(items.map((n) => n.source_event_id)).toEqual([recent.event_id]);
    expect(items[0]!.title).toBe("Large withdrawal: $5,000.00");
  });

  it("a transfer between a user's own accounts is not news; one from another user, and a budget of a period not yet over, are", async () => {
    const f = new EventFactory();
    const checking = f.account();
    const savings = f.account();
    const stranger = new EventFactory().account();
    const register = (a: TestAccount) =>
      env.DB.prepare("INSERT INTO accounts (id, user_id, type, currency, name, created_at) VALUES (?, ?, 'checking', 'USD', 'x', ?)")
        .bind(a.id, a.userId, "2026-11-01T00:00:00.000Z")
        .run();
    for (const a of [checking, savings, stranger]) await register(a);

    const own = f.transferPending(checking, savings.id, 50_000);
    const ownPosted = f.transferPosted(checking, own.transferId, 50_000);
    const ownIn = f.tx(savings, "transfer_in", 50_000, { transferId: own.transferId });
    (ownIn.payload as { counterparty: string }).counterparty = `account:${checking.id}`;
    const away = f.transferPending(checking, stranger.id, 1_000);
    const awayPosted = f.transferPosted(checking, away.transferId, 1_000);
    const fromStranger = f.tx(savings, "transfer_in", 2_000, { transferId: `trf_${randomToken()}_${randomToken(12)}` });
    (fromStranger.payload as { counterparty: string }).counterparty = `account:${stranger.id}`;
    // A crossing recorded after its month ended (a back-dated October purchase recorded on 3 November).
    const ended = crossed(checking, 0.8, 8_000);
    Object.assign(ended, { occurred_at: "2026-11-03T10:00:00.000Z", recorded_at: "2026-11-03T10:00:00.000Z" });
    (ended.payload as { period_start: string }).period_start = "2026-10-01";

    await deliverEvents([own.event, away.event]);
    await deliverEvents([ownPosted, ownIn, awayPosted, fromStranger, ended]);
    const items = await all(f.userId);
    expect(items.map((n) => n.source_event_id).sort()).toEqual([awayPosted.event_id, fromStranger.event_id].sort());
    expect(items.find((n) => n.kind === "transfer_received")!.title).toBe("Received $20.00");
  });

  it("a failed voided-by-sender transfer is no news, a rejected one is", async () => {
    const f = new EventFactory();
    const a = f.account();
    const t1 = f.transferPending(a, `acc_${randomToken()}`, 100);
    const voided = f.transferVoided(a, t1.transferId, 100);
    (voided.payload as { reason: string }).reason = "voided";
    const rejected = f.transferVoided(a, t1.transferId, 100);
    await deliverEvents([t1.event, voided, rejected]);
    const items = await all(f.userId);
    expect(items.map((n) => n.kind)).toEqual(["transfer_failed"]);
    expect(items[0]!.source_event_id).toBe(rejected.event_id);
    expect(items[0]!.body).toBe("Your transfer of $1.00 was refused by the destination account; the held amount is available again.");
  });

  it("respects in_app preferences: a muted kind never enters the inbox, even when unmuted later", async () => {
    const f = new EventFactory();
    const a = f.account();
    await inbox(f.userId).setNotificationPreferences({ kinds: { large_withdrawal: { in_app: false } } });
    const big = f.tx(a, "withdrawal", 200_000);
    const b = crossed(a, 0.5, 5_000);
    await deliverEvents([big, b]);
    expect((await all(f.userId)).map((n) => n.kind)).toEqual(["budget_threshold_crossed"]);
    await inbox(f.userId).setNotificationPreferences({ kinds: { large_withdrawal: { in_app: true } } });
    await deliverEvents([big]);
    expect((await all(f.userId)).map((n) => n.kind)).toEqual(["budget_threshold_crossed"]);
  });

  it("keeps each user's notifications in their own inbox", async () => {
    const f1 = new EventFactory();
    const f2 = new EventFactory();
    const a1 = f1.account();
    const a2 = f2.account();
    await deliverEvents([crossed(a1, 0.8, 8_000), crossed(a2, 0.9, 9_000), crossed(a2, 1, 10_000)]);
    expect(await all(f1.userId)).toHaveLength(1);
    expect(await all(f2.userId)).toHaveLength(2);
  });
});
