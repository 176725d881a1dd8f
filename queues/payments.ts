/**
 * The payments consumer: each message {account_id, payment_id} moves one
 * payment pending → processing (AccountDO.beginPayment), calls the simulated
 * processor keyed by the payment id, and settles (AccountDO.settlePayment:
 * success posts the hold as a withdrawal, failure releases it). Each step is
 * idempotent, so a duplicate delivery or a crash between the processor call
 * and the settlement executes the payment once and settles it once.
 *
 * Transient processor errors are retried with exponential backoff; after
 * MAX_ATTEMPTS the key is abandoned and the payment fails as
 * processor_unavailable. A message that names no payment is poison: it goes
 * to the DLQ at once. Anything else that throws (an object unreachable) is
 * retried, and the queue moves it to the DLQ after max_retries.
 */
import type { PaymentMessage } from "../durable/account/payments";
import type { ProcessorOutcome } from "../src/domain/account/index";
import { isAccountId, paymentAccount } from "../src/domain/ids";
import { type SimulatorConfig, simulatorConfig } from "../src/domain/payments/simulator";
import { payeeForProcessor } from "../src/db/payees";
import { accountStub } from "../src/lib/account-rpc";
import { abandonKey, callProcessor, TransientProcessorError } from "../src/lib/payment-processor";

/** Processor calls per payment before it fails as processor_unavailable. */
export const MAX_ATTEMPTS = 6;
export const PAYMENTS_DEAD_LETTER_KIND = "payment_dead_letter";

export type PaymentsFailpoint = "after_begin" | "after_processor";

export interface PaymentsOptions {
  /** Test seam: throw at a stage to simulate a crash there. */
  failpoint?: (stage: PaymentsFailpoint) => void;
  /** Overrides the simulator's configuration from the environment. */
  simulator?: SimulatorConfig;
}

/** Seconds before retry `attempt` (1-based): 1, 2, 4 … at most 60. */
export function backoffSeconds(attempt: number): number {
  return Math.min(60, 2 ** Math.max(0, attempt - 1));
}

export function parsePaymentMessage(body: unknown): PaymentMessage | null {
  if (!body || typeof body !== "object") return null;
  const { account_id, payment_id } = body as Record<string, unknown>;
  if (typeof account_id !== "string" || typeof payment_id !== "string") return null;
  if (!isAccountId(account_id) || paymentAccount(payment_id) !== account_id) return null;
  return { account_id, payment_id };
}

type Step = "done" | "poison" | { retryIn: number };

/** The processor's answer for a payment being processed: called, or abandoned after the last attempt. */
async function outcomeFor(
  env: Env,
  cfg: SimulatorConfig,
  payeeId: string,
  req: { key: string; amount: number; currency: string },
  attempt: number,
) {
  const payee = await payeeForProcessor(env.DB, payeeId);
  if (!payee) return abandonKey(env.DB, req, "the payee is unknown");
  try {
    return await callProcessor(env.DB, cfg, { ...req, payeeLast4: payee.accountLast4 }, attempt);
  } catch (err) {
    if (!(err instanceof TransientProcessorError)) throw err;
    if (attempt >= MAX_ATTEMPTS) return abandonKey(env.DB, req, `the processor was unavailable for ${MAX_ATTEMPTS} attempts`);
    return { retryIn: backoffSeconds(attempt) } as const;
  }
}

/** One payment through begin → processor → settle. */
export async function processPayment(
  env: Env,
  msg: PaymentMessage,
  attempt: number,
  opts: PaymentsOptions & { abandon?: string } = {},
): Promise<Step> {
  const stub = accountStub(env, msg.account_id);
  const p = await stub.beginPayment(msg.payment_id);
  if (!p) return "poison";
  if (p.status !== "processing") return "done"; // already final (settled, or canceled while pending)
  opts.failpoint?.("after_begin");
  const req = { key: p.id, amount: p.amount, currency: p.currency };
  const outcome: ProcessorOutcome | { retryIn: number } = opts.abandon
    ? await abandonKey(env.DB, req, opts.abandon)
    : await outcomeFor(env, opts.simulator ?? simulatorConfig(env), p.payee_id, req, attempt);
  if ("retryIn" in outcome) return outcome;
  opts.failpoint?.("after_processor");
  await stub.settlePayment(p.id, outcome);
  return "done";
}

export async function consumePayments(batch: MessageBatch, env: Env, opts: PaymentsOptions = {}): Promise<void> {
  await Promise.all(
    batch.messages.map(async (m) => {
      const msg = parsePaymentMessage(m.body);
      try {
        const step: Step = msg ? await processPayment(env, msg, m.attempts, opts) : "poison";
        if (step === "poison") {
          await env.PAYMENTS_DLQ.send({
            kind: PAYMENTS_DEAD_LETTER_KIND,
            reason: msg ? "unknown payment" : "malformed message",
            body: m.body,
          });
          m.ack();
        } else if (step === "done") m.ack();
        else m.retry({ delaySeconds: step.retryIn });
      } catch (err) {
        console.error(
          JSON.stringify({ level: "error", msg: "payment step failed; retrying", payment_id: msg?.payment_id, error: String(err) }),
        );
        m.retry({ delaySeconds: backoffSeconds(m.attempts) });
      }
    }),
  );
}
