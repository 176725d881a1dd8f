/**
 * Reconciliation, the recomputing half: an account's journal entries become
 * the same Silver-shaped events the live consumer folds (catalog validation,
 * UTC days and months, enrichment) and go through the same GoldAccumulator,
 * so the expected Gold follows the live rules by construction. Only entries
 * Silver already holds count (SilverCoverage), which makes an account whose
 * events are still in the queue comparable cell by cell instead of "lagging".
 * An annotated entry counts with its latest annotation's effective values
 * once Silver holds every event up to that annotation (AnnotationCoverage).
 * Pure: the caller streams journal pages in and reads the accumulators out.
 */
import { transactionPostedPayload, type JournalEntryFields } from "../events/journal-entry";
import type { EntryKind } from "../events/catalog";
import type { DailyBalanceDelta } from "./aggregate";
import type { CompiledRule, Enrichment } from "./enrich";
import { normalizeEvent, type AnnotationEvent, type SilverEvent, type TransactionEvent } from "./normalize";

/** A journal entry as `AccountDO.reconcileView` pages it (no hashes, counterparties or metadata). */
export interface JournalEntry {
  seq: number;
  entry_id: string;
  kind: string;
  direction: string;
  amount: number;
  currency: string;
  balance_after: number;
  description: string | null;
  merchant: string | null;
  category: string | null;
  transfer_id: string | null;
  reverses_entry_id: string | null;
  reverses_kind: string | null;
  occurred_at: string;
  recorded_at: string;
  /** The latest annotation's effective values and its event seq; the entry's own fields stay the original ones. */
  annotation?: JournalAnnotation | null;
}

export interface JournalAnnotation {
  event_seq: number;
  description: string | null;
  merchant: string | null;
  category: string | null;
}

export interface DayFigures {
  day: string;
  inflow: number;
  outflow: number;
  net: number;
  entries: number;
  closing_balance: number;
}

/**
 * The transaction_posted event the account emitted with this entry, normalized
 * as Silver normalizes it; null when Silver would refuse it (it cannot be in Gold).
 * The view leaves counterparties out, and no Gold rule reads them.
 */
export function journalEvent(
  entry: JournalEntry,
  owner: { account_id: string; user_id: string },
  rules: readonly CompiledRule[],
  values: Pick<JournalEntry, "description" | "merchant" | "category"> = entry,
): TransactionEvent | null {
  const { seq, occurred_at, recorded_at } = entry;
  const fields = { ...entry, ...pickDescriptive(values), counterparty: "" } as JournalEntryFields;
  const r = normalizeEvent(
    {
      event_id: entry.entry_id,
      type: "transaction_posted",
      version: 1,
      occurred_at,
      recorded_at,
      account_id: owner.account_id,
      user_id: owner.user_id,
      seq,
      payload: transactionPostedPayload(fields),
    },
    rules,
  );
  return r.ok ? (r.event as TransactionEvent) : null;
}

const pickDescriptive = (v: Pick<JournalEntry, "description" | "merchant" | "category">) => ({
  description: v.description,
  merchant: v.merchant,
  category: v.category,
});

/** An annotation event Silver holds, by its enriched previous and new values. */
export interface HeldAnnotation {
  seq: number;
  entry_id: string;
  previous: Enrichment;
  current: Enrichment;
}

/**
 * Which annotations Silver holds. An entry counts with its latest annotation's
 * values when Silver holds every event of the account up to that annotation's
 * seq (so every earlier annotation of the entry too): Gold then holds the
 * posted values plus moves that telescope to the latest. Otherwise the entry
 * is lag: it counts as Gold holds it, its posted values plus the moves of the
 * annotations Silver holds, and `pending` says so.
 */
export class AnnotationCoverage {
  private readonly byEntry = new Map<string, HeldAnnotation[]>();
  pending = 0;

  /** `firstMissingSeq`: the account's lowest event seq Silver does not hold. */
  constructor(
    private readonly firstMissingSeq: number,
    held: readonly HeldAnnotation[],
  ) {
    for (const a of held) {
      const list = this.byEntry.get(a.entry_id) ?? [];
      list.push(a);
      this.byEntry.set(a.entry_id, list);
    }
  }

  /** The Silver-shaped events the entry stands for in Gold, for an entry Silver holds. */
  events(entry: JournalEntry, owner: { account_id: string; user_id: string }, rules: readonly CompiledRule[]): SilverEvent[] {
    const latest = entry.annotation ?? null;
    if (latest && latest.event_seq < this.firstMissingSeq) {
      const e = journalEvent(entry, owner, rules, latest);
      return e ? [e] : [];
    }
    const posted = journalEvent(entry, owner, rules);
    if (!posted) return [];
    const held = this.byEntry.get(entry.entry_id) ?? [];
    if (latest) this.pending += 1;
    return [posted, ...held.map((a) => heldAnnotationEvent(posted, a))];
  }
}

/** A held annotation as the Silver event Gold folded, rebuilt from the entry's money facts and Silver's enrichment. */
function heldAnnotationEvent(posted: TransactionEvent, a: HeldAnnotation): AnnotationEvent {
  const p = posted.payload;
  const values = { description: null, merchant: null, category: null };
  return {
    ...posted,
    event_id: `${posted.event_id}@${a.seq}`,
    seq: a.seq,
    type: "transaction_annotated",
    payload: {
      entry_id: p.entry_id,
      kind: p.kind as EntryKind,
      direction: p.direction,
      amount: p.amount,
      currency: p.currency,
      entry_occurred_at: posted.occurred_at,
      previous: values,
      ...values,
      tags: [],
      notes: null,
    },
    enrichment: a.current,
    previous_enrichment: a.previous,
  };
}

/**
 * Silver's holes in one account's event sequence, as pairs of the transaction
 * entries around each hole: `after` null is a hole before the first one,
 * `before` null a hole after the last one (everything later is not in Silver).
 */
export interface CoverageGap {
  after_entry: string | null;
  before_entry: string | null;
}

/**
 * Which journal entries Silver holds, decided while walking the journal in seq
 * order. An entry's event takes the account's next event seq in the same
 * transaction as the entry, so Silver's transaction events are in journal
 * order; the entries between two of them are missing exactly when Silver's
 * event seqs have a hole between them. Memory: the holes only.
 */
export class SilverCoverage {
  private readonly starts = new Set<string>();
  private readonly ends = new Set<string>();
  private missing: boolean;
  held = 0;
  notHeld = 0;

  constructor(
    gaps: readonly CoverageGap[],
    readonly silverTransactions: number,
  ) {
    let leading = silverTransactions === 0;
    for (const g of gaps) {
      if (g.after_entry === null) leading = true;
      else this.starts.add(g.after_entry);
      if (g.before_entry !== null) this.ends.add(g.before_entry);
    }
    this.missing = leading;
  }

  /** Does Silver hold this entry? Call once per entry, in journal order. */
  holds(entryId: string): boolean {
    if (this.missing && !this.ends.has(entryId)) {
      this.notHeld += 1;
      return false;
    }
    this.missing = this.starts.has(entryId);
    this.held += 1;
    return true;
  }
}

/** One account's daily deltas as day figures, closing = running sum of net (Gold's rule). */
export function closingDays(daily: readonly DailyBalanceDelta[]): DayFigures[] {
  const sorted = [...daily].sort((a, b) => a.day.localeCompare(b.day));
  let running = 0;
  return sorted.map((d) => {
    running += d.net;
    return { day: d.day, inflow: d.inflow, outflow: d.outflow, net: d.net, entries: d.entries, closing_balance: running };
  });
}
