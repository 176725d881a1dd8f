/**
 * The weekly and monthly digest notifications (issue 11's notification, issue
 * 12's wide digest): the headline numbers of the stored digests of one period
 * (src/domain/intel/digest.ts, one per currency) — spend and its change from
 * the period before, income and the savings rate, the top categories, the
 * bills due in 7 days, the anomalies and the forecast's low point — with a link
 * to the digest. Pure: the stored digests in, one draft (or none, when nothing
 * was spent in either period) out, sourced `digest:<week start>` (weekly) or
 * `digest:monthly:<month start>`, so a re-run of the schedule adds nothing.
 */
import type { Digest, DigestPeriod } from "../intel/digest";
import { formatMinor } from "../money";
import type { NotificationDraft } from "./from-event";

export interface PeriodDigest {
  id: string;
  digest: Digest;
}

const WORD: Record<DigestPeriod, string> = { weekly: "week", monthly: "month" };

function change(pct: number | null, spent: number): string {
  if (pct === null) return spent === 0 ? "the same as" : "up from nothing";
  const rounded = Math.round(pct);
  if (rounded === 0) return "about the same as";
  return rounded > 0 ? `${rounded} % more than` : `${-rounded} % less than`;
}

function lines(d: Digest): string {
  const money = (n: number) => formatMinor(n, d.currency);
  const t = d.totals;
  const parts = [
    `You spent ${money(t.spend)}, ${change(t.spend_change_pct, t.spend)} the ${WORD[d.period]} before (${money(t.previous_spend)}).`,
  ];
  if (t.income > 0) parts.push(`Income ${money(t.income)}, savings rate ${Math.round((t.savings_rate ?? 0) * 100)} %.`);
  if (d.top_categories.length)
    parts.push(
      `Top: ${d.top_categories
        .slice(0, 3)
        .map((c) => `${c.category} ${money(c.amount)}`)
        .join(", ")}.`,
    );
  if (d.anomalies.length) parts.push(`${d.anomalies.length} unusual transaction${d.anomalies.length === 1 ? "" : "s"}.`);
  if (d.bills_due_7d.length)
    parts.push(
      `${d.bills_due_7d.length} bill${d.bills_due_7d.length === 1 ? "" : "s"} due in 7 days (${money(d.bills_due_7d.reduce((s, b) => s + b.amount, 0))}).`,
    );
  if (d.forecast_low) parts.push(`Forecast low ${money(d.forecast_low.p50)} on ${d.forecast_low.date}.`);
  return parts.join(" ");
}

export function digestNotification(period: DigestPeriod, stored: readonly PeriodDigest[]): NotificationDraft | null {
  const active = stored
    .filter((s) => s.digest.period === period && (s.digest.totals.spend !== 0 || s.digest.totals.previous_spend !== 0))
    .sort((a, b) => b.digest.totals.spend - a.digest.totals.spend || a.digest.currency.localeCompare(b.digest.currency));
  const first = active[0];
  if (!first) return null;
  const d = first.digest;
  const heading = period === "weekly" ? `Your week from ${d.start}` : `Your month of ${d.start.slice(0, 7)}`;
  return {
    kind: period === "weekly" ? "weekly_digest" : "monthly_digest",
    title: `${heading}: ${formatMinor(d.totals.spend, d.currency)} spent`,
    body: active.map((s) => lines(s.digest)).join(" "),
    link: `/insights?digest=${first.id}`,
    source_event_id: period === "weekly" ? `digest:${d.start}` : `digest:monthly:${d.start}`,
    data: {
      period,
      period_start: d.start,
      period_end: d.end,
      digest_ids: active.map((s) => s.id),
      digest_url: `/v1/insights/digests/${first.id}`,
      currencies: active.map((s) => ({
        currency: s.digest.currency,
        ...s.digest.totals,
        top_categories: s.digest.top_categories.slice(0, 3),
        anomalies: s.digest.anomalies.length,
        bills_due_7d: s.digest.bills_due_7d.length,
        forecast_low: s.digest.forecast_low,
      })),
    },
  };
}
