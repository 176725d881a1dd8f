/**
 * Runtime configuration read from the Worker environment. Secrets come only
 * from the environment (.dev.vars locally, `wrangler secret put` in production);
 * in every environment, development included, a missing, short or placeholder
 * secret makes the Worker refuse every request (503 `misconfigured`) instead of
 * signing with a weak key.
 */

import { DEFAULT_BASE_SECONDS as DEFAULT_RETRY_BASE_SECONDS } from "./domain/webhooks/retry";

const PLACEHOLDERS = new Set(["", "generate-me", "changeme", "change-me", "secret", "dev", "development", "test"]);
const MIN_SECRET_LENGTH = 32;

export interface AppConfig {
  environment: string;
  jwtSecret: string;
  pepper: string;
  issuer: string;
  audience: string;
  webhooks: WebhookSettings;
}

/** Outbound webhooks: loopback endpoints (local only) and the first retry's base delay. */
export interface WebhookSettings {
  allowLoopback: boolean;
  retryBaseSeconds: number;
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

function secretProblem(name: string, value: string | undefined): string | null {
  if (value === undefined || PLACEHOLDERS.has(value.trim().toLowerCase())) return `${name} is missing or a placeholder`;
  if (value.length < MIN_SECRET_LENGTH) return `${name} is shorter than ${MIN_SECRET_LENGTH} characters`;
  return null;
}

const LOCAL_ENVIRONMENTS = new Set(["development", "test"]);
const SWITCHES = {
  RATE_LIMIT_BACKEND: ["", "binding", "isolate", "off"],
  SESSION_CHECK: ["", "on", "off"],
  WEBHOOK_ALLOW_LOOPBACK: ["", "on", "off"],
} as const;
/** Switch values that only a local environment may set. */
const LOCAL_ONLY: Record<keyof typeof SWITCHES, string> = { RATE_LIMIT_BACKEND: "off", SESSION_CHECK: "off", WEBHOOK_ALLOW_LOOPBACK: "on" };

/**
 * The two switches the benchmark's comparison servers use to measure what the
 * rate limiter and the session check cost (bench/auth-cost.mjs): an unknown
 * value, or "off" anywhere but a local environment, is a misconfiguration.
 */
function switchProblems(env: Env): string[] {
  const out: string[] = [];
  const local = LOCAL_ENVIRONMENTS.has(env.ENVIRONMENT ?? "");
  for (const [name, allowed] of Object.entries(SWITCHES) as [keyof typeof SWITCHES, readonly string[]][]) {
    const value = env[name] ?? "";
    if (!allowed.includes(value)) out.push(`${name} must be one of ${allowed.filter(Boolean).join(", ")} or unset`);
    else if (value === LOCAL_ONLY[name] && !local) out.push(`${name}=${value} is for local development and tests only`);
  }
  const userLimit = env.API_USER_LIMIT ?? "";
  if (userLimit && !/^[1-9][0-9]{0,8}$/.test(userLimit)) out.push("API_USER_LIMIT must be a positive integer or unset");
  else if (userLimit && !local)
    out.push("API_USER_LIMIT is for local benchmarks only (deployed, the binding's limit in wrangler.toml counts)");
  const base = env.WEBHOOK_RETRY_BASE_SECONDS ?? "";
  if (base && !/^[1-9][0-9]{0,3}$/.test(base)) out.push("WEBHOOK_RETRY_BASE_SECONDS must be an integer 1–9999 or unset");
  return out;
}

/** Read by the routes (through loadConfig) and by the WEBHOOKS consumer, which has no request. */
export function webhookSettings(env: Env): WebhookSettings {
  const base = Number(env.WEBHOOK_RETRY_BASE_SECONDS || DEFAULT_RETRY_BASE_SECONDS);
  return {
    allowLoopback: env.WEBHOOK_ALLOW_LOOPBACK === "on" && LOCAL_ENVIRONMENTS.has(env.ENVIRONMENT ?? ""),
    retryBaseSeconds: Number.isInteger(base) && base >= 1 ? base : DEFAULT_RETRY_BASE_SECONDS,
  };
}

export function loadConfig(env: Env): ConfigResult {
  const problems: string[] = [];
  for (const [name, value] of [
    ["JWT_SECRET", env.JWT_SECRET],
    ["PASSWORD_PEPPER", env.PASSWORD_PEPPER],
  ] as const) {
    const p = secretProblem(name, value);
    if (p) problems.push(p);
  }
  if (!env.JWT_ISSUER) problems.push("JWT_ISSUER is missing");
  if (!env.JWT_AUDIENCE) problems.push("JWT_AUDIENCE is missing");
  problems.push(...switchProblems(env));
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      environment: env.ENVIRONMENT || "production",
      jwtSecret: env.JWT_SECRET,
      pepper: env.PASSWORD_PEPPER,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      webhooks: webhookSettings(env),
    },
  };
}
