/**
 * A deterministic merchant normalizer: the raw text stays as it arrived; this
 * derives a merchant key (the entity streams and history group by), a display
 * name and a confidence. It builds on Silver's own clean-up (`cleanMerchant`)
 * and Silver's merchant rules (the D1 `merchant_rules` alias table), adding the
 * processor prefixes and ids that the clean-up alone leaves in.
 */
import { type CompiledRule, cleanMerchant } from "../../pipeline/enrich";

export interface NormalizedMerchant {
  /** Lower-case, hyphenated: "blue-bottle-coffee". The merchant entity's id within a user. */
  key: string;
  display_name: string;
  /** 0–1: how sure the normalizer is that the key names one merchant. */
  confidence: number;
  /** What was stripped, in order, for the explanation: "processor:square", "store_number", "reference_id". */
  stripped: string[];
  /** The alias rule that named the merchant, if any. */
  rule_id: string | null;
}

/** Card processors and marketplaces whose prefix wraps the real merchant. */
const PROCESSORS: readonly { id: string; pattern: RegExp; merchant?: string }[] = [
  { id: "square", pattern: /^sq\s*\*\s*/i },
  { id: "toast", pattern: /^tst\s*\*\s*/i },
  { id: "paypal", pattern: /^(paypal|pp|ppl)\s*\*\s*/i },
  { id: "shopify", pattern: /^sp\s*\*\s*/i },
  { id: "google_pay", pattern: /^gglpay\s*\*?\s*/i },
  { id: "apple_pay", pattern: /^apl\s*pay\s*\*?\s*/i },
  { id: "amazon_marketplace", pattern: /^amzn\s*mktp\b.*$/i, merchant: "Amazon" },
];

const STORE_NUMBER = /(#\s*\d+|\b(store|str|no\.?)\s*\d+)\b/gi;
/** A token with at least one digit and at least 6 characters: an order or terminal id. */
const REFERENCE_ID = /\b(?=[a-z0-9]*\d)[a-z0-9]{6,}\b/gi;

export const CONFIDENCE = {
  /** An alias rule named the merchant. */
  alias: 0.95,
  /** Nothing had to be stripped. */
  clean: 0.9,
  /** A processor prefix, store number or id was stripped. */
  stripped: 0.8,
  /** Nothing usable was left: the key is the raw text. */
  fallback: 0.3,
} as const;

export function merchantKeyOf(display: string): string {
  return (
    display
      .toLowerCase()
      .normalize("NFKD")
      .replace(/\p{M}+/gu, "")
      .replace(/[^\p{L}\p{N}]+/gu, "-")
      .replace(/^-+|-+$/g, "") || "unknown"
  );
}

/** The raw merchant text of a row, else its description. */
export function rawMerchantText(tx: { merchant: string | null; description: string | null }): string {
  return (tx.merchant ?? tx.description ?? "").trim();
}

export function normalizeMerchant(raw: string | null | undefined, rules: readonly CompiledRule[] = []): NormalizedMerchant {
  const text = (raw ?? "").trim();
  if (!text) return { key: "unknown", display_name: "Unknown", confidence: 0, stripped: [], rule_id: null };
  for (const rule of rules) {
    if (rule.field === "merchant" && rule.merchant && rule.regex.test(text)) {
      return {
        key: merchantKeyOf(rule.merchant),
        display_name: rule.merchant,
        confidence: CONFIDENCE.alias,
        stripped: [],
        rule_id: rule.id,
      };
    }
  }
  const stripped: string[] = [];
  let s = text;
  for (const p of PROCESSORS) {
    if (!p.pattern.test(s)) continue;
    stripped.push(`processor:${p.id}`);
    if (p.merchant)
      return { key: merchantKeyOf(p.merchant), display_name: p.merchant, confidence: CONFIDENCE.stripped, stripped, rule_id: null };
    s = s.replace(p.pattern, "");
    break;
  }
  const star = s.indexOf("*");
  if (star > 0) {
    s = s.slice(0, star);
    stripped.push("reference_id");
  }
  const noStore = s.replace(STORE_NUMBER, " ");
  if (noStore !== s) stripped.push("store_number");
  const noIds = noStore.replace(REFERENCE_ID, " ");
  if (noIds !== noStore && !stripped.includes("reference_id")) stripped.push("reference_id");
  const cleaned = noIds.trim() ? cleanMerchant(noIds) : null;
  if (!cleaned || !/\p{L}/u.test(cleaned)) {
    return { key: merchantKeyOf(text), display_name: text.slice(0, 200), confidence: CONFIDENCE.fallback, stripped, rule_id: null };
  }
  return {
    key: merchantKeyOf(cleaned),
    display_name: cleaned,
    confidence: stripped.length ? CONFIDENCE.stripped : CONFIDENCE.clean,
    stripped,
    rule_id: null,
  };
}
