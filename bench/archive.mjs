/**
 * Grows the Bronze archive to the size the replay target is stated for
 * (≥ 100,000 events) with real purchases through the public API, spread over
 * the transfer scenario's accounts, then waits until the live consumer has
 * archived them. Slow on purpose: every event takes the real path (DO
 * transaction, outbox, queue, Bronze, Silver, Gold).
 */
import { jsonHeaders } from "./ledger.mjs";
import { createLoad, round } from "./load.mjs";
import { settledRuns } from "./pipeline.mjs";

const MERCHANTS = [
  "AMZN Mktp US*2K3LL",
  "UBER *TRIP",
  "Whole Foods Market",
  "SHELL OIL 5744",
  "NETFLIX.COM",
  "Starbucks 1123",
  "Local Bakery",
];

export async function growArchive(api, cfg, setup, admin, runId, log) {
  const target = cfg.archiveEvents;
  if (!target) return { skipped: "BENCH_ARCHIVE_EVENTS=0" };
  let n = 0;
  let accepted = 0;
  const load = createLoad({
    title: "archive",
    next: () => {
      const a = setup.accounts[n % setup.accounts.length];
      const key = `arc-${runId}-${n}`;
      const body = JSON.stringify({
        kind: "purchase",
        amount: 1 + (n % 97),
        merchant: MERCHANTS[n % MERCHANTS.length],
        description: "bench archive",
      });
      n++;
      return { id: key, method: "POST", path: `/v1/accounts/${a.id}/transactions`, body, headers: jsonHeaders(a.token, key) };
    },
    onStatus: (_key, status) => {
      if (status === 201) accepted++;
    },
  });
  const t0 = Date.now();
  while (accepted < target && Date.now() - t0 < cfg.archiveTimeoutMs) {
    await load.slice({ baseUrl: api.baseUrl, connections: cfg.connections, seconds: 10, server: cfg.server });
    log(`archive: ${accepted} of ${target} purchases`);
  }
  const loadSeconds = (Date.now() - t0) / 1000;
  // The consumer runs alongside; wait until its batches stop arriving.
  await settledRuns(api, admin.access_token, t0, 180_000);
  return {
    purchases: accepted,
    seconds: round(loadSeconds),
    purchases_per_s: round(accepted / loadSeconds),
    caught_up_s: round((Date.now() - t0) / 1000 - loadSeconds),
  };
}
