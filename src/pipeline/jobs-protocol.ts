/**
 * The background-job protocol, shared by the routes that start jobs and the
 * JOBS consumer that runs them: job kinds, the step message and its schema,
 * each kind's parameters and an export's manifest and file keys.
 */
import { z } from "zod";
import type { Dataset, ExportFormat } from "./export-format";

export const JOB_KINDS = ["replay", "export", "rules_apply"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** One step of a job; the consumer guards progress by the step number. */
export const jobMessageSchema = z.object({ job_id: z.string().min(1), step: z.number().int() });
export type JobMessage = z.infer<typeof jobMessageSchema>;

export function isJobMessage(x: unknown): x is JobMessage {
  return jobMessageSchema.safeParse(x).success;
}

/** Sends the message for a job's next step. */
export async function enqueueJobStep(env: Pick<Env, "JOBS">, job_id: string, step: number): Promise<void> {
  await env.JOBS.send({ job_id, step } satisfies JobMessage, { contentType: "json" });
}

export interface ReplayParams {
  from: string | null;
  to: string | null;
  /** The whole months actually rebuilt. */
  from_month: string | null;
  to_month: string | null;
}

export interface ExportParams {
  dataset: Dataset;
  format: ExportFormat;
  from: string;
  to: string;
  /** null: every user's rows (admin export). */
  user_id: string | null;
}

export interface ExportManifest {
  dataset: Dataset;
  format: ExportFormat;
  from: string;
  to: string;
  scope: "user" | "all";
  partitioning: string[];
  schema: { name: string; type: string }[];
  files: { name: string; rows: number; bytes: number; partition: { month: string } }[];
  rows: number;
}

export function exportKey(jobId: string, dataset: Dataset, name: string): string {
  return `exports/${jobId}/${dataset}/${name}`;
}
