/**
 * The retention job, run daily by the cron trigger (wrangler.toml [triggers],
 * 03:30 UTC): what grows without bound is pruned past its age
 * (src/lib/retention-policy.ts): D1 pipeline runs, finished jobs with their
 * replay exclusions and stale login-throttle rows (src/db/retention.ts), and
 * the R2 mail area (src/lib/email/mail-retention.ts). Webhook delivery logs
 * are pruned by age inside each UserDO as new deliveries arrive. Each run is
 * one audit entry (actor `system:retention`) with what it deleted.
 */
import { recordAudit } from "../src/db/audit";
import { pruneD1 } from "../src/db/retention";
import { pruneMail } from "../src/lib/email/mail-retention";
import { retentionPolicy } from "../src/lib/retention-policy";

export const RETENTION_CRON = "30 3 * * *";

export async function runRetention(env: Env, now = Date.now()) {
  const p = retentionPolicy(env);
  const iso = (ms: number) => new Date(now - ms).toISOString();
  const [d1, mail] = await Promise.all([
    pruneD1(env.DB, { pipelineRuns: iso(p.pipelineRunsMs), jobs: iso(p.jobsMs), loginAttempts: now - p.loginAttemptsMs, now }),
    pruneMail(env.LAKE, now - p.mailMs),
  ]);
  const deleted = { ...d1, mail_messages: mail.messages, mail_sent_keys: mail.sent_keys, mail_dead: mail.dead };
  await recordAudit(
    env.DB,
    { actorId: "system:retention", action: "retention.run", targetType: "platform", targetId: null, requestId: null, detail: deleted },
    now,
  );
  console.log(JSON.stringify({ level: "info", msg: "retention", deleted }));
  return deleted;
}
