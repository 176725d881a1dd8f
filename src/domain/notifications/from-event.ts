/**
 * Which catalog events become notifications, and what they say. Pure: an
 * event in, a draft (or null) out; the draft names its source event, so the
 * inbox keeps exactly one notification per source however often it arrives.
 */
import type { AnyEvent } from "../../events/catalog";
import { CURRENCIES, formatMinor } from "../money";
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

const accountLink = (accountId: string) => `/accounts/${accountId}`;
const percent = (threshold: number) => `${Math.round(threshold * 100)} %`;

export function notificationOf(e: AnyEvent): NotificationDraft | null {
  const base = { source_event_id: e.event_id };
  switch (e.type) {
    case "budget_threshold_crossed": {
      const p = e.payload;
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
          data: { account_id: e.account_id, transfer_id: p.transfer_id, amount: p.amount, currency: p.currency },
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
        body: `Your transfer ${p.transfer_id} of ${formatMinor(p.amount, p.currency)} was posted.`,
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
            ? `Your pending transfer ${p.transfer_id} expired; the held amount is available again.`
            : `Your transfer ${p.transfer_id} was refused by the destination; the held amount is available again.`,
        link: "/transfers",
        data: { account_id: e.account_id, ...p },
      };
    }
    case "alert_created": {
      const p = e.payload;
      return { ...base, kind: "alert_created", title: p.title, body: p.body, link: p.link, data: { account_id: e.account_id, ...p } };
    }
    default:
      return null;
  }
}

/** The notification of a sign-in from a device the user had not used (user agent and IP prefix, never the address). */
export function newDeviceLogin(sessionId: string, userAgent: string, ipPrefix: string): NotificationDraft {
  return {
    kind: "new_device_login",
    title: "New sign-in to your account",
    body: `A sign-in from a new device: ${userAgent || "unknown browser"} (network ${ipPrefix}). If this was not you, change your password and sign out everywhere.`,
    link: null,
    source_event_id: `login:${sessionId}`,
    data: { user_agent: userAgent, ip_prefix: ipPrefix },
  };
}
