/**
 * Issue 3's exports read back with an independent reader: activity posted to
 * a real `wrangler dev` flows through the pipeline, every dataset is exported
 * as Parquet and NDJSON, each file is downloaded into its Hive-style layout
 * (`<dataset>-<format>/month=YYYY-MM/part-NNNNN.<ext>`) and DuckDB reads the
 * directories with `hive_partitioning = true`. Row counts must match the
 * manifest and every value (integer minor units, ids, dates) what the API says.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer } from "../../scripts/lib/local-server.mjs";
import { allTransactions, createApi, waitFor, type Api, type Transaction } from "./helpers/http";
import type { DayFigures } from "../../src/pipeline/reconcile";

const DATASETS = ["events", "transactions", "daily_balances"] as const;
const FORMATS = ["parquet", "ndjson"] as const;
type Dataset = (typeof DATASETS)[number];
type Format = (typeof FORMATS)[number];

interface ExportJob {
  id: string;
  status: string;
  result: {
    dataset: Dataset;
    format: Format;
    rows: number;
    partitioning: string[];
    files: { name: string; rows: number; partition: { month: string } }[];
  };
  files: { name: string; rows: number; bytes: number; url: string }[];
}
/** A day as GET /v1/analytics/daily-balances reports it (the same figures reconcile compares). */
type DailyRow = DayFigures;
type Row = Record<string, unknown>;

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** 09:00 UTC `n` days ago: back-dated activity spreads over at least two months (40 days back is always another month). */
const daysAgo = (n: number) => `${isoDay(Date.now() - n * DAY_MS)}T09:00:00.000Z`;

let server: Awaited<ReturnType<typeof startLocalServer>>;
let api: Api;
let dir: string;
let duck: DuckDBInstance;
let db: DuckDBConnection;

/** What the API says, and what was exported. */
const truth = {
  userId: "",
  accounts: [] as { id: string; name: string }[],
  journals: new Map<string, Transaction[]>(),
  daily: new Map<string, DailyRow[]>(),
  transferId: "",
  events: 0,
};
const jobs = new Map<string, ExportJob>();
const RANGE = { from: isoDay(Date.now() - 45 * DAY_MS), to: isoDay(Date.now() + DAY_MS) };

beforeAll(async () => {
  server = await startLocalServer({ prefix: "finedge-exports-" });
  api = createApi(server.baseUrl);
  dir = mkdtempSync(path.join(os.tmpdir(), "finedge-exports-files-"));
  // Extensions are never downloaded: Parquet and JSON are built into the binary.
  duck = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false" });
  db = await duck.connect();
  await db.run("SET TimeZone = 'UTC'");

  const s = await api.session("exports@duckdb.test", "exports-test-password-2026", "Exporter");
  const token = s.access_token as string;
  truth.userId = s.user.id;
  const main = await api.post("/v1/accounts", { type: "checking", name: "Main ☕" }, token);
  const savings = await api.post("/v1/accounts", { type: "savings", name: "Savings" }, token);
  truth.accounts = [main, savings].map((a) => ({ id: a.id, name: a.name }));
  let n = 0;
  const tx = (account: string, body: Row) => api.post(`/v1/accounts/${account}/transactions`, body, token, `exports-${n++}`);
  await tx(main.id, { kind: "deposit", amount: 250_000, description: "salary", occurred_at: daysAgo(40) });
  await tx(main.id, { kind: "purchase", amount: 12_345, merchant: "AMZN Mktp US*123", occurred_at: daysAgo(39) });
  await tx(savings.id, { kind: "deposit", amount: 100_000, occurred_at: daysAgo(35) });
  await tx(main.id, { kind: "purchase", amount: 450, merchant: "Starbucks Store #1", description: "latte ☕", occurred_at: daysAgo(20) });
  await tx(main.id, { kind: "refund", amount: 1_000, merchant: "AMZN Mktp US*9", occurred_at: daysAgo(10) });
  await tx(savings.id, { kind: "interest", amount: 123, occurred_at: daysAgo(5) });
  const transfer = await api.post(
    "/v1/transfers",
    { from_account_id: main.id, to_account_id: savings.id, amount: 30_000, mode: "immediate" },
    token,
    `exports-${n++}`,
  );
  expect(transfer.status).toBe("posted");
  truth.transferId = transfer.id;
  await tx(main.id, { kind: "withdrawal", amount: 20_000 });
  await tx(main.id, { kind: "fee", amount: 250 });

  let entries = 0;
  for (const a of truth.accounts) {
    const j = await allTransactions(api, a.id, token);
    truth.journals.set(a.id, j);
    entries += j.length;
  }
  // account_opened per account, transaction_posted per entry, transfer_pending + transfer_posted at the source.
  truth.events = truth.accounts.length + entries + 2;

  // Wait for the pipeline: Gold holds every entry, then Silver every event (the export counts Silver rows).
  for (const a of truth.accounts) {
    const journal = truth.journals.get(a.id)!;
    const rows = await waitFor(
      `Gold daily balances of ${a.id}`,
      async () => {
        const r = await api.get(`/v1/analytics/daily-balances?account_id=${a.id}&from=${RANGE.from}&to=${RANGE.to}`, token);
        const active = (r.data as DailyRow[]).filter((d) => d.entries > 0);
        const total = active.reduce((s, d) => s + d.entries, 0);
        return total === journal.length && active.at(-1)?.closing_balance === journal.at(-1)!.balance_after ? active : null;
      },
      30_000,
      200,
    );
    truth.daily.set(a.id, rows);
  }
  await waitFor(
    "Silver holds every event",
    async () => (await runExport(token, "events", "ndjson")).result.rows === truth.events,
    30_000,
    300,
  );

  for (const dataset of DATASETS) {
    for (const format of FORMATS) {
      const job = await runExport(token, dataset, format);
      jobs.set(`${dataset}-${format}`, job);
      for (const f of job.files) {
        const res = await fetch(server.baseUrl + f.url, { headers: { authorization: `Bearer ${token}` } });
        expect(res.status, f.url).toBe(200);
        const bytes = new Uint8Array(await res.arrayBuffer());
        expect(bytes.byteLength).toBe(f.bytes);
        const file = path.join(dir, `${dataset}-${format}`, f.name);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, bytes);
      }
    }
  }
});

afterAll(async () => {
  db?.closeSync();
  duck?.closeSync();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function runExport(token: string, dataset: Dataset, format: Format): Promise<ExportJob> {
  const created = await api.post("/v1/exports", { dataset, format, ...RANGE }, token);
  return waitFor(
    `export ${created.id}`,
    async () => {
      const job = (await api.get(`/v1/exports/${created.id}`, token)) as ExportJob & { error?: string };
      if (job.status === "failed") throw new Error(`export ${created.id} failed: ${job.error}`);
      return job.status === "succeeded" ? job : null;
    },
    30_000,
    100,
  );
}

/** DuckDB's own reader over a whole Hive-partitioned export directory. */
function source(dataset: Dataset, format: Format): string {
  const root = path.join(dir, `${dataset}-${format}`).replaceAll("'", "''");
  return format === "parquet"
    ? `read_parquet('${root}/**/*.parquet', hive_partitioning = true)`
    : `read_json('${root}/**/*.ndjson', format = 'newline_delimited', hive_partitioning = true)`;
}

async function query(sql: string): Promise<Row[]> {
  return (await (await db.runAndReadAll(sql)).getRowObjectsJS()) as Row[];
}

/** Column name → DuckDB type as DuckDB inferred it from the files. */
async function columnTypes(dataset: Dataset, format: Format): Promise<Record<string, string>> {
  const rows = await query(`DESCRIBE SELECT * FROM ${source(dataset, format)}`);
  return Object.fromEntries(rows.map((r) => [r.column_name as string, r.column_type as string]));
}

/** BIGINT (and HUGEINT) arrive as bigint: integers by type. Turn them into numbers for comparison, after checking that. */
function integers(row: Row, columns: string[]): Row {
  const out: Row = { ...row };
  for (const c of columns) {
    if (out[c] === null) continue;
    expect(typeof out[c], `${c} = ${String(out[c])}`).toBe("bigint");
    out[c] = Number(out[c]);
  }
  return out;
}

const byKey = (k: string) => (a: Row, b: Row) => String(a[k]).localeCompare(String(b[k]));

describe.each(FORMATS)("%s exports read by DuckDB", (format) => {
  it.each(DATASETS)("%s: row counts match the manifest, per file and per Hive partition", async (dataset) => {
    const job = jobs.get(`${dataset}-${format}`)!;
    expect(job.result).toMatchObject({ dataset, format, partitioning: ["month"] });
    expect(job.files.reduce((s, f) => s + f.rows, 0)).toBe(job.result.rows);
    const [{ n }] = (await query(`SELECT count(*) AS n FROM ${source(dataset, format)}`)) as [{ n: bigint }];
    expect(Number(n)).toBe(job.result.rows);

    // The partition column comes from the directory names and agrees with each row's own date.
    const dateColumn = dataset === "daily_balances" ? "day" : "event_date";
    const perMonth = await query(
      `SELECT month, count(*) AS n, count(*) FILTER (WHERE month <> substr(CAST(${dateColumn} AS VARCHAR), 1, 7)) AS misplaced
       FROM ${source(dataset, format)} GROUP BY month ORDER BY month`,
    );
    const expected = new Map<string, number>();
    for (const f of job.result.files) expected.set(f.partition.month, (expected.get(f.partition.month) ?? 0) + f.rows);
    expect(perMonth.map((r) => [r.month, Number(r.n), Number(r.misplaced)])).toEqual([...expected].sort().map(([m, rows]) => [m, rows, 0]));
    expect(perMonth.length).toBeGreaterThanOrEqual(2);
    // A filter on the partition column reads only that month's files.
    const [m0, rows0] = [...expected].sort()[0]!;
    const [{ n: filtered }] = (await query(`SELECT count(*) AS n FROM ${source(dataset, format)} WHERE month = '${m0}'`)) as [
      { n: bigint },
    ];
    expect(Number(filtered)).toBe(rows0);
  });

  it("transactions: every journal entry once, amounts as integers in minor units, ids and dates as the API reports", async () => {
    const types = await columnTypes("transactions", format);
    expect(types).toMatchObject({ amount: "BIGINT", balance_after: "BIGINT", month: "VARCHAR" });
    const rows = (
      await query(`
      SELECT entry_id, account_id, user_id, kind, direction, amount, balance_after, currency, description, merchant, transfer_id, counterparty,
             strftime(occurred_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS occurred_at, CAST(event_date AS VARCHAR) AS event_date, month
      FROM ${source("transactions", format)}`)
    ).map((r) => integers(r, ["amount", "balance_after"]));
    const expected = [...truth.journals].flatMap(([account, journal]) =>
      journal.map((e) => ({
        entry_id: e.id,
        account_id: account,
        user_id: truth.userId,
        kind: e.kind,
        direction: e.direction,
        amount: e.amount,
        balance_after: e.balance_after,
        currency: "USD",
        description: e.description,
        merchant: e.merchant,
        transfer_id: e.transfer_id,
        counterparty: e.counterparty,
        occurred_at: e.occurred_at,
        event_date: e.occurred_at.slice(0, 10),
        month: e.occurred_at.slice(0, 7),
      })),
    );
    expect(rows.sort(byKey("entry_id"))).toEqual(expected.sort(byKey("entry_id")));
    // Both legs of the transfer carry its id.
    expect(
      rows
        .filter((r) => r.transfer_id === truth.transferId)
        .map((r) => r.kind)
        .sort(),
    ).toEqual(["transfer_in", "transfer_out"]);
  });

  it("events: every event once, per-account seq gap-free, payloads as the API reports", async () => {
    expect(await columnTypes("events", format)).toMatchObject({ seq: "BIGINT", month: "VARCHAR" });
    const rows = (
      await query(`
      SELECT event_id, type, account_id, user_id, seq, strftime(occurred_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS occurred_at,
             CAST(event_date AS VARCHAR) AS event_date, month,
             json_extract_string(CAST(payload AS JSON), '$.entry_id') AS entry_id,
             json_extract_string(CAST(payload AS JSON), '$.transfer_id') AS transfer_id,
             json_extract_string(CAST(payload AS JSON), '$.name') AS name,
             CAST(json_extract(CAST(payload AS JSON), '$.amount') AS BIGINT) AS amount
      FROM ${source("events", format)}`)
    ).map((r) => integers(r, ["seq", "amount"]));
    expect(rows).toHaveLength(truth.events);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(rows.length);
    expect(rows.every((r) => r.user_id === truth.userId && r.month === String(r.event_date).slice(0, 7))).toBe(true);
    for (const a of truth.accounts) {
      const seqs = rows
        .filter((r) => r.account_id === a.id)
        .map((r) => r.seq as number)
        .sort((x, y) => x - y);
      expect(seqs, a.id).toEqual(seqs.map((_, i) => i + 1));
      expect(rows.filter((r) => r.account_id === a.id && r.type === "account_opened").map((r) => r.name)).toEqual([a.name]);
    }
    const posted = rows
      .filter((r) => r.type === "transaction_posted")
      .map((r) => ({ account_id: r.account_id, entry_id: r.entry_id, amount: r.amount, occurred_at: r.occurred_at }));
    const expected = [...truth.journals].flatMap(([account, journal]) =>
      journal.map((e) => ({ account_id: account, entry_id: e.id, amount: e.amount, occurred_at: e.occurred_at })),
    );
    expect(posted.sort(byKey("entry_id"))).toEqual(expected.sort(byKey("entry_id")));
    expect(
      rows
        .filter((r) => String(r.type).startsWith("transfer_"))
        .map((r) => [r.type, r.transfer_id, r.amount])
        .sort(),
    ).toEqual([
      ["transfer_pending", truth.transferId, 30_000],
      ["transfer_posted", truth.transferId, 30_000],
    ]);
  });

  it("daily_balances: each active account-day as GET /v1/analytics/daily-balances reports it", async () => {
    expect(await columnTypes("daily_balances", format)).toMatchObject({
      inflow: "BIGINT",
      outflow: "BIGINT",
      closing_balance: "BIGINT",
      month: "VARCHAR",
    });
    const rows = (
      await query(`
      SELECT account_id, user_id, CAST(day AS VARCHAR) AS day, currency, inflow, outflow, net, entries, closing_balance, month
      FROM ${source("daily_balances", format)}`)
    ).map((r) => integers(r, ["inflow", "outflow", "net", "entries", "closing_balance"]));
    const expected = [...truth.daily].flatMap(([account, days]) =>
      days.map((d) => ({
        account_id: account,
        user_id: truth.userId,
        currency: "USD",
        ...d,
        month: d.day.slice(0, 7),
      })),
    );
    const key = (r: Row) => `${r.account_id} ${r.day}`;
    expect(rows.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(expected.sort((a, b) => key(a).localeCompare(key(b))));
  });
});
