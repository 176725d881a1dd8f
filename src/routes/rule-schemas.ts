/** Schemas of the user rule routes: they validate the requests and document them in /openapi.json. */
import { z } from "@hono/zod-openapi";
import { MAX_AMOUNT } from "../domain/money";
import { AccountId, Category } from "./schemas";

export const RuleId = z
  .string()
  .regex(/^rul_[0-9a-z]{20}$/, "must be a rule id")
  .openapi({ example: "rul_0123456789abcdefghjk" });
export const RuleParam = z.object({ id: RuleId });

const text = z.string().trim().min(1).max(200);
const amount = z.number().int().min(0).max(MAX_AMOUNT);

const Condition = z.union([
  z.object({ field: z.literal("merchant"), op: z.enum(["is", "contains"]), value: text }).strict(),
  z.object({ field: z.literal("merchant"), op: z.literal("one_of"), value: z.array(text).min(1).max(50) }).strict(),
  z.object({ field: z.literal("description"), op: z.enum(["is", "contains"]), value: text }).strict(),
  z.object({ field: z.literal("amount"), op: z.enum(["is", "gt", "gte", "lt", "lte"]), value: amount }).strict(),
  z.object({ field: z.literal("account"), op: z.literal("is"), value: AccountId }).strict(),
  z.object({ field: z.literal("account"), op: z.literal("one_of"), value: z.array(AccountId).min(1).max(50) }).strict(),
]);

export const CreateRuleBody = z
  .object({
    stage: z.enum(["pre", "default", "post"]).default("default"),
    conditions: z.array(Condition).min(1).max(10).openapi({
      description:
        "All must hold. merchant is/one_of compare the merchant key (GET /v1/merchants); merchant contains searches the name and raw text; description is/contains ignore case; amount in minor units",
    }),
    actions: z
      .object({
        category: Category.optional(),
        merchant: text.optional(),
        tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
      })
      .strict()
      .refine(
        (a) => a.category !== undefined || a.merchant !== undefined || (a.tags?.length ?? 0) > 0,
        "set a category, a merchant or tags",
      ),
    enabled: z.boolean().default(true),
    source: z.enum(["user", "learned"]).default("user").openapi({ description: "learned: accepted from GET /v1/rules/learned" }),
  })
  .strict()
  .openapi("CreateRule");

export const PatchRuleBody = z.object({ enabled: z.boolean() }).strict().openapi("PatchRule");

export const Rule = z
  .object({
    id: RuleId,
    object: z.literal("rule"),
    stage: z.enum(["pre", "default", "post"]),
    conditions: z.array(z.object({ field: z.string(), op: z.string(), value: z.union([z.string(), z.number(), z.array(z.string())]) })),
    actions: z.object({ category: z.string().optional(), merchant: z.string().optional(), tags: z.array(z.string()).optional() }),
    enabled: z.boolean(),
    source: z.enum(["user", "learned"]),
    confidence: z.number().nullable().openapi({
      description: "A learned rule's confidence (wins of the last 5 purchases when accepted), the category confidence it gives new entries",
    }),
    specificity: z.number().int().openapi({ description: "Within a stage, rules apply in ascending specificity: the most specific wins" }),
    created_at: z.string(),
  })
  .openapi("Rule");

export const RuleList = z.object({ object: z.literal("list"), data: z.array(Rule) }).openapi("RuleList");

export const RulePreview = z
  .object({
    object: z.literal("rule_preview"),
    matched: z.number().int().openapi({ description: "Matching transactions among the latest 2,000" }),
    data: z.array(
      z.object({
        id: z.string(),
        account_id: z.string(),
        occurred_at: z.string(),
        amount: z.number().int(),
        currency: z.string(),
        merchant: z.string().nullable(),
        category: z.string(),
        tags: z.array(z.string()).openapi({ description: "The transaction's tags now: its own, then those live rules added" }),
        after: z.object({ category: z.string(), merchant: z.string().nullable(), tags: z.array(z.string()) }).openapi({
          description: "After applying: the category and merchant the rules set, the tags added to the current ones",
        }),
      }),
    ),
  })
  .openapi("RulePreview");

export const LearnedList = z
  .object({
    object: z.literal("list"),
    data: z.array(
      z.object({ merchant_key: z.string(), merchant_name: z.string(), category: z.string(), wins: z.number().int(), of: z.number().int() }),
    ),
  })
  .openapi("LearnedRuleList");
