/**
 * The inbox's fan-out for one user: each draft enters the inbox as the
 * preferences allow (exactly once per source event), is pushed to the live
 * sockets, is queued for every enabled webhook endpoint whose filter takes the
 * kind when the kind's `webhook` channel is on (outside quiet hours), and
 * names its email when the preferences send one. A redelivered source still
 * names its email (the caller may have failed to enqueue it the first time;
 * the email consumer's idempotency key sends it once).
 */
import { type EmailNotice, emailNotice } from "../../src/domain/notifications/email";
import type { NotificationDraft } from "../../src/domain/notifications/from-event";
import { channelsFor } from "../../src/domain/notifications/kinds";
import type { Inbox } from "./inbox";
import type { InboxSockets } from "./inbox-sockets";
import type { NotificationPreferences } from "./preferences";
import type { WebhookDispatch } from "./webhook-dispatch";
import type { Job } from "./webhook-rows";

export interface DeliveryReport {
  added: number;
  emails: EmailNotice[];
  webhooks: number;
}

export class NotificationDelivery {
  constructor(
    private readonly inbox: Inbox,
    private readonly prefs: NotificationPreferences,
    private readonly dispatch: WebhookDispatch,
    private readonly sockets: InboxSockets,
  ) {}

  async deliver(drafts: NotificationDraft[], now = Date.now()): Promise<DeliveryReport> {
    const prefs = this.prefs.get();
    const jobs: Job[] = [];
    const added = this.inbox.add(
      drafts.map((draft) => ({ draft, keep: channelsFor(prefs, draft.kind, now).includes("in_app") })),
      now,
      (draft, n) => {
        if (channelsFor(prefs, draft.kind, now).includes("webhook")) jobs.push(...this.dispatch.forNotification(draft, n?.id ?? null, now));
      },
    );
    if (added.length > 0) this.sockets.push(added);
    await this.dispatch.enqueue(jobs);
    const emails = drafts.map((d) => emailNotice(prefs, d, now)).filter((e): e is EmailNotice => e !== null);
    return { added: added.length, emails, webhooks: jobs.length };
  }
}
