/**
 * The rules_apply job (POST /v1/rules/apply): the caller's enabled rules
 * applied to their existing transactions, a chunk per step, oldest first.
 * A transaction the rules change is annotated through its AccountDO — the
 * same path as PATCH /v1/accounts/{id}/transactions/{tx} — so the journal,
 * Silver, Gold and replays all see one `transaction_annotated` event and no
 * table is written around them. The rules' tags are added to the entry's
 * current tags (never replace them); an entry that has them all already, for
 * example set live as it arrived, is left alone. An entry the account refuses (a reversal or
 * a reversed entry cannot change category) is counted as skipped. A re-run
 * step annotates the same values again, which changes nothing.
 */
import { advanceStatement, type JobRow } from "../src/db/pipeline/jobs";
import { MAX_READ_ROWS, readUserTransactions, type SilverTransaction } from "../src/db/intel/transactions-read";
import { listUserRules } from "../src/db/intel/user-rules";
import { applyUserRules, mergeTags } from "../src/domain/intel/user-rules";
import { accountStub } from "../src/lib/account-rpc";

export interface RulesApplyParams {
  user_id: string;
}

export interface RulesApplyLimits {
  /** Transactions looked at per step. */
  chunk: number;
}

export const RULES_APPLY_LIMITS: RulesApplyLimits = { chunk: 50 };

interface Result {
  changed: number;
  skipped: number;
}

const keyOf = (t: SilverTransaction) => `${t.occurred_at}\u0000${t.account_id}\u0000${t.id}`;

export async function runRulesApplyStep(env: Env, job: JobRow, limits: RulesApplyLimits = RULES_APPLY_LIMITS): Promise<number | null> {
  const { user_id } = JSON.parse(job.params) as RulesApplyParams;
  const [rules, rows] = await Promise.all([
    listUserRules(env.DB, user_id),
    readUserTransactions(env.DB, user_id, { limit: MAX_READ_ROWS }),
  ]);
  const cursor = job.cursor ?? "";
  const pending = rows.filter((t) => keyOf(t) > cursor).slice(0, limits.chunk);
  const result: Result = job.result ? (JSON.parse(job.result) as Result) : { changed: 0, skipped: 0 };
  for (const t of pending) {
    const out = applyUserRules(t, rules);
    const changes: { category?: string; merchant?: string; tags?: string[] } = {};
    if (out.category !== t.category) changes.category = out.category;
    if (out.merchant !== null && out.merchant !== t.merchant) changes.merchant = out.merchant;
    const tags = mergeTags(t.tags, out.tags);
    if (tags.length !== t.tags.length) changes.tags = tags;
    if (Object.keys(changes).length === 0) continue;
    const reply = await accountStub(env, t.account_id).annotateTransaction({ userId: user_id, requestId: `job:${job.id}` }, t.id, changes);
    if (reply.ok) result.changed += 1;
    else result.skipped += 1;
  }
  const done = pending.length < limits.chunk;
  const last = pending[pending.length - 1];
  const r = await advanceStatement(env.DB, job, {
    cursor: last ? keyOf(last) : cursor,
    processed: pending.length,
    total: rows.length,
    done,
    result,
  }).run();
  if (r.meta.changes !== 1 || done) return null;
  return job.step + 1;
}
