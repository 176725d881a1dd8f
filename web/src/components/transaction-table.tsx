/** A table of journal entries: date, description, category, amount (signed by direction), with a link to each entry. */
import type { Transaction } from "../api/types";
import { formatDate } from "../lib/dates";
import { type Column, DataTable } from "./data-table";
import { Link } from "./link";
import { Money } from "./money";

type Row = Transaction & { account_id?: string };

export function describe(t: Transaction): string {
  return t.description ?? t.merchant ?? t.kind.replace("_", " ");
}

export function TransactionTable({ rows, accountId, caption }: { rows: Row[]; accountId?: string; caption: string }) {
  const columns: Column<Row>[] = [
    { header: "Date", cell: (t) => formatDate(t.occurred_at) },
    {
      header: "Description",
      cell: (t) => (
        <>
          <Link href={`/accounts/${t.account_id ?? accountId ?? ""}/transactions/${t.id}`}>{describe(t)}</Link>
          {t.reversed_by && <span class="tag">reversed</span>}
          {t.reverses && <span class="tag">reversal</span>}
        </>
      ),
    },
    { header: "Kind", cell: (t) => t.kind.replace("_", " ") },
    { header: "Category", cell: (t) => t.category ?? <span class="muted">–</span>, testId: "transaction-category" },
    { header: "Amount", num: true, cell: (t) => <Money amount={t.direction === "debit" ? -t.amount : t.amount} currency={t.currency} /> },
  ];
  return (
    <DataTable
      class="transactions"
      caption={caption}
      columns={columns}
      rows={rows}
      rowKey={(t) => t.id}
      rowTestId="transaction-row"
      rowClass={(t) => (t.reversed_by ? "reversed" : undefined)}
    />
  );
}
