/**
 * The simulated external processor, called by the payments consumer. Keyed:
 * a key (the payment id) with a recorded outcome answers that outcome and
 * executes nothing; otherwise the seeded plan (src/domain/payments/simulator.ts)
 * waits its delay, fails transiently or executes, and the execution is
 * recorded under the key before the answer returns.
 */
import type { ProcessorOutcome } from "../domain/account/index";
import { randomToken } from "../domain/ids";
import { planCall, type SimulatorConfig } from "../domain/payments/simulator";
import { countRepeatCall, type ExecutionRow, findExecution, recordExecution } from "../db/processor-executions";

export class TransientProcessorError extends Error {
  constructor() {
    super("the payment processor is temporarily unavailable");
    this.name = "TransientProcessorError";
  }
}

export interface ProcessorRequest {
  key: string;
  amount: number;
  currency: string;
  /** The payee reference's last 4 (the simulator's test references key off them). */
  payeeLast4: string;
}

function outcomeOf(r: ExecutionRow): ProcessorOutcome {
  if (r.outcome === "success") return { ok: true, reference: r.reference ?? "" };
  return { ok: false, failure: r.outcome, message: r.message ?? r.outcome };
}

export async function callProcessor(
  db: D1Database,
  cfg: SimulatorConfig,
  req: ProcessorRequest,
  attempt: number,
): Promise<ProcessorOutcome> {
  const done = await findExecution(db, req.key);
  if (done) {
    await countRepeatCall(db, req.key);
    return outcomeOf(done);
  }
  const plan = await planCall(cfg, req.key, attempt, req.payeeLast4);
  if (plan.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, plan.delayMs));
  if (plan.transient) throw new TransientProcessorError();
  const row = await recordExecution(db, {
    key: req.key,
    outcome: plan.declined ? "declined" : "success",
    reference: plan.declined ? null : `psim_${randomToken(16)}`,
    message: plan.declined ? "declined by the receiving institution" : null,
    amount: req.amount,
    currency: req.currency,
    executedAt: Date.now(),
  });
  return outcomeOf(row);
}

/**
 * Give up on a key: record "processor unavailable" unless an outcome exists,
 * and answer whichever is recorded. After this no call for the key executes.
 */
export async function abandonKey(db: D1Database, req: Omit<ProcessorRequest, "payeeLast4">, message: string): Promise<ProcessorOutcome> {
  const row = await recordExecution(db, {
    key: req.key,
    outcome: "processor_unavailable",
    reference: null,
    message,
    amount: req.amount,
    currency: req.currency,
    executedAt: Date.now(),
  });
  return outcomeOf(row);
}
