/**
 * Runs one reconciliation scope — some or all accounts of one user — against
 * the AccountDO journals: Gold and Silver are read first in one snapshot, then
 * each journal is streamed a page at a time through the live fold, keeping
 * only entries Silver held in that snapshot. An entry written or ingested
 * later cannot be in the snapshot's Gold, so every remaining difference is
 * real drift; entries still on their way are counted, not compared.
 */
import { readReconcileSnapshot, type AccountSnapshot } from "../db/pipeline/reconcile-snapshot";
import { GoldAccumulator, type GoldDeltas } from "../pipeline/aggregate";
import type { CompiledRule } from "../pipeline/enrich";
import { AnnotationCoverage, closingDays, SilverCoverage, type JournalEntry } from "../pipeline/reconcile";
import { diffDays, diffFlows, diffSpending, diffTotals, type AccountTotals, type Drift } from "../pipeline/reconcile-diff";
import { diffPortfolioDays, diffPositions, portfolioDays } from "../pipeline/reconcile-portfolio";
import { parseScaled, QTY_DECIMALS } from "../domain/market/decimal";
import { accountStub } from "./account-rpc";
import { mapConcurrent } from "./concurrency";

const JOURNAL_PAGE = 5_000;
const ACCOUNT_CONCURRENCY = 5;
export const MAX_DRIFT_ITEMS = 100;

export type ReconcileStatus = "ok" | "drift" | "lagging" | "missing";

export interface AccountReport {
  account_id: string;
  user_id: string | null;
  status: ReconcileStatus;
  journal: AccountTotals | null;
  gold: AccountTotals;
  silver_transactions: number;
  /** Journal entries Silver did not hold at the snapshot: left out of the comparison. */
  not_ingested: number;
  /** Annotated entries whose latest annotation Silver did not hold yet: counted as Gold holds them, and lag. */
  annotations_not_ingested: number;
  drift_count: number;
  drift: Drift[];
}

export interface SpendingReport {
  user_id: string;
  status: Exclude<ReconcileStatus, "missing">;
  accounts: number;
  not_ingested: number;
  drift_count: number;
  drift: Drift[];
}

export interface ReconcileScope {
  userId: string | null;
  accountIds: readonly string[];
  /** Every registered account of the user is in scope, so gold_spending (per user) can be checked. */
  spending: boolean;
}

interface StreamedJournal {
  user_id: string;
  /** The account's newest event seq when its journal was read. */
  event_seq: number;
  /** The object's own figures, as of the first page (closest to the snapshot). */
  totals: AccountTotals;
  coverage: SilverCoverage;
  annotations: AnnotationCoverage;
  /** A brokerage account's positions (QTY_SCALE), read before its journal. */
  positions: Map<string, number> | null;
}

/**
 * The account's own positions, read BEFORE its journal: a fill committed in
 * between raises the journal's event seq past Silver's, so the difference
 * counts as lag, never as drift.
 */
async function accountPositions(env: Env, accountId: string, userId: string): Promise<Map<string, number> | null> {
  const r = await accountStub(env, accountId).listPositions({ userId, requestId: "reconcile" });
  if (!r.ok) return null;
  return new Map(r.value.data.map((p) => [p.symbol, parseScaled(p.qty, QTY_DECIMALS) ?? Number.NaN]));
}

/** Streams one journal into `acc`, folding only the entries Silver holds. Null when the object has no account. */
async function streamJournal(
  env: Env,
  accountId: string,
  snap: AccountSnapshot,
  rules: readonly CompiledRule[],
  acc: GoldAccumulator,
  ownerId: string | null,
): Promise<StreamedJournal | null> {
  const stub = accountStub(env, accountId);
  const coverage = new SilverCoverage(snap.gaps, snap.silverTransactions);
  const annotations = new AnnotationCoverage(snap.firstMissingSeq, snap.annotations);
  let streamed: StreamedJournal | null = null;
  const positions = snap.brokerage && ownerId ? await accountPositions(env, accountId, ownerId) : null;
  let entries = 0;
  for (let afterSeq = 0; ; ) {
    const page = await stub.reconcileView({ afterSeq, limit: JOURNAL_PAGE });
    if (!page.account) return null;
    const owner = { account_id: accountId, user_id: page.account.user_id };
    streamed ??= {
      user_id: page.account.user_id,
      event_seq: page.account.event_seq,
      totals: { posted: page.account.posted, pending: page.account.pending, entries: 0 },
      coverage,
      annotations,
      positions,
    };
    for (const e of page.entries as JournalEntry[]) {
      entries += 1;
      if (!coverage.holds(e.entry_id)) continue;
      for (const event of annotations.events(e, owner, rules)) acc.add(event);
    }
    if (page.next_after_seq === null) break;
    afterSeq = page.next_after_seq;
  }
  streamed.totals.entries = entries;
  return streamed;
}

function goldTotals(snap: AccountSnapshot): AccountTotals {
  return {
    posted: snap.days[snap.days.length - 1]?.closing_balance ?? 0,
    pending: snap.pending,
    entries: snap.days.reduce((n, d) => n + d.entries, 0),
  };
}

function accountReport(accountId: string, snap: AccountSnapshot, journal: StreamedJournal | null, expected: GoldDeltas): AccountReport {
  const gold = goldTotals(snap);
  const base = { account_id: accountId, gold, silver_transactions: snap.silverTransactions };
  if (!journal)
    return {
      ...base,
      user_id: null,
      status: "missing",
      journal: null,
      not_ingested: 0,
      annotations_not_ingested: 0,
      drift_count: 0,
      drift: [],
    };

  const days = closingDays(expected.daily.filter((d) => d.account_id === accountId));
  const fromJournal: AccountTotals = {
    posted: days[days.length - 1]?.closing_balance ?? 0,
    pending: journal.totals.pending,
    entries: days.reduce((n, d) => n + d.entries, 0),
  };
  const { coverage } = journal;
  const drift = [
    ...diffTotals(accountId, gold, fromJournal),
    ...diffDays(accountId, snap.days, days),
    ...diffFlows(
      snap.flows,
      expected.flows.filter((f) => f.account_id === accountId),
    ),
  ];
  if (snap.brokerage) {
    drift.push(
      ...diffPortfolioDays(accountId, snap.portfolioDays, portfolioDays(expected.portfolio.filter((p) => p.account_id === accountId))),
    );
    if (journal.positions) drift.push(...diffPositions(accountId, snap.positions, journal.positions));
  }
  if (coverage.held !== snap.silverTransactions) {
    drift.push({
      table: "silver_events",
      key: { account_id: accountId },
      field: "transactions",
      gold: snap.silverTransactions,
      journal: coverage.held,
    });
  }
  // Holds have no journal entries: a pending difference while Silver lacks some of the account's
  // events (a hole, or events newer than Silver's newest) may be a transfer event still in the
  // queue, so it counts as lag; once Silver holds every event up to the account's head, it is drift.
  const behind = coverage.notHeld > 0 || snap.silverHoles || snap.silverLastSeq < journal.event_seq;
  const real = drift.filter((d) => !(behind && (d.table === "gold_transfers" || d.table === "gold_portfolio_positions")));
  const annotationsLag = journal.annotations.pending;
  const lagging = coverage.notHeld > 0 || annotationsLag > 0 || real.length < drift.length;
  return {
    ...base,
    user_id: journal.user_id,
    status: real.length > 0 ? "drift" : lagging ? "lagging" : "ok",
    journal: journal.totals,
    not_ingested: coverage.notHeld,
    annotations_not_ingested: annotationsLag,
    drift_count: real.length,
    drift: real.slice(0, MAX_DRIFT_ITEMS),
  };
}

export async function reconcileScope(
  env: Env,
  scope: ReconcileScope,
  rules: readonly CompiledRule[],
): Promise<{ accounts: AccountReport[]; spending: SpendingReport | null }> {
  const snapshot = await readReconcileSnapshot(env.DB, scope);
  const acc = new GoldAccumulator();
  const journals = await mapConcurrent(scope.accountIds, ACCOUNT_CONCURRENCY, (id) =>
    streamJournal(env, id, snapshot.accounts.get(id)!, rules, acc, scope.userId),
  );
  const expected = acc.deltas();
  const accounts = scope.accountIds.map((id, i) => accountReport(id, snapshot.accounts.get(id)!, journals[i]!, expected));

  let spending: SpendingReport | null = null;
  if (snapshot.spending && scope.userId) {
    const drift = diffSpending(snapshot.spending, expected.spending);
    const notIngested = accounts.reduce((n, a) => n + a.not_ingested, 0);
    const annotationsLag = accounts.some((a) => a.annotations_not_ingested > 0);
    spending = {
      user_id: scope.userId,
      status: drift.length > 0 ? "drift" : notIngested > 0 || annotationsLag ? "lagging" : "ok",
      accounts: scope.accountIds.length,
      not_ingested: notIngested,
      drift_count: drift.length,
      drift: drift.slice(0, MAX_DRIFT_ITEMS),
    };
  }
  return { accounts, spending };
}
