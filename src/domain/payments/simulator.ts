/**
 * The simulated external processor's choices, pure and seeded: for a payment
 * (its idempotency key) whether it is declined, and for each call whether it
 * fails transiently and how long it takes. The same seed, key and attempt
 * always choose the same, so tests and benchmarks are deterministic.
 *
 * Test references (after card networks' test numbers), by the payee account
 * reference's last 4: 0002 is always declined, 0119 fails transiently on its
 * first two calls, 0500 always fails transiently.
 */
export interface SimulatorConfig {
  seed: string;
  /** Share of payments declined, 0 … 1. */
  failureRate: number;
  /** Share of calls that fail transiently (retried), 0 … 1. */
  transientRate: number;
  delayMinMs: number;
  delayMaxMs: number;
}

export interface SimulatorVars {
  PAYMENTS_SIM_SEED?: string;
  PAYMENTS_SIM_FAILURE_RATE?: string;
  PAYMENTS_SIM_TRANSIENT_RATE?: string;
  PAYMENTS_SIM_DELAY_MS_MIN?: string;
  PAYMENTS_SIM_DELAY_MS_MAX?: string;
}

const rate = (raw: string | undefined, fallback: number) => {
  const n = Number(raw);
  return raw !== undefined && raw !== "" && Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : fallback;
};
const ms = (raw: string | undefined, fallback: number) => {
  const n = Number(raw);
  return raw !== undefined && raw !== "" && Number.isInteger(n) && n >= 0 ? Math.min(n, 60_000) : fallback;
};

/** The configuration from the environment; unset or malformed values take the defaults. */
export function simulatorConfig(v: SimulatorVars): SimulatorConfig {
  const delayMinMs = ms(v.PAYMENTS_SIM_DELAY_MS_MIN, 200);
  return {
    seed: v.PAYMENTS_SIM_SEED || "finedge",
    failureRate: rate(v.PAYMENTS_SIM_FAILURE_RATE, 0.05),
    transientRate: rate(v.PAYMENTS_SIM_TRANSIENT_RATE, 0.1),
    delayMinMs,
    delayMaxMs: Math.max(delayMinMs, ms(v.PAYMENTS_SIM_DELAY_MS_MAX, 1_500)),
  };
}

/** A uniform number in [0, 1) from the seed and the parts (SHA-256). */
export async function seeded(seed: string, ...parts: (string | number)[]): Promise<number> {
  const bytes = new TextEncoder().encode([seed, ...parts].join("\u0000"));
  const digest = new DataView(await crypto.subtle.digest("SHA-256", bytes));
  return digest.getUint32(0) / 2 ** 32;
}

export interface CallPlan {
  delayMs: number;
  transient: boolean;
  declined: boolean;
}

/** What the processor does on call `attempt` (1-based) for `key`, a payee whose reference ends in `last4`. */
export async function planCall(cfg: SimulatorConfig, key: string, attempt: number, last4: string): Promise<CallPlan> {
  const delay = await seeded(cfg.seed, key, attempt, "delay");
  const delayMs = Math.round(cfg.delayMinMs + delay * (cfg.delayMaxMs - cfg.delayMinMs));
  if (last4 === "0500") return { delayMs, transient: true, declined: false };
  if (last4 === "0119") return { delayMs, transient: attempt <= 2, declined: false };
  if (last4 === "0002") return { delayMs, transient: false, declined: true };
  const transient = (await seeded(cfg.seed, key, attempt, "transient")) < cfg.transientRate;
  const declined = (await seeded(cfg.seed, key, "decline")) < cfg.failureRate;
  return { delayMs, transient, declined };
}
