/**
 * Email jobs, pure: the job a `notifications` queue message carries, which
 * notifications are emailed and when (preferences and quiet hours), and each
 * template's subject and text. The idempotency key names what is announced
 * (a source event, a sign-up), so however often a job is enqueued or
 * delivered, one message is sent for it.
 */
import { z } from "zod";
import type { NotificationDraft } from "./from-event";
import { inQuietHours, NOTIFICATION_KINDS, type NotificationKind, type Preferences, type QuietHours, SECURITY_KINDS } from "./kinds";

export const EMAIL_TEMPLATES = ["signup_confirmation", "notification"] as const;
export type EmailTemplate = (typeof EMAIL_TEMPLATES)[number];

const NotificationData = z
  .object({
    kind: z.enum(NOTIFICATION_KINDS),
    title: z.string().min(1).max(300),
    body: z.string().max(4000),
    link: z.string().max(500).nullable(),
  })
  .strict();
const SignupData = z.object({ name: z.string().max(100).nullable() }).strict();

const Common = {
  idempotency_key: z.string().min(1).max(200),
  to: z.string().min(3).max(254).email(),
  /** Epoch ms before which the job is not sent (quiet hours); absent = now. */
  not_before: z.number().int().nonnegative().optional(),
};

/** The body of one `notifications` queue message; anything else is poison. */
export const EmailJob = z.discriminatedUnion("template", [
  z.object({ ...Common, template: z.literal("notification"), data: NotificationData }).strict(),
  z.object({ ...Common, template: z.literal("signup_confirmation"), data: SignupData }).strict(),
]);
export type EmailJob = z.infer<typeof EmailJob>;

/** An email the notification step may send: what to say, and not before when (plain data: it crosses RPC). */
export interface EmailNotice {
  kind: NotificationKind;
  title: string;
  body: string;
  link: string | null;
  source_event_id: string;
  not_before: number | null;
}

const MINUTE_MS = 60_000;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The instant (epoch ms, on a minute) the quiet window that holds `at` ends. */
export function quietHoursEnd(q: QuietHours, at: number): number {
  const localMinute = (((Math.floor(at / MINUTE_MS) + q.utc_offset_minutes) % 1440) + 1440) % 1440;
  const wait = (minutesOf(q.end) - localMinute + 1440) % 1440;
  return (Math.floor(at / MINUTE_MS) + wait) * MINUTE_MS;
}

/**
 * Whether a notification is emailed: null when the preferences say no;
 * otherwise when. Quiet hours defer it to the window's end (security kinds
 * are never deferred).
 */
export function emailNotice(p: Preferences, draft: NotificationDraft, at: number): EmailNotice | null {
  if (!p.kinds[draft.kind].email) return null;
  const defer = p.quiet_hours && !SECURITY_KINDS.has(draft.kind) && inQuietHours(p.quiet_hours, at);
  const { kind, title, body, link, source_event_id } = draft;
  return { kind, title, body, link, source_event_id, not_before: defer && p.quiet_hours ? quietHoursEnd(p.quiet_hours, at) : null };
}

export function notificationJob(to: string, notice: EmailNotice): EmailJob {
  const job: EmailJob = {
    idempotency_key: `notification:${notice.source_event_id}`,
    to,
    template: "notification",
    data: { kind: notice.kind, title: notice.title.slice(0, 300), body: notice.body.slice(0, 4000), link: notice.link },
  };
  if (notice.not_before !== null) job.not_before = notice.not_before;
  return job;
}

export function signupJob(userId: string, to: string, name: string | null): EmailJob {
  return { idempotency_key: `signup:${userId}`, to, template: "signup_confirmation", data: { name } };
}

export interface RenderedEmail {
  subject: string;
  text: string;
}

const FOOTER = "\n\n-- \nFinEdge. You receive this because email is on for this kind of notice in your notification preferences.";

/** The subject and plain text of a job; `appUrl` makes the link absolute. */
export function renderEmail(job: EmailJob, appUrl: string): RenderedEmail {
  switch (job.template) {
    case "signup_confirmation":
      return {
        subject: "Welcome to FinEdge: your account is ready",
        text: `Hello${job.data.name ? ` ${job.data.name}` : ""},\n\nyour FinEdge account for ${job.to} was created. Sign in at ${appUrl}/ to open your first account.\n\nIf you did not create it, someone used your address: contact FinEdge support.\n\n-- \nFinEdge`,
      };
    case "notification": {
      const link = job.data.link ? `\n\nOpen: ${appUrl}${job.data.link}` : "";
      return { subject: job.data.title, text: `${job.data.body}${link}${FOOTER}` };
    }
  }
}
