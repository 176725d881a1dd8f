/**
 * Annotations: a transaction's descriptive fields (description, merchant,
 * category, tags, notes) change by event; its amount, kind, sides and journal
 * row never do. Category, merchant and description stay fixed on a reversal
 * and on a reversed entry, so a reversal always cancels in the row its original is in.
 */
import { DomainError } from "../errors";
import type { CommandOf } from "./commands";
import { budgetCrossings } from "./decide-budget";
import type { AccountEvent } from "./events";
import { assertOpen, type Account } from "./rules";
import type { DecideContext, Descriptive, Entry } from "./state";

export function descriptiveOf(e: Entry): Descriptive {
  return { description: e.description, merchant: e.merchant, category: e.category, tags: e.tags, notes: e.notes };
}

function same(a: Descriptive, b: Descriptive): boolean {
  return (
    a.description === b.description &&
    a.merchant === b.merchant &&
    a.category === b.category &&
    a.notes === b.notes &&
    a.tags.length === b.tags.length &&
    a.tags.every((t, i) => t === b.tags[i])
  );
}

export function decideAnnotate(c: CommandOf<"annotate_transaction">, a: Account, ctx: DecideContext): AccountEvent[] {
  assertOpen(a);
  const entry = ctx.reads.entry(c.entryId);
  if (!entry) throw new DomainError("not_found", "Transaction not found");
  const previous = descriptiveOf(entry);
  const current: Descriptive = { ...previous, ...c.changes, tags: c.changes.tags ? [...new Set(c.changes.tags)] : previous.tags };
  if (same(previous, current)) return [];
  // The description counts too: the pipeline's merchant rules may read it to pick a category.
  const moves =
    current.category !== previous.category || current.merchant !== previous.merchant || current.description !== previous.description;
  if (moves && (entry.kind === "reversal" || entry.reversedBy)) {
    throw new DomainError("invalid_state", "The category, merchant and description of a reversal or a reversed transaction cannot change", {
      reversed_by: entry.reversedBy,
    });
  }
  const annotated: AccountEvent = {
    type: "transaction_annotated",
    entryId: entry.entryId,
    kind: entry.kind,
    direction: entry.direction,
    amount: entry.amount,
    entryOccurredAt: entry.occurredAt,
    previous,
    current,
  };
  const recategorized = current.category !== previous.category;
  return [annotated, ...(recategorized ? budgetCrossings(entry, ctx, current.category) : [])];
}
