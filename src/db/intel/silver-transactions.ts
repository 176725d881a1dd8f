/**
 * The typed Silver transactions table (src/db/schema/intel.ts): rows derived
 * from Silver events in the same D1 batch as Silver and Gold, so the table,
 * Silver and Gold never disagree and a replay rebuilds it exactly. A posted
 * entry owns its money facts and raw texts; an annotation owns the effective
 * texts, category and tags (the latest seq wins), so the two commute in any
 * order. Tags: a posted entry's are its live rules' tags; an annotation's are
 * the annotation's own, then its live rules' (mergeTags).
 */
import type { Classification } from "../../domain/intel/taxonomy";
import { mergeTags } from "../../domain/intel/user-rules";
import type { CompiledRule } from "../../pipeline/enrich";
import { classifyLive, type LiveOutcome } from "../../pipeline/live-rules";
import { isAnnotation, isTransaction, type SilverEvent } from "../../pipeline/normalize";
import { joinJsonChunks, tupleColumns } from "../pipeline/json-rows";

/** Column order of the row tuple the statements read. */
const COLUMNS = [
  "account_id",
  "entry_id",
  "user_id",
  "event_id",
  "occurred_at",
  "event_date",
  "kind",
  "reverses_kind",
  "reverses_entry_id",
  "direction",
  "amount",
  "currency",
  "raw_merchant",
  "raw_description",
  "merchant",
  "description",
  "merchant_key",
  "merchant_name",
  "merchant_confidence",
  "category",
  "category_primary",
  "category_detailed",
  "category_source",
  "category_confidence",
  "tags",
  "annotation_seq",
] as const;

/** Effective columns an annotation sets (and a posted entry never overwrites). */
const EFFECTIVE = COLUMNS.slice(COLUMNS.indexOf("merchant"));
/** Columns a posted entry owns when its row already exists (an annotation arrived first). */
const POSTED = ["event_id", "occurred_at", "event_date", "kind", "reverses_kind", "reverses_entry_id", "raw_merchant", "raw_description"];

export interface TransactionRows {
  posted: string | null;
  annotation: string | null;
}

/**
 * The event's row tuple, serialized (CPU only: prepareEvents runs it ahead of the commit); `live` is what the
 * user's rules changed (src/pipeline/live-rules.ts): the effective merchant, the category and the tags.
 */
export function transactionRowJson(e: SilverEvent, rules: readonly CompiledRule[], live: LiveOutcome | null = null): TransactionRows {
  if (isTransaction(e)) {
    const p = e.payload;
    const c = classifyLive(p, rules, live);
    const row: unknown[] = [e.account_id, p.entry_id, e.user_id, e.event_id, e.occurred_at, e.event_date, p.kind, p.reverses_kind];
    row.push(p.reverses_entry_id, p.direction, p.amount, p.currency, p.merchant, p.description, live ? live.merchant : p.merchant);
    row.push(p.description);
    row.push(...classified(c), JSON.stringify(live?.tags ?? []), 0);
    return { posted: JSON.stringify(row), annotation: null };
  }
  if (isAnnotation(e)) {
    const p = e.payload;
    const c = classifyLive(p, rules, live);
    const row: unknown[] = [e.account_id, p.entry_id, e.user_id, null, p.entry_occurred_at, e.event_date, p.kind, null];
    row.push(null, p.direction, p.amount, p.currency, p.previous.merchant, p.previous.description, live ? live.merchant : p.merchant);
    row.push(p.description);
    row.push(...classified(c), JSON.stringify(mergeTags(p.tags, live?.tags ?? [])), e.seq);
    return { posted: null, annotation: JSON.stringify(row) };
  }
  return { posted: null, annotation: null };
}

function classified(c: Classification) {
  return [
    c.merchant_key,
    c.merchant_name,
    c.merchant_confidence,
    c.category,
    c.category_primary,
    c.category_detailed,
    c.category_source,
    c.category_confidence,
  ];
}

const INSERT = `INSERT INTO silver_transactions (${COLUMNS.join(", ")}) SELECT ${tupleColumns(COLUMNS.length)} FROM json_each(?1) WHERE true`;
const set = (cols: readonly string[]) => cols.map((c) => `${c} = excluded.${c}`).join(", ");

export function transactionStatements(db: D1Database, rows: readonly TransactionRows[]): D1PreparedStatement[] {
  const posted = rows.flatMap((r) => (r.posted ? [r.posted] : []));
  const annotations = rows.flatMap((r) => (r.annotation ? [r.annotation] : []));
  const postedStmt = db.prepare(`${INSERT} ON CONFLICT (account_id, entry_id) DO UPDATE SET ${set(POSTED)}`);
  const annotationStmt = db.prepare(
    `${INSERT} ON CONFLICT (account_id, entry_id) DO UPDATE SET ${set(EFFECTIVE)}
     WHERE excluded.annotation_seq > silver_transactions.annotation_seq`,
  );
  return [
    ...joinJsonChunks(posted).map((chunk) => postedStmt.bind(chunk)),
    ...joinJsonChunks(annotations).map((chunk) => annotationStmt.bind(chunk)),
  ];
}
