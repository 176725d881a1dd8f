/**
 * /v1/rules: the caller's categorization rules (conditions → actions, stages
 * pre/default/post ranked by specificity), a preview over their latest
 * transactions, and learned proposals from their own history. Another user's
 * rule or account is a 404. New entries get the enabled rules live in the
 * pipeline (src/pipeline/live-rules.ts); POST /v1/rules/apply runs them over
 * existing transactions as a job (queues/rules-apply.ts).
 */
import { createRoute, type z } from "@hono/zod-openapi";
import { accountIdsOf } from "../db/accounts";
import { readUserTransactions } from "../db/intel/transactions-read";
import {
  deleteUserRule,
  insertUserRule,
  listUserRules,
  MAX_USER_RULES,
  setUserRuleEnabled,
  type StoredUserRule,
} from "../db/intel/user-rules";
import { DomainError } from "../domain/errors";
import { randomToken } from "../domain/ids";
import {
  applyUserRules,
  LEARN_MIN_WINS,
  LEARN_WINDOW,
  learnedProposals,
  mergeTags,
  type RuleCondition,
  ruleMatches,
  specificity,
} from "../domain/intel/user-rules";
import { createJob, getJob, jobView } from "../db/pipeline/jobs";
import {
  bearerSecurity,
  bodyErrors,
  createRouter,
  errorResponses,
  jsonBody,
  jsonResponse,
  NoFields,
  noContent,
  optionalJsonBody,
} from "../lib/router";
import { enqueueJobStep } from "../pipeline/jobs-protocol";
import { JobIdParam, JobView } from "./pipeline-schemas";
import { requireAuth } from "../middleware/auth";
import type { RulesApplyParams } from "../../queues/rules-apply";
import { CreateRuleBody, LearnedList, PatchRuleBody, Rule, RuleList, RuleParam, RulePreview } from "./rule-schemas";

const tags = ["intelligence"];
const PREVIEW_ROWS = 2_000;
const PREVIEW_SHOWN = 100;

const createRule = createRoute({
  method: "post",
  path: "/rules",
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  operationId: "createRule",
  summary: "Create a rule",
  description: `At most ${MAX_USER_RULES} rules per user (422 beyond). An account condition naming another user's account is a 404.`,
  request: { body: jsonBody(CreateRuleBody) },
  responses: { 201: jsonResponse(Rule, "The rule"), ...errorResponses(...bodyErrors, 401, 404, 422) },
});
const listRules = createRoute({
  method: "get",
  path: "/rules",
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  operationId: "listRules",
  summary: "The caller's rules, oldest first",
  description: "The caller's categorization rules (user and learned), with their stage, conditions, actions and whether they are enabled.",
  responses: { 200: jsonResponse(RuleList, "The rules"), ...errorResponses(401) },
});
const patchRule = createRoute({
  method: "patch",
  path: "/rules/{id}",
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  operationId: "updateRule",
  summary: "Enable or disable a rule",
  description: "Turns one of the caller's rules on or off, learned proposals included; another user's rule is a 404.",
  request: { params: RuleParam, body: jsonBody(PatchRuleBody) },
  responses: { 200: jsonResponse(Rule, "The rule"), ...errorResponses(...bodyErrors, 401, 404) },
});
const deleteRule = createRoute({
  method: "delete",
  path: "/rules/{id}",
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  operationId: "deleteRule",
  summary: "Delete a rule",
  description: "Deletes one of the caller's rules. Transactions it already changed keep their annotations.",
  request: { params: RuleParam },
  responses: { 204: noContent("Deleted"), ...errorResponses(400, 401, 404) },
});
const previewRule = createRoute({
  method: "post",
  path: "/rules/preview",
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  operationId: "previewRule",
  summary: "What a rule would change, with the caller's other rules, over their latest transactions",
  description: `Nothing is saved. Shows at most ${PREVIEW_SHOWN} matches, newest first, among the latest ${PREVIEW_ROWS} transactions.`,
  request: { body: jsonBody(CreateRuleBody) },
  responses: { 200: jsonResponse(RulePreview, "The preview"), ...errorResponses(...bodyErrors, 401, 404) },
});
const learned = createRoute({
  method: "get",
  path: "/rules/learned",
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  operationId: "listLearnedRules",
  summary: "Proposed rules learned from the caller's history",
  description:
    "A merchant whose last 5 purchases give one category at least 3 times, at least one of them the caller's own edit. Accept one by creating a rule with source learned; a merchant with a learned rule (enabled or disabled) is not proposed again.",
  responses: { 200: jsonResponse(LearnedList, "The proposals"), ...errorResponses(401) },
});

const applyRules = createRoute({
  method: "post",
  path: "/rules/apply",
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  operationId: "applyRules",
  summary: "Apply the caller's enabled rules to their existing transactions, as a job",
  description:
    "Each transaction the rules change is annotated (as PATCH /v1/accounts/{id}/transactions/{tx} does), so Gold and every read follow. Reversals and reversed entries keep their category (counted as skipped). One unfinished job per user (409 beyond); poll GET /v1/rules/apply/{id}.",
  request: { body: optionalJsonBody(NoFields) },
  responses: { 202: jsonResponse(JobView, "The job"), ...errorResponses(400, 401, 409, 413, 415) },
});
const applyStatus = createRoute({
  method: "get",
  path: "/rules/apply/{id}",
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  operationId: "getRulesApplyJob",
  summary: "Progress of a rules job: processed of total, and changed/skipped when done",
  description:
    "The progress of a job started by POST /v1/rules/apply: processed of total while it runs, and how many transactions changed or were skipped when it is done.",
  request: { params: JobIdParam },
  responses: { 200: jsonResponse(JobView, "The job"), ...errorResponses(400, 401, 404) },
});

const APPLY_QUOTA = { unfinished: 1, perHour: 30, windowMs: 3_600_000, staleMs: 15 * 60_000 };

const view = (r: StoredUserRule): z.infer<typeof Rule> => ({
  id: r.id,
  object: "rule",
  stage: r.stage,
  conditions: r.conditions,
  actions: r.actions,
  enabled: r.enabled,
  source: r.source,
  confidence: r.confidence,
  specificity: specificity(r),
  created_at: r.created_at,
});

async function draft(env: Env, userId: string, b: z.infer<typeof CreateRuleBody>): Promise<StoredUserRule> {
  const named = b.conditions.flatMap((c) => (c.field !== "account" ? [] : Array.isArray(c.value) ? c.value : [c.value]));
  if (named.length > 0) {
    const own = new Set(await accountIdsOf(env.DB, userId));
    if (named.some((a) => !own.has(a))) throw new DomainError("not_found", "Account not found");
  }
  const conditions = b.conditions as RuleCondition[];
  const rule = { ...b, conditions, id: `rul_${randomToken()}`, user_id: userId, created_at: new Date().toISOString() };
  return { ...rule, confidence: b.source === "learned" ? await learnedConfidence(env, rule) : null };
}

/** wins / 5 of the proposal this learned rule accepts (its merchant and category), else the minimum a proposal needs. */
async function learnedConfidence(env: Env, r: Pick<StoredUserRule, "user_id" | "conditions" | "actions">): Promise<number> {
  const merchants = new Set(r.conditions.flatMap((k) => (k.field === "merchant" && k.op === "is" ? [String(k.value)] : [])));
  const rows = merchants.size === 0 ? [] : await readUserTransactions(env.DB, r.user_id, { limit: PREVIEW_ROWS });
  const p = learnedProposals(rows).find((x) => merchants.has(x.merchant_key) && x.category === r.actions.category);
  return (p?.wins ?? LEARN_MIN_WINS) / LEARN_WINDOW;
}

export const rulesRouter = createRouter()
  .openapi(createRule, async (c) => {
    const rule = await draft(c.env, c.get("principal").userId, c.req.valid("json"));
    if (!(await insertUserRule(c.env.DB, rule))) throw new DomainError("unprocessable", `At most ${MAX_USER_RULES} rules per user`);
    return c.json(view(rule), 201);
  })
  .openapi(listRules, async (c) =>
    c.json({ object: "list" as const, data: (await listUserRules(c.env.DB, c.get("principal").userId)).map(view) }, 200),
  )
  .openapi(learned, async (c) => {
    const userId = c.get("principal").userId;
    const [rules, rows] = await Promise.all([
      listUserRules(c.env.DB, userId),
      readUserTransactions(c.env.DB, userId, { limit: PREVIEW_ROWS }),
    ]);
    const taken = new Set(
      rules
        .filter((r) => r.source === "learned")
        .flatMap((r) => r.conditions.filter((k) => k.field === "merchant" && k.op === "is").map((k) => String(k.value))),
    );
    return c.json({ object: "list" as const, data: learnedProposals(rows).filter((p) => !taken.has(p.merchant_key)) }, 200);
  })
  .openapi(previewRule, async (c) => {
    const userId = c.get("principal").userId;
    const rule = await draft(c.env, userId, c.req.valid("json"));
    const [others, rows] = await Promise.all([
      listUserRules(c.env.DB, userId),
      readUserTransactions(c.env.DB, userId, { limit: PREVIEW_ROWS }),
    ]);
    const all = [...others, { ...rule, enabled: true }];
    const hits = rows.filter((t) => ruleMatches(rule, t)).reverse();
    const data = hits.slice(0, PREVIEW_SHOWN).map((t) => ({
      id: t.id,
      account_id: t.account_id,
      occurred_at: t.occurred_at,
      amount: t.amount,
      currency: t.currency,
      merchant: t.merchant,
      category: t.category,
      tags: t.tags,
      after: (({ category, merchant, tags }) => ({ category, merchant, tags: mergeTags(t.tags, tags) }))(applyUserRules(t, all)),
    }));
    return c.json({ object: "rule_preview" as const, matched: hits.length, data }, 200);
  })
  .openapi(applyRules, async (c) => {
    const userId = c.get("principal").userId;
    const params: RulesApplyParams = { user_id: userId };
    const job = await createJob(c.env.DB, "rules_apply", userId, params, { quota: APPLY_QUOTA });
    if (!job) throw new DomainError("conflict", "A rules job is already running, or too many ran this hour");
    await enqueueJobStep(c.env, job.id, 0);
    return c.json(jobView(job), 202);
  })
  .openapi(applyStatus, async (c) => {
    const job = await getJob(c.env.DB, c.req.valid("param").id);
    if (!job || job.kind !== "rules_apply" || job.created_by !== c.get("principal").userId)
      throw new DomainError("not_found", "Job not found");
    return c.json(jobView(job), 200);
  })
  .openapi(patchRule, async (c) => {
    const r = await setUserRuleEnabled(c.env.DB, c.get("principal").userId, c.req.valid("param").id, c.req.valid("json").enabled);
    if (!r) throw new DomainError("not_found", "Rule not found");
    return c.json(view(r), 200);
  })
  .openapi(deleteRule, async (c) => {
    if (!(await deleteUserRule(c.env.DB, c.get("principal").userId, c.req.valid("param").id)))
      throw new DomainError("not_found", "Rule not found");
    return c.body(null, 204);
  });
