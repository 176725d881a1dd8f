/** Schemas of the risk alert routes: they validate the requests and document them in /openapi.json. */
import { z } from "@hono/zod-openapi";
import { RISK_KINDS } from "../domain/alerts/risk-rules";
import { AccountId } from "./schemas";

export const RiskAlertId = z
  .string()
  .regex(/^rsk_[0-9a-z]{20}$/, "must be a risk alert id")
  .openapi({ example: "rsk_0123456789abcdefghjk" });

export const RiskAlertParam = z.object({ id: RiskAlertId });

export const CreateRiskAlertBody = z
  .object({
    account_id: AccountId.openapi({ description: "One of your brokerage accounts" }),
    kind: z.enum(RISK_KINDS).openapi({
      description:
        "concentration: the largest position reaches `threshold` percent of the account's value (cash + positions at market); drawdown: the account's value falls `threshold` percent below its peak since the rule was set",
      example: "concentration",
    }),
    threshold: z
      .string()
      .max(16)
      .regex(/^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/, "must be a percent with at most 2 decimals")
      .openapi({ description: "A percent, above 0 and at most 100 (25 = 25 %)", example: "25" }),
  })
  .strict()
  .openapi("CreateRiskAlert", { example: { account_id: "acc_0123456789abcdefghjk", kind: "concentration", threshold: "25" } });

export const RiskAlert = z
  .object({
    id: RiskAlertId,
    object: z.literal("risk_alert"),
    account_id: z.string(),
    kind: z.enum(RISK_KINDS),
    threshold: z.string(),
    peak_value: z.number().int().openapi({ description: "Drawdown: the highest account value seen since the rule was set (minor units)" }),
    last_triggered_day: z.string().nullable().openapi({ description: "UTC day of the latest firing (at most one a day)" }),
    trigger_count: z.number().int().nonnegative(),
    created_at: z.string(),
  })
  .openapi("RiskAlert", {
    example: {
      id: "rsk_0123456789abcdefghjk",
      object: "risk_alert",
      account_id: "acc_0123456789abcdefghjk",
      kind: "drawdown",
      threshold: "10",
      peak_value: 1_250_000,
      last_triggered_day: null,
      trigger_count: 0,
      created_at: "2026-12-03T07:00:00.000Z",
    },
  });

export const RiskAlertList = z.object({ object: z.literal("list"), data: z.array(RiskAlert) }).openapi("RiskAlertList");
