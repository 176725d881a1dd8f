/**
 * User rules (issue 12, after Actual's model): conditions on the merchant,
 * description, amount and account; actions that set the category, the
 * merchant or tags; stages pre → default → post, and within a stage the less
 * specific rules first, so a more specific rule's action wins. Learned
 * proposals: a category that wins at least 3 of a merchant's last 5 purchases,
 * at least one of them the user's own edit. Pure.
 */

export type RuleField = "merchant" | "description" | "amount" | "account";
export type RuleOp = "is" | "contains" | "one_of" | "gt" | "gte" | "lt" | "lte";
export type RuleStage = "pre" | "default" | "post";

export interface RuleCondition {
  field: RuleField;
  op: RuleOp;
  value: string | number | string[];
}

export interface RuleActions {
  category?: string;
  merchant?: string;
  tags?: string[];
}

export interface UserRule {
  id: string;
  stage: RuleStage;
  conditions: RuleCondition[];
  actions: RuleActions;
  enabled: boolean;
  created_at: string;
}

export interface RuleTarget {
  account_id: string;
  amount: number;
  merchant_key: string;
  merchant_name: string;
  merchant: string | null;
  description: string | null;
  category: string;
}

const STAGES: Record<RuleStage, number> = { pre: 0, default: 1, post: 2 };
const OP_WEIGHT: Record<RuleOp, number> = { is: 10, one_of: 5, contains: 2, gt: 1, gte: 1, lt: 1, lte: 1 };

export const specificity = (r: Pick<UserRule, "conditions">): number => r.conditions.reduce((s, c) => s + OP_WEIGHT[c.op], 0);

/** Application order: stage, then ascending specificity (the most specific applies last and wins), then age and id. */
export function rankRules<T extends UserRule>(rules: readonly T[]): T[] {
  return rules
    .filter((r) => r.enabled)
    .sort(
      (a, b) =>
        STAGES[a.stage] - STAGES[b.stage] ||
        specificity(a) - specificity(b) ||
        a.created_at.localeCompare(b.created_at) ||
        a.id.localeCompare(b.id),
    );
}

const lower = (s: string | null) => (s ?? "").toLowerCase();

export function conditionMatches(c: RuleCondition, t: RuleTarget): boolean {
  if (c.field === "amount") {
    const v = c.value as number;
    return c.op === "is"
      ? t.amount === v
      : c.op === "gt"
        ? t.amount > v
        : c.op === "gte"
          ? t.amount >= v
          : c.op === "lt"
            ? t.amount < v
            : t.amount <= v;
  }
  if (c.field === "account") return c.op === "one_of" ? (c.value as string[]).includes(t.account_id) : t.account_id === c.value;
  if (c.field === "merchant") {
    if (c.op === "is") return t.merchant_key === c.value;
    if (c.op === "one_of") return (c.value as string[]).includes(t.merchant_key);
    const needle = lower(c.value as string);
    return lower(t.merchant_name).includes(needle) || lower(t.merchant).includes(needle);
  }
  const text = lower(t.description);
  if (c.op === "is") return text === lower(c.value as string);
  if (c.op === "one_of") return (c.value as string[]).some((v) => text === lower(v));
  return text.includes(lower(c.value as string));
}

export const ruleMatches = (r: Pick<UserRule, "conditions">, t: RuleTarget): boolean => r.conditions.every((c) => conditionMatches(c, t));

export interface RuleOutcome {
  category: string;
  merchant: string | null;
  tags: string[];
  rule_ids: string[];
  /** The rule whose category (or merchant) action won, if any. */
  category_rule_id: string | null;
  merchant_rule_id: string | null;
}

export const applyUserRules = (t: RuleTarget, rules: readonly UserRule[]): RuleOutcome => applyRankedRules(t, rankRules(rules));

/** applyUserRules over rules already ranked (rankRules once per user, then per transaction). */
export function applyRankedRules(t: RuleTarget, ranked: readonly UserRule[]): RuleOutcome {
  const out: RuleOutcome = {
    category: t.category,
    merchant: t.merchant,
    tags: [],
    rule_ids: [],
    category_rule_id: null,
    merchant_rule_id: null,
  };
  for (const r of ranked) {
    if (!ruleMatches(r, t)) continue;
    if (r.actions.category !== undefined) {
      out.category = r.actions.category;
      out.category_rule_id = r.id;
    }
    if (r.actions.merchant !== undefined) {
      out.merchant = r.actions.merchant;
      out.merchant_rule_id = r.id;
    }
    for (const tag of r.actions.tags ?? []) if (!out.tags.includes(tag)) out.tags.push(tag);
    out.rule_ids.push(r.id);
  }
  return out;
}

/** At most this many tags on a transaction (the annotation event's limit). */
export const MAX_TAGS = 20;

/** The distinct tags of the lists in order (first seen wins), at most MAX_TAGS. */
export function mergeTags(...lists: readonly (readonly string[])[]): string[] {
  const out = new Set<string>();
  for (const list of lists) for (const tag of list) if (out.size < MAX_TAGS) out.add(tag);
  return [...out];
}

export const LEARN_WINDOW = 5;
export const LEARN_MIN_WINS = 3;

export interface LearnInput {
  merchant_key: string;
  merchant_name: string;
  occurred_at: string;
  kind: string;
  category: string;
  category_source: string;
}

export interface LearnedProposal {
  merchant_key: string;
  merchant_name: string;
  category: string;
  wins: number;
  of: number;
}

/** A proposal per merchant whose last 5 purchases give one category at least 3 times, one of them a user edit. */
export function learnedProposals(rows: readonly LearnInput[]): LearnedProposal[] {
  const byMerchant = new Map<string, LearnInput[]>();
  for (const r of rows) {
    if (r.kind !== "purchase" || r.merchant_key === "unknown") continue;
    byMerchant.set(r.merchant_key, [...(byMerchant.get(r.merchant_key) ?? []), r]);
  }
  const out: LearnedProposal[] = [];
  for (const [key, list] of byMerchant) {
    const last = [...list].sort((a, b) => b.occurred_at.localeCompare(a.occurred_at)).slice(0, LEARN_WINDOW);
    const counts = new Map<string, { n: number; user: boolean }>();
    for (const r of last) {
      const c = counts.get(r.category) ?? { n: 0, user: false };
      counts.set(r.category, { n: c.n + 1, user: c.user || r.category_source === "user" });
    }
    for (const [category, c] of counts)
      if (c.n >= LEARN_MIN_WINS && c.user)
        out.push({ merchant_key: key, merchant_name: last[0]!.merchant_name, category, wins: c.n, of: last.length });
  }
  return out.sort((a, b) => a.merchant_key.localeCompare(b.merchant_key));
}
