/**
 * The notification kinds, the channels, and each user's preferences
 * (kind × channel, quiet hours), pure. `in_app` and `email` are delivered
 * (email: src/domain/notifications/email.ts); `webhook` is stored for the
 * session that sends it.
 */
import { z } from "zod";

export const NOTIFICATION_KINDS = [
  "budget_threshold_crossed",
  "alert_created",
  "transfer_received",
  "transfer_completed",
  "transfer_failed",
  "large_withdrawal",
  "new_device_login",
  "password_changed",
  "webhook_disabled",
  "weekly_digest",
  "monthly_digest",
  "recurring_price_changed",
  "payment_status",
  "payment_settled",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Kinds that are also alerts: open until acknowledged or dismissed (GET /v1/alerts). */
export const ALERT_KINDS: ReadonlySet<NotificationKind> = new Set(["budget_threshold_crossed", "alert_created", "recurring_price_changed"]);

/** Security notices: never deferred by quiet hours. */
export const SECURITY_KINDS: ReadonlySet<NotificationKind> = new Set(["new_device_login", "password_changed"]);

export const CHANNELS = ["in_app", "email", "webhook"] as const;
export type Channel = (typeof CHANNELS)[number];

const Hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM, 24-hour");

export const QuietHours = z
  .object({
    start: Hhmm,
    end: Hhmm,
    /** Minutes east of UTC (−720 … +840), so the quiet window follows the person's clock. */
    utc_offset_minutes: z.number().int().min(-720).max(840),
  })
  .strict();
export type QuietHours = z.infer<typeof QuietHours>;

const ChannelFlags = z.object({ in_app: z.boolean(), email: z.boolean(), webhook: z.boolean() }).strict();

export const Preferences = z
  .object({
    kinds: z
      .object(Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, ChannelFlags])) as Record<NotificationKind, typeof ChannelFlags>)
      .strict(),
    quiet_hours: QuietHours.nullable(),
  })
  .strict();
export type Preferences = z.infer<typeof Preferences>;

/** A partial update: only the kinds and channels named change. */
export const PreferencesPatch = z
  .object({
    kinds: z
      .object(
        Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, ChannelFlags.partial()])) as Record<
          NotificationKind,
          ReturnType<typeof ChannelFlags.partial>
        >,
      )
      .partial()
      .strict()
      .optional(),
    quiet_hours: QuietHours.nullable().optional(),
  })
  .strict();
export type PreferencesPatch = z.infer<typeof PreferencesPatch>;

/** Everything in the inbox; email for money and security matters; no webhooks until an endpoint exists. */
export function defaultPreferences(): Preferences {
  const emailed: ReadonlySet<NotificationKind> = new Set([
    "budget_threshold_crossed",
    "transfer_completed",
    "transfer_failed",
    "large_withdrawal",
    "new_device_login",
    "password_changed",
    "weekly_digest",
    "monthly_digest",
    "payment_settled",
  ]);
  return {
    kinds: Object.fromEntries(
      NOTIFICATION_KINDS.map((k) => [k, { in_app: true, email: emailed.has(k), webhook: false }]),
    ) as Preferences["kinds"],
    quiet_hours: null,
  };
}

/** Stored preferences (possibly from an older kind list) completed with the defaults. */
export function withDefaults(stored: unknown): Preferences {
  const base = defaultPreferences();
  const parsed = PreferencesPatch.safeParse(stored);
  return parsed.success ? applyPatch(base, parsed.data) : base;
}

export function applyPatch(current: Preferences, patch: PreferencesPatch): Preferences {
  const kinds = { ...current.kinds };
  for (const k of NOTIFICATION_KINDS) {
    const change = patch.kinds?.[k];
    if (change) kinds[k] = { ...kinds[k], ...change };
  }
  return { kinds, quiet_hours: patch.quiet_hours === undefined ? current.quiet_hours : patch.quiet_hours };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `at` (epoch ms) falls in the quiet window; a window may cross midnight (22:00–07:00). */
export function inQuietHours(q: QuietHours | null, at: number): boolean {
  if (!q) return false;
  const local = (((Math.floor(at / 60_000) + q.utc_offset_minutes) % 1440) + 1440) % 1440;
  const start = minutesOf(q.start);
  const end = minutesOf(q.end);
  if (start === end) return false;
  return start < end ? local >= start && local < end : local >= start || local < end;
}

/** The channels a notification of this kind goes to at `at`: quiet hours hold email and webhook back, security kinds excepted. */
export function channelsFor(p: Preferences, kind: NotificationKind, at: number): Channel[] {
  const quiet = inQuietHours(p.quiet_hours, at) && !SECURITY_KINDS.has(kind);
  return CHANNELS.filter((ch) => p.kinds[kind][ch] && (ch === "in_app" || !quiet));
}
