/** A table of journal entries: date, description, category, amount (signed by direction), with a link to each entry. */
import type { Transaction } from "../api/types";
import { formatDate } from "../lib/dates";
import { Link } from "./link";
import { Money } from "./money";
import { TableWrap } from "./table-wrap";

type Row = Transaction & { account_id?: string };

export function describe(t: Transaction): string {
  return t.description ?? t.merchant ?? t.kind.replace("_", " ");
}

export function TransactionTable({ rows, accountId, caption }: { rows: Row[]; accountId?: string; caption: string }) {
  return (
    <TableWrap label={caption}>
      <table class="transactions">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Description</th>
            <th scope="col">Category</th>
            <th scope="col" class="num">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => {
            const account = t.account_id ?? accountId ?? "";
            return (
              <tr key={t.id} data-testid="transaction-row" class={t.reversed_by ? "reversed" : undefined}>
                <td>{formatDate(t.occurred_at)}</td>
                <td>
                  <Link href={`/accounts/${account}/transactions/${t.id}`}>{describe(t)}</Link>
                  {t.reversed_by && <span class="tag">reversed</span>}
                </td>
                <td data-testid="transaction-category">{t.category ?? <span class="muted">–</span>}</td>
                <td class="num">
                  <Money amount={t.direction === "debit" ? -t.amount : t.amount} currency={t.currency} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}
