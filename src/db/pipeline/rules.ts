/** Loads the enrichment rules (D1 `merchant_rules`) in their priority order. */
import { compileRules, type CompiledRule, type MerchantRule } from "../../pipeline/enrich";

export async function loadRules(db: D1Database): Promise<CompiledRule[]> {
  const { results } = await db
    .prepare("SELECT id, priority, field, pattern, merchant, category FROM merchant_rules WHERE enabled = 1 ORDER BY priority, id LIMIT 1000")
    .all<MerchantRule>();
  return compileRules(results);
}
