/** The signed-in user's accounts, every page of them (the API pages by cursor). */
import { api } from "../api/client";
import { unwrap } from "../api/errors";
import type { Account } from "../api/types";

export async function loadAccounts(): Promise<Account[]> {
  const all: Account[] = [];
  let cursor: string | undefined;
  do {
    const page = unwrap(await api.GET("/v1/accounts", { params: { query: { limit: 50, cursor } } }));
    all.push(...page.data);
    cursor = page.has_more ? (page.next_cursor ?? undefined) : undefined;
  } while (cursor);
  return all;
}

export const ACCOUNT_TYPES = ["checking", "savings", "credit", "brokerage"] as const;

/** Offered first in the currency picker; any ISO 4217 code the API knows can be typed. */
export const COMMON_CURRENCIES = ["USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "KWD"] as const;
