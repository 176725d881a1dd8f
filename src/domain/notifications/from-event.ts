/**
 * Which catalog events become notifications, and what they say. Pure: an
 * event in, a draft (or null) out; the draft names its source event, so the
 * inbox keeps exactly one notification per source however often it arrives.
 */
import type { AnyEvent, PayloadOf } from "../../events/catalog";
import { periodBounds } from "../account/budget-rules";
import { CURRENCIES, formatMinor } from "../money";
import { deviceName } from "./device-name";
import type { NotificationKind } from "./kinds";

export interface NotificationDraft {
  kind: NotificationKind;
  title: string;
  body: string;
  /** A path in the web app for the object the notification is about. */
  link: string | null;
  source_event_id: string;
  /** Facts for clients and the alert's reasons (amounts in minor units). */
  data: Record<string, unknown>;
}

/** A withdrawal of at least this many major units of its currency is "large". */
export const LARGE_WITHDRAWAL_MAJOR = 1_000;

/** The threshold in minor units: 1,000 major units, whatever the currency's digits (100000 cents, 1000 yen, 1000000 fils). */
export function largeWithdrawalMinor(currency: string): number {
  return LARGE_WITHDRAWAL_MAJOR * 10 ** (CURRENCIES[currency] ?? 2);
}

/**
 * An event recorded more than this long after it happened (a back-dated
 * import, the demo's months of history) is history, not news: it reaches Gold
 * and the activity, never the inbox.
 */
export const NEWS_HORIZON_MS = 7 * 24 * 60 * 60 * 1000;

export function isHistory(e: Pick<AnyEvent, "occurred_at" | "recorded_at">): boolean {
  return Date.parse(e.recorded_at) - Date.parse(e.occurred_at) > NEWS_HORIZON_MS;
}

const accountLink = (accountId: string) => `/accounts/${accountId}`;
const percent = (threshold: number) => `${Math.round(threshold * 100)} %`;

export function notificationOf(e: AnyEvent): NotificationDraft | null {
  if (isHistory(e)) return null;
  const base = { source_event_id: e.event_id };
  switch (e.type) {
    case "budget_threshold_crossed": {
      const p = e.payload;
      // A back-dated purchase can cross a budget of a period already over: that is history too.
      const start = p.period_start.length === 10 ? `${p.period_start}T00:00:00.000Z` : p.period_start;
      if (Date.parse(periodBounds(p.period, start).end) <= Date.parse(e.recorded_at)) return null;
      return {
        ...base,
        kind: "budget_threshold_crossed",
        title: `Budget "${p.category}" at ${percent(p.threshold)}`,
        body: `You have spent ${formatMinor(p.spent, p.currency)} of your ${p.period} ${formatMinor(p.limit, p.currency)} budget for ${p.category}.`,
        link: "/budgets",
        data: { account_id: e.account_id, ...p },
      };
    }
    case "transaction_posted": {
      const p = e.payload;
      if (p.kind === "transfer_in" && p.direction === "credit")
        return {
          ...base,
          kind: "transfer_received",
          title: `Received ${formatMinor(p.amount, p.currency)}`,
          body: `A transfer of ${formatMinor(p.amount, p.currency)} arrived in your account.`,
          link: accountLink(e.account_id),
          data: {
            account_id: e.account_id,
            from_account_id: p.counterparty.startsWith("account:") ? p.counterparty.slice("account:".length) : null,
            transfer_id: p.transfer_id,
            amount: p.amount,
            currency: p.currency,
          },
        };
      if (p.kind === "withdrawal" && p.amount >= largeWithdrawalMinor(p.currency))
        return {
          ...base,
          kind: "large_withdrawal",
          title: `Large withdrawal: ${formatMinor(p.amount, p.currency)}`,
          body: `${formatMinor(p.amount, p.currency)} was withdrawn from your account. If this was not you, secure your account.`,
          link: `/accounts/${e.account_id}/transactions/${p.entry_id}`,
          data: { account_id: e.account_id, entry_id: p.entry_id, amount: p.amount, currency: p.currency },
        };
      return null;
    }
    case "transfer_posted": {
      const p = e.payload;
      return {
        ...base,
        kind: "transfer_completed",
        title: `Transfer of ${formatMinor(p.amount, p.currency)} completed`,
        body: `Your transfer of ${formatMinor(p.amount, p.currency)} was posted to its destination.`,
        link: "/transfers",
        data: { account_id: e.account_id, ...p },
      };
    }
    case "transfer_voided": {
      const p = e.payload;
      // A void the sender asked for is their own doing, not news.
      if (p.reason === "voided") return null;
      return {
        ...base,
        kind: "transfer_failed",
        title: `Transfer of ${formatMinor(p.amount, p.currency)} failed`,
        body:
          p.reason === "expired"
            ? `Your pending transfer of ${formatMinor(p.amount, p.currency)} expired; the held amount is available again.`
            : `Your transfer of ${formatMinor(p.amount, p.currency)} was refused by the destination account; the held amount is available again.`,
        link: "/transfers",
        data: { account_id: e.account_id, ...p },
      };
    }
    case "payment_status_changed":
      return {
        ...base,
        ...paymentNotice(e.payload),
        link: `/payments?id=${e.payload.payment_id}`,
        data: { account_id: e.account_id, ...e.payload },
      };
    case "alert_created": {
      const p = e.payload;
      return { ...base, kind: "alert_created", title: p.title, body: p.body, link: p.link, data: { account_id: e.account_id, ...p } };
    }
    default:
      return null;
  }
}

type PaymentPayload = PayloadOf<"payment_status_changed">;

/** Each status of a payment in words: pending and processing are progress, the rest is the outcome. */
function paymentNotice(p: PaymentPayload): Pick<NotificationDraft, "kind" | "title" | "body"> {
  const amount = formatMinor(p.amount, p.currency);
  switch (p.status) {
    case "pending":
      return {
        kind: "payment_status",
        title: `Payment of ${amount} accepted`,
        body: `Your payment of ${amount} is pending; the amount is on hold.`,
      };
    case "processing":
      return {
        kind: "payment_status",
        title: `Payment of ${amount} processing`,
        body: `Your payment of ${amount} was sent to the processor.`,
      };
    case "success":
      return {
        kind: "payment_settled",
        title: `Payment of ${amount} completed`,
        body: `Your payment of ${amount} was paid out to the payee.`,
      };
    case "failed":
      return {
        kind: "payment_settled",
        title: `Payment of ${amount} failed`,
        body: `Your payment of ${amount} failed (${p.reason ?? "unknown reason"}); the held amount is available again.`,
      };
    case "canceled":
      return {
        kind: "payment_settled",
        title: `Payment of ${amount} canceled`,
        body: `Your payment of ${amount} was canceled; the held amount is available again.`,
      };
  }
}

/** The notification of a sign-in from a device the user had not used (user agent and IP prefix, never the address). */
export function newDeviceLogin(sessionId: string, userAgent: string, ipPrefix: string): NotificationDraft {
  return {
    kind: "new_device_login",
    title: "New sign-in to your account",
    body: `A sign-in from a new device: ${deviceName(userAgent)}, network ${ipPrefix}. If this was not you, change your password and sign out everywhere.`,
    link: null,
    source_event_id: `login:${sessionId}`,
    data: { user_agent: userAgent, ip_prefix: ipPrefix },
  };
}
