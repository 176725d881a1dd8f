/** How the alerts page names conditions and shows prices and values (exact decimal strings through Intl.NumberFormat). */
import type { PriceAlert } from "../../api/types";

export type Condition = PriceAlert["condition"];
export interface SymbolInfo {
  symbol: string;
  name: string;
  currency: string;
  price_precision: number;
}

export const CONDITIONS: { value: Condition; label: string }[] = [
  { value: "crossing_up", label: "Crosses above" },
  { value: "crossing_down", label: "Crosses below" },
  { value: "greater_than", label: "Is above" },
  { value: "less_than", label: "Is below" },
  { value: "percent_change_up", label: "Up by % on previous close" },
  { value: "percent_change_down", label: "Down by % on previous close" },
];
export const conditionLabel = (c: Condition) => CONDITIONS.find((x) => x.value === c)?.label ?? c;
export const isPercent = (c: Condition) => c.startsWith("percent_change");

/** A decimal price string in the symbol's currency, at its precision (display only: the value stays a string). */
export function formatPrice(value: string, s: SymbolInfo | undefined): string {
  const digits = s?.price_precision ?? 2;
  return new Intl.NumberFormat(undefined, {
    style: "currency",
    currency: s?.currency ?? "USD",
    minimumFractionDigits: digits,
    maximumFractionDigits: Math.max(digits, (value.split(".")[1] ?? "").length),
  }).format(Number(value));
}

export function formatValue(r: PriceAlert, s: SymbolInfo | undefined): string {
  return isPercent(r.condition)
    ? `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(Number(r.value))} %`
    : formatPrice(r.value, s);
}
