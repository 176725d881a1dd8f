/** An open alert's reasons, in words, from the facts its notification carries. Pure. */
import { formatMinor } from "../money";
import type { NotificationKind } from "./kinds";

export function alertReasons(kind: NotificationKind, data: Record<string, unknown>, body: string): string[] {
  if (kind === "budget_threshold_crossed") {
    const { spent, limit, currency, threshold, category, period } = data as {
      spent: number;
      limit: number;
      currency: string;
      threshold: number;
      category: string;
      period: string;
    };
    return [
      `${category}: spent ${formatMinor(spent, currency)} of the ${period} limit ${formatMinor(limit, currency)}`,
      `crossed the ${Math.round(threshold * 100)} % alert threshold`,
    ];
  }
  return [body];
}
