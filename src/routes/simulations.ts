/**
 * /v1/simulations: what-if scenarios on a copy of the caller's state
 * (src/domain/intel/what-if.ts) — income change, new recurring expense,
 * one-off withdrawal, savings/credit rate change, market shock — answered
 * with the scenario's forecast and risk beside the baseline's. Never writes
 * accounts, journals or Gold; a saved simulation (UserDO) is the answer as
 * computed then. List, get, compare and delete the saved ones.
 */
import { createRoute, type z } from "@hono/zod-openapi";
import { userObject } from "../auth/sessions";
import { DomainError } from "../domain/errors";
import { randomToken } from "../domain/ids";
import { addDays } from "../domain/intel/types";
import type { Simulation } from "../domain/intel/what-if";
import { loadContext, resolveAsOf, resolveCurrency } from "../lib/intel/context";
import { runSimulation } from "../lib/intel/simulations";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonBody, jsonResponse, noContent } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import type { StoredSimulation } from "../../durable/user/simulations";
import { MAX_SIMULATIONS } from "../../durable/user/simulations";
import {
  CompareQuery,
  CreateSimulationBody,
  SimulationList,
  SimulationParam,
  SimulationResult,
  type SimulationSummary,
} from "./simulation-schemas";

const tags = ["intelligence"];

const createSimulation = createRoute({
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  method: "post",
  path: "/simulations",
  operationId: "createSimulation",
  summary: "Run a what-if simulation",
  description: `The scenario's changes applied to a copy of the caller's forecast input, run through the same seeded forecast as GET /v1/forecast, with the risk score under it and the unchanged baseline beside it. Dates must fall after as_of and within the horizon. \`save: true\` keeps it (201; at most ${MAX_SIMULATIONS}, then 422).`,
  request: { body: jsonBody(CreateSimulationBody) },
  responses: {
    200: jsonResponse(SimulationResult, "The simulation (not saved)"),
    201: jsonResponse(SimulationResult, "The simulation, saved"),
    ...errorResponses(...bodyErrors, 401, 422),
  },
});

const listSimulations = createRoute({
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  method: "get",
  path: "/simulations",
  operationId: "listSimulations",
  summary: "List saved simulations, newest first",
  description: "The caller's saved what-if simulations, newest first, as summaries (scenario, horizon, lowest point, risk).",
  responses: { 200: jsonResponse(SimulationList, "Their summaries"), ...errorResponses(401) },
});

const compareSimulations = createRoute({
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  method: "get",
  path: "/simulations/compare",
  operationId: "compareSimulations",
  summary: "Compare saved simulations side by side",
  description: "2 to 5 saved simulations' summaries, in the order asked. Any id that is not the caller's is a 404.",
  request: { query: CompareQuery },
  responses: { 200: jsonResponse(SimulationList, "The summaries"), ...errorResponses(400, 401, 404) },
});

const getSimulation = createRoute({
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  method: "get",
  path: "/simulations/{id}",
  operationId: "getSimulation",
  summary: "Get a saved simulation with its forecast",
  description: "A saved simulation with its full projected distribution beside the baseline; another user's simulation is a 404.",
  request: { params: SimulationParam },
  responses: { 200: jsonResponse(SimulationResult, "The simulation"), ...errorResponses(400, 401, 404) },
});

const deleteSimulation = createRoute({
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  method: "delete",
  path: "/simulations/{id}",
  operationId: "deleteSimulation",
  summary: "Delete a saved simulation",
  description: "Deletes a saved simulation. Live accounts are never touched by simulations, so nothing else changes.",
  request: { params: SimulationParam },
  responses: { 204: noContent("Deleted"), ...errorResponses(400, 401, 404) },
});

type Body = z.infer<typeof CreateSimulationBody>;
type Summary = z.infer<typeof SimulationSummary>;

function checkDates(body: Body, asOf: string) {
  const end = addDays(asOf, body.horizon_days);
  body.changes.forEach((c, i) => {
    const day = c.type === "new_recurring_expense" ? c.start_date : c.type === "one_off_withdrawal" ? c.date : null;
    if (day !== null && (day <= asOf || day > end))
      throw new DomainError("validation_error", `changes.${i}: the date must be after ${asOf} and at most ${end}`, {
        field: `changes.${i}`,
      });
  });
}

function view(sim: Simulation, meta: Pick<Summary, "id" | "name" | "created_at" | "as_of" | "currency" | "horizon_days" | "buffer">) {
  const { forecast, ...scenario } = sim.scenario;
  const risk = (r: Simulation["scenario"]["risk"]) => ({ object: "risk_score" as const, ...r });
  const summary: Summary = {
    ...meta,
    object: "simulation",
    changes: sim.changes,
    baseline: { ...sim.baseline, risk: risk(sim.baseline.risk) },
    scenario: {
      ...scenario,
      risk: risk(scenario.risk),
      lowest: forecast.lowest,
      probability_below_buffer: forecast.probability_below_buffer,
    },
  };
  return { summary, full: { ...summary, forecast: { object: "forecast" as const, starting_balance: sim.starting_balance, ...forecast } } };
}

export const simulationsRouter = createRouter()
  .openapi(createSimulation, async (c) => {
    const body = c.req.valid("json");
    const userId = c.get("principal").userId;
    const ctx = await loadContext(c.env, userId, resolveAsOf(body.as_of));
    checkDates(body, ctx.asOf);
    const currency = await resolveCurrency(c.env, ctx, body.currency);
    const sim = runSimulation(c.env, ctx, { currency, horizon_days: body.horizon_days, buffer: body.buffer, changes: body.changes });
    const id = body.save ? `sim_${randomToken()}` : null;
    const meta = {
      id,
      name: body.name ?? null,
      created_at: new Date().toISOString(),
      as_of: ctx.asOf,
      currency,
      horizon_days: body.horizon_days,
      buffer: body.buffer,
    };
    const { summary, full } = view(await sim, meta);
    if (!id) return c.json(full, 200);
    const saved = await userObject(c.env, userId).saveSimulation({
      id,
      name: meta.name,
      scenario: JSON.stringify(summary),
      result: JSON.stringify(full),
    });
    if (!saved.ok) throw new DomainError("unprocessable", `At most ${MAX_SIMULATIONS} saved simulations per user; delete one first`);
    return c.json(full, 201);
  })
  .openapi(listSimulations, async (c) => {
    const rows = (await userObject(c.env, c.get("principal").userId).listSimulations(MAX_SIMULATIONS)) as Omit<
      StoredSimulation,
      "result"
    >[];
    return c.json({ object: "list" as const, data: rows.map((r) => JSON.parse(r.scenario) as Summary) }, 200);
  })
  .openapi(compareSimulations, async (c) => {
    const user = userObject(c.env, c.get("principal").userId);
    const ids = c.req.valid("query").ids.split(",");
    const rows = (await Promise.all(ids.map((id) => user.getSimulation(id)))) as (StoredSimulation | null)[];
    if (rows.some((r) => r === null)) throw new DomainError("not_found", "Simulation not found");
    return c.json({ object: "list" as const, data: rows.map((r) => JSON.parse(r!.scenario) as Summary) }, 200);
  })
  .openapi(getSimulation, async (c) => {
    const row = (await userObject(c.env, c.get("principal").userId).getSimulation(c.req.valid("param").id)) as StoredSimulation | null;
    if (!row) throw new DomainError("not_found", "Simulation not found");
    return c.json(JSON.parse(row.result) as z.infer<typeof SimulationResult>, 200);
  })
  .openapi(deleteSimulation, async (c) => {
    const removed = await userObject(c.env, c.get("principal").userId).deleteSimulation(c.req.valid("param").id);
    if (!removed) throw new DomainError("not_found", "Simulation not found");
    return c.body(null, 204);
  });
