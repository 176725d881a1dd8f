/**
 * Silver enrichment: a merchant's display name and a spending category from an
 * ordered rule list that lives in data (D1 `merchant_rules`), never in code
 * branches. An event's own category always wins over any rule.
 */

export interface MerchantRule {
  id: string;
  priority: number;
  field: "merchant" | "description";
  /** Case-insensitive regular expression. */
  pattern: string;
  merchant: string | null;
  category: string | null;
}

export interface CompiledRule extends MerchantRule {
  regex: RegExp;
}

export interface Enrichment {
  merchant_normalized: string | null;
  category: string;
  category_source: "event" | "rule" | "default";
}

export const DEFAULT_CATEGORY = "uncategorized";

/** Sorted by priority then id; a rule whose pattern does not compile is skipped, not fatal. */
export function compileRules(rules: readonly MerchantRule[]): CompiledRule[] {
  const out: CompiledRule[] = [];
  for (const rule of [...rules].sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id))) {
    try {
      out.push({ ...rule, regex: new RegExp(rule.pattern, "i") });
    } catch {
      console.warn(JSON.stringify({ level: "warn", msg: "merchant rule skipped: invalid pattern", rule: rule.id }));
    }
  }
  return out;
}

/** Lower-case, trimmed, single-spaced: "Groceries " and "groceries" are one category. */
export function normalizeCategory(category: string | null | undefined): string | null {
  const c = category?.trim().replace(/\s+/g, " ").toLowerCase();
  return c ? c.slice(0, 100) : null;
}

const PROCESSOR_PREFIX = /^(sq|tst|sp|pp|paypal|py|ppl|gglpay|apl\s*pay)\s*\*\s*/i;

/**
 * Generic clean-up when no rule names the merchant: drop card-processor
 * prefixes ("SQ *"), reference suffixes after "*", store numbers and trailing
 * codes, then title-case. "STARBUCKS STORE #1234" → "Starbucks Store".
 */
export function cleanMerchant(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let s = raw.trim().replace(PROCESSOR_PREFIX, "");
  const star = s.indexOf("*");
  if (star > 0) s = s.slice(0, star);
  s = s
    .replace(/#\s*\d+/g, " ")
    .replace(/\b\d{3,}\b/g, " ")
    .replace(/[^\p{L}\p{N}&'.\- ]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!s) return raw.trim().slice(0, 200) || null;
  return s
    .toLowerCase()
    .split(" ")
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join(" ")
    .slice(0, 200);
}

/** The first matching rule that names a merchant, and the first that names a category, win. */
export function enrichTransaction(
  tx: { merchant: string | null; description: string | null; category: string | null },
  rules: readonly CompiledRule[],
): Enrichment {
  let merchant: string | null = null;
  let ruleCategory: string | null = null;
  for (const rule of rules) {
    if (merchant !== null && ruleCategory !== null) break;
    const text = rule.field === "merchant" ? tx.merchant : tx.description;
    if (!text || !rule.regex.test(text)) continue;
    if (merchant === null && rule.merchant) merchant = rule.merchant;
    if (ruleCategory === null && rule.category) ruleCategory = normalizeCategory(rule.category);
  }
  const own = normalizeCategory(tx.category);
  const category = own ?? ruleCategory ?? DEFAULT_CATEGORY;
  const category_source = own ? "event" : ruleCategory ? "rule" : "default";
  return { merchant_normalized: merchant ?? cleanMerchant(tx.merchant), category, category_source };
}
