/**
 * JOBS consumer: advances background jobs (replay, export, rules_apply) one step per
 * message. A job's progress row is guarded by its step number, so a duplicate
 * or stale message is harmless; a message whose successor was lost is re-sent.
 * How much one invocation does, and when a job counts as stalled, are limits
 * the caller may pass; the queue handler uses the production ones.
 */
import { DomainError } from "../src/domain/errors";
import { failJob, getJob, isStalled, STALL_MS, type JobRow } from "../src/db/pipeline/jobs";
import { enqueueJobStep, isJobMessage } from "../src/pipeline/jobs-protocol";
import { EXPORT_LIMITS, runExportStep, type ExportLimits } from "./export";
import { REPLAY_LIMITS, runReplayStep, type ReplayLimits } from "./replay";
import { RULES_APPLY_LIMITS, type RulesApplyLimits, runRulesApplyStep } from "./rules-apply";

const MAX_ATTEMPTS = 5;

export interface JobLimits {
  replay: ReplayLimits;
  export: ExportLimits;
  rulesApply: RulesApplyLimits;
  /** A running job silent for longer is stalled: a stale message of it re-sends its current step. */
  stallMs: number;
  /** How many times a stale message waits (stallMs each) for its job before it is dropped. */
  watchdogAttempts: number;
}

export const JOB_LIMITS: JobLimits = {
  replay: REPLAY_LIMITS,
  export: EXPORT_LIMITS,
  rulesApply: RULES_APPLY_LIMITS,
  stallMs: STALL_MS,
  watchdogAttempts: 8,
};

/** Runs the job from its current step; returns the step to continue at, or null when finished. */
async function runStep(env: Env, job: JobRow, limits: JobLimits): Promise<number | null> {
  if (job.kind === "rules_apply") return runRulesApplyStep(env, job, limits.rulesApply);
  return job.kind === "replay" ? runReplayStep(env, job, limits.replay) : runExportStep(env, job, limits.export);
}

export async function consumeJobs(batch: MessageBatch, env: Env, limits: JobLimits = JOB_LIMITS): Promise<void> {
  for (const m of batch.messages) {
    if (!isJobMessage(m.body)) {
      console.error(JSON.stringify({ level: "error", msg: "malformed job message", id: m.id }));
      m.ack();
      continue;
    }
    const { job_id, step } = m.body;
    try {
      const job = await getJob(env.DB, job_id);
      if (!job || (job.status !== "queued" && job.status !== "running")) {
        m.ack();
        continue;
      }
      if (job.step !== step) {
        // This step was taken already. The message stays as a watchdog while the job runs: if the job
        // goes silent, its next message was lost (a failed send after a committed step) and is sent again.
        if (job.step > step && isStalled(job, limits.stallMs)) {
          await enqueueJobStep(env, job_id, job.step);
          m.ack();
        } else if (job.step > step && m.attempts < limits.watchdogAttempts) {
          m.retry({ delaySeconds: Math.ceil(limits.stallMs / 1000) });
        } else {
          m.ack();
        }
        continue;
      }
      const next = await runStep(env, job, limits);
      if (next !== null) await enqueueJobStep(env, job_id, next);
      m.ack();
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "job step failed", job: job_id, step, attempt: m.attempts, error: String(err) }));
      // Chunks committed before the failure moved the job on: continue from there with a fresh message.
      const after = await getJob(env.DB, job_id).catch(() => null);
      if (after && after.step > step && (after.status === "running" || after.status === "queued")) {
        const resent = await enqueueJobStep(env, job_id, after.step).then(
          () => true,
          () => false,
        );
        if (resent) {
          m.ack();
          continue;
        }
      }
      // A DomainError is the job's own fault (e.g. dates out of range): a retry would fail the same way.
      if (err instanceof DomainError || m.attempts >= MAX_ATTEMPTS) {
        await failJob(env.DB, job_id, String((err as Error)?.message ?? err)).catch(() => undefined);
        m.ack();
      } else {
        m.retry({ delaySeconds: Math.min(30, 2 ** m.attempts) });
      }
    }
  }
}
