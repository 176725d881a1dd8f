/**
 * What every intelligence route reads, once per request: the user's
 * transactions (src/db/intel/transactions.ts), their recurring streams detected
 * on read with stable ids and the user's verdicts (UserDO), and the Gold
 * balances of the chosen currency for the 90 days up to as-of.
 */
import { userObject } from "../../auth/sessions";
import { dailyBalances, type DayBalance, balanceCurrencies } from "../../db/intel/balances";
import { readIncomeAndSpending } from "../../db/intel/transactions";
import { DomainError } from "../../domain/errors";
import { detectRecurring, type RecurringStream } from "../../domain/intel/recurring";
import { streamIdOf } from "../../domain/intel/stream-id";
import { addDays, type IntelTransaction } from "../../domain/intel/types";

/** Enough history for an annual stream's second charge (a year plus the tolerance). */
export const LOOKBACK_DAYS = 400;
export const BALANCE_DAYS = 90;

export type UserState = "suggested" | "confirmed" | "dismissed";
export interface UserStream extends RecurringStream {
  id: string;
  user_state: UserState;
}

export interface IntelContext {
  userId: string;
  asOf: string;
  transactions: IntelTransaction[];
  /** Every detected stream, dismissed ones included. */
  streams: UserStream[];
}

export const today = (now = Date.now()) => new Date(now).toISOString().slice(0, 10);

/** The as-of day: the one asked for (not after today), else today (UTC). */
export function resolveAsOf(asked: string | undefined, now = Date.now()): string {
  const t = today(now);
  if (asked && asked > t) throw new DomainError("validation_error", "as_of must not be after today (UTC)", { field: "as_of" });
  return asked ?? t;
}

type States = Record<string, "confirmed" | "dismissed">;

export async function userStreams(
  env: Env,
  userId: string,
  txs: readonly IntelTransaction[],
  asOf: string,
  states: Promise<States> = userObject(env, userId).recurringStates() as Promise<States>,
): Promise<UserStream[]> {
  const detected = detectRecurring(txs, { asOf });
  const [ids, verdicts] = await Promise.all([Promise.all(detected.map((s) => streamIdOf(userId, s.stream_key))), states]);
  return detected.map((s, i) => ({ ...s, id: ids[i]!, user_state: verdicts[ids[i]!] ?? "suggested" }));
}

/** The Silver read and the UserDO's verdicts are independent: both are in flight together. */
export async function loadContext(env: Env, userId: string, asOf: string): Promise<IntelContext> {
  const states = Promise.resolve(userObject(env, userId).recurringStates() as Promise<States>);
  states.catch(() => {}); // awaited in userStreams; a failed read must not go unhandled if the Silver read fails first
  const transactions = await readIncomeAndSpending(env.DB, userId, { from: addDays(asOf, -LOOKBACK_DAYS), to: asOf });
  return { userId, asOf, transactions, streams: await userStreams(env, userId, transactions, asOf, states) };
}

/** Streams the user did not dismiss: what the forecast projects and the scores count. */
export const kept = (streams: readonly UserStream[]) => streams.filter((s) => s.user_state !== "dismissed");

/** The currency asked for, else the one with the most transactions, else the accounts', else USD. */
export async function resolveCurrency(env: Env, ctx: IntelContext, asked: string | undefined): Promise<string> {
  if (asked) return asked;
  const counts = new Map<string, number>();
  for (const t of ctx.transactions) counts.set(t.currency, (counts.get(t.currency) ?? 0) + 1);
  const best = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  return best?.[0] ?? (await balanceCurrencies(env.DB, ctx.userId))[0] ?? "USD";
}

/** The currency's daily balances of the 90 days ending at as-of, and the as-of balance. */
export async function balancesOf(env: Env, ctx: IntelContext, currency: string): Promise<{ daily: DayBalance[]; balance: number }> {
  const daily = await dailyBalances(env.DB, ctx.userId, currency, addDays(ctx.asOf, -(BALANCE_DAYS - 1)), ctx.asOf);
  return { daily, balance: daily.at(-1)?.balance ?? 0 };
}
