/**
 * Loads the enrichment rules (D1 `merchant_rules`) in their priority order.
 * The live consumer reuses them for a few seconds per isolate, so a rule
 * change applies to events processed from then on, within RULES_TTL_MS.
 */
import { compileRules, type CompiledRule, type MerchantRule } from "../../pipeline/enrich";

export const RULES_TTL_MS = 5_000;
let cached: { rules: CompiledRule[]; at: number; db: D1Database } | null = null;

export async function loadRules(db: D1Database): Promise<CompiledRule[]> {
  const { results } = await db
    .prepare(
      "SELECT id, priority, field, pattern, merchant, category FROM merchant_rules WHERE enabled = 1 ORDER BY priority, id LIMIT 1000",
    )
    .all<MerchantRule>();
  return compileRules(results);
}

export async function cachedRules(db: D1Database, now = Date.now()): Promise<CompiledRule[]> {
  if (cached && cached.db === db && now - cached.at < RULES_TTL_MS) return cached.rules;
  const rules = await loadRules(db);
  cached = { rules, at: now, db };
  return rules;
}
