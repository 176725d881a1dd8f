/**
 * What reconciliation compares against, read in ONE D1 batch (one
 * transaction): the Gold rows of a set of accounts of one user, the user's
 * spending, and which events Silver holds for each account. A consumer batch
 * commits Silver and Gold together, so inside this snapshot Gold is exactly
 * the fold of the Silver events it sees — never ahead of or behind them.
 */
import type { SpendingDelta } from "../../pipeline/aggregate";
import type { Enrichment } from "../../pipeline/enrich";
import type { CoverageGap, DayFigures, HeldAnnotation } from "../../pipeline/reconcile";
import type { FlowFigures } from "../../pipeline/reconcile-diff";
import type { PortfolioDayFigures } from "../../pipeline/reconcile-portfolio";

export interface AccountSnapshot {
  days: DayFigures[];
  flows: FlowFigures[];
  pending: number;
  /** Silver's transaction events for the account, and the holes in its event seqs around them. */
  silverTransactions: number;
  gaps: CoverageGap[];
  /** Silver misses some event older than its newest one for the account (of any type). */
  silverHoles: boolean;
  /** The newest event seq Silver holds for the account (0: none). */
  silverLastSeq: number;
  /** The lowest event seq Silver does not hold (every lower one is in Silver). */
  firstMissingSeq: number;
  /** Silver's transaction_annotated events of the account, with their enriched values. */
  annotations: HeldAnnotation[];
  /** A brokerage account in the registry: its Gold portfolio is checked too. */
  brokerage: boolean;
  portfolioDays: PortfolioDayFigures[];
  /** Gold's latest quantity per symbol (QTY_SCALE). */
  positions: Map<string, number>;
}

export interface ReconcileSnapshot {
  accounts: Map<string, AccountSnapshot>;
  /** The user's gold_spending rows; null when not asked for (not every account of the user is in scope). */
  spending: SpendingDelta[] | null;
}

const IN_ACCOUNTS = "account_id IN (SELECT value FROM json_each(?1))";

/**
 * Holes in each account's Silver event seqs (seq is gap-free per account at
 * the producer), reported as the transaction entries around each hole, plus
 * one row after the last transaction: later entries are not in Silver yet.
 */
const COVERAGE_SQL = `
  WITH ev AS (
    SELECT account_id, seq, type, payload->>'$.entry_id' AS entry_id,
      CASE WHEN seq - LAG(seq, 1, 0) OVER (PARTITION BY account_id ORDER BY seq) > 1 THEN 1 ELSE 0 END AS gap
    FROM silver_events WHERE user_id = ?2 AND ${IN_ACCOUNTS}),
  counted AS (
    SELECT account_id, seq, type, entry_id, SUM(gap) OVER (PARTITION BY account_id ORDER BY seq ROWS UNBOUNDED PRECEDING) AS gaps FROM ev),
  tx AS (
    SELECT account_id, seq, entry_id, gaps,
      LAG(entry_id) OVER (PARTITION BY account_id ORDER BY seq) AS after_entry,
      LAG(gaps, 1, 0) OVER (PARTITION BY account_id ORDER BY seq) AS gaps_before,
      MAX(seq) OVER (PARTITION BY account_id) AS last_seq,
      COUNT(*) OVER (PARTITION BY account_id) AS n
    FROM counted WHERE type = 'transaction_posted')
  SELECT account_id, after_entry, entry_id AS before_entry, n FROM tx WHERE gaps > gaps_before
  UNION ALL
  SELECT account_id, entry_id AS after_entry, NULL AS before_entry, n FROM tx WHERE seq = last_seq`;

/** The first hole in each account's Silver seqs (absent: none below the newest). */
const FIRST_MISSING_SQL = `
  SELECT account_id, MIN(prev + 1) AS first_missing FROM (
    SELECT account_id, seq, LAG(seq, 1, 0) OVER (PARTITION BY account_id ORDER BY seq) AS prev
    FROM silver_events WHERE user_id = ?2 AND ${IN_ACCOUNTS})
  WHERE seq - prev > 1 GROUP BY account_id`;

const ANNOTATIONS_SQL = `
  SELECT account_id, seq, payload->>'$.entry_id' AS entry_id,
    payload->>'$.category' AS category, payload->>'$.merchant_normalized' AS merchant, payload->>'$.category_source' AS source,
    payload->>'$.previous.category' AS prev_category, payload->>'$.previous.merchant_normalized' AS prev_merchant,
    payload->>'$.previous.category_source' AS prev_source
  FROM silver_events WHERE type = 'transaction_annotated' AND user_id = ?2 AND ${IN_ACCOUNTS}`;

interface AnnotationRow {
  account_id: string;
  seq: number;
  entry_id: string;
  category: string;
  merchant: string | null;
  source: Enrichment["category_source"];
  prev_category: string;
  prev_merchant: string | null;
  prev_source: Enrichment["category_source"];
}

export async function readReconcileSnapshot(
  db: D1Database,
  scope: { userId: string | null; accountIds: readonly string[]; spending: boolean },
): Promise<ReconcileSnapshot> {
  const ids = JSON.stringify(scope.accountIds);
  const user = scope.userId ?? "";
  const statements = [
    db
      .prepare(
        `SELECT account_id, day, inflow, outflow, net, entries, closing_balance FROM gold_daily_balances WHERE ${IN_ACCOUNTS} ORDER BY account_id, day`,
      )
      .bind(ids),
    db.prepare(`SELECT account_id, month, kind, count, amount FROM gold_monthly_flows WHERE ${IN_ACCOUNTS}`).bind(ids),
    db
      .prepare(
        `SELECT p.account_id, SUM(p.amount) AS amount FROM gold_transfers p WHERE p.${IN_ACCOUNTS} AND p.stage = 'pending'
           AND NOT EXISTS (SELECT 1 FROM gold_transfers r WHERE r.transfer_id = p.transfer_id AND r.stage = 'resolved')
         GROUP BY p.account_id`,
      )
      .bind(ids),
    db.prepare(COVERAGE_SQL).bind(ids, user),
    db
      .prepare(
        `SELECT account_id, COUNT(*) AS events, MAX(seq) AS last_seq FROM silver_events WHERE user_id = ?2 AND ${IN_ACCOUNTS} GROUP BY account_id`,
      )
      .bind(ids, user),
    db.prepare(FIRST_MISSING_SQL).bind(ids, user),
    db.prepare(ANNOTATIONS_SQL).bind(ids, user),
    ...(scope.spending
      ? [
          db
            .prepare("SELECT user_id, month, dimension, key, currency, purchases, refunds, amount FROM gold_spending WHERE user_id = ?1")
            .bind(user),
        ]
      : []),
  ];
  const portfolio = [
    db.prepare(`SELECT id FROM accounts WHERE type = 'brokerage' AND id IN (SELECT value FROM json_each(?1))`).bind(ids),
    db
      .prepare(
        `SELECT account_id, day, cash_net, cash, contributions, withdrawals FROM gold_portfolio_daily WHERE ${IN_ACCOUNTS} ORDER BY account_id, day`,
      )
      .bind(ids),
    db
      .prepare(
        `SELECT account_id, symbol, qty FROM gold_portfolio_positions p WHERE ${IN_ACCOUNTS}
           AND day = (SELECT MAX(l.day) FROM gold_portfolio_positions l WHERE l.account_id = p.account_id AND l.symbol = p.symbol)`,
      )
      .bind(ids),
  ];
  const results = await db.batch([...portfolio, ...statements]);
  const [brokerage, portfolioDays, positions] = results.slice(0, portfolio.length);
  const [days, flows, pending, coverage, events, firstMissing, annotations, spending] = results.slice(portfolio.length);

  const accounts = new Map<string, AccountSnapshot>();
  for (const id of scope.accountIds)
    accounts.set(id, {
      days: [],
      flows: [],
      pending: 0,
      silverTransactions: 0,
      gaps: [],
      silverHoles: false,
      silverLastSeq: 0,
      firstMissingSeq: 1,
      annotations: [],
      brokerage: false,
      portfolioDays: [],
      positions: new Map(),
    });
  const of = (id: string) => accounts.get(id)!;
  for (const r of days!.results as unknown as (DayFigures & { account_id: string })[]) {
    const { account_id, ...day } = r;
    of(account_id).days.push(day);
  }
  for (const r of flows!.results as unknown as FlowFigures[]) of(r.account_id).flows.push(r);
  for (const r of pending!.results as unknown as { account_id: string; amount: number }[]) of(r.account_id).pending = r.amount;
  for (const r of coverage!.results as unknown as (CoverageGap & { account_id: string; n: number })[]) {
    const a = of(r.account_id);
    a.silverTransactions = r.n;
    a.gaps.push({ after_entry: r.after_entry, before_entry: r.before_entry });
  }
  for (const r of events!.results as unknown as { account_id: string; events: number; last_seq: number }[]) {
    of(r.account_id).silverHoles = r.events < r.last_seq;
    of(r.account_id).silverLastSeq = r.last_seq;
    of(r.account_id).firstMissingSeq = r.last_seq + 1;
  }
  for (const r of firstMissing!.results as unknown as { account_id: string; first_missing: number }[])
    of(r.account_id).firstMissingSeq = r.first_missing;
  for (const r of annotations!.results as unknown as AnnotationRow[]) {
    of(r.account_id).annotations.push({
      seq: r.seq,
      entry_id: r.entry_id,
      current: { category: r.category, merchant_normalized: r.merchant, category_source: r.source },
      previous: { category: r.prev_category, merchant_normalized: r.prev_merchant, category_source: r.prev_source },
    });
  }
  for (const r of brokerage!.results as { id: string }[]) of(r.id).brokerage = true;
  for (const r of portfolioDays!.results as unknown as (PortfolioDayFigures & { account_id: string })[]) {
    const { account_id, ...day } = r;
    of(account_id).portfolioDays.push(day);
  }
  for (const r of positions!.results as { account_id: string; symbol: string; qty: number }[])
    of(r.account_id).positions.set(r.symbol, r.qty);
  return { accounts, spending: spending ? (spending.results as unknown as SpendingDelta[]) : null };
}
