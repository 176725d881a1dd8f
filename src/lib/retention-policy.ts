/**
 * How long what grows without bound is kept: ages in days from the
 * RETENTION_* variables (wrangler.toml [vars]), each a whole number of days
 * from 1 to 3650; anything else falls back to the default.
 */

export interface RetentionPolicy {
  pipelineRunsMs: number;
  jobsMs: number;
  mailMs: number;
  loginAttemptsMs: number;
  webhookDeliveryMs: number;
}

const DAY_MS = 86_400_000;
export const RETENTION_DEFAULT_DAYS = {
  RETENTION_PIPELINE_RUNS_DAYS: 30,
  RETENTION_JOBS_DAYS: 90,
  RETENTION_MAIL_DAYS: 30,
  RETENTION_LOGIN_ATTEMPTS_DAYS: 1,
  RETENTION_WEBHOOK_DELIVERY_DAYS: 30,
} as const;

type Name = keyof typeof RETENTION_DEFAULT_DAYS;

function days(env: Partial<Record<Name, string>>, name: Name): number {
  const raw = env[name];
  const n = raw !== undefined && /^[1-9][0-9]{0,3}$/.test(raw) ? Number(raw) : Number.NaN;
  return (n >= 1 && n <= 3650 ? n : RETENTION_DEFAULT_DAYS[name]) * DAY_MS;
}

export function retentionPolicy(env: Env): RetentionPolicy {
  const vars = env as unknown as Partial<Record<Name, string>>;
  return {
    pipelineRunsMs: days(vars, "RETENTION_PIPELINE_RUNS_DAYS"),
    jobsMs: days(vars, "RETENTION_JOBS_DAYS"),
    mailMs: days(vars, "RETENTION_MAIL_DAYS"),
    loginAttemptsMs: days(vars, "RETENTION_LOGIN_ATTEMPTS_DAYS"),
    webhookDeliveryMs: days(vars, "RETENTION_WEBHOOK_DELIVERY_DAYS"),
  };
}
