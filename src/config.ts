/**
 * Runtime configuration read from the Worker environment. Secrets come only
 * from the environment (.dev.vars locally, `wrangler secret put` in production);
 * in every environment, development included, a missing, short or placeholder
 * secret makes the Worker refuse every request (503 `misconfigured`) instead of
 * signing with a weak key.
 */

import { BACKDATE_DAYS } from "./domain/account/rules";
import { DEFAULT_BASE_SECONDS as DEFAULT_RETRY_BASE_SECONDS } from "./domain/webhooks/retry";

const PLACEHOLDERS = new Set(["", "generate-me", "changeme", "change-me", "secret", "dev", "development", "test"]);
const MIN_SECRET_LENGTH = 32;

export interface AppConfig {
  environment: string;
  jwtSecret: string;
  pepper: string;
  issuer: string;
  audience: string;
  email: EmailConfig;
  webhooks: WebhookSettings;
}

export interface EmailConfig {
  sender: "local" | "http";
  from: string;
  /** The web app's origin, for links in messages. */
  appUrl: string;
  http: { url: string; key: string } | null;
  /** Local-only test switch: the sender fails every attempt ("always") or each message's first N attempts. */
  fail: "always" | number | null;
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
  INTEL_SCORING: ["", "on", "off"],
} as const;
/** Switch values that only a local environment may set. */
const LOCAL_ONLY: Record<keyof typeof SWITCHES, string> = {
  RATE_LIMIT_BACKEND: "off",
  SESSION_CHECK: "off",
  WEBHOOK_ALLOW_LOOPBACK: "on",
  INTEL_SCORING: "off",
};

/**
 * The switches the benchmark's comparison servers use to measure what the
 * rate limiter and the session check cost (bench/auth-cost.mjs) and what anomaly
 * scoring costs the consumer (bench/scoring.mjs), and the loopback webhooks: an unknown
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
  const back = env.BACKDATE_DAYS ?? "";
  if (back && (!/^[0-9]{2,3}$/.test(back) || Number(back) < BACKDATE_DAYS || Number(back) > MAX_BACKDATE_DAYS))
    out.push(`BACKDATE_DAYS must be an integer ${BACKDATE_DAYS}–${MAX_BACKDATE_DAYS} or unset`);
  else if (back && Number(back) > BACKDATE_DAYS && !local)
    out.push(`BACKDATE_DAYS above ${BACKDATE_DAYS} is for local development only (the demo year)`);
  return out;
}

const MAX_BACKDATE_DAYS = 400;

/**
 * How many days back a posted transaction's occurred_at may go: 90, or BACKDATE_DAYS (up to 400) in a local
 * environment, so `npm run dev` can seed a year of demo history over HTTP. Read by the transactions route and
 * the AccountDO (which decides); outside a local environment, or when malformed, it is 90 (and loadConfig
 * refuses every request for the misconfiguration).
 */
export function backdateDays(env: Env): number {
  const raw = env.BACKDATE_DAYS ?? "";
  if (!raw || !LOCAL_ENVIRONMENTS.has(env.ENVIRONMENT ?? "")) return BACKDATE_DAYS;
  const n = Number(raw);
  return Number.isInteger(n) && n >= BACKDATE_DAYS && n <= MAX_BACKDATE_DAYS ? n : BACKDATE_DAYS;
}

const EMAIL_SENDERS = ["", "local", "http"];

/**
 * The email channel: `local` (messages to R2, read at /v1/admin/mail) only in
 * a local environment, where it is also the default; anywhere else the
 * sender is `http` and needs EMAIL_HTTP_URL (https) and EMAIL_HTTP_KEY, or
 * every request is refused. EMAIL_FAIL makes the sender fail on purpose,
 * locally only.
 */
export function emailConfig(env: Env): { ok: true; config: EmailConfig } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const local = LOCAL_ENVIRONMENTS.has(env.ENVIRONMENT ?? "");
  const raw = env.EMAIL_SENDER ?? "";
  const from = env.EMAIL_FROM || "FinEdge <no-reply@finedge.local>";
  if (!/^[^<>\r\n]*<[^<>\s@]+@[^<>\s@]+>$|^[^<>\s@]+@[^<>\s@]+$/.test(from))
    problems.push("EMAIL_FROM must be an address or Name <address>");
  if (!EMAIL_SENDERS.includes(raw)) problems.push("EMAIL_SENDER must be local or http");
  // Unset means the environment's sender: local in a local environment, http anywhere else.
  const sender: EmailConfig["sender"] = raw === "http" || (raw === "" && !local) ? "http" : "local";
  if (sender === "local" && !local) problems.push("EMAIL_SENDER must be http outside local environments (local keeps mail in R2)");
  let http: EmailConfig["http"] = null;
  if (sender === "http") {
    const url = env.EMAIL_HTTP_URL ?? "";
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      problems.push("EMAIL_HTTP_URL is missing or not a URL");
    }
    if (parsed && parsed.protocol !== "https:" && !(local && parsed.protocol === "http:"))
      problems.push("EMAIL_HTTP_URL must be https (http only in a local environment)");
    const keyProblem = secretProblem("EMAIL_HTTP_KEY", env.EMAIL_HTTP_KEY);
    if (keyProblem && !(local && env.EMAIL_HTTP_KEY)) problems.push(keyProblem);
    http = { url, key: env.EMAIL_HTTP_KEY ?? "" };
  }
  const failRaw = env.EMAIL_FAIL ?? "";
  let fail: EmailConfig["fail"] = null;
  if (failRaw) {
    if (!local) problems.push("EMAIL_FAIL is for local tests only");
    else if (failRaw === "always") fail = "always";
    else if (/^[1-9][0-9]{0,2}$/.test(failRaw)) fail = Number(failRaw);
    else problems.push("EMAIL_FAIL must be always, a positive integer (≤ 999) or unset");
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: { sender, from, appUrl: (env.APP_URL || env.JWT_ISSUER || "").replace(/\/+$/, ""), http, fail } };
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
  const email = emailConfig(env);
  if (!email.ok) problems.push(...email.problems);
  if (problems.length > 0 || !email.ok) return { ok: false, problems };
  return {
    ok: true,
    config: {
      environment: env.ENVIRONMENT || "production",
      jwtSecret: env.JWT_SECRET,
      pepper: env.PASSWORD_PEPPER,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      email: email.config,
      webhooks: webhookSettings(env),
    },
  };
}
