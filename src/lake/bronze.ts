/**
 * Bronze in R2: each delivered batch, exactly as delivered, as gzip NDJSON
 * objects under bronze/events/dt=YYYY-MM-DD/hr=HH/<sha256>.ndjson.gz. The
 * pipeline only ever adds objects: an existing key already holds these bytes.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { sha256Hex } from "../domain/hash-chain";
import { bronzeKey, parseNdjson, planBronzeObjects, type BronzeMetadata, type DeliveredMessage } from "../pipeline/bronze-layout";

export interface BronzeWriteResult {
  keys: string[];
  written: number;
}

/**
 * Writes the batch's partitions; returns every key the batch maps to and how
 * many were new. Each put is conditional on the key being absent (one round
 * trip, no read first): a redelivered batch leaves the existing object untouched.
 */
export async function writeBronze(lake: R2Bucket, messages: readonly DeliveredMessage[]): Promise<BronzeWriteResult> {
  const plans = planBronzeObjects(messages);
  const results = await Promise.all(
    plans.map(async (plan) => {
      const sha = sha256Hex(plan.ndjson);
      const key = bronzeKey(plan.dt, plan.hr, sha);
      const metadata: BronzeMetadata = {
        count: String(plan.count),
        min_occurred_at: plan.minOccurredAt,
        max_occurred_at: plan.maxOccurredAt,
        sha256: sha,
      };
      const put = await lake.put(key, gzipSync(plan.ndjson), {
        httpMetadata: { contentType: "application/x-ndjson", contentEncoding: "gzip" },
        customMetadata: metadata,
        onlyIf: { etagDoesNotMatch: "*" },
      });
      return { key, written: put !== null };
    }),
  );
  return { keys: results.map((r) => r.key), written: results.filter((r) => r.written).length };
}

/** The raw bodies of one Bronze object, in delivery order. */
export async function readBronzeObject(lake: R2Bucket, key: string): Promise<unknown[]> {
  const obj = await lake.get(key);
  if (!obj) throw new Error(`bronze object missing: ${key}`);
  const gz = new Uint8Array(await obj.arrayBuffer());
  return parseNdjson(gunzipSync(gz).toString("utf8"));
}

export function bronzeCount(obj: Pick<R2Object, "customMetadata">): number {
  const n = Number(obj.customMetadata?.count);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}
