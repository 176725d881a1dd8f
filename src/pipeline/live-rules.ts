/**
 * User rules (/v1/rules) applied live as entries enter Silver: the same
 * engine as the preview and the apply job (stage, then specificity), run on
 * each posted entry and annotation of a user with enabled rules. A rule's
 * category applies only when neither the producer nor the user named one
 * (an annotation's category wins), and its merchant only when the
 * annotation did not change the merchant; its tags are added to the
 * annotation's (stored in `silver_transactions.tags` only: the event's
 * enrichment and Gold have no tags). The rules change the event's
 * enrichment, so Silver, Gold and `silver_transactions` agree; category
 * source `rule` (a user rule) or `learned` (an accepted learned rule, with
 * its confidence). Pure; the caller loads each user's rules once per batch.
 */
import { LEARN_MIN_WINS, LEARN_WINDOW, applyRankedRules, type UserRule } from "../domain/intel/user-rules";
import { CATEGORY_CONFIDENCE, type Classifiable, type Classification, categoryOf, classifyTransaction } from "../domain/intel/taxonomy";
import { type CompiledRule, type Enrichment, enrichTransaction } from "./enrich";
import { isAnnotation, isTransaction, type SilverEvent } from "./normalize";

export interface LiveRule extends UserRule {
  source: "user" | "learned";
  /** A learned rule's confidence (wins of the last 5 when accepted); null for the user's own rules. */
  confidence: number | null;
}

/** Each user's enabled rules, already ranked (rankRules). */
export type LiveRulesByUser = ReadonlyMap<string, readonly LiveRule[]>;

export interface LiveOutcome {
  /** The effective merchant text (a rule's merchant action, else the entry's). */
  merchant: string | null;
  /** The category a rule set, or null when none did or the producer/user named one. */
  category: { key: string; source: "rule" | "learned"; confidence: number } | null;
  /** The tags the matching rules add, in rank order (empty when none). */
  tags: string[];
}

type Target = Classifiable & { account_id: string; amount: number };

/** What the ranked rules do to one entry, or null when none matched. */
export function liveOutcome(
  tx: Target,
  ranked: readonly LiveRule[],
  rules: readonly CompiledRule[],
  merchantLocked = false,
): LiveOutcome | null {
  if (ranked.length === 0) return null;
  const c = classifyTransaction(tx, rules);
  const o = applyRankedRules(
    {
      account_id: tx.account_id,
      amount: tx.amount,
      merchant_key: c.merchant_key,
      merchant_name: c.merchant_name,
      merchant: tx.merchant,
      description: tx.description,
      category: c.category,
    },
    ranked,
  );
  if (o.rule_ids.length === 0) return null;
  const merchant = o.merchant_rule_id && !merchantLocked ? o.merchant : tx.merchant;
  const winner = o.category_rule_id && c.category_source !== "user" ? ranked.find((r) => r.id === o.category_rule_id) : undefined;
  const category = winner
    ? {
        key: o.category,
        source: winner.source === "learned" ? ("learned" as const) : ("rule" as const),
        confidence: winner.source === "learned" ? (winner.confidence ?? LEARN_MIN_WINS / LEARN_WINDOW) : CATEGORY_CONFIDENCE.user_rule,
      }
    : null;
  return merchant === tx.merchant && !category && o.tags.length === 0 ? null : { merchant, category, tags: o.tags };
}

/** The classification of the typed row, with the outcome's merchant and category. */
export function classifyLive(tx: Classifiable, rules: readonly CompiledRule[], live: LiveOutcome | null): Classification {
  if (!live) return classifyTransaction(tx, rules);
  const c = classifyTransaction({ ...tx, merchant: live.merchant }, rules);
  if (!live.category) return c;
  const kind = tx.kind === "reversal" ? (tx.reverses_kind ?? "reversal") : tx.kind;
  const pfc = categoryOf(live.category.key, kind);
  return {
    ...c,
    category: live.category.key,
    category_primary: pfc.primary,
    category_detailed: pfc.detailed,
    category_source: live.category.source,
    category_confidence: live.category.confidence,
  };
}

function enriched(tx: Classifiable, rules: readonly CompiledRule[], live: LiveOutcome): Enrichment {
  const e = enrichTransaction({ ...tx, merchant: live.merchant }, rules);
  return live.category ? { ...e, category: live.category.key, category_source: "rule" } : e;
}

/**
 * Applies the user's rules to a normalized event's enrichment (Gold follows) and returns the outcome for its
 * typed row (an annotation's current values), or null when no rule changed anything.
 */
export function applyLiveRules(e: SilverEvent, byUser: LiveRulesByUser, rules: readonly CompiledRule[]): LiveOutcome | null {
  const ranked = byUser.get(e.user_id);
  if (!ranked || ranked.length === 0) return null;
  if (isTransaction(e)) {
    const current = liveOutcome({ ...e.payload, account_id: e.account_id }, ranked, rules);
    if (current) e.enrichment = enriched(e.payload, rules, current);
    return current;
  }
  if (isAnnotation(e)) {
    const p = e.payload;
    const base = { account_id: e.account_id, amount: p.amount, kind: p.kind, reverses_kind: null };
    const current = liveOutcome({ ...p, ...base }, ranked, rules, p.merchant !== p.previous.merchant);
    const prevTx = { ...p.previous, ...base };
    const previous = liveOutcome(prevTx, ranked, rules);
    if (current) e.enrichment = enriched(p, rules, current);
    if (previous) e.previous_enrichment = enriched(prevTx, rules, previous);
    return current;
  }
  return null;
}
