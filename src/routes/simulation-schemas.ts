/** Schemas of the /v1/simulations routes: they validate the requests and document them in /openapi.json. */
import { z } from "@hono/zod-openapi";
import { MAX_HORIZON_DAYS } from "../domain/intel/forecast";
import { MAX_AMOUNT } from "../domain/money";
import { Day } from "./date-schemas";
import { Forecast } from "./forecast-schemas";
import { RiskScore } from "./insights-schemas";
import { Amount, Currency } from "./schemas";

export const SimulationId = z
  .string()
  .regex(/^sim_[0-9a-z]{20}$/, "must be a simulation id")
  .openapi({ example: "sim_0123456789abcdefghjk" });
export const SimulationParam = z.object({ id: SimulationId });

const Percent = (min: number, max: number) => z.number().min(min).max(max).multipleOf(0.01);

export const Change = z
  .discriminatedUnion("type", [
    z
      .object({
        type: z.literal("income_change"),
        percent: Percent(-100, 1000).openapi({ description: "Recurring income × (1 + percent/100)" }),
      })
      .strict(),
    z
      .object({
        type: z.literal("new_recurring_expense"),
        name: z.string().min(1).max(100),
        amount: Amount,
        frequency: z.enum(["weekly", "biweekly", "monthly", "quarterly", "semi_annually", "annually"]),
        start_date: Day.openapi({ description: "The first charge: after as_of, within the horizon" }),
      })
      .strict(),
    z
      .object({
        type: z.literal("one_off_withdrawal"),
        amount: Amount,
        date: Day.openapi({ description: "After as_of, within the horizon" }),
      })
      .strict(),
    z
      .object({
        type: z.literal("rate_change"),
        account: z
          .enum(["savings", "credit"])
          .openapi({ description: "savings: earned on a positive balance; credit: charged on a negative one" }),
        annual_rate_bp: z.number().int().min(0).max(10_000).openapi({ description: "Annual rate in basis points (450 = 4.5 %)" }),
      })
      .strict(),
    z
      .object({
        type: z.literal("market_shock"),
        percent: Percent(-100, 100).openapi({ description: "Holdings' market value × (1 + percent/100)" }),
      })
      .strict(),
  ])
  .openapi("SimulationChange");

export const CreateSimulationBody = z
  .object({
    name: z.string().min(1).max(100).optional(),
    as_of: Day.optional().openapi({ description: "Simulate from the end of this UTC day (not after today); default today" }),
    horizon_days: z.number().int().min(1).max(MAX_HORIZON_DAYS).default(90),
    currency: Currency.optional(),
    buffer: z.number().int().min(0).max(MAX_AMOUNT).default(0),
    changes: z.array(Change).min(1).max(10),
    save: z.boolean().default(false).openapi({ description: "Keep it (GET /v1/simulations); at most 50 per user" }),
  })
  .strict()
  .openapi("CreateSimulation", {
    example: {
      name: "Gym and a pay cut",
      changes: [
        { type: "income_change", percent: -10 },
        { type: "new_recurring_expense", name: "Gym", amount: 4_900, frequency: "monthly", start_date: "2026-12-10" },
      ],
    },
  });

const Risk = RiskScore;
export const Outcome = z.object({
  end_p50: z.number().int().openapi({ description: "The P50 balance on the horizon's last day" }),
  holdings_value: z.number().int().openapi({ description: "Holdings' market value (after a market shock in the scenario)" }),
  risk: Risk,
});

export const SimulationSummary = z
  .object({
    id: SimulationId.nullable().openapi({ description: "null when not saved" }),
    object: z.literal("simulation"),
    name: z.string().nullable(),
    created_at: z.string(),
    as_of: z.string(),
    currency: Currency,
    horizon_days: z.number().int(),
    buffer: z.number().int(),
    changes: z.array(Change),
    baseline: Outcome.extend({
      lowest: Forecast.shape.lowest,
      probability_below_buffer: z.number(),
    }),
    scenario: Outcome.extend({
      lowest: Forecast.shape.lowest,
      probability_below_buffer: z.number(),
    }),
  })
  .openapi("SimulationSummary");

export const SimulationResult = SimulationSummary.extend({
  forecast: Forecast.openapi({ description: "The scenario's full forecast" }),
}).openapi("Simulation");

export const SimulationList = z.object({ object: z.literal("list"), data: z.array(SimulationSummary) }).openapi("SimulationList");

export const CompareQuery = z.object({
  ids: z
    .string()
    .regex(/^sim_[0-9a-z]{20}(,sim_[0-9a-z]{20}){1,4}$/, "must be 2 to 5 simulation ids, comma-separated")
    .openapi({ example: "sim_0123456789abcdefghjk,sim_kjhgfedcba9876543210" }),
});
