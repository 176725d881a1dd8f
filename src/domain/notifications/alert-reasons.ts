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
  const reason = (data as { reason?: PriceReason | RiskReason | AnomalyReason }).reason;
  if (kind === "alert_created" && reason?.kind === "anomaly") {
    const head = `${formatMinor(reason.amount, reason.currency)} at ${reason.merchant_name}: score ${reason.score} (${reason.risk_level})`;
    return [head, ...reason.findings.map((f) => `${f.rule_id}: ${f.reason}`)];
  }
  if (kind === "alert_created" && reason?.kind === "risk") {
    const measure =
      reason.risk === "concentration"
        ? `${reason.symbol} is ${reason.measured} % of the account's value ${formatMinor(reason.value, reason.currency)}`
        : `the account's value ${formatMinor(reason.value, reason.currency)} is ${reason.measured} % below its peak ${formatMinor(reason.peak, reason.currency)}`;
    return [measure, `rule ${reason.rule_id}: ${reason.risk} at ${reason.threshold} %`];
  }
  if (kind === "alert_created" && reason?.kind === "price") {
    const lines = [`${reason.symbol} traded at ${reason.observed_price} at ${reason.t}`];
    if (reason.previous_price !== null) lines.push(`previous trade ${reason.previous_price}`);
    if (reason.condition.startsWith("percent_change") && reason.previous_close !== null)
      lines.push(`previous close ${reason.previous_close}`);
    lines.push(
      `rule ${reason.rule_id}: ${reason.condition.replaceAll("_", " ")} ${reason.value}${reason.condition.startsWith("percent") ? " %" : ""}`,
    );
    return lines;
  }
  return [body];
}

interface RiskReason {
  kind: "risk";
  rule_id: string;
  risk: "concentration" | "drawdown";
  threshold: string;
  measured: string;
  symbol: string | null;
  value: number;
  peak: number;
  currency: string;
}

interface AnomalyReason {
  kind: "anomaly";
  amount: number;
  currency: string;
  merchant_name: string;
  score: number;
  risk_level: string;
  findings: { rule_id: string; reason: string }[];
}

interface PriceReason {
  kind: "price";
  rule_id: string;
  symbol: string;
  condition: string;
  value: string;
  observed_price: string;
  previous_price: string | null;
  previous_close: string | null;
  t: string;
}
