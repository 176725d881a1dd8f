/**
 * The notification kinds as the app names them. Typed by the API's own
 * preferences schema, so a kind the API adds is a compile error here until
 * it has a label (the settings and webhooks pages list kinds from this).
 */
import type { components } from "../api/schema";

export type NotificationKind = keyof components["schemas"]["NotificationPreferences"]["kinds"];

export const KIND_LABELS: Record<NotificationKind, string> = {
  budget_threshold_crossed: "Budget thresholds",
  alert_created: "Price, risk and other alerts",
  transfer_received: "Money received",
  transfer_completed: "Transfers completed",
  transfer_failed: "Transfers failed",
  large_withdrawal: "Large withdrawals",
  new_device_login: "Sign-ins from a new device",
  password_changed: "Password changes",
  webhook_disabled: "A webhook endpoint disabled",
  weekly_digest: "Weekly digest",
  monthly_digest: "Monthly digest",
  recurring_price_changed: "Subscription price changes",
  payment_status: "Payments accepted and processing",
  payment_settled: "Payments completed, failed or canceled",
};

export const NOTIFICATION_KINDS = Object.keys(KIND_LABELS) as NotificationKind[];
