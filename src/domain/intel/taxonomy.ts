/**
 * The two-level category taxonomy (primary / detailed, after Plaid's personal
 * finance categories) and the classification of one posted entry: its
 * merchant entity (normalizeMerchant) and its category with where it came
 * from (`rule` — a merchant rule or the entry's kind; `learned`; `user` — the
 * producer or an annotation set it) and a confidence. Pure and deterministic,
 * so a replay from Bronze classifies every entry exactly as the live consumer did.
 */
import { type CompiledRule, DEFAULT_CATEGORY, enrichTransaction, normalizeCategory } from "../../pipeline/enrich";
import { normalizeMerchant, rawMerchantText } from "./merchant-normalizer";

export type CategorySource = "rule" | "learned" | "user";

export interface Category {
  primary: string;
  detailed: string;
}

const pfc = (primary: string, detail: string): Category => ({ primary, detailed: `${primary}_${detail}` });

/** FinEdge's flat categories (the merchant_rules seed and the budgets' keys) → PFC. */
export const TAXONOMY: Readonly<Record<string, Category>> = {
  groceries: pfc("FOOD_AND_DRINK", "GROCERIES"),
  dining: pfc("FOOD_AND_DRINK", "RESTAURANT"),
  coffee: pfc("FOOD_AND_DRINK", "COFFEE"),
  shopping: pfc("GENERAL_MERCHANDISE", "OTHER_GENERAL_MERCHANDISE"),
  transport: pfc("TRANSPORTATION", "TAXIS_AND_RIDE_SHARES"),
  fuel: pfc("TRANSPORTATION", "GAS"),
  entertainment: pfc("ENTERTAINMENT", "TV_AND_MOVIES"),
  utilities: pfc("RENT_AND_UTILITIES", "OTHER_UTILITIES"),
  housing: pfc("RENT_AND_UTILITIES", "RENT"),
  rent: pfc("RENT_AND_UTILITIES", "RENT"),
  travel: pfc("TRAVEL", "OTHER_TRAVEL"),
  health: pfc("MEDICAL", "PHARMACIES_AND_SUPPLEMENTS"),
  insurance: pfc("GENERAL_SERVICES", "INSURANCE"),
  education: pfc("GENERAL_SERVICES", "EDUCATION"),
  subscriptions: pfc("GENERAL_SERVICES", "OTHER_GENERAL_SERVICES"),
};

/** An uncategorized entry's category by its kind (a reversal takes the kind it cancels). */
const BY_KIND: Readonly<Record<string, Category>> = {
  deposit: pfc("INCOME", "OTHER_INCOME"),
  interest: pfc("INCOME", "INTEREST_EARNED"),
  withdrawal: pfc("TRANSFER_OUT", "WITHDRAWAL"),
  fee: pfc("BANK_FEES", "OTHER_BANK_FEES"),
  transfer_in: pfc("TRANSFER_IN", "ACCOUNT_TRANSFER"),
  transfer_out: pfc("TRANSFER_OUT", "ACCOUNT_TRANSFER"),
  trade_buy: pfc("TRANSFER_OUT", "INVESTMENT_AND_RETIREMENT_FUNDS"),
  trade_sell: pfc("TRANSFER_IN", "INVESTMENT_AND_RETIREMENT_FUNDS"),
};

const OTHER: Category = pfc("GENERAL_MERCHANDISE", "OTHER_GENERAL_MERCHANDISE");

export const CATEGORY_CONFIDENCE = {
  /** The producer or the user named the category. */
  user: 1,
  /** One of the user's own rules (/v1/rules) set it, live in the pipeline. */
  user_rule: 0.95,
  /** A merchant rule that also names the merchant set it. */
  merchant_rule: 0.9,
  /** A generic pattern rule (e.g. "cafe") set it. */
  pattern_rule: 0.6,
  /** Nothing named it; the entry's kind decided. */
  kind: 0.5,
  /** Nothing named it and the kind says nothing: a purchase of unknown category. */
  unknown: 0.1,
} as const;

/** The PFC pair of a flat category; a free-text category the taxonomy lacks files under general merchandise. */
export function categoryOf(flat: string, kind: string): Category {
  if (flat === DEFAULT_CATEGORY) return BY_KIND[kind] ?? OTHER;
  return TAXONOMY[flat] ?? OTHER;
}

export interface Classification {
  merchant_key: string;
  merchant_name: string;
  merchant_confidence: number;
  /** The flat category Gold and budgets use. */
  category: string;
  category_primary: string;
  category_detailed: string;
  category_source: CategorySource;
  category_confidence: number;
}

export interface Classifiable {
  kind: string;
  reverses_kind?: string | null;
  merchant: string | null;
  description: string | null;
  category: string | null;
}

export function classifyTransaction(tx: Classifiable, rules: readonly CompiledRule[]): Classification {
  const m = normalizeMerchant(rawMerchantText(tx), rules);
  const e = enrichTransaction(tx, rules);
  const kind = tx.kind === "reversal" ? (tx.reverses_kind ?? "reversal") : tx.kind;
  const c = categoryOf(e.category, kind);
  const source: CategorySource = e.category_source === "event" ? "user" : "rule";
  const confidence =
    e.category_source === "event"
      ? CATEGORY_CONFIDENCE.user
      : e.category_source === "rule"
        ? ruleConfidence(tx, rules, e.category)
        : BY_KIND[kind]
          ? CATEGORY_CONFIDENCE.kind
          : CATEGORY_CONFIDENCE.unknown;
  return {
    merchant_key: m.key,
    merchant_name: m.display_name,
    merchant_confidence: m.confidence,
    category: e.category,
    category_primary: c.primary,
    category_detailed: c.detailed,
    category_source: source,
    category_confidence: confidence,
  };
}

/** A category from a rule that names a merchant is surer than one from a generic pattern. */
function ruleConfidence(tx: Classifiable, rules: readonly CompiledRule[], category: string): number {
  const rule = rules.find((r) => {
    const text = r.field === "merchant" ? tx.merchant : tx.description;
    return !!text && normalizeCategory(r.category) === category && r.regex.test(text);
  });
  return rule?.merchant ? CATEGORY_CONFIDENCE.merchant_rule : CATEGORY_CONFIDENCE.pattern_rule;
}
