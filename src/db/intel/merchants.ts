/**
 * The merchant dimension, read from the typed Silver transactions table: per
 * (merchant entity, currency), the user's spend (purchases − refunds,
 * reversals folded into what they cancel), visits (purchases less reversed
 * ones), first and last seen, and the name and category of the latest entry.
 * Sums are exact decimal strings (they may exceed 2^53).
 */

export interface MerchantRow {
  merchant_key: string;
  currency: string;
  name: string;
  spend: string;
  visits: number;
  refunds: number;
  first_seen: string;
  last_seen: string;
  category: string;
  category_primary: string;
  category_detailed: string;
}

const MERCHANTS = `WITH t AS (
  SELECT merchant_key, currency, occurred_at, merchant_name, category, category_primary, category_detailed,
    CASE WHEN kind = 'purchase' THEN amount WHEN kind = 'refund' THEN -amount
         WHEN reverses_kind = 'purchase' THEN -amount WHEN reverses_kind = 'refund' THEN amount ELSE 0 END AS spend,
    CASE WHEN kind = 'purchase' THEN 1 WHEN reverses_kind = 'purchase' THEN -1 ELSE 0 END AS visit,
    CASE WHEN kind = 'refund' THEN 1 WHEN reverses_kind = 'refund' THEN -1 ELSE 0 END AS refund,
    ROW_NUMBER() OVER (PARTITION BY merchant_key, currency ORDER BY occurred_at DESC, account_id DESC, entry_id DESC) AS rn
  FROM silver_transactions
  WHERE user_id = ?1 AND event_id IS NOT NULL AND occurred_at >= ?2 AND occurred_at < ?3
    AND (kind IN ('purchase', 'refund') OR (kind = 'reversal' AND reverses_kind IN ('purchase', 'refund')))
), agg AS (
  SELECT merchant_key, currency, SUM(spend) AS spend, SUM(visit) AS visits, SUM(refund) AS refunds,
    MIN(occurred_at) AS first_seen, MAX(occurred_at) AS last_seen
  FROM t GROUP BY merchant_key, currency
)
SELECT agg.merchant_key, agg.currency, l.merchant_name AS name, CAST(agg.spend AS TEXT) AS spend, agg.visits, agg.refunds,
  agg.first_seen, agg.last_seen, l.category, l.category_primary, l.category_detailed
FROM agg JOIN t l ON l.merchant_key = agg.merchant_key AND l.currency = agg.currency AND l.rn = 1`;

export interface MerchantRange {
  from?: string;
  to?: string;
}

/** A page of the user's merchants by (merchant_key, currency), after the cursor's pair. */
export async function merchantsPage(
  db: D1Database,
  userId: string,
  q: MerchantRange & { after: [string, string] | null; limit: number },
): Promise<MerchantRow[]> {
  const [key, currency] = q.after ?? ["", ""];
  const { results } = await db
    .prepare(`${MERCHANTS} WHERE (agg.merchant_key, agg.currency) > (?4, ?5) ORDER BY agg.merchant_key, agg.currency LIMIT ?6`)
    .bind(userId, q.from ?? "", q.to ?? "9999", key, currency, q.limit)
    .all<MerchantRow>();
  return results;
}

/** The user's merchants with the largest positive spend in the range, largest first. */
export async function topMerchants(db: D1Database, userId: string, q: MerchantRange & { limit: number }): Promise<MerchantRow[]> {
  const { results } = await db
    .prepare(`${MERCHANTS} WHERE agg.spend > 0 ORDER BY agg.spend DESC, agg.merchant_key, agg.currency LIMIT ?4`)
    .bind(userId, q.from ?? "", q.to ?? "9999", q.limit)
    .all<MerchantRow>();
  return results;
}
