/**
 * Gold portfolio deltas, folded like the other Gold rows: per account and day
 * the cash moved and the external flows (every account's transactions; the
 * writer keeps only brokerage accounts), per account × symbol × day the shares
 * a fill moved, and per symbol × day the latest price. Sums commute and the
 * latest price is a maximum by (occurred_at, q), so any order or batching of
 * the same events gives the same rows.
 */
import { parseScaled, PRICE_DECIMALS, QTY_DECIMALS } from "../domain/market/decimal";
import type { EntryKind } from "../events/catalog";
import type { SilverEvent, TransactionEvent } from "./normalize";

export interface PortfolioDayDelta {
  account_id: string;
  day: string;
  user_id: string;
  currency: string;
  cash_net: number;
  contributions: number;
  withdrawals: number;
}

export interface PositionDayDelta {
  account_id: string;
  day: string;
  symbol: string;
  user_id: string;
  qty_delta: number;
  fills: number;
}

export interface MarketClose {
  symbol: string;
  day: string;
  asset_class: string;
  currency: string;
  /** At PRICE_SCALE. */
  price: number;
  occurred_at: string;
  q: number;
}

export interface PortfolioDeltas {
  portfolio: PortfolioDayDelta[];
  positions: PositionDayDelta[];
  closes: MarketClose[];
}

/** External flows: money that enters or leaves the portfolio from outside (trades, fees and interest do not). */
const CONTRIBUTION_KINDS: readonly EntryKind[] = ["deposit", "transfer_in"];
const WITHDRAWAL_KINDS: readonly EntryKind[] = ["withdrawal", "transfer_out"];

/** (contributions, withdrawals) of one entry; a reversal takes back the flow it cancels. */
export function externalFlow(p: TransactionEvent["payload"]): { contributions: number; withdrawals: number } {
  const reversal = p.kind === "reversal";
  const kind = reversal ? p.reverses_kind : p.kind;
  const sign = reversal ? -1 : 1;
  if (kind && CONTRIBUTION_KINDS.includes(kind)) return { contributions: sign * p.amount, withdrawals: 0 };
  if (kind && WITHDRAWAL_KINDS.includes(kind)) return { contributions: 0, withdrawals: sign * p.amount };
  return { contributions: 0, withdrawals: 0 };
}

const later = (a: MarketClose, b: MarketClose) => a.occurred_at > b.occurred_at || (a.occurred_at === b.occurred_at && a.q > b.q);

export class PortfolioAccumulator {
  private readonly portfolio = new Map<string, PortfolioDayDelta>();
  private readonly positions = new Map<string, PositionDayDelta>();
  private readonly closes = new Map<string, MarketClose>();

  addTransaction(e: TransactionEvent): void {
    const p = e.payload;
    const key = `${e.account_id}|${e.event_date}`;
    let row = this.portfolio.get(key);
    if (!row) {
      row = {
        account_id: e.account_id,
        day: e.event_date,
        user_id: e.user_id,
        currency: p.currency,
        cash_net: 0,
        contributions: 0,
        withdrawals: 0,
      };
      this.portfolio.set(key, row);
    }
    row.cash_net += p.direction === "credit" ? p.amount : -p.amount;
    const f = externalFlow(p);
    row.contributions += f.contributions;
    row.withdrawals += f.withdrawals;
  }

  add(e: SilverEvent): void {
    if (e.type === "portfolio_trade_executed") {
      const p = e.payload as { symbol: string; side: "buy" | "sell"; qty: string };
      const qty = parseScaled(p.qty, QTY_DECIMALS);
      if (qty === null) return;
      const key = `${e.account_id}|${p.symbol}|${e.event_date}`;
      let row = this.positions.get(key);
      if (!row) {
        row = { account_id: e.account_id, day: e.event_date, symbol: p.symbol, user_id: e.user_id, qty_delta: 0, fills: 0 };
        this.positions.set(key, row);
      }
      row.qty_delta += p.side === "buy" ? qty : -qty;
      row.fills += 1;
    } else if (e.type === "market_price_updated") {
      const p = e.payload as { symbol: string; asset_class: string; currency: string; price: string; q: number };
      const price = parseScaled(p.price, PRICE_DECIMALS);
      if (price === null) return;
      const close: MarketClose = {
        symbol: p.symbol,
        day: e.event_date,
        asset_class: p.asset_class,
        currency: p.currency,
        price,
        occurred_at: e.occurred_at,
        q: p.q,
      };
      const key = `${p.symbol}|${e.event_date}`;
      const had = this.closes.get(key);
      if (!had || later(close, had)) this.closes.set(key, close);
    }
  }

  deltas(): PortfolioDeltas {
    return { portfolio: [...this.portfolio.values()], positions: [...this.positions.values()], closes: [...this.closes.values()] };
  }
}
