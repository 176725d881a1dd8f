/**
 * Lists across a user's accounts: which accounts to ask, and the accounts'
 * pages merged newest first. Each account's object returns one page; the edge
 * merges them under a keyset cursor, so pages never repeat or skip a line.
 */
import type { Result } from "../../durable/account/api";
import { accountIdsOf } from "../db/accounts";

/** The caller's accounts to read: all of them, or the one asked for if it is theirs (another's is an empty list, not a leak). */
export async function accountScope(env: Env, userId: string, accountId: string | undefined): Promise<string[]> {
  const ids = await accountIdsOf(env.DB, userId);
  return accountId === undefined ? ids : ids.filter((id) => id === accountId);
}

export function okPages<T>(results: Result<T>[]): T[] {
  return results.flatMap((r) => (r.ok ? [r.value] : []));
}

/**
 * One page of the accounts' pages merged newest first by `key` (compared
 * element by element, descending); `last` is the page's last line when more follow.
 */
export function newestFirst<T>(rows: T[], key: (r: T) => readonly (string | number)[], limit: number, sources: { has_more: boolean }[]) {
  const sorted = [...rows].sort((x, y) => {
    const [a, b] = [key(x), key(y)];
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? 1 : -1;
    return 0;
  });
  const data = sorted.slice(0, limit);
  const hasMore = sorted.length > limit || sources.some((p) => p.has_more);
  return { object: "list" as const, data, has_more: hasMore, last: hasMore ? data[data.length - 1] : undefined };
}
