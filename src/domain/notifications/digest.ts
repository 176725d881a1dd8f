/**
 * The weekly digest (issue 11's notification; issue 12 widens what it holds):
 * a person's spending (the spending rule of src/domain/spending.ts: purchases
 * less refunds, reversals cancelling) of the last full week (Monday to Sunday, UTC) against
 * the week before, per currency, with the week's largest categories. Pure:
 * the week's totals in, one notification draft (or none, for a quiet week)
 * out, sourced `digest:<week start>` so a re-run of the schedule adds nothing.
 */
import { formatMinor } from "../money";
import type { NotificationDraft } from "./from-event";

const DAY_MS = 86_400_000;

/** A currency's spending (minor units) this week and the week before, with this week's top categories. */
export interface WeekSpending {
  currency: string;
  spent: number;
  previous: number;
  entries: number;
  top: { category: string; amount: number }[];
}

/** The Monday (UTC, YYYY-MM-DD) of the last full week before `at`. */
export function lastFullWeek(at: number): { start: string; end: string; previousStart: string } {
  const day = Math.floor(at / DAY_MS);
  // 1970-01-01 was a Thursday: (day + 3) % 7 is the days since Monday.
  const thisMonday = day - ((day + 3) % 7);
  const iso = (d: number) => new Date(d * DAY_MS).toISOString().slice(0, 10);
  return { start: iso(thisMonday - 7), end: iso(thisMonday), previousStart: iso(thisMonday - 14) };
}

function change(spent: number, previous: number): string {
  if (previous === 0) return spent === 0 ? "the same as" : "up from nothing";
  const pct = Math.round(((spent - previous) / previous) * 100);
  if (pct === 0) return "about the same as";
  return pct > 0 ? `${pct} % more than` : `${-pct} % less than`;
}

export function weeklyDigest(weekStart: string, weeks: readonly WeekSpending[]): NotificationDraft | null {
  const active = weeks.filter((w) => w.entries > 0 || w.previous > 0);
  if (active.length === 0) return null;
  const lines = active.map((w) => {
    const top = w.top.length ? ` Top: ${w.top.map((t) => `${t.category} ${formatMinor(t.amount, w.currency)}`).join(", ")}.` : "";
    return `You spent ${formatMinor(w.spent, w.currency)}, ${change(w.spent, w.previous)} the week before (${formatMinor(w.previous, w.currency)}).${top}`;
  });
  const first = active[0]!;
  return {
    kind: "weekly_digest",
    title: `Your week from ${weekStart}: ${formatMinor(first.spent, first.currency)} spent`,
    body: lines.join(" "),
    link: "/",
    source_event_id: `digest:${weekStart}`,
    data: { week_start: weekStart, currencies: active.map((w) => ({ ...w })) },
  };
}
