/**
 * The one table shape of the app: a caption, column headers (numbers right-
 * aligned), one row per item. Pages describe columns; the markup, scroll
 * wrapper and test ids are the same everywhere.
 */
import type { ComponentChildren } from "preact";
import { TableWrap } from "./table-wrap";

export interface Column<T> {
  header: string;
  cell: (row: T) => ComponentChildren;
  /** Right-aligned numbers. */
  num?: boolean;
  /** data-testid of the cell. */
  testId?: string;
  /** The cell names its row (<th scope="row">), for screen readers moving along a row. */
  rowHeader?: boolean;
}

interface Props<T> {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  rowTestId?: string;
  rowClass?: (row: T) => string | undefined;
  class?: string;
  /** Shown instead of the table when there are no rows. */
  empty?: ComponentChildren;
}

export function DataTable<T>({ caption, columns, rows, rowKey, rowTestId, rowClass, class: cls, empty }: Props<T>) {
  if (rows.length === 0 && empty !== undefined) return <p class="muted">{empty}</p>;
  return (
    <TableWrap label={caption}>
      <table class={cls}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" class={c.num ? "num" : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={rowKey(r)} data-testid={rowTestId} class={rowClass?.(r)}>
              {columns.map((c) =>
                c.rowHeader ? (
                  <th key={c.header} scope="row" class={c.num ? "num" : undefined} data-testid={c.testId}>
                    {c.cell(r)}
                  </th>
                ) : (
                  <td key={c.header} class={c.num ? "num" : undefined} data-testid={c.testId}>
                    {c.cell(r)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
