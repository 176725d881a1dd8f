import { formatMoney } from "../lib/money";

/** An amount in minor units, formatted in its currency; negative amounts get the `negative` class (colour plus the minus sign). */
export function Money({ amount, currency }: { amount: number | string; currency: string }) {
  const negative = String(amount).startsWith("-");
  return <span class={negative ? "money negative" : "money"}>{formatMoney(amount, currency)}</span>;
}
