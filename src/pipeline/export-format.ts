/**
 * Export datasets: their columns (one schema for NDJSON and Parquet), how a
 * D1 row becomes an export row, and the Hive-style file names
 * (`month=YYYY-MM/part-00000.parquet`) that DuckDB, Spark and pandas read as partitions.
 */

export const DATASETS = ["events", "transactions", "daily_balances"] as const;
export type Dataset = (typeof DATASETS)[number];
export const FORMATS = ["ndjson", "parquet"] as const;
export type ExportFormat = (typeof FORMATS)[number];

export type ColumnType = "STRING" | "INT64" | "INT32" | "TIMESTAMP" | "JSON";
export interface ColumnSpec {
  name: string;
  type: ColumnType;
}

const s = (name: string): ColumnSpec => ({ name, type: "STRING" });
const i64 = (name: string): ColumnSpec => ({ name, type: "INT64" });
const ts = (name: string): ColumnSpec => ({ name, type: "TIMESTAMP" });

export const DATASET_COLUMNS: Record<Dataset, ColumnSpec[]> = {
  events: [
    s("event_id"),
    s("type"),
    { name: "version", type: "INT32" },
    s("account_id"),
    s("user_id"),
    i64("seq"),
    ts("occurred_at"),
    ts("recorded_at"),
    s("event_date"),
    { name: "payload", type: "JSON" },
  ],
  transactions: [
    s("event_id"),
    s("entry_id"),
    s("account_id"),
    s("user_id"),
    i64("seq"),
    ts("occurred_at"),
    s("event_date"),
    s("kind"),
    s("direction"),
    i64("amount"),
    s("currency"),
    i64("balance_after"),
    s("description"),
    s("merchant"),
    s("merchant_normalized"),
    s("category"),
    s("category_source"),
    s("transfer_id"),
    s("counterparty"),
    s("reverses_entry_id"),
    s("reverses_kind"),
  ],
  daily_balances: [
    s("account_id"),
    s("user_id"),
    s("day"),
    s("currency"),
    i64("inflow"),
    i64("outflow"),
    i64("net"),
    i64("entries"),
    i64("closing_balance"),
  ],
};

export type ExportRow = Record<string, string | number | null | Record<string, unknown>>;

export interface SilverRow {
  event_id: string;
  type: string;
  version: number;
  account_id: string;
  user_id: string;
  seq: number;
  occurred_at: string;
  recorded_at: string;
  event_date: string;
  payload: string;
}

export function eventRow(r: SilverRow): ExportRow {
  return { ...r, payload: JSON.parse(r.payload) as Record<string, unknown> };
}

export function transactionRow(r: SilverRow): ExportRow {
  const p = JSON.parse(r.payload) as Record<string, string | number | null>;
  const row: ExportRow = {
    event_id: r.event_id,
    account_id: r.account_id,
    user_id: r.user_id,
    seq: r.seq,
    occurred_at: r.occurred_at,
    event_date: r.event_date,
  };
  for (const c of DATASET_COLUMNS.transactions) if (!(c.name in row)) row[c.name] = p[c.name] ?? null;
  return row;
}

export function partFileName(month: string, part: number, format: ExportFormat): string {
  return `month=${month}/part-${String(part).padStart(5, "0")}.${format === "parquet" ? "parquet" : "ndjson"}`;
}

export const isExportFileName = (name: string): boolean => /^month=\d{4}-\d{2}\/part-\d{5}\.(parquet|ndjson)$/.test(name);

export function toNdjson(rows: readonly ExportRow[]): string {
  return rows.map((r) => JSON.stringify(r)).join("\n") + (rows.length ? "\n" : "");
}

/** Column-oriented data for hyparquet-writer: INT64 as bigint, timestamps as Date, JSON as objects. */
export function toParquetColumns(dataset: Dataset, rows: readonly ExportRow[]) {
  return DATASET_COLUMNS[dataset].map((c) => ({
    name: c.name,
    type: c.type,
    data: rows.map((r) => {
      const v = r[c.name] ?? null;
      if (v === null) return null;
      if (c.type === "TIMESTAMP") return new Date(v as string);
      if (c.type === "INT64") return BigInt(v as number);
      return v;
    }),
  }));
}
