/**
 * A brokerage account's holdings for risk alerts, read from its AccountDO as
 * its owner: cash (posted balance) and each position's market value, in the
 * account's minor units. Null when the account is not the user's (or not
 * found); `brokerage` says whether it holds positions at all.
 */
import type { Holdings } from "../domain/alerts/risk-rules";
import { CURRENCIES } from "../domain/money";
import { parseScaled } from "../domain/market/decimal";
import { accountStub } from "./account-rpc";

export interface AccountHoldings {
  currency: string;
  brokerage: boolean;
  holdings: Holdings;
}

export async function readHoldings(env: Env, userId: string, accountId: string, requestId: string): Promise<AccountHoldings | null> {
  const caller = { userId, requestId };
  const stub = accountStub(env, accountId);
  const account = await stub.get(caller);
  if (!account.ok) return null;
  const a = account.value as { type: string; currency: string; balance: { posted: number } };
  const brokerage = a.type === "brokerage";
  const holdings: Holdings = { cash: a.balance.posted, positions: [] };
  if (brokerage) {
    const list = await stub.listPositions(caller);
    if (!list.ok) return null;
    const digits = CURRENCIES[a.currency] ?? 2;
    for (const p of (list.value as { data: { symbol: string; market_value: string | null }[] }).data) {
      // A position without a price yet counts at zero until its symbol trades.
      const value = p.market_value === null ? 0 : (parseScaled(p.market_value, digits) ?? 0);
      holdings.positions.push({ symbol: p.symbol, value });
    }
  }
  return { currency: a.currency, brokerage, holdings };
}
