/**
 * The order ticket: a brokerage account of yours, side, market or limit,
 * quantity or (fractionable symbols) a cash amount, time in force and the
 * limit price. Each submission carries its own client_order_id: a retry after
 * a lost answer (network error, 5xx) sends the same one, so the API returns
 * the original order instead of placing a second; any answer from the API
 * starts a new one. Refusals are spelled out: insufficient buying power or
 * shares (403), a closed market or a bad field (422/400).
 */
import { useRef, useState } from "preact/hooks";
import { api } from "../../api/client";
import { ApiError, unwrap } from "../../api/errors";
import type { MarketSymbol, Order } from "../../api/market-types";
import type { Account } from "../../api/types";
import { field, InputError } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { Link } from "../../components/link";
import { formatMoney, minorDigits } from "../../lib/money";
import { formatMajor, formatPrice, formatQty } from "../../lib/market";

const DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const TIF = [
  { value: "day", label: "Day" },
  { value: "gtc", label: "Good till canceled" },
  { value: "ioc", label: "Immediate or cancel" },
] as const;

/** An API refusal in words a person can act on (the API's own message kept). */
export function ticketError(err: unknown, account: Account | undefined): unknown {
  if (!(err instanceof ApiError)) return err;
  const d = (err.details ?? {}) as { buying_power?: number; cost?: number; available?: number };
  const cur = account?.currency ?? "USD";
  switch (err.code) {
    case "insufficient_buying_power":
      return new Error(
        `Insufficient buying power: ${err.message}.${
          typeof d.cost === "number" && typeof d.buying_power === "number"
            ? ` The order needs ${formatMoney(d.cost, cur)}; you have ${formatMoney(d.buying_power, cur)} available.`
            : ""
        } Deposit cash on the account or buy less.`,
      );
    case "insufficient_qty":
      return new Error(`Not enough shares: ${err.message}. Sell at most what the position holds, less what open sell orders reserve.`);
    case "market_closed":
      return new Error(`Market closed: ${err.message}. Place a limit order to rest until it opens, or wait for the open.`);
    case "not_brokerage":
      return new Error(`${err.message}: orders are placed on brokerage accounts.`);
    case "validation_error":
      return new Error(`Check the order: ${err.message}`);
    default:
      return err;
  }
}

export function describeOrder(o: Order, spec: MarketSymbol, currency: string): string {
  const what = `${o.type === "limit" ? "Limit" : "Market"} ${o.side} ${o.qty ? formatQty(o.qty) : formatMajor(o.notional ?? "0", currency)} ${o.symbol}`;
  if (o.status === "filled" && o.filled_avg_price)
    return `${what}: filled ${formatQty(o.filled_qty)} at ${formatPrice(o.filled_avg_price, spec.currency, spec.price_precision)} (${formatMoney(o.filled_cash, currency)}).`;
  if (o.status === "new" || o.status === "partially_filled")
    return `${what}${o.limit_price ? ` at ${formatPrice(o.limit_price, spec.currency, spec.price_precision)}` : ""}: open (${o.status.replace("_", " ")}), resting until the price crosses.`;
  return `${what}: ${o.status}${o.reason ? ` (${o.reason})` : ""}.`;
}

interface Props {
  spec: MarketSymbol;
  accounts: Account[];
  onPlaced: (o: Order) => void;
}

export function OrderTicket({ spec, accounts, onPlaced }: Props) {
  const [type, setType] = useState<"market" | "limit">("market");
  const [sizing, setSizing] = useState<"qty" | "notional">("qty");
  const [accountId, setAccountId] = useState(accounts[0]?.id ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const clientOrderId = useRef(crypto.randomUUID());
  const account = accounts.find((a) => a.id === accountId) ?? accounts[0];

  if (accounts.length === 0)
    return (
      <section class="card" aria-labelledby="h-ticket">
        <h2 id="h-ticket">Trade {spec.symbol}</h2>
        <p class="muted" data-testid="no-brokerage">
          You have no open brokerage account. Open one on <Link href="/accounts">Accounts</Link> and fund it to trade.
        </p>
      </section>
    );

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy || !account) return;
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const side = field(f, "side") === "sell" ? "sell" : "buy";
      const amount = field(f, "amount") ?? "";
      if (!DECIMAL.test(amount) || !/[1-9]/.test(amount))
        throw new InputError(sizing === "qty" ? "Enter a positive quantity, e.g. 1 or 0.5" : "Enter a positive amount, e.g. 100");
      if (sizing === "qty" && !spec.fractionable && amount.includes("."))
        throw new InputError(`${spec.symbol} trades in whole shares only`);
      if (sizing === "notional" && (amount.split(".")[1]?.length ?? 0) > minorDigits(account.currency))
        throw new InputError(`The amount has at most ${minorDigits(account.currency)} decimals in ${account.currency}`);
      const limit = type === "limit" ? (field(f, "limit_price") ?? "") : undefined;
      if (limit !== undefined && !DECIMAL.test(limit)) throw new InputError("Enter the limit price, e.g. 187.25");
      if (limit !== undefined && (limit.split(".")[1]?.length ?? 0) > spec.price_precision)
        throw new InputError(`${spec.symbol} prices have at most ${spec.price_precision} decimals`);
      const tif = (field(f, "time_in_force") ?? "day") as (typeof TIF)[number]["value"];
      const body = {
        symbol: spec.symbol,
        side,
        type,
        time_in_force: tif,
        ...(sizing === "qty" ? { qty: amount } : { notional: amount }),
        ...(limit !== undefined && { limit_price: limit }),
        client_order_id: clientOrderId.current,
      } as const;
      let order: Order;
      try {
        order = unwrap(await api.POST("/v1/accounts/{id}/orders", { params: { path: { id: account.id } }, body }));
      } catch (err) {
        // An answer from the API settles this submission; a lost one keeps its id, so a retry cannot place it twice.
        if (err instanceof ApiError && err.status < 500) clientOrderId.current = crypto.randomUUID();
        throw err;
      }
      clientOrderId.current = crypto.randomUUID();
      // The size is cleared, so a second click is a new decision, not a leftover.
      const amountInput = form.elements.namedItem("amount") as HTMLInputElement | null;
      if (amountInput) amountInput.value = "";
      setDone(describeOrder(order, spec, account.currency));
      onPlaced(order);
    } catch (err) {
      setError(ticketError(err, account));
      (form.querySelector("input, select") as HTMLElement | null)?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={onSubmit} aria-labelledby="h-ticket" data-testid="order-ticket">
      <h2 id="h-ticket">Trade {spec.symbol}</h2>
      <label>
        Account
        <select name="account" value={account?.id} onChange={(e) => setAccountId(e.currentTarget.value)}>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.currency})
            </option>
          ))}
        </select>
      </label>
      {account && (
        <p class="muted small" data-testid="buying-power">
          Buying power: {formatMoney(account.balance.available, account.currency)}
        </p>
      )}
      <fieldset class="ticket-choices">
        <legend>Side</legend>
        <label>
          <input type="radio" name="side" value="buy" defaultChecked /> Buy
        </label>
        <label>
          <input type="radio" name="side" value="sell" /> Sell
        </label>
      </fieldset>
      <label>
        Order type
        <select name="type" value={type} onChange={(e) => setType(e.currentTarget.value as "market" | "limit")}>
          <option value="market">Market</option>
          <option value="limit">Limit</option>
        </select>
      </label>
      {spec.fractionable && (
        <fieldset class="ticket-choices">
          <legend>Size by</legend>
          <label>
            <input type="radio" name="sizing" value="qty" checked={sizing === "qty"} onChange={() => setSizing("qty")} /> Quantity
          </label>
          <label>
            <input type="radio" name="sizing" value="notional" checked={sizing === "notional"} onChange={() => setSizing("notional")} />{" "}
            Amount ({account?.currency ?? "USD"})
          </label>
        </fieldset>
      )}
      <label>
        {sizing === "qty" ? "Quantity" : `Amount (${account?.currency ?? "USD"})`}
        <input name="amount" inputMode="decimal" required autoComplete="off" aria-describedby="amount-hint" />
      </label>
      <p id="amount-hint" class="muted small">
        {sizing === "qty"
          ? spec.fractionable
            ? "Shares or coins, up to 9 decimals."
            : "Whole shares."
          : "Cash to spend or raise; market orders, time in force Day."}
      </p>
      {type === "limit" && (
        <label>
          Limit price ({spec.currency})
          <input name="limit_price" inputMode="decimal" required autoComplete="off" aria-describedby="limit-hint" />
        </label>
      )}
      {type === "limit" && (
        <p id="limit-hint" class="muted small">
          Up to {spec.price_precision} decimals. A buy fills at or below it, a sell at or above it.
        </p>
      )}
      <label>
        Time in force
        <select name="time_in_force">
          {TIF.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>
      </label>
      <FormStatus s={{ busy, error, done, onSubmit }} />
      <button type="submit" disabled={busy}>
        {busy ? "Placing…" : "Place order"}
      </button>
    </form>
  );
}
